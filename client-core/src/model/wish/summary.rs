//! [`WishSummary`]: the figures of a wish for dashboards and exports, without personal data.

use serde::{Deserialize, Serialize};

use super::view::WishView;
use crate::model::order::{earliest, latest};
use crate::model::EventKind;

/// A wish's figures for the server's dashboard and exports.
///
/// It holds no personal data of residents: no text, no contact link, no area; `claimants`
/// are ids of people and units who serve. `title` is the short public title (the schema
/// forbids personal data in it). Times are the earliest of their kind by `(at, id)`;
/// `rating` is the latest rating.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WishSummary {
    pub id: String,
    pub community: String,
    pub station: String,
    pub module: Option<String>,
    pub status: String,
    pub channel: String,
    pub urgency: String,
    pub created_at: u64,
    pub published_at: Option<u64>,
    pub first_claim_at: Option<u64>,
    pub assigned_at: Option<u64>,
    pub resolved_at: Option<u64>,
    pub closed_at: Option<u64>,
    pub close_reason: Option<String>,
    pub claimants: Vec<String>,
    pub hours: f64,
    pub rating: Option<u8>,
    pub title: String,
}

impl WishView {
    /// The wish's summary; the server stores it after each commit to a wish.
    pub fn summary(&self) -> WishSummary {
        let closed = earliest(self.events_of(EventKind::Closed));
        WishSummary {
            id: self.id.clone(),
            community: self.community.clone(),
            station: self.station.clone(),
            module: self.module.map(|m| m.as_str().to_owned()),
            status: self.status().as_str().to_owned(),
            channel: self.channel.as_str().to_owned(),
            urgency: self.urgency.as_str().to_owned(),
            created_at: self.created_at,
            published_at: self.first_at(EventKind::Published),
            first_claim_at: earliest(self.claims.iter()).map(|c| c.at),
            assigned_at: self.first_assigned_at(),
            resolved_at: self.first_at(EventKind::Resolved),
            closed_at: closed.map(|e| e.at),
            close_reason: closed.and_then(|e| e.reason.clone()),
            claimants: self.claimants(),
            hours: self.resolved_hours(),
            rating: latest(self.events_of(EventKind::Rated)).and_then(|e| e.score),
            title: self.title.clone(),
        }
    }

    fn first_at(&self, kind: EventKind) -> Option<u64> {
        earliest(self.events_of(kind)).map(|e| e.at)
    }

    fn first_assigned_at(&self) -> Option<u64> {
        let claims = self.assigned_claims();
        claims
            .iter()
            .filter_map(|c| self.assigned.get(&c.id))
            .map(|a| a.at)
            .min()
    }

    /// Distinct claimants of the active claims, in `(at, id)` order of their first claim.
    fn claimants(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for claim in self.active_claims() {
            if !out.contains(&claim.claimant) {
                out.push(claim.claimant.clone());
            }
        }
        out
    }
}
