//! Sync traffic on one document: apply, persist, reply, fan out, gossip heads.

use std::collections::BTreeMap;

use automerge::sync;
use wish_client_core::proto::{encode_heads, DocumentId, HeadsAtStorage, PeerId, WireMessage};

use super::access_check::MetaLookup;
use super::connection::ConnId;
use super::counters::Refusal;
use super::document::ApplyError;
use super::hook::HookContext;
use super::loading::ready_in;
use super::review::Applied;
use super::{Effect, Engine};
use crate::access::{Access, DocMeta};
use crate::storage::WriteBatch;

impl Engine {
    /// Handles `sync` and `request`: both carry one Automerge sync message.
    pub(super) fn on_sync(&mut self, conn: ConnId, original: WireMessage) {
        let (doc_id, is_request, decoded) = match &original {
            WireMessage::Sync {
                document_id, data, ..
            } => (*document_id, false, sync::Message::decode(data)),
            WireMessage::Request {
                document_id, data, ..
            } => (*document_id, true, sync::Message::decode(data)),
            _ => return,
        };
        let message = match decoded {
            Ok(message) => message,
            Err(e) => return self.refuse(conn, &format!("invalid sync message for {doc_id}: {e}")),
        };
        if !self.within_inflation_limit(conn, doc_id, &message) {
            return;
        }
        if ready_in(&mut self.docs, &doc_id).is_none() {
            self.ready_or_queue(doc_id, conn, original);
            return;
        }
        let meta = match self.meta_of(doc_id) {
            MetaLookup::Known(meta) => meta,
            MetaLookup::NeedsWish(wish) => {
                self.ready_or_queue(wish, conn, original);
                return;
            }
        };
        let Some(read_only) = self.admit(conn, doc_id, &meta, is_request, &message) else {
            return;
        };
        if !self.within_document_limit(conn, doc_id) {
            return;
        }
        let Some(peer_id) = self.start_session(conn, doc_id, read_only) else {
            return;
        };
        if read_only {
            // Automerge drops a read-only peer's changes; the writer is told, not left
            // waiting for a "saved" that never comes.
            self.refuse_read_only_changes(conn, doc_id, &peer_id, &message);
        }
        self.apply_and_answer(conn, doc_id, &peer_id, message, is_request);
    }

    /// Decides whether the peer may sync this document at all: `None` after answering
    /// `doc-unavailable`, else whether its session is read-only. An empty document may be
    /// created by anyone; its contents are checked once they arrive.
    fn admit(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        meta: &DocMeta,
        is_request: bool,
        message: &sync::Message,
    ) -> Option<bool> {
        let empty = ready_in(&mut self.docs, &doc_id).is_none_or(|s| s.is_empty());
        let level = self.access_for(conn, meta);
        if meta.deleted || (!empty && level == Access::Deny) {
            let device = self
                .conns
                .peer(conn)
                .map(|p| p.principal.device_id.clone())
                .unwrap_or_default();
            if meta.deleted && !is_request {
                self.audit("refused-upload-of-deleted", &device, &doc_id.to_string());
            }
            let peer_id = self.conns.peer(conn).map(|p| p.id.clone())?;
            self.counters.refuse(Refusal::Unavailable);
            if !is_request && !meta.deleted {
                self.answer_as_if_absent(conn, doc_id, &peer_id, message.clone());
                return None;
            }
            self.revoke_session(conn, doc_id, &peer_id);
            return None;
        }
        Some(!empty && level == Access::ReadOnly)
    }

