//! Loading documents on demand and unloading them when idle.

use wish_client_core::proto::{DocumentId, WireMessage};

use super::connection::ConnId;
use super::document::DocState;
use super::{Effect, Engine};
use crate::storage::{Key, WriteBatch};

/// Work waiting for a document to load.
pub(super) enum Deferred {
    /// A peer's message about this document, or about a document whose access depends
    /// on this one (a contact waits for its wish).
    Message(ConnId, WireMessage),
    /// Delete a contact document (this one, or the contact waiting for this wish).
    Delete(super::DeleteRequest),
    /// Unlink a deleted contact document from this wish.
    UnlinkContact,
    /// A server write that needs this document (and perhaps others) loaded.
    ServerWrite(Box<super::ServerWrite>),
    /// An edit the domain hook asked for after a change to another document.
    FollowUp(super::FollowUp),
    /// Catch this wish up and arbitrate it (the arbiter, for a queued wish).
    CatchUpArbitration,
}

/// A document is either being loaded (work for it waits) or ready.
pub(super) enum DocSlot {
    Loading(Vec<Deferred>),
    Ready(Box<DocState>),
}

/// The ready document in `docs`; borrows only the map, so the engine's other fields stay
/// usable.
pub(super) fn ready_in<'a>(
    docs: &'a mut std::collections::HashMap<DocumentId, DocSlot>,
    doc: &DocumentId,
) -> Option<&'a mut DocState> {
    match docs.get_mut(doc) {
        Some(DocSlot::Ready(state)) => Some(state),
        _ => None,
    }
}

impl Engine {
    /// The ready document, or `None` after queueing `message` and asking for a load.
    pub(super) fn ready_or_queue(
        &mut self,
        doc: DocumentId,
        conn: ConnId,
        message: WireMessage,
    ) -> Option<&mut DocState> {
        self.ready_or_defer(doc, Deferred::Message(conn, message))
    }

    /// The ready document, or `None` after deferring `work` until it has loaded.
    pub(super) fn ready_or_defer(
        &mut self,
        doc: DocumentId,
        work: Deferred,
    ) -> Option<&mut DocState> {
        let slot = self.docs.entry(doc).or_insert_with(|| {
            self.effects.push(Effect::Load(doc));
            DocSlot::Loading(Vec::new())
        });
        match slot {
            DocSlot::Ready(state) => Some(state),
            DocSlot::Loading(queue) => {
                queue.push(work);
                None
            }
        }
    }

    /// Asks for `doc` to be loaded unless it is loaded or loading (nothing waits on it).
    pub(super) fn start_loading(&mut self, doc: DocumentId) {
        self.docs.entry(doc).or_insert_with(|| {
            self.effects.push(Effect::Load(doc));
            DocSlot::Loading(Vec::new())
        });
    }

    pub(super) fn ready_mut(&mut self, doc: &DocumentId) -> Option<&mut DocState> {
        ready_in(&mut self.docs, doc)
    }

    pub(super) fn on_loaded(&mut self, doc: DocumentId, entries: Vec<(Key, Vec<u8>)>) {
        let state = DocState::from_entries(doc, entries, self.now_ms);
        self.counters.documents_loaded += 1;
        let previous = self.docs.insert(doc, DocSlot::Ready(Box::new(state)));
        let Some(DocSlot::Loading(queue)) = previous else {
            return;
        };
        for work in queue {
            self.resume(doc, work);
        }
    }

    pub(super) fn on_load_failed(&mut self, doc: DocumentId) {
        if let Some(DocSlot::Loading(queue)) = self.docs.remove(&doc) {
            for work in queue {
                match work {
                    Deferred::Message(conn, _) => {
                        self.refuse(conn, "storage is unavailable; try again later")
                    }
                    Deferred::ServerWrite(write) => self.effects.push(Effect::WriteAnswered {
                        request: write.request,
                        outcome: Err(super::WriteError::Storage),
                    }),
                    Deferred::FollowUp(follow_up) => {
                        tracing::error!(doc = %doc, what = %follow_up.what, "storage unavailable; server follow-up dropped")
                    }
                    _ => {}
                }
            }
        }
    }

    pub(super) fn on_commit_failed(&mut self, docs: Vec<DocumentId>) {
        for doc in docs {
            let conns: Vec<ConnId> = match self.docs.get(&doc) {
                Some(DocSlot::Ready(state)) => state.sessions.values().map(|s| s.conn).collect(),
                _ => Vec::new(),
            };
            self.discard(doc);
            for conn in conns {
                self.refuse(conn, "storage is unavailable; reconnect to resync");
            }
        }
    }

    fn resume(&mut self, doc: DocumentId, work: Deferred) {
        match work {
            // The peer may have left while the document was loading.
            Deferred::Message(conn, message) if self.conns.peer(conn).is_some() => {
                self.on_message(conn, message)
            }
            Deferred::Message(..) => {}
            Deferred::Delete(request) => self.on_delete(request),
            Deferred::UnlinkContact => self.unlink_contact(doc),
            Deferred::ServerWrite(write) => self.on_server_write(*write),
            Deferred::FollowUp(follow_up) => self.follow_up(follow_up),
            Deferred::CatchUpArbitration => self.request_catch_up(doc),
        }
    }

    /// Drops a document from memory and ends every session on it, without persisting
    /// its in-memory state (used when automerge panicked and the state is suspect).
    pub(super) fn discard(&mut self, doc: DocumentId) {
        if let Some(DocSlot::Ready(state)) = self.docs.remove(&doc) {
            self.counters.documents_unloaded += 1;
            for session in state.sessions.values() {
                if let Some(peer) = self.conns.peer_mut(session.conn) {
                    peer.docs.remove(&doc);
                }
            }
        }
    }

    pub(super) fn unload_idle_documents(&mut self) {
        let now = self.now_ms;
        self.refusal_budgets.forget_old(now);
        let idle = self.config.idle_unload_ms;
        let before = self.docs.len();
        self.docs.retain(|_, slot| match slot {
            DocSlot::Loading(_) => true,
            DocSlot::Ready(state) => {
                !state.sessions.is_empty() || now.saturating_sub(state.last_active_ms) < idle
            }
        });
        self.counters.documents_unloaded += (before - self.docs.len()) as u64;
    }

    pub(super) fn persist_all_sync_states(&mut self) {
        let mut batch = WriteBatch::default();
        for slot in self.docs.values() {
            if let DocSlot::Ready(state) = slot {
                state.persist_sessions(&mut batch);
            }
        }
        self.persist(batch);
    }

    pub(super) fn persist(&mut self, batch: WriteBatch) {
        if !batch.is_empty() {
            self.effects.push(Effect::Persist(batch));
        }
    }
}
