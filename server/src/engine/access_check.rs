//! Evaluating the access policy inside the engine: on every request, after every change,
//! before every fan-out, and when a device's role changes.

use wish_client_core::model::DocType;
use wish_client_core::proto::{DocumentId, PeerId, WireMessage};

use super::connection::ConnId;
use super::loading::ready_in;
use super::Engine;
use crate::access::{access, may_create, Access, DocMeta, Principal};

/// The outcome of looking up a document's access facts.
pub(super) enum MetaLookup {
    Known(DocMeta),
    /// A contact's access depends on its wish, which must be loaded first.
    NeedsWish(DocumentId),
}

impl Engine {
    /// The access facts of a ready document; contacts get their wish's community and
    /// assigned people.
    pub(super) fn meta_of(&mut self, doc_id: DocumentId) -> MetaLookup {
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return MetaLookup::Known(DocMeta::default());
        };
        let mut meta = state.meta.clone();
        if meta.doc_type != Some(DocType::Contact) {
            return MetaLookup::Known(meta);
        }
        let Some(wish_id) = meta
            .wish
            .as_deref()
            .and_then(|w| w.parse::<DocumentId>().ok())
        else {
            return MetaLookup::Known(meta);
        };
        match self.docs.get(&wish_id) {
            Some(super::loading::DocSlot::Ready(wish)) => {
                meta.community = wish.meta.community.clone();
                meta.assigned_people = wish.meta.assigned_people.clone();
                MetaLookup::Known(meta)
            }
            _ => MetaLookup::NeedsWish(wish_id),
        }
    }

    /// Access of the peer on `conn` to a ready document.
    pub(super) fn access_for(&self, conn: ConnId, meta: &DocMeta) -> Access {
        self.conns
            .peer(conn)
            .map(|p| access(&p.principal, meta))
            .unwrap_or(Access::Deny)
    }

    /// Whether the change just applied (contents now described by `meta`) is allowed.
    pub(super) fn change_allowed(&self, conn: ConnId, meta: &DocMeta, was_empty: bool) -> bool {
        let Some(peer) = self.conns.peer(conn) else {
            return false;
        };
        if was_empty {
            may_create(&peer.principal, meta)
        } else {
            access(&peer.principal, meta) == Access::Write
        }
    }

    /// Answers "no such document" without saying whether it exists.
    pub(super) fn unavailable(&mut self, conn: ConnId, doc_id: DocumentId) {
        let Some(peer) = self.conns.peer(conn) else {
            return;
        };
        let message = WireMessage::DocUnavailable {
            sender_id: self.server_peer.clone(),
            target_id: peer.id.clone(),
            document_id: doc_id,
        };
        self.send(conn, message);
    }

    /// Ends a peer's session on a document it may no longer see, and tells it.
    pub(super) fn revoke_session(&mut self, conn: ConnId, doc_id: DocumentId, peer_id: &PeerId) {
        if let Some(state) = ready_in(&mut self.docs, &doc_id) {
            state.sessions.remove(peer_id);
        }
        if let Some(peer) = self.conns.peer_mut(conn) {
            peer.docs.remove(&doc_id);
        }
        self.unavailable(conn, doc_id);
    }

    /// Applies a role change or revocation to a device's live connections.
    pub(super) fn on_principal_changed(&mut self, device_id: &str, principal: Option<Principal>) {
        for conn in self.conns.of_device(device_id) {
            match &principal {
                None => {
                    self.audit("revoked-connection-closed", device_id, "");
                    self.refuse(conn, "device revoked");
                }
                Some(principal) => self.reapply_access(conn, principal.clone()),
            }
        }
    }

    fn reapply_access(&mut self, conn: ConnId, principal: Principal) {
        let Some(peer) = self.conns.peer_mut(conn) else {
            return;
        };
        peer.principal = principal;
        let (peer_id, docs): (PeerId, Vec<DocumentId>) =
            (peer.id.clone(), peer.docs.iter().copied().collect());
        for doc_id in docs {
            let MetaLookup::Known(meta) = self.meta_of(doc_id) else {
                continue;
            };
            match self.access_for(conn, &meta) {
                Access::Deny => {
                    self.counters.refuse(super::Refusal::Unavailable);
                    self.revoke_session(conn, doc_id, &peer_id)
                }
                level => {
                    if let Some(session) =
                        ready_in(&mut self.docs, &doc_id).and_then(|s| s.sessions.get_mut(&peer_id))
                    {
                        session.state.set_read_only(level == Access::ReadOnly);
                    }
                }
            }
        }
    }
}
