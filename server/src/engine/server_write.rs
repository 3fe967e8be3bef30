//! Documents the server writes itself, on behalf of a caller of the REST API: the
//! community set up on a fresh server, imported wish cards, imported people.
//!
//! A [`ServerWrite`] names who asked (`by`), what for (`what`, for the audit log) and the
//! documents: new ones, built by the caller with the server's actor, and edits of
//! existing ones, made here on the engine's own copy with the server's actor. Nothing is
//! applied unless every document is ready, the caller's role may create or write each of
//! them (`access::may_create`, `access::access`) and every edit succeeds; then each
//! document goes through the same path as a peer's change: the domain hook (summary and
//! office rows), one persist in the batch's group commit, `DocChanged`, fan-out and
//! heads. The answer ([`Effect::WriteAnswered`]) follows the persist, so the caller hears
//! "done" only once the commit is durable.
//!
//! ```text
//! HTTP: import 50 cards -> Input::ServerWrite { by: coordinator, docs: [50 wishes,
//!        50 contacts, Edit(station index)] }
//! engine: load station -> check access -> merge/edit -> hook -> Persist -> fan out
//!        -> WriteAnswered(Ok)   (delivered after the commit)
//! ```
//!
//! The server's actor is exempt from the write rules (as for arbitration and contact
//! unlinking), which is why the caller's scope is checked before (`scope.rs`) and the
//! caller's access to each document here.

use automerge::{ActorId, Automerge};
use wish_client_core::proto::DocumentId;

use super::hook::HookContext;
use super::loading::{ready_in, Deferred};
use super::{Effect, Engine};
use crate::access::{access, may_create, Access, DocMeta, Principal};
use crate::storage::WriteBatch;

/// An edit of an existing document, run on the engine's copy (actor: the server's).
/// It must not read the clock or do I/O: the caller captures what it needs (the time).
pub type EditFn = Box<dyn FnOnce(&mut Automerge) -> Result<(), String> + Send>;

/// One document of a [`ServerWrite`].
pub enum DocWrite {
    /// A new document; every change in it must be by the server's actor
    /// ([`Engine::server_actor`]).
    Create {
        doc: DocumentId,
        content: Box<Automerge>,
    },
    /// A change to a document the server holds.
    Edit { doc: DocumentId, edit: EditFn },
}

impl DocWrite {
    pub fn doc(&self) -> DocumentId {
        match self {
            Self::Create { doc, .. } | Self::Edit { doc, .. } => *doc,
        }
    }
}

impl std::fmt::Debug for DocWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Create { doc, .. } => write!(f, "Create({doc})"),
            Self::Edit { doc, .. } => write!(f, "Edit({doc})"),
        }
    }
}

/// Documents to write on behalf of `by`, all or none.
#[derive(Debug)]
pub struct ServerWrite {
    /// Chosen by the caller; echoed in [`Effect::WriteAnswered`].
    pub request: u64,
    pub by: Principal,
    /// What was asked, in a few words, for the audit log.
    pub what: String,
    pub docs: Vec<DocWrite>,
}

/// Why a server write was not applied (nothing of it was).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("document {0} already exists")]
    Exists(DocumentId),
    #[error("document {0} is not on this server")]
    Missing(DocumentId),
    #[error("document {0} was not built by the server")]
    ForeignActor(DocumentId),
    #[error("this device may not write document {0}")]
    Access(DocumentId),
    #[error("{0}")]
    Edit(String),
    #[error("storage is unavailable")]
    Storage,
}

impl Engine {
    /// The actor the server writes with; documents of a [`DocWrite::Create`] must be
    /// built with it.
    pub fn server_actor(&self) -> &ActorId {
        &self.server_actor
    }

    /// Applies `write` once all its documents are loaded (it waits for each in turn).
    pub(super) fn on_server_write(&mut self, write: ServerWrite) {
        let waiting: Vec<DocumentId> = write
            .docs
            .iter()
            .map(DocWrite::doc)
            .filter(|d| ready_in(&mut self.docs, d).is_none())
            .collect();
        // Every load is asked for at once and the write waits on the last one: the
        // runtime answers loads one after another, not nested one per document.
        if let Some((last, others)) = waiting.split_last() {
            for doc in others {
                self.start_loading(*doc);
            }
            let _ = self.ready_or_defer(*last, Deferred::ServerWrite(Box::new(write)));
            return;
        }
        let (request, by, what) = (write.request, write.by.clone(), write.what.clone());
        let outcome = self.prepare(write).map(|ready| self.commit_writes(ready));
        match &outcome {
            Ok(()) => self.audit("server-write", &by.device_id, &what),
            Err(error) => self.audit(
                "server-write-refused",
                &by.device_id,
                &format!("{what}: {error}"),
            ),
        }
        self.effects
            .push(Effect::WriteAnswered { request, outcome });
    }

