//! Deleting a resident's contact document for real.
//!
//! Only a `contact` document is deleted, and only by a caller with contact scope over it
//! (`scope::may_delete_contact`: the office of its community, a coordinator of its station
//! in that community, the administrator); anything else is refused, audited and answered.
//! Every stored key of the document is removed and a tombstone written in one commit;
//! from then on the document is unavailable to everyone and uploads of it are refused.
//! Peers holding it get `doc-unavailable`, and the server unlinks it from its wish
//! (`contact: null`), which tells every tablet holding the wish to drop its copy.

use automerge::transaction::Transactable;
use wish_client_core::proto::DocumentId;

use super::access_check::MetaLookup;
use super::document::{tombstone_key, DocState};
use super::loading::{ready_in, Deferred, DocSlot};
use super::{DeleteRequest, Effect, Engine};
use crate::scope;
use crate::storage::WriteBatch;

impl Engine {
    /// Deletes the contact of `request` if the caller has contact scope over it; loads
    /// the contact, then its wish (which gives the contact its community), first.
    pub(super) fn on_delete(&mut self, request: DeleteRequest) {
        let doc_id = request.doc;
        if self
            .ready_or_defer(doc_id, Deferred::Delete(request.clone()))
            .is_none()
        {
            return;
        }
        let meta = match self.meta_of(doc_id) {
            MetaLookup::Known(meta) => meta,
            MetaLookup::NeedsWish(wish) => {
                // The wish is not ready, so this only defers (and loads it).
                let _ = self.ready_or_defer(wish, Deferred::Delete(request));
                return;
            }
        };
        let outcome = if meta.deleted {
            Ok(())
        } else {
            scope::may_delete_contact(&request.by, &meta)
        };
        match &outcome {
            Ok(()) if !meta.deleted => self.delete_contact(doc_id, &request.by.device_id),
            Ok(()) => {}
            Err(error) => self.audit(
                "contact-delete-refused",
                &request.by.device_id,
                &format!("{doc_id}: {error}"),
            ),
        }
        self.effects.push(Effect::DeleteAnswered {
            request: request.request,
            outcome,
        });
    }

    fn delete_contact(&mut self, doc_id: DocumentId, by: &str) {
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
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
        self.audit("contact-deleted", by, &doc_id.to_string());
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
        self.effects.push(Effect::DocChanged(wish_id));
        self.fan_out_all(wish_id);
    }
}
