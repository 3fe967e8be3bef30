//! `GET /api/v1/office/volunteers`: hours per claimant and the leaderboard.

use serde::Serialize;

use super::hours;
use crate::aggregate::counters::{ClaimantTotals, Parts};
use crate::aggregate::query::Paging;
use crate::aggregate::{CommunitySet, OfficeIndex, Window};

/// `GET /api/v1/office/volunteers`: claimants by hours, most first.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct VolunteerReport {
    pub community: Option<String>,
    /// How many distinct claimants hold active claims.
    pub claimants: usize,
    pub total_hours: f64,
    pub page: usize,
    pub per_page: usize,
    pub leaderboard: Vec<VolunteerRow>,
}

/// A claimant's share of resolved hours (split equally among a wish's claimants).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct VolunteerRow {
    pub rank: usize,
    pub claimant: String,
    /// The claimant's name; the index keeps ids only, so the HTTP handler fills it in from
    /// the community directory (empty until then).
    pub name: String,
    pub hours: f64,
    pub wishes: u64,
    pub resolved: u64,
}

impl OfficeIndex {
    /// Claimants by hours (then resolved wishes, then id), one page.
    pub fn volunteers(&self, community: &CommunitySet, paging: Paging) -> VolunteerReport {
        self.volunteers_in(community, paging, Window::ALL)
    }

    /// Claimants of the wishes created in `window`, by hours, one page.
    pub fn volunteers_in(
        &self,
        community: &CommunitySet,
        paging: Paging,
        window: Window,
    ) -> VolunteerReport {
        let s = self.scope_in(community, window, Parts::VOLUNTEERS);
        let d = &self.dicts;
        let mut all: Vec<_> = s.volunteers.iter().collect();
        let claimants = all.len();
        let order = |(a, ta): &(&u32, &ClaimantTotals), (b, tb): &(&u32, &ClaimantTotals)| {
            (tb.hours_milli, tb.resolved)
                .cmp(&(ta.hours_milli, ta.resolved))
                .then_with(|| d.claimant.name(**a).cmp(d.claimant.name(**b)))
        };
        // Only the first `end` need sorting: select them in linear time first.
        let end = paging.offset().saturating_add(paging.per_page);
        if end < all.len() {
            all.select_nth_unstable_by(end, order);
            all.truncate(end);
        }
        all.sort_unstable_by(order);
        let leaderboard = all
            .iter()
            .enumerate()
            .skip(paging.offset())
            .take(paging.per_page)
            .map(|(i, (c, t))| VolunteerRow {
                rank: i + 1,
                claimant: d.claimant.name(**c).to_owned(),
                name: String::new(),
                hours: hours(t.hours_milli),
                wishes: t.wishes,
                resolved: t.resolved,
            })
            .collect();
        VolunteerReport {
            community: community.single().map(str::to_owned),
            claimants,
            total_hours: hours(s.volunteers.values().map(|t| t.hours_milli).sum()),
            page: paging.page,
            per_page: paging.per_page,
            leaderboard,
        }
    }
}