    /// Builds every document's new state beside the engine's copy; fails without
    /// touching anything.
    fn prepare(&mut self, write: ServerWrite) -> Result<Vec<(DocumentId, Automerge)>, WriteError> {
        let mut ready = Vec::with_capacity(write.docs.len());
        for item in write.docs {
            let doc_id = item.doc();
            let next = match item {
                DocWrite::Create { content, .. } => {
                    self.checked_create(doc_id, *content, &write.by)?
                }
                DocWrite::Edit { edit, .. } => self.checked_edit(doc_id, edit, &write.by)?,
            };
            ready.push((doc_id, next));
        }
        Ok(ready)
    }

    fn checked_create(
        &mut self,
        doc_id: DocumentId,
        content: Automerge,
        by: &Principal,
    ) -> Result<Automerge, WriteError> {
        let state = ready_in(&mut self.docs, &doc_id).ok_or(WriteError::Storage)?;
        if !state.is_empty() || state.meta.deleted {
            return Err(WriteError::Exists(doc_id));
        }
        let foreign = content
            .get_changes(&[])
            .iter()
            .any(|c| c.actor_id() != &self.server_actor);
        if foreign {
            return Err(WriteError::ForeignActor(doc_id));
        }
        if !may_create(by, &DocMeta::of(&content)) {
            return Err(WriteError::Access(doc_id));
        }
        Ok(content)
    }

    fn checked_edit(
        &mut self,
        doc_id: DocumentId,
        edit: EditFn,
        by: &Principal,
    ) -> Result<Automerge, WriteError> {
        let server_actor = self.server_actor.clone();
        let state = ready_in(&mut self.docs, &doc_id).ok_or(WriteError::Storage)?;
        if state.is_empty() || state.meta.deleted {
            return Err(WriteError::Missing(doc_id));
        }
        if access(by, &state.meta) != Access::Write {
            return Err(WriteError::Access(doc_id));
        }
        let mut next = state.doc.fork().with_actor(server_actor);
        edit(&mut next).map_err(WriteError::Edit)?;
        // The edit must leave the document in the caller's reach (no moving it away).
        if access(by, &DocMeta::of(&next)) != Access::Write {
            return Err(WriteError::Access(doc_id));
        }
        Ok(next)
    }

    /// Merges each prepared state into the engine's copy and treats it like a peer's
    /// change: hook, persist, fan out.
    fn commit_writes(&mut self, ready: Vec<(DocumentId, Automerge)>) {
        for (doc_id, mut next) in ready {
            self.commit_one(doc_id, &mut next);
        }
    }

    /// Merges `next` into the engine's copy and treats it like a peer's change: hook,
    /// persist, fan out, then the hook's follow-ups.
    pub(super) fn commit_one(&mut self, doc_id: DocumentId, next: &mut Automerge) {
        let compact_after = self.config.compact_after_chunks;
        let now_ms = self.now_ms;
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        let before = state.doc.get_heads();
        if let Err(error) = state.doc.merge(next) {
            tracing::error!(doc = %doc_id, %error, "merging a server write failed");
            return;
        }
        let mut batch = WriteBatch::default();
        let mut follow_ups = Vec::new();
        if let Some(hook) = self.hook.as_mut() {
            hook.after_change(HookContext {
                doc_id,
                doc: &mut state.doc,
                aux: &mut state.aux,
                writes: &mut batch,
                now_ms,
                // Nothing read yet: the hook reads the wish itself.
                wish: None,
                follow_ups: &mut follow_ups,
            });
        }
        state.persist_changes(&before, compact_after, &mut batch);
        state.refresh_meta();
        state.last_active_ms = now_ms;
        self.persist(batch);
        self.effects.push(Effect::DocChanged(doc_id));
        self.fan_out_all(doc_id);
        self.run_follow_ups(follow_ups);
    }
}
