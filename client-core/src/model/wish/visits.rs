//! Who visits the resident after the work (回访), and the wish's public story (微故事).

use super::view::WishView;
use super::Event;
use crate::model::order::latest;
use crate::model::{CloseReason, EventKind};

impl WishView {
    /// Whether `person` is a visiting volunteer of this wish: its collector, or the
    /// claimant (or the writer) of one of its active claims — a released claim no
    /// longer counts. They record the resident's rating on the resident's behalf (代评)
    /// and the 回访 records.
    pub fn is_visitor(&self, person: &str) -> bool {
        !person.is_empty()
            && (self.created_by == person
                || self
                    .active_claims()
                    .iter()
                    .any(|c| c.claimant == person || c.by == person))
    }

    /// Whether the wish was closed as fulfilled (已圆梦): only those become stories.
    pub fn is_fulfilled(&self) -> bool {
        self.events_of(EventKind::Closed)
            .any(|e| e.reason.as_deref() == Some(CloseReason::Fulfilled.as_str()))
    }

    /// The wish's public story (微故事): the latest `story` event by `(at, id)`.
    pub fn story(&self) -> Option<&Event> {
        latest(self.events_of(EventKind::Story))
    }

    /// The 回访 records, oldest first.
    pub fn visits(&self) -> Vec<&Event> {
        self.events_of(EventKind::Visited).collect()
    }
}
