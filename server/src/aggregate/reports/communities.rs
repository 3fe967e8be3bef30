//! `GET /api/v1/office/communities`: one row per community, to compare the communities of
//! a 街道 or a district side by side. Each row reads its community's counters (or, over a
//! date range, the counters rebuilt from the wishes created in it).

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use wish_client_core::model::{CloseReason, WishStatus};

use super::{average, hours, round2};
use crate::aggregate::counters::{Parts, RatingSum, Scope};
use crate::aggregate::{CommunitySet, OfficeIndex, OverdueTargets, Window};

/// Some of each community's people or units by id, from the directory: the party
/// members (双报到党员), or the partner units (共建单位).
#[derive(Debug, Clone, Default)]
pub struct Members(HashMap<String, BTreeSet<String>>);

impl Members {
    pub fn new(by_community: HashMap<String, BTreeSet<String>>) -> Self {
        Self(by_community)
    }

    pub fn contains(&self, community: &str, id: &str) -> bool {
        self.0.get(community).is_some_and(|p| p.contains(id))
    }

    /// The index's claimant codes of a community's members (ids that never claimed
    /// have none), so that a report tests membership with an integer.
    pub(crate) fn codes(&self, a: &OfficeIndex, community: &str) -> HashSet<u32> {
        self.0
            .get(community)
            .into_iter()
            .flatten()
            .filter_map(|id| a.dicts.claimant.get(id.as_str()))
            .collect()
    }
}

/// The comparison table.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ComparisonReport {
    pub from: Option<u64>,
    pub to: Option<u64>,
    pub rows: Vec<CommunityRow>,
}

/// One community's figures (wishes created in the window, their state now).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CommunityRow {
    pub community: String,
    /// The community's name; the index keeps ids only, so the HTTP handler fills it in.
    pub name: String,
    /// The community's stations (the handler counts the directory's; the index only
    /// knows those with wishes).
    pub stations: usize,
    pub wishes: u64,
    /// Wishes with a first claim.
    pub claimed: u64,
    /// Closed as fulfilled (已圆梦).
    pub completed: u64,
    /// Closed for another reason, or rejected.
    pub closed_other: u64,
    /// Open now and past the office's target.
    pub open_overdue: u64,
    pub median_hours_to_claim: Option<f64>,
    pub median_hours_to_resolve: Option<f64>,
    pub average_rating: Option<f64>,
    pub rated: u64,
    /// Claimants holding an active claim on one of the wishes.
    pub volunteers_active: usize,
    /// Resolved hours of the wishes.
    pub service_hours: f64,
    /// Party members' share (0..1) of the claims and of the claimants' hours.
    pub party_claim_share: Option<f64>,
    pub party_hours_share: Option<f64>,
}

impl CommunityRow {
    /// The row of a community without wishes in the window.
    pub fn empty(community: &str) -> Self {
        Self {
            community: community.to_owned(),
            name: String::new(),
            stations: 0,
            wishes: 0,
            claimed: 0,
            completed: 0,
            closed_other: 0,
            open_overdue: 0,
            median_hours_to_claim: None,
            median_hours_to_resolve: None,
            average_rating: None,
            rated: 0,
            volunteers_active: 0,
            service_hours: 0.0,
            party_claim_share: None,
            party_hours_share: None,
        }
    }
}

/// What a scope's claimants did, split by party membership.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Claims {
    pub claims: u64,
    pub party_claims: u64,
    pub hours_milli: u64,
    pub party_hours_milli: u64,
    pub volunteers: usize,
    pub party_volunteers: usize,
}

impl Claims {
    pub fn of(a: &OfficeIndex, community: &str, scope: &Scope, party: &Members) -> Self {
        let party = party.codes(a, community);
        let mut out = Self::default();
        for (claimant, totals) in &scope.volunteers {
            let is_party = party.contains(claimant);
            out.claims += totals.wishes;
            out.hours_milli += totals.hours_milli;
            out.volunteers += 1;
            if is_party {
                out.party_claims += totals.wishes;
                out.party_hours_milli += totals.hours_milli;
                out.party_volunteers += 1;
            }
        }
        out
    }

    pub fn add(&mut self, other: &Claims) {
        self.claims += other.claims;
        self.party_claims += other.party_claims;
        self.hours_milli += other.hours_milli;
        self.party_hours_milli += other.party_hours_milli;
        self.volunteers += other.volunteers;
        self.party_volunteers += other.party_volunteers;
    }

    pub fn claim_share(&self) -> Option<f64> {
        share(self.party_claims, self.claims)
    }

    pub fn hours_share(&self) -> Option<f64> {
        share(self.party_hours_milli, self.hours_milli)
    }
}

/// `part / whole` to four decimals; `None` when there is nothing to share.
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

impl OfficeIndex {
    /// One row per community of the set with wishes created in `window`, by id (the
    /// handler names and sorts them). `now` and `targets` decide what is overdue.
    pub fn community_comparison(
        &self,
        communities: &CommunitySet,
        window: Window,
        now: u64,
        targets: Option<&OverdueTargets>,
        party: &Members,
    ) -> ComparisonReport {
        let overdue = self.overdue_by_community(communities, window, now, targets);
        let mut rows: Vec<CommunityRow> = self
            .scopes_by_community(communities, window, Parts::COMPARISON)
            .iter()
            .map(|(code, scope)| {
                let mut row = self.community_row(*code, scope, party);
                row.open_overdue = overdue.get(code).copied().unwrap_or(0);
                row
            })
            .collect();
        rows.sort_by(|a, b| a.community.cmp(&b.community));
        ComparisonReport {
            from: window.from,
            to: window.to,
            rows,
        }
    }

    fn community_row(&self, code: u32, s: &Scope, party: &Members) -> CommunityRow {
        let d = &self.dicts;
        let community = self.community_id(code).to_owned();
        let status = |st: WishStatus| {
            d.status
                .get(st.as_str())
                .and_then(|c| s.by_status.get(&c))
                .copied()
                .unwrap_or(0)
        };
        let completed = d
            .close_reason
            .get(CloseReason::Fulfilled.as_str())
            .and_then(|c| s.by_close_reason.get(&c))
            .copied()
            .unwrap_or(0);
        let finished = status(WishStatus::Closed) + status(WishStatus::Rejected);
        let rated: u64 = s.ratings.iter().sum();
        let points: u64 = (1u64..).zip(s.ratings).map(|(r, n)| r * n).sum();
        let claims = Claims::of(self, &community, s, party);
        CommunityRow {
            name: String::new(),
            stations: s.by_station.len(),
            wishes: s.total,
            claimed: s.claimed,
            completed,
            closed_other: finished.saturating_sub(completed),
            open_overdue: 0,
            median_hours_to_claim: s.durations.to_claim.median_hours(),
            median_hours_to_resolve: s.durations.to_resolve.median_hours(),
            average_rating: average(&RatingSum {
                count: rated,
                sum: points,
            }),
            rated,
            volunteers_active: s.volunteers.len(),
            service_hours: round2(hours(s.hours_milli)),
            party_claim_share: claims.claim_share(),
            party_hours_share: claims.hours_share(),
            community,
        }
    }
}
