//! Abuse limits: what one connection or device may make the engine hold or do.
//!
//! Each limit answers one way a stolen or buggy tablet could exhaust the server with
//! traffic that is valid at the protocol level: following unbounded documents (a
//! session each), inflating a small frame into GiBs, piling up changes whose
//! dependencies never arrive (automerge keeps them in memory), relaying large or
//! foreign ephemeral messages, and writing refusal records without end.

use std::collections::HashMap;

use automerge::sync;
use wish_client_core::proto::{DocumentId, WireMessage};

use super::connection::ConnId;
use super::loading::ready_in;
use super::Engine;
use crate::access::Access;

/// The limits, with defaults sized for a station tablet that follows a few thousand
/// wishes and uploads a station's worth of changes at once.
#[derive(Debug, Clone)]
pub struct EngineLimits {
    /// Documents one connection may have sync sessions on.
    pub max_documents_per_connection: usize,
    /// Bytes a sync message's changes may inflate to.
    pub max_inflated_bytes: u64,
    /// Bytes of changes waiting for missing dependencies, per document.
    pub max_waiting_change_bytes: u64,
    /// Bytes of an ephemeral message's payload.
    pub max_ephemeral_bytes: usize,
    /// Refused changes recorded per device per hour; past that its connections are
    /// closed when they send another and nothing more is stored.
    pub refusals_per_device_hour: u32,
}

impl Default for EngineLimits {
    fn default() -> Self {
        Self {
            max_documents_per_connection: 20_000,
            max_inflated_bytes: 64 * 1024 * 1024,
            max_waiting_change_bytes: 16 * 1024 * 1024,
            max_ephemeral_bytes: 64 * 1024,
            refusals_per_device_hour: 200,
        }
    }
}

const HOUR_MS: u64 = 3_600_000;

/// Refusals recorded per device in the current hour-long window.
#[derive(Debug, Default)]
pub(super) struct RefusalBudgets(HashMap<String, (u64, u32)>);

impl RefusalBudgets {
    /// Counts one refusal; false once the device has used up its window's budget.
    pub fn spend(&mut self, device: &str, now_ms: u64, per_hour: u32) -> bool {
        let entry = self.0.entry(device.to_owned()).or_insert((now_ms, 0));
        if now_ms.saturating_sub(entry.0) >= HOUR_MS {
            *entry = (now_ms, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= per_hour
    }

    /// Forgets windows that have ended (keeps memory bounded by active devices).
    pub fn forget_old(&mut self, now_ms: u64) {
        self.0
            .retain(|_, (start, _)| now_ms.saturating_sub(*start) < HOUR_MS);
    }
}

impl Engine {
    /// Refuses a sync message whose changes would inflate past the limit (before
    /// automerge inflates them). Returns false after closing the connection.
    pub(super) fn within_inflation_limit(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        message: &sync::Message,
    ) -> bool {
        let limit = self.config.limits.max_inflated_bytes;
        match super::inflation::inflated_size(message.changes.iter(), limit) {
            Ok(_) => true,
            Err(e) => {
                self.refuse(conn, &format!("sync message for {doc_id} refused: {e}"));
                false
            }
        }
    }

    /// Whether `conn` may start one more document session. Returns false after closing
    /// the connection.
    pub(super) fn within_document_limit(&mut self, conn: ConnId, doc_id: DocumentId) -> bool {
        let limit = self.config.limits.max_documents_per_connection;
        let over = self
            .conns
            .peer(conn)
            .is_some_and(|p| !p.docs.contains(&doc_id) && p.docs.len() >= limit);
        if over {
            let reason = format!("more than {limit} documents on one connection");
            self.refuse(conn, &reason);
        }
        !over
    }

    /// Keeps changes waiting for missing dependencies bounded per document: after a
    /// message that leaves some waiting, their bytes are counted; past the limit they
    /// are dropped with the rest of that message (nothing of it was reviewed or
    /// persisted), every session on the document starts over (so honest peers re-offer
    /// what they have), and the sender is disconnected.
    pub(super) fn bound_waiting_changes(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        before: &[automerge::ChangeHash],
        bytes: u64,
    ) {
        let limit = self.config.limits.max_waiting_change_bytes;
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        if !state.note_waiting_changes(bytes, limit) {
            return;
        }
        if !state.drop_waiting_changes(before) {
            self.discard(doc_id);
        }
        let reason = format!(
            "more than {limit} bytes of changes to {doc_id} wait for dependencies that never arrived"
        );
        self.refuse(conn, &reason);
    }

    /// Whether the device still has refusal records left this hour. When it has not,
    /// the writer's connection is closed and nothing is stored.
    pub(super) fn spend_refusal_budget(&mut self, conn: ConnId, device: &str) -> bool {
        let per_hour = self.config.limits.refusals_per_device_hour;
        if self.refusal_budgets.spend(device, self.now_ms, per_hour) {
            return true;
        }
        self.refuse(
            conn,
            "too many refused changes from this device; try again later",
        );
        false
    }

    /// Ephemeral messages are relayed only from a peer that syncs the document with at
    /// least read access, and only up to the size limit (a larger one closes the
    /// connection with a reason).
    pub(super) fn may_relay_ephemeral(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        message: &WireMessage,
    ) -> bool {
        let limit = self.config.limits.max_ephemeral_bytes;
        if let WireMessage::Ephemeral { data, .. } = message {
            if data.len() > limit {
                self.refuse(conn, &format!("ephemeral message over {limit} bytes"));
                return false;
            }
        }
        let syncing = self
            .conns
            .peer(conn)
            .is_some_and(|p| p.docs.contains(&doc_id));
        if !syncing {
            return false;
        }
        match self.meta_of(doc_id) {
            super::access_check::MetaLookup::Known(meta) => {
                self.access_for(conn, &meta) != Access::Deny
            }
            super::access_check::MetaLookup::NeedsWish(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_spends_its_hourly_refusal_budget_then_starts_again() {
        let mut budgets = RefusalBudgets::default();
        assert!(budgets.spend("d1", 0, 2));
        assert!(budgets.spend("d1", 10, 2));
        assert!(!budgets.spend("d1", 20, 2));
        assert!(budgets.spend("d2", 20, 2), "budgets are per device");
        assert!(
            budgets.spend("d1", HOUR_MS + 1, 2),
            "a new hour, a new budget"
        );
        budgets.forget_old(3 * HOUR_MS);
        assert!(budgets.0.is_empty());
    }
}
