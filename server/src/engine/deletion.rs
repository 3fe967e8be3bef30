//! Deleting a resident's contact document for real.
//!
//! Every stored key of the document is removed and a tombstone written in one commit;
//! from then on the document is unavailable to everyone and uploads of it are refused.
//! Peers holding it get `doc-unavailable`, and the server unlinks it from its wish
//! (`contact: null`), which tells every tablet holding the wish to drop its copy.

use automerge::transaction::Transactable;
use wish_client_core::proto::DocumentId;

use super::document::{tombstone_key, DocState};
use super::loading::{Deferred, DocSlot};
use super::Engine;
use crate::storage::WriteBatch;

impl Engine {
    pub(super) fn on_delete(&mut self, doc_id: DocumentId, by: String) {
        let Some(state) = self.ready_or_defer(doc_id, Deferred::Delete { by: by.clone() }) else {
            return;
        };
        let wish = state.meta.wish.clone();
        let holders: Vec<_> = state
            .sessions
            .iter()
            .map(|(p, s)| (p.clone(), s.conn))
            .collect();
        let mut batch = WriteBatch::default();
        batch.delete_prefix(vec![doc_id.to_string()]);
        batch.put(tombstone_key(&doc_id), self.now_ms.to_string().into_bytes());
        self.persist(batch);
        let mut tombstoned = DocState::from_entries(doc_id, Vec::new(), self.now_ms);
        tombstoned.meta.deleted = true;
        self.docs
            .insert(doc_id, DocSlot::Ready(Box::new(tombstoned)));
        for (peer, conn) in holders {
            self.revoke_session(conn, doc_id, &peer);
        }
        self.audit("contact-deleted", &by, &doc_id.to_string());
        if let Some(wish_id) = wish.and_then(|w| w.parse::<DocumentId>().ok()) {
            self.unlink_contact(wish_id);
        }
    }

    /// Sets `contact: null` on a wish with the server's actor, then syncs it out.
    pub(super) fn unlink_contact(&mut self, wish_id: DocumentId) {
        let compact_after = self.config.compact_after_chunks;
        let server_actor = self.server_actor.clone();
        let Some(state) = self.ready_or_defer(wish_id, Deferred::UnlinkContact) else {
            return;
        };
        if state.is_empty() {
            return;
        }
        let before = state.doc.get_heads();
        // Written with the server's actor: devices cannot forge it (authorship.rs).
        state.doc.set_actor(server_actor);
        let mut tx = state.doc.transaction();
        let _ = tx.put(automerge::ROOT, "contact", automerge::ScalarValue::Null);
        tx.commit();
        let mut batch = WriteBatch::default();
        state.persist_changes(&before, compact_after, &mut batch);
        state.refresh_meta();
        self.persist(batch);
        self.effects.push(super::Effect::DocChanged(wish_id));
        self.fan_out_all(wish_id);
    }
}
