//! One loaded document: the Automerge value, its sync sessions, and what is on disk.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash, ReadDoc};
use sha2::{Digest, Sha256};
use wish_client_core::proto::{DocumentId, PeerId, StorageId};
use wish_client_core::storage_keys::{chunk_kind, ChunkKind};

use super::connection::{ConnId, Peer};
use super::sync_memo::SyncMemo;
use crate::access::DocMeta;
use crate::storage::{key, Key, WriteBatch};

/// The sync session of one peer on one document.
pub(super) struct Session {
    pub conn: ConnId,
    pub storage_id: Option<StorageId>,
    pub state: sync::State,
    /// The heads last sent to this peer, in `remote-heads-changed` or in a sync message.
    pub heads_announced: Vec<ChangeHash>,
    /// Changes of a read-only peer the server last told it were refused (told once).
    pub refused_read_only: Vec<ChangeHash>,
}

/// Why a peer's sync message could not be applied.
#[derive(Debug, thiserror::Error)]
pub(super) enum ApplyError {
    #[error("sync message rejected: {0}")]
    Rejected(String),
    #[error("automerge panicked while applying a sync message")]
    Panicked,
}

pub(super) struct DocState {
    pub id: DocumentId,
    pub doc: Automerge,
    pub sessions: HashMap<PeerId, Session>,
    /// Sync states read from storage, by client storage id, not yet used by a session.
    stored_sync_states: HashMap<String, Vec<u8>>,
    /// Snapshot and incremental keys currently on disk.
    chunks: Vec<Key>,
    /// Auxiliary records kept by the domain hook (`[doc, "aux", name]`).
    pub aux: std::collections::BTreeMap<String, Vec<u8>>,
    pub last_active_ms: u64,
    /// What access decisions need to know, read from the contents.
    pub meta: DocMeta,
    /// Bytes of received changes automerge holds back until their dependencies arrive.
    waiting_bytes: u64,
    /// The last sync work done, replayed for peers in the same sync state.
    memo: SyncMemo,
    /// The entries the last reviewed change touched, and whether they exist after it.
    pub known_entries: crate::rules::KnownEntries,
}

/// What applying another process's commits did to a held document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Absorbed {
    Unchanged,
    /// The new changes build on everything this process held.
    Ahead,
    /// This process held changes the new ones do not build on.
    Concurrent,
}

/// The key that marks a deleted document.
pub fn tombstone_key(doc: &DocumentId) -> Key {
    key([doc.to_string(), "tombstone".into(), "deleted".into()])
}

impl DocState {
    /// Rebuilds a document from every stored key under `[doc]`. Chunks that automerge
    /// cannot read are skipped and logged: losing a corrupt chunk must not lose the rest.
    pub fn from_entries(id: DocumentId, entries: Vec<(Key, Vec<u8>)>, now_ms: u64) -> Self {
        let mut state = Self {
            id,
            doc: Automerge::new(),
            sessions: HashMap::new(),
            stored_sync_states: HashMap::new(),
            chunks: Vec::new(),
            aux: Default::default(),
            last_active_ms: now_ms,
            meta: DocMeta::default(),
            waiting_bytes: 0,
            memo: SyncMemo::default(),
            known_entries: Default::default(),
        };
        for (key, bytes) in entries {
            state.absorb_entry(key, bytes);
        }
        state.refresh_meta();
        state
    }

    /// Re-reads the access facts after the contents changed.
    pub fn refresh_meta(&mut self) {
        self.refresh_meta_and_read();
    }

    /// [`Self::refresh_meta`], returning the wish it read (the write rules check it; it is
    /// not kept, so a loaded document costs no more memory).
    pub fn refresh_meta_and_read(
        &mut self,
    ) -> Option<(
        wish_client_core::model::WishView,
        wish_client_core::model::wish::WishRoot,
    )> {
        let deleted = self.meta.deleted;
        let (meta, wish) = DocMeta::read(&self.doc);
        self.meta = meta;
        self.meta.deleted = deleted;
        wish
    }

