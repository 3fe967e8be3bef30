//! The wish wall (心愿墙): published wishes open for claiming.

use serde::{Deserialize, Serialize};

use super::{Module, Urgency, WishStatus, WishView};

/// One card on the wall. It carries the coarse area, never contact data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallItem {
    pub id: String,
    pub title: String,
    pub module: Option<Module>,
    pub urgency: Urgency,
    pub compound: String,
    pub building: String,
    pub status: WishStatus,
    pub capacity: u32,
    /// Active claims waiting for an assignment.
    pub pending: usize,
    /// Active claims with an assignment.
    pub assigned: usize,
    pub published_at: Option<u64>,
}

/// Whether a wish belongs on the wall: published and still open for work
/// (`published`, `claimed`, `assigned` or `in_progress`; never closed or rejected).
pub fn on_wall(wish: &WishView) -> bool {
    matches!(
        wish.status(),
        WishStatus::Published | WishStatus::Claimed | WishStatus::Assigned | WishStatus::InProgress
    )
}

/// The wall: wishes [`on_wall`], most urgent first, then longest published, then by id.
/// Call it with every wish document of the community (or station) the wall shows.
pub fn wall(wishes: &[WishView]) -> Vec<WallItem> {
    let mut items: Vec<WallItem> = wishes.iter().filter(|w| on_wall(w)).map(item).collect();
    items.sort_by(|a, b| {
        let key = |i: &WallItem| {
            (
                std::cmp::Reverse(i.urgency),
                i.published_at.unwrap_or(u64::MAX),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    items
}

fn item(wish: &WishView) -> WallItem {
    let published = wish.events_of(super::EventKind::Published);
    WallItem {
        id: wish.id.clone(),
        title: wish.title.clone(),
        module: wish.module,
        urgency: wish.urgency,
        compound: wish.compound.clone(),
        building: wish.building.clone(),
        status: wish.status(),
        capacity: wish.capacity,
        pending: wish.pending_claims().len(),
        assigned: wish.active_assignments(),
        published_at: published.map(|e| e.at).min(),
    }
}
