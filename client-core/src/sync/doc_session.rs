//! One document and its sync state with one peer, with every automerge call that takes
//! outside bytes guarded against panics.

use std::panic::{catch_unwind, AssertUnwindSafe};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash, ReadDoc};

use crate::proto::DocumentId;
use crate::storage_keys::{chunk_kind, incremental_key, snapshot_key, ChunkKind, Key};

/// Chunks on disk before a document is compacted into one snapshot.
const COMPACT_AFTER_CHUNKS: usize = 32;

/// Why peer or stored bytes could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("invalid sync message: {0}")]
    InvalidMessage(String),
    #[error("sync message rejected: {0}")]
    Rejected(String),
    #[error("automerge panicked on peer input")]
    Panicked,
}

/// Writes to local storage that a change to a document implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkWrite {
    Put(Key, Vec<u8>),
    Delete(Key),
}

/// A document, its sync state with the server, and its chunks on local storage.
pub struct DocSession {
    id: DocumentId,
    doc: Automerge,
    state: sync::State,
    chunks: Vec<Key>,
}

impl DocSession {
    /// A new, empty document.
    pub fn new(id: DocumentId) -> Self {
        Self {
            id,
            doc: Automerge::new(),
            state: sync::State::new(),
            chunks: Vec::new(),
        }
    }

    /// Rebuilds a document from its stored chunks (snapshot and incremental keys). Chunks
    /// automerge cannot read are skipped: one bad chunk must not hide the rest.
    pub fn from_chunks(id: DocumentId, chunks: Vec<(Key, Vec<u8>)>) -> Self {
        let mut session = Self::new(id);
        for (key, bytes) in chunks {
            if matches!(
                chunk_kind(&key),
                Some(ChunkKind::Snapshot | ChunkKind::Incremental)
            ) {
                let doc = &mut session.doc;
                if let Ok(Ok(_)) = catch_unwind(AssertUnwindSafe(|| doc.load_incremental(&bytes))) {
                    session.chunks.push(key);
                }
            }
        }
        session
    }

    pub fn id(&self) -> DocumentId {
        self.id
    }

    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    pub fn is_empty(&self) -> bool {
        self.doc.get_heads().is_empty()
    }

    /// Starts a new sync session, resuming from a persisted sync state when there is one.
    pub fn reset_sync(&mut self, persisted: Option<&[u8]>) {
        self.state = persisted
            .and_then(|bytes| sync::State::decode(bytes).ok())
            .unwrap_or_default();
    }

    /// The sync state to persist.
    pub fn encoded_sync_state(&self) -> Vec<u8> {
        self.state.encode()
    }

    /// Applies one sync message. Returns whether the document changed.
    pub fn receive(&mut self, data: &[u8]) -> Result<bool, SessionError> {
        let message =
            sync::Message::decode(data).map_err(|e| SessionError::InvalidMessage(e.to_string()))?;
        let before = self.doc.get_heads();
        let (doc, state) = (&mut self.doc, &mut self.state);
        match catch_unwind(AssertUnwindSafe(|| {
            doc.receive_sync_message(state, message)
        })) {
            Ok(Ok(())) => Ok(self.doc.get_heads() != before),
            Ok(Err(e)) => Err(SessionError::Rejected(e.to_string())),
            Err(_) => Err(SessionError::Panicked),
        }
    }

    /// The heads the peer put in its last sync message.
    pub fn their_heads(&self) -> Option<&[ChangeHash]> {
        self.state.their_heads.as_deref()
    }

    /// The next sync message for the peer, if there is anything to say.
    pub fn generate(&mut self) -> Option<Vec<u8>> {
        let (doc, state) = (&self.doc, &mut self.state);
        catch_unwind(AssertUnwindSafe(|| doc.generate_sync_message(state)))
            .ok()
            .flatten()
            .map(sync::Message::encode)
    }

    /// Runs `f` on the document (for local edits). Returns the chunk writes for the new
    /// changes; empty when nothing changed.
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut Automerge) -> R) -> (R, Vec<ChunkWrite>) {
        let before = self.doc.get_heads();
        let result = f(&mut self.doc);
        let writes = self.chunks_since(&before);
        (result, writes)
    }

    /// Chunk writes for every change made since `before`, compacting when enough chunks
    /// have piled up (the snapshot is written before older chunks are deleted).
    pub fn chunks_since(&mut self, before: &[ChangeHash]) -> Vec<ChunkWrite> {
        if self.doc.get_heads() == before {
            return Vec::new();
        }
        let bytes = self.doc.save_after(before);
        let key = incremental_key(&self.id, &bytes);
        let mut writes = vec![ChunkWrite::Put(key.clone(), bytes)];
        self.chunks.push(key);
        if self.chunks.len() > COMPACT_AFTER_CHUNKS {
            writes.extend(self.compact());
        }
        writes
    }

    fn compact(&mut self) -> Vec<ChunkWrite> {
        let snapshot = snapshot_key(&self.id, &self.doc.get_heads());
        let mut writes = vec![ChunkWrite::Put(snapshot.clone(), self.doc.save())];
        for old in self.chunks.drain(..).filter(|k| *k != snapshot) {
            writes.push(ChunkWrite::Delete(old));
        }
        self.chunks.push(snapshot);
        writes
    }

    /// Whether every local change is in the history the server reported, i.e. the server
    /// holds everything this replica has.
    pub fn is_covered_by(&self, server_heads: &[ChangeHash]) -> bool {
        let heads = self.heads();
        if heads.iter().all(|h| server_heads.contains(h)) {
            // Our heads are in the server's history, so is everything before them.
            return true;
        }
        if !self.doc.get_missing_deps(server_heads).is_empty() {
            // The server is ahead of us: we cannot walk its history until we receive
            // those changes, so not yet known to be covered.
            return false;
        }
        self.doc.get_changes(server_heads).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::ROOT;

    fn edited(id: u8, key: &str) -> DocSession {
        let mut session = DocSession::new(DocumentId::from_bytes([id; 16]));
        session.edit(|doc| {
            let mut tx = doc.transaction();
            tx.put(ROOT, key, 1).unwrap();
            tx.commit();
        });
        session
    }

    #[test]
    fn two_sessions_converge() {
        let mut a = edited(1, "a");
        let mut b = edited(1, "b");
        for _ in 0..10 {
            if let Some(m) = a.generate() {
                b.receive(&m).unwrap();
            }
            if let Some(m) = b.generate() {
                a.receive(&m).unwrap();
            }
        }
        assert_eq!(a.heads(), b.heads());
        assert!(a.is_covered_by(&b.heads()));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut a = edited(1, "a");
        assert!(matches!(
            a.receive(&[0x42, 0xff, 0x00]),
            Err(SessionError::InvalidMessage(_))
        ));
    }

    #[test]
    fn chunks_reload_into_the_same_document() {
        let mut a = DocSession::new(DocumentId::from_bytes([2; 16]));
        let mut stored = std::collections::BTreeMap::new();
        for i in 0..40 {
            let (_, writes) = a.edit(|doc| {
                let mut tx = doc.transaction();
                tx.put(ROOT, "n", i as i64).unwrap();
                tx.commit();
            });
            for w in writes {
                match w {
                    ChunkWrite::Put(k, v) => stored.insert(k, v),
                    ChunkWrite::Delete(k) => stored.remove(&k),
                };
            }
        }
        assert!(stored.len() < 40, "compaction ran");
        let b = DocSession::from_chunks(a.id(), stored.into_iter().collect());
        assert_eq!(b.heads(), a.heads());
    }
}