    fn absorb_entry(&mut self, key: Key, bytes: Vec<u8>) {
        // The automerge-repo chunks by `storage_keys`; the server's own records after.
        match (chunk_kind(&key), key.get(1).map(String::as_str)) {
            (Some(ChunkKind::Snapshot | ChunkKind::Incremental), _) => {
                self.load_chunk(&key, &bytes);
                self.chunks.push(key);
            }
            (Some(ChunkKind::SyncState), _) => {
                if let Some(storage_id) = key.get(2) {
                    self.stored_sync_states.insert(storage_id.clone(), bytes);
                }
            }
            (None, Some("tombstone")) => self.meta.deleted = true,
            (None, Some("aux")) => {
                if let Some(name) = key.get(2) {
                    self.aux.insert(name.clone(), bytes);
                }
            }
            _ => tracing::warn!(?key, "unknown stored key under a document"),
        }
    }

    /// Applies what another process committed under this document (`whole`: every key
    /// under `[doc]` was read, so chunks missing from `entries` were compacted away by
    /// it). Chunks already held are skipped; the new ones count as persisted (they are on
    /// disk: this process never writes them again).
    pub fn absorb_committed(&mut self, entries: Vec<(Key, Vec<u8>)>, whole: bool) -> Absorbed {
        let heads = self.doc.get_heads();
        if whole {
            self.chunks.retain(|k| entries.iter().any(|(e, _)| e == k));
        }
        for (key, bytes) in entries {
            match (chunk_kind(&key), key.get(1).map(String::as_str)) {
                (Some(ChunkKind::Snapshot | ChunkKind::Incremental), _)
                    if !self.chunks.contains(&key) =>
                {
                    self.load_chunk(&key, &bytes);
                    self.chunks.push(key);
                }
                (None, Some("tombstone")) => self.meta.deleted = true,
                (None, Some("aux")) => self.absorb_entry(key, bytes),
                _ => {}
            }
        }
        let after = self.doc.get_heads();
        if after == heads {
            return Absorbed::Unchanged;
        }
        self.memo.forget();
        self.refresh_meta();
        // A head of ours that survives is a change the other process did not build on.
        if after.iter().any(|h| heads.contains(h)) {
            Absorbed::Concurrent
        } else {
            Absorbed::Ahead
        }
    }

    /// Forgets chunks another process deleted (it compacted them into a snapshot).
    pub fn forget_chunks(&mut self, deleted: &[Key]) {
        self.chunks.retain(|k| !deleted.contains(k));
    }

