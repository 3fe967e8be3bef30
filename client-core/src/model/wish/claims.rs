//! Active and pending claims, and hours per claim.

use std::collections::BTreeSet;

use super::event::{Claim, Event};
use super::view::WishView;
use crate::model::order::latest;
use crate::model::EventKind;

impl WishView {
    /// Ids of the claims named by a `released` event.
    pub fn released_claims(&self) -> BTreeSet<&str> {
        self.events_of(EventKind::Released)
            .filter_map(|e| e.claim.as_deref())
            .collect()
    }

    /// Whether the claim exists and no `released` event names it.
    pub fn is_active_claim(&self, claim_id: &str) -> bool {
        self.claim(claim_id).is_some() && !self.released_claims().contains(claim_id)
    }

    /// Claims not released, sorted by `(at, id)`.
    pub fn active_claims(&self) -> Vec<&Claim> {
        let released = self.released_claims();
        self.claims
            .iter()
            .filter(|c| !released.contains(c.id.as_str()))
            .collect()
    }

    /// Active claims without an assignment, sorted by `(at, id)`: what the server's
    /// arbitration assigns, up to the free capacity.
    pub fn pending_claims(&self) -> Vec<&Claim> {
        let mut claims = self.active_claims();
        claims.retain(|c| !self.assigned.contains_key(&c.id));
        claims
    }

    /// Active claims with an assignment, sorted by `(at, id)`.
    pub fn assigned_claims(&self) -> Vec<&Claim> {
        let mut claims = self.active_claims();
        claims.retain(|c| self.assigned.contains_key(&c.id));
        claims
    }

    /// How many active claims have an assignment; never above `capacity` once the server
    /// has arbitrated, unless coordinators assigned by hand concurrently.
    pub fn active_assignments(&self) -> usize {
        self.assigned_claims().len()
    }

    /// How many more claims may be assigned.
    pub fn free_capacity(&self) -> usize {
        (self.capacity as usize).saturating_sub(self.active_assignments())
    }

    /// The latest `resolved` event for the claim by `(at, id)`: the hours to confirm.
    pub fn resolution_of(&self, claim_id: &str) -> Option<&Event> {
        let resolved = self.events_of(EventKind::Resolved);
        latest(resolved.filter(|e| e.claim.as_deref() == Some(claim_id)))
    }

    /// Whether a `confirmed` event names the claim.
    pub fn is_confirmed(&self, claim_id: &str) -> bool {
        self.events_of(EventKind::Confirmed)
            .any(|e| e.claim.as_deref() == Some(claim_id))
    }

    /// Hours of the active claims: for each, the hours of its latest resolution.
    pub fn resolved_hours(&self) -> f64 {
        self.active_claims()
            .iter()
            .filter_map(|c| self.resolution_of(&c.id)?.hours)
            .sum()
    }
}