    /// Answers a denied peer's `sync` exactly as if the document did not exist: the reply
    /// of an empty document, and `doc-unavailable` once it offers changes (as a refused
    /// creation would). Nothing it sends is kept, and it learns nothing about the document.
    fn answer_as_if_absent(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        peer_id: &PeerId,
        message: sync::Message,
    ) {
        let mut decoy = automerge::Automerge::new();
        let mut state = automerge::sync::State::new();
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            automerge::sync::SyncDoc::receive_sync_message(&mut decoy, &mut state, message).is_ok()
        }));
        if !matches!(applied, Ok(true)) || !decoy.get_heads().is_empty() {
            return self.revoke_session(conn, doc_id, peer_id);
        }
        if let Some(reply) = automerge::sync::SyncDoc::generate_sync_message(&decoy, &mut state) {
            let server = self.server_peer.clone();
            self.send(
                conn,
                sync_message(server, peer_id.clone(), doc_id, reply.encode()),
            );
        }
    }

    /// Ensures `conn`'s peer has a session on the (ready) document. Returns the peer id.
    fn start_session(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        read_only: bool,
    ) -> Option<PeerId> {
        let peer = self.conns.peer_mut(conn)?;
        peer.docs.insert(doc_id);
        let peer = self.conns.peer(conn)?;
        let state = ready_in(&mut self.docs, &doc_id)?;
        state.ensure_session(conn, peer, read_only);
        state.last_active_ms = self.now_ms;
        Some(peer.id.clone())
    }

    fn apply_and_answer(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        peer_id: &PeerId,
        message: sync::Message,
        is_request: bool,
    ) {
        let compact_after = self.config.compact_after_chunks;
        let admin = self
            .conns
            .peer(conn)
            .is_some_and(|p| p.principal.role == crate::access::Role::Administrator);
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        let before = state.doc.get_heads();
        let change_bytes: u64 = message.changes.iter().map(|c| c.len() as u64).sum();
        let patches = match state.apply_logged(peer_id, message, !admin) {
            Ok(patches) => patches,
            Err(ApplyError::Rejected(reason)) => return self.refuse(conn, &reason),
            Err(ApplyError::Panicked) => {
                tracing::error!(doc = %doc_id, conn = conn.0, "automerge panicked; document unloaded");
                self.discard(doc_id);
                return self.refuse(conn, "sync message could not be applied");
            }
        };
        let changed = state.doc.get_heads() != before;
        tracing::debug!(doc = %doc_id, peer = %peer_id, changed, "applied sync message");
        if change_bytes > 0 {
            self.bound_waiting_changes(conn, doc_id, &before, change_bytes);
            if self.conns.peer(conn).is_none() {
                return;
            }
        }
        let mut wish = None;
        let mut follow_ups = Vec::new();
        if changed {
            let applied = Applied {
                conn,
                doc_id,
                peer_id,
                before: &before,
                patches: &patches,
            };
            match self.review_change(applied) {
                Some(read) => wish = read,
                // The writer's sync state starts over: answer it from the restored
                // document so it learns the server's heads.
                None => return self.reply(conn, doc_id, peer_id, is_request),
            }
        }
        if changed {
            let Some(state) = ready_in(&mut self.docs, &doc_id) else {
                return;
            };
            let mut batch = WriteBatch::default();
            let hook_from = state.doc.get_heads();
            if let Some(hook) = self.hook.as_mut() {
                let ctx = HookContext {
                    doc_id,
                    doc: &mut state.doc,
                    aux: &mut state.aux,
                    writes: &mut batch,
                    now_ms: self.now_ms,
                    wish,
                    follow_ups: &mut follow_ups,
                };
                hook.after_change(ctx);
            }
            let decisions = changes_since(&state.doc, &hook_from);
            self.counters.arbitration_decisions += decisions;
            state.persist_changes(&before, compact_after, &mut batch);
            if decisions > 0 {
                // The review read the access facts after the peer's change; only the
                // hook's own changes make them stale.
                state.refresh_meta();
            }
            self.persist(batch);
            self.effects.push(Effect::DocChanged(doc_id));
        }
        self.reply(conn, doc_id, peer_id, is_request);
        if changed {
            self.mark_for_fan_out(doc_id, Some(peer_id));
        } else {
            self.announce_heads_to(conn, doc_id);
        }
        self.run_follow_ups(follow_ups);
    }

    /// Answers the sender: a sync message, or `doc-unavailable` when neither side has data.
    fn reply(&mut self, conn: ConnId, doc_id: DocumentId, peer_id: &PeerId, is_request: bool) {
        let server = self.server_peer.clone();
        let Some(state) = self.ready_mut(&doc_id) else {
            return;
        };
        if is_request && state.is_empty() {
            let message = WireMessage::DocUnavailable {
                sender_id: server,
                target_id: peer_id.clone(),
                document_id: doc_id,
            };
            return self.send(conn, message);
        }
        if let Some(data) = state.generate(peer_id) {
            self.send(conn, sync_message(server, peer_id.clone(), doc_id, data));
        }
    }

    /// Sends `remote-heads-changed` with the server's heads of the document to one peer,
    /// if it subscribed to the server's storage id. This is the "saved on server" signal:
    /// it is emitted after the persist of those heads.
    pub(super) fn announce_heads_to(&mut self, conn: ConnId, doc_id: DocumentId) {
        let Some(peer) = self.conns.peer(conn) else {
            return;
        };
        if !peer.wants_server_heads {
            tracing::debug!(doc = %doc_id, "not subscribed: no heads announced");
            return;
        }
        let target_id = peer.id.clone();
        let Some(state) = self.ready_mut(&doc_id) else {
            return;
        };
        let heads = state.doc.get_heads();
        if heads.is_empty() {
            return;
        }
        // Each head set is announced once per session: acknowledgements that change
        // nothing must not repeat it.
        if let Some(session) = state.sessions.get_mut(&target_id) {
            if session.heads_announced == heads {
                return;
            }
            session.heads_announced.clone_from(&heads);
        }
        tracing::debug!(doc = %doc_id, peer = %target_id, "announcing heads");
        let entry = HeadsAtStorage {
            heads: encode_heads(&heads),
            timestamp: self.now_ms,
        };
        let new_heads = BTreeMap::from([(self.storage_id.clone(), entry)]);
        let message = WireMessage::RemoteHeadsChanged {
            sender_id: self.server_peer.clone(),
            target_id,
            document_id: doc_id,
            new_heads,
        };
        self.send(conn, message);
    }

    /// Relays an ephemeral message to the document's other peers, unchanged except
    /// `targetId`.
    pub(super) fn on_ephemeral(&mut self, conn: ConnId, message: WireMessage) {
        let Some(doc_id) = message.document_id() else {
            return;
        };
        if !self.may_relay_ephemeral(conn, doc_id, &message) {
            return;
        }
        let sender = message.sender_id().cloned();
        let targets: Vec<(PeerId, ConnId)> = match self.ready_mut(&doc_id) {
            Some(state) => state
                .sessions
                .iter()
                .map(|(p, s)| (p.clone(), s.conn))
                .collect(),
            None => return,
        };
        for (peer, target_conn) in targets {
            if Some(&peer) == sender.as_ref() || target_conn == conn {
                continue;
            }
            let mut relayed = message.clone();
            if let WireMessage::Ephemeral { target_id, .. } = &mut relayed {
                *target_id = peer;
            }
            self.send(target_conn, relayed);
        }
    }
}

pub(super) fn sync_message(
    sender_id: PeerId,
    target_id: PeerId,
    document_id: DocumentId,
    data: Vec<u8>,
) -> WireMessage {
    WireMessage::Sync {
        sender_id,
        target_id,
        document_id,
        data,
    }
}

/// Changes made since `heads` (by the domain hook: each is one arbitration decision).
fn changes_since(doc: &automerge::Automerge, heads: &[automerge::ChangeHash]) -> u64 {
    if doc.get_heads() == heads {
        return 0;
    }
    doc.get_changes(heads).len() as u64
}