    fn load_chunk(&mut self, key: &Key, bytes: &[u8]) {
        let doc = &mut self.doc;
        match catch_unwind(AssertUnwindSafe(|| doc.load_incremental(bytes))) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(?key, error = %e, "stored chunk is unreadable; skipped"),
            Err(_) => tracing::error!(?key, "automerge panicked loading a stored chunk; skipped"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.doc.get_heads().is_empty()
    }

    /// Starts a session for `peer`, resuming from its persisted sync state if any, in
    /// read-only mode when the peer may only read (its changes are then neither applied,
    /// stored nor relayed). Returns true if the session is new.
    pub fn ensure_session(&mut self, conn: ConnId, peer: &Peer, read_only: bool) -> bool {
        if let Some(session) = self.sessions.get_mut(&peer.id) {
            if session.state.read_only != read_only {
                session.state.set_read_only(read_only);
            }
            return false;
        }
        let state = peer
            .storage_id
            .as_ref()
            .and_then(|s| self.stored_sync_states.remove(s.as_str()))
            .and_then(|bytes| sync::State::decode(&bytes).ok())
            .unwrap_or_default();
        let session = Session {
            conn,
            storage_id: peer.storage_id.clone(),
            state,
            heads_announced: Vec::new(),
            refused_read_only: Vec::new(),
        };
        self.sessions.insert(peer.id.clone(), session);
        true
    }

    /// Applies one sync message from `peer` and returns what it did as patches (for the
    /// write rules). On a panic the in-memory
    /// document may be inconsistent; the caller must unload it.
    pub fn apply_logged(
        &mut self,
        peer: &PeerId,
        message: sync::Message,
        log_patches: bool,
    ) -> Result<Vec<automerge::Patch>, ApplyError> {
        let heads = self.doc.get_heads();
        let Some(session) = self.sessions.get_mut(peer) else {
            return Err(ApplyError::Rejected("no session".into()));
        };
        let acknowledgement = message.changes.is_empty();
        if !acknowledgement {
            self.memo.forget();
        } else if self
            .memo
            .replay_receive(&heads, &mut session.state, &message)
        {
            return Ok(Vec::new());
        }
        let kept = acknowledgement.then(|| (session.state.clone(), message.clone()));
        let doc = &mut self.doc;
        let state = &mut session.state;
        match catch_unwind(AssertUnwindSafe(|| {
            // The patch log costs time; the administrator's changes are not checked.
            let mut log = automerge::PatchLog::new(log_patches);
            doc.receive_sync_message_log_patches(state, message, &mut log)
                .map(|()| doc.make_patches(&mut log))
        })) {
            Ok(Ok(patches)) => {
                if let Some((before, message)) = kept {
                    self.memo
                        .keep_received(heads, before, message, &session.state);
                }
                Ok(patches)
            }
            Ok(Err(e)) => Err(ApplyError::Rejected(e.to_string())),
            Err(_) => Err(ApplyError::Panicked),
        }
    }

    /// Undoes a refused change: the document goes back to `before` (nothing of the change
    /// was persisted or sent), and `peer`'s sync state starts over, so it neither believes
    /// the server holds the change nor loops re-sending it within the session. Other
    /// peers' sessions are untouched. Returns false if automerge could not rebuild the
    /// document (the caller then unloads it).
    pub fn restore(&mut self, before: &[ChangeHash], peer: &PeerId) -> bool {
        let doc = &self.doc;
        let Ok(Ok(restored)) = catch_unwind(AssertUnwindSafe(|| doc.fork_at(before))) else {
            return false;
        };
        self.doc = restored;
        self.memo.forget();
        if let Some(session) = self.sessions.get_mut(peer) {
            session.state = sync::State::new();
            session.heads_announced.clear();
        }
        self.refresh_meta();
        true
    }

    /// Counts `bytes` of a just-applied message as waiting if automerge now holds changes
    /// back for missing dependencies (or forgets the count once none wait). True once
    /// the waiting bytes pass `limit`.
    pub fn note_waiting_changes(&mut self, bytes: u64, limit: u64) -> bool {
        if self.doc.get_missing_deps(&[]).is_empty() {
            self.waiting_bytes = 0;
            return false;
        }
        self.waiting_bytes = self.waiting_bytes.saturating_add(bytes);
        self.waiting_bytes > limit
    }

    /// Goes back to `before` (the heads before the message that passed the limit), which
    /// drops the changes waiting for dependencies too (automerge keeps them in the
    /// document value; a fork leaves them behind), and starts every session over, so
    /// honest peers offer again what the server lacks. False if automerge could not
    /// rebuild the document (the caller then unloads it).
    pub fn drop_waiting_changes(&mut self, before: &[ChangeHash]) -> bool {
        let doc = &self.doc;
        let Ok(Ok(rebuilt)) = catch_unwind(AssertUnwindSafe(|| doc.fork_at(before))) else {
            return false;
        };
        self.doc = rebuilt;
        self.memo.forget();
        self.waiting_bytes = 0;
        for session in self.sessions.values_mut() {
            session.state = sync::State::new();
            session.heads_announced.clear();
        }
        self.refresh_meta();
        true
    }

    /// The next sync message for `peer`, if there is anything to say. The message carries
    /// the server's heads, which the peer takes as "saved on server" (it is only sent
    /// once they are durable), so they count as announced.
    pub fn generate(&mut self, peer: &PeerId) -> Option<Vec<u8>> {
        let heads = self.doc.get_heads();
        let session = self.sessions.get_mut(peer)?;
        let message = match self.memo.replay_generate(&heads, &mut session.state) {
            Some(replayed) => replayed,
            None => {
                let before = session.state.clone();
                let doc = &self.doc;
                let state = &mut session.state;
                match catch_unwind(AssertUnwindSafe(|| doc.generate_sync_message(state))) {
                    Ok(message) => {
                        let message = message.map(|m| {
                            let heads = m.heads.clone();
                            (m.encode(), heads)
                        });
                        self.memo
                            .keep_generated(heads, before, &session.state, &message);
                        message
                    }
                    Err(_) => {
                        tracing::error!(doc = %self.id, %peer, "automerge panicked generating a sync message");
                        self.memo.forget();
                        return None;
                    }
                }
            }
        };
        let (bytes, sent_heads) = message?;
        session.heads_announced = sent_heads;
        Some(bytes)
    }

    /// Writes the changes made since `before` as one incremental chunk, compacting into a
    /// snapshot when enough chunks have piled up. Sync states are persisted when a session
    /// ends (and at shutdown): after a crash a peer resumes from an older state, which
    /// costs one longer exchange, not data.
    pub fn persist_changes(
        &mut self,
        before: &[ChangeHash],
        compact_after: usize,
        batch: &mut WriteBatch,
    ) {
        let bytes = self.doc.save_after(before);
        let chunk_key = key([
            self.id.to_string(),
            "incremental".into(),
            sha256_hex(&bytes),
        ]);
        batch.put(chunk_key.clone(), bytes);
        self.chunks.push(chunk_key);
        if self.chunks.len() > compact_after {
            self.compact(batch);
        }
    }

    /// Writes one snapshot of the whole document, then deletes every older chunk. Both
    /// happen in the same transaction, so a crash leaves either the old or the new set.
    fn compact(&mut self, batch: &mut WriteBatch) {
        let heads = self.doc.get_heads();
        let heads_hex: String = heads.iter().map(|h| h.to_string()).collect();
        let snapshot_key = key([
            self.id.to_string(),
            "snapshot".into(),
            sha256_hex(heads_hex.as_bytes()),
        ]);
        batch.put(snapshot_key.clone(), self.doc.save());
        for old in self.chunks.drain(..).filter(|k| *k != snapshot_key) {
            batch.delete(old);
        }
        self.chunks.push(snapshot_key);
    }

    /// Ends `peer`'s session, persisting its sync state for a short reconnect.
    pub fn end_session(&mut self, peer: &Peer, batch: &mut WriteBatch, now_ms: u64) {
        if let Some(session) = self.sessions.remove(&peer.id) {
            persist_sync_state(&self.id, &session, batch);
            if let Some(storage_id) = &session.storage_id {
                self.stored_sync_states
                    .insert(storage_id.as_str().to_owned(), session.state.encode());
            }
        }
        self.last_active_ms = now_ms;
    }

    /// Sync states of every live session, for shutdown.
    pub fn persist_sessions(&self, batch: &mut WriteBatch) {
        for session in self.sessions.values() {
            persist_sync_state(&self.id, session, batch);
        }
    }
}

fn persist_sync_state(doc: &DocumentId, session: &Session, batch: &mut WriteBatch) {
    if let Some(storage_id) = &session.storage_id {
        // Storage ids come from peers; only ones that make a valid key part are kept.
        if !storage_id.as_str().is_empty() && !storage_id.as_str().contains('\0') {
            let k = key([
                doc.to_string(),
                "sync-state".into(),
                storage_id.as_str().to_owned(),
            ]);
            batch.put(k, session.state.encode());
        }
    }
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
