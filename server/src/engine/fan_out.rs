//! Fan-out: offering a document's new state to its other peers, once per batch.
//!
//! A change marks its document; the offers go out when the batch ends
//! ([`super::Input::EndOfBatch`] from a runtime that batches, else at the end of each
//! input). However many changes a document took in the batch, each peer gets at most one
//! sync round for it, and a peer whose sync message carries the new heads is not also sent
//! `remote-heads-changed` (the message's heads are the "saved on server" signal).

use std::collections::HashMap;

use wish_client_core::proto::{DocumentId, PeerId};

use super::access_check::MetaLookup;
use super::connection::ConnId;
use super::counters::Refusal;
use super::loading::ready_in;
use super::session::sync_message;
use super::Engine;
use crate::access::Access;

/// Documents changed in the current batch, in the order of their first change.
#[derive(Default)]
pub(super) struct FanOut {
    order: Vec<DocumentId>,
    /// Per changed document, the only peer that changed it in this batch (it was answered
    /// already), or `None` once anyone else (another peer, the server) changed it.
    writer: HashMap<DocumentId, Option<PeerId>>,
}

impl FanOut {
    fn mark(&mut self, doc: DocumentId, writer: Option<&PeerId>) {
        match self.writer.get_mut(&doc) {
            Some(only) if only.as_ref() != writer => *only = None,
            Some(_) => {}
            None => {
                self.order.push(doc);
                self.writer.insert(doc, writer.cloned());
            }
        }
    }

    fn take(&mut self) -> Vec<(DocumentId, Option<PeerId>)> {
        let mut writer = std::mem::take(&mut self.writer);
        std::mem::take(&mut self.order)
            .into_iter()
            .map(|doc| {
                let only = writer.remove(&doc).flatten();
                (doc, only)
            })
            .collect()
    }
}

impl Engine {
    /// Records that `doc_id` changed (by `writer`, or by the server when `None`).
    pub(super) fn mark_for_fan_out(&mut self, doc_id: DocumentId, writer: Option<&PeerId>) {
        self.fan_out.mark(doc_id, writer);
    }

    /// Fan-out of a change the server made itself.
    pub(super) fn fan_out_all(&mut self, doc_id: DocumentId) {
        self.mark_for_fan_out(doc_id, None);
    }

    /// Offers every document changed since the last flush to its peers.
    pub(super) fn flush_fan_out(&mut self) {
        for (doc_id, writer) in self.fan_out.take() {
            self.fan_out_doc(doc_id, writer.as_ref());
        }
    }

    /// One sync round for each peer of the document (the sole writer was answered
    /// already), re-checking each one's access first; then the heads to any subscribed
    /// peer that no sync message told.
    fn fan_out_doc(&mut self, doc_id: DocumentId, writer: Option<&PeerId>) {
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        let peers: Vec<(PeerId, ConnId)> = state
            .sessions
            .iter()
            .map(|(peer, s)| (peer.clone(), s.conn))
            .collect();
        let MetaLookup::Known(meta) = self.meta_of(doc_id) else {
            return;
        };
        for (peer, conn) in peers {
            if Some(&peer) == writer {
                self.announce_heads_to(conn, doc_id);
            } else if self.access_for(conn, &meta) == Access::Deny {
                self.counters.refuse(Refusal::Unavailable);
                self.revoke_session(conn, doc_id, &peer);
            } else {
                self.offer(conn, doc_id, &peer);
                self.announce_heads_to(conn, doc_id);
            }
        }
    }

    fn offer(&mut self, conn: ConnId, doc_id: DocumentId, peer: &PeerId) {
        let server = self.server_peer.clone();
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        if let Some(data) = state.generate(peer) {
            self.send(conn, sync_message(server, peer.clone(), doc_id, data));
        }
    }
}
