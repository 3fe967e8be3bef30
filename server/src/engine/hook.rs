//! The extension point for server-side domain logic (arbitration, summaries, repairs).
//!
//! After the engine has applied a peer's changes to a document, and before it persists
//! them, it calls [`DocHook::after_change`]. The hook may make changes of its own to the
//! document (written with the server's actor) and add writes (summaries, bookkeeping).
//! Everything lands in the same durable commit as the peer's changes, and only then does
//! anything reach a peer, so a client never sees a decision a crash could undo.

use std::collections::BTreeMap;

use automerge::Automerge;
use wish_client_core::model::WishView;
use wish_client_core::proto::DocumentId;

use super::server_write::EditFn;
use crate::storage::{Key, WriteBatch};

/// What a hook may read and change.
pub struct HookContext<'a> {
    pub doc_id: DocumentId,
    pub doc: &'a mut Automerge,
    /// The document's auxiliary records (`[doc, "aux", name]`), loaded with it.
    pub aux: &'a mut BTreeMap<String, Vec<u8>>,
    /// Extra writes committed together with the document's changes.
    pub writes: &'a mut WriteBatch,
    pub now_ms: u64,
    /// The wish as read after the peer's change (the review reads it anyway), so the hook
    /// need not read it again; `None` for other documents. A hook that changes the
    /// document must clear it: it is then stale.
    pub wish: Option<WishView>,
    /// Edits of other documents the hook asks for (the server repairing a ledger that
    /// lacks a confirmation's earn entry). The engine runs each after this change is
    /// persisted, once that document is loaded, with the server's actor.
    pub follow_ups: &'a mut Vec<FollowUp>,
}

/// An edit of another document, asked for by the hook (see [`HookContext::follow_ups`]).
pub struct FollowUp {
    pub doc: DocumentId,
    /// What it is, in a few words, for the audit log.
    pub what: String,
    /// Must be idempotent: the same follow-up may be asked for again before the first
    /// one ran (the document was still loading).
    pub edit: EditFn,
}

impl std::fmt::Debug for FollowUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FollowUp({}: {})", self.doc, self.what)
    }
}

impl HookContext<'_> {
    /// Sets an auxiliary record of this document, in memory and on disk.
    pub fn set_aux(&mut self, name: &str, value: Vec<u8>) {
        self.writes.put(aux_key(&self.doc_id, name), value.clone());
        self.aux.insert(name.to_owned(), value);
    }
}

/// Server-side domain logic run after every change a peer makes.
pub trait DocHook: Send {
    fn after_change(&mut self, ctx: HookContext<'_>);

    /// This process became (`true`) or stopped being the claim arbiter of a store
    /// several processes share. A hook that is not the arbiter must not assign claims.
    fn set_arbiter(&mut self, _is_arbiter: bool) {}

    /// Another process changed `doc` (already reviewed and committed by it): the hook may
    /// update what it knows. When this process had changes the other did not
    /// (`concurrent`), the rows the other process derived from the document missed them:
    /// the hook writes them again into `writes`.
    fn observe(
        &mut self,
        _doc_id: DocumentId,
        _doc: &Automerge,
        _concurrent: bool,
        _writes: &mut WriteBatch,
    ) {
    }
}

/// The storage key of a document's auxiliary record.
pub fn aux_key(doc: &DocumentId, name: &str) -> Key {
    vec![doc.to_string(), "aux".into(), name.to_owned()]
}
