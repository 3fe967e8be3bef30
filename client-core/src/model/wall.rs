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

/// What a volunteer narrows the wall to (心愿墙筛选); an empty field keeps every wish.
/// The wall's order (most urgent, then longest published) is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallFilter {
    #[serde(default)]
    pub module: Option<Module>,
    #[serde(default)]
    pub compound: Option<String>,
    /// Only wishes at least this urgent.
    #[serde(default)]
    pub min_urgency: Option<Urgency>,
    /// Only wishes in one of these modules (the person's own modules: 我的模块).
    #[serde(default)]
    pub modules: Vec<Module>,
}

impl WallFilter {
    /// Whether the card stays on the filtered wall.
    pub fn keeps(&self, item: &WallItem) -> bool {
        self.module.is_none_or(|m| item.module == Some(m))
            && self
                .compound
                .as_deref()
                .is_none_or(|c| c.is_empty() || item.compound == c)
            && self.min_urgency.is_none_or(|u| item.urgency >= u)
            && (self.modules.is_empty() || item.module.is_some_and(|m| self.modules.contains(&m)))
    }
}

/// The compounds (小区) the wall's cards are in, sorted, for the filter's choices.
pub fn wall_compounds(items: &[WallItem]) -> Vec<String> {
    let mut compounds: Vec<String> = items
        .iter()
        .map(|i| i.compound.clone())
        .filter(|c| !c.is_empty())
        .collect();
    compounds.sort();
    compounds.dedup();
    compounds
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
