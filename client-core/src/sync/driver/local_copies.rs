//! What the driver keeps and drops of its local copies: the server's refusals of local
//! changes, discarding a refused copy to fetch it again, and deleting contact documents
//! the server deleted or their wish no longer links.
//!
//! A contact (a resident's personal data) is deleted from local storage when the server
//! answers `doc-unavailable` for it, or when a change from the server leaves its wish
//! without that contact link (the server unlinks it when it deletes the contact).

use automerge::{Automerge, ReadDoc, ScalarValue, Value, ROOT};

use super::{ClientDriver, ClientEffect, ClientEvent, StoreOp};
use crate::model::{doc_type, DocType};
use crate::proto::{DocumentId, PeerId};
use crate::sync::refusal::Refusal;

/// Refusals kept per document; older ones are dropped first.
const REFUSALS_PER_DOC: usize = 8;

impl ClientDriver {
    /// Records a refusal of a document this client holds (from the REST endpoint or kept
    /// across a restart). Returns whether it was new.
    pub fn record_refusal(&mut self, refusal: Refusal) -> bool {
        if !self.docs.contains_key(&refusal.doc) {
            return false;
        }
        let kept = self.refusals.entry(refusal.doc).or_default();
        if kept.iter().any(|r| r.id == refusal.id) {
            return false;
        }
        kept.push(refusal);
        if kept.len() > REFUSALS_PER_DOC {
            kept.remove(0);
        }
        true
    }

    /// The newest refusal that still applies to the local copy of `id` (the copy holds a
    /// refused change). While one applies the driver sends nothing for the document, so
    /// it does not offer the server the same change again and again.
    pub fn refusal(&self, id: &DocumentId) -> Option<&Refusal> {
        let doc = self.docs.get(id)?.session.doc();
        self.refusals
            .get(id)?
            .iter()
            .rev()
            .find(|r| r.applies_to(doc))
    }

    /// Every refusal recorded, for the caller to keep across restarts.
    pub fn refusals(&self) -> impl Iterator<Item = &Refusal> {
        self.refusals.values().flatten()
    }

    /// Drops a document from memory and local storage. Returns whether it was held.
    pub fn forget_document(&mut self, id: DocumentId) -> bool {
        self.refusals.remove(&id);
        if self.docs.remove(&id).is_none() {
            return false;
        }
        if self.config.local_storage {
            let op = StoreOp::DeleteDocument(id);
            self.effects.push(ClientEffect::Store(op));
        }
        self.event(ClientEvent::DocForgotten(id));
        true
    }

    /// Undoes the local changes of a document: discards the local copy and asks the
    /// server for its copy again.
    pub fn refetch_document(&mut self, id: DocumentId) {
        self.forget_document(id);
        self.open_document(id);
    }

    /// An `ephemeral` message: a refusal from the server is recorded and reported; every
    /// other payload, and anything from another peer, is ignored.
    pub(super) fn on_ephemeral(&mut self, sender: &PeerId, id: DocumentId, data: &[u8]) {
        let from_server =
            matches!(&self.state, super::ConnectionState::Ready { server, .. } if server == sender);
        if !from_server {
            return;
        }
        match Refusal::from_ephemeral(id, data) {
            Ok(Some(refusal)) => self.on_refusal(refusal),
            Ok(None) => {}
            Err(e) => self.event(ClientEvent::Problem(format!("bad refusal for {id}: {e}"))),
        }
    }

    fn on_refusal(&mut self, refusal: Refusal) {
        if self.record_refusal(refusal.clone()) {
            self.event(ClientEvent::Refused(refusal));
        }
    }

    /// The server said it has no such document (or may not show it): a contact held
    /// locally is deleted.
    pub(super) fn on_doc_unavailable(&mut self, id: DocumentId) {
        self.event(ClientEvent::DocUnavailable(id));
        let is_contact = self.document(&id).and_then(doc_type) == Some(DocType::Contact);
        if is_contact && self.config.local_storage {
            self.forget_document(id);
        }
    }

    /// The contact a held wish links now, read before a sync message is applied.
    pub(super) fn linked_contact(&self, id: &DocumentId) -> Option<DocumentId> {
        if !self.config.local_storage {
            return None;
        }
        contact_link(self.document(id)?)
    }

    /// After a sync message changed a wish: the contact it linked before and no longer
    /// links is deleted.
    pub(super) fn drop_unlinked_contact(&mut self, wish: DocumentId, before: DocumentId) {
        let now = self.document(&wish).and_then(contact_link);
        let held_contact = self.document(&before).and_then(doc_type) == Some(DocType::Contact);
        if now != Some(before) && held_contact {
            self.forget_document(before);
        }
    }
}

/// The contact document a wish links, if `doc` is a wish whose `contact` is a valid id.
fn contact_link(doc: &Automerge) -> Option<DocumentId> {
    if doc_type(doc) != Some(DocType::Wish) {
        return None;
    }
    match doc.get(ROOT, "contact") {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(text) => text.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}
