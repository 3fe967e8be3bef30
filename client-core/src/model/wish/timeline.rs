//! A wish's timeline: every step (events, claims, assignments) in `(at, id)` order, each
//! naming who did it and, for steps about a claim, whose claim it is.

use serde::Serialize;

use super::view::WishView;
use super::{Claim, Event};
use crate::model::{ClaimKind, Module};

/// One step of the timeline. `kind` is an event kind, or `claimed` / `assigned` for an
/// entry of `claims` / `assigned`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineStep {
    pub id: String,
    pub kind: String,
    pub at: u64,
    /// The person who did it (`server` for the server's arbitration).
    pub by: String,
    /// For steps about a claim: its claimant (a person, or a unit for unit claims).
    pub claimant: Option<String>,
    pub claim_kind: Option<ClaimKind>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub module: Option<Module>,
    pub hours: Option<f64>,
    pub score: Option<u8>,
    pub comment: Option<String>,
    /// Recorded on the resident's behalf (代评, 代填).
    pub on_behalf: bool,
}

impl WishView {
    /// Every step of the wish, oldest first (ties by id).
    pub fn timeline(&self) -> Vec<TimelineStep> {
        let mut steps: Vec<TimelineStep> = self.events.iter().map(|e| self.event_step(e)).collect();
        steps.extend(self.claims.iter().map(claim_step));
        steps.extend(self.assigned.iter().map(|(claim, a)| TimelineStep {
            by: a.by.clone(),
            ..self.about_claim(format!("assigned-{claim}"), "assigned", a.at, claim)
        }));
        steps.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        steps
    }

    fn event_step(&self, e: &Event) -> TimelineStep {
        let claim = e.claim.as_deref().and_then(|c| self.claim(c));
        TimelineStep {
            id: e.id.clone(),
            kind: e.kind.as_str().to_owned(),
            at: e.at,
            by: e.by.clone(),
            claimant: claim.map(|c| c.claimant.clone()),
            claim_kind: claim.map(|c| c.kind),
            note: e.note.clone(),
            reason: e.reason.clone(),
            module: e.module,
            hours: e.hours,
            score: e.score,
            comment: e.comment.clone(),
            on_behalf: e.on_behalf,
        }
    }

    fn about_claim(&self, id: String, kind: &str, at: u64, claim: &str) -> TimelineStep {
        let found = self.claim(claim);
        TimelineStep {
            claimant: found.map(|c| c.claimant.clone()),
            claim_kind: found.map(|c| c.kind),
            ..blank(id, kind, at)
        }
    }
}

fn claim_step(c: &Claim) -> TimelineStep {
    TimelineStep {
        by: c.by.clone(),
        claimant: Some(c.claimant.clone()),
        claim_kind: Some(c.kind),
        note: c.note.clone(),
        ..blank(format!("claim-{}", c.id), "claimed", c.at)
    }
}

fn blank(id: String, kind: &str, at: u64) -> TimelineStep {
    TimelineStep {
        id,
        kind: kind.to_owned(),
        at,
        by: String::new(),
        claimant: None,
        claim_kind: None,
        note: None,
        reason: None,
        module: None,
        hours: None,
        score: None,
        comment: None,
        on_behalf: false,
    }
}
