//! Storage keys in the automerge-repo layout, shared by the server and native clients.
//!
//! `[docId, "snapshot", H]` holds `Automerge::save()`, with `H` the SHA-256 (hex) of the
//! concatenated hex heads; `[docId, "incremental", H]` holds `save_after(...)` bytes, with
//! `H` the SHA-256 (hex) of the bytes; `[docId, "sync-state", storageId]` holds an encoded
//! `automerge::sync::State` for the peer with that storage id.

use automerge::ChangeHash;
use sha2::{Digest, Sha256};

use crate::proto::{DocumentId, StorageId};

/// A storage key: a path of string parts.
pub type Key = Vec<String>;

/// The kind of a document chunk, from the second part of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    Snapshot,
    Incremental,
    SyncState,
}

/// The key of an incremental chunk.
pub fn incremental_key(doc: &DocumentId, bytes: &[u8]) -> Key {
    vec![doc.to_string(), "incremental".into(), sha256_hex(bytes)]
}

/// The key of a snapshot at `heads`.
pub fn snapshot_key(doc: &DocumentId, heads: &[ChangeHash]) -> Key {
    let heads_hex: String = heads.iter().map(|h| h.to_string()).collect();
    vec![
        doc.to_string(),
        "snapshot".into(),
        sha256_hex(heads_hex.as_bytes()),
    ]
}

/// The key of the sync state with the peer whose storage id is `peer_storage`, or `None`
/// when the storage id cannot be a key part.
pub fn sync_state_key(doc: &DocumentId, peer_storage: &StorageId) -> Option<Key> {
    let part = peer_storage.as_str();
    let valid = !part.is_empty() && !part.contains(['\0', '/']);
    valid.then(|| vec![doc.to_string(), "sync-state".into(), part.to_owned()])
}

/// The chunk kind named by a key, if it is a document key.
pub fn chunk_kind(key: &[String]) -> Option<ChunkKind> {
    match key.get(1).map(String::as_str) {
        Some("snapshot") => Some(ChunkKind::Snapshot),
        Some("incremental") => Some(ChunkKind::Incremental),
        Some("sync-state") => Some(ChunkKind::SyncState),
        _ => None,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
