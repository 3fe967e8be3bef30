//! Durable storage for the server: documents in the automerge-repo key layout, plus the
//! server's own tables (metadata, device tokens).
//!
//! Keys of document data are string paths exactly as automerge-repo writes them:
//! `[docId, "snapshot", hash]`, `[docId, "incremental", hash]`,
//! `[docId, "sync-state", storageId]`. Prefix loads are range scans.
//!
//! All calls are synchronous and may block on disk; the runtime calls them from its own
//! engine thread, never from the async executor. Every call is fallible.
//!
//! [`Storage::commit`] applies a [`WriteBatch`] in one durable transaction: when it returns
//! `Ok`, every write in it survives `kill -9` and power loss (redb `Durability::Immediate`).

pub mod documents;
mod redb_store;

pub use redb_store::{RedbStore, DEFAULT_CACHE_BYTES};

/// A storage key: a path of string parts, none containing `\0`.
pub type Key = Vec<String>;

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage backend error: {0}")]
    Backend(String),
    #[error("invalid storage key {0:?}: parts must be non-empty and contain no NUL")]
    InvalidKey(Key),
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
}

/// One write in a [`WriteBatch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    Put {
        key: Key,
        value: Vec<u8>,
    },
    Delete {
        key: Key,
    },
    /// Deletes every key that starts with `prefix` (whole parts).
    DeletePrefix {
        prefix: Key,
    },
}

/// Writes applied atomically and durably by [`Storage::commit`], in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    pub ops: Vec<WriteOp>,
}

impl WriteBatch {
    pub fn put(&mut self, key: Key, value: Vec<u8>) {
        self.ops.push(WriteOp::Put { key, value });
    }

    pub fn delete(&mut self, key: Key) {
        self.ops.push(WriteOp::Delete { key });
    }

    pub fn delete_prefix(&mut self, prefix: Key) {
        self.ops.push(WriteOp::DeletePrefix { prefix });
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn extend(&mut self, other: WriteBatch) {
        self.ops.extend(other.ops);
    }
}

/// The storage interface of the server. A second implementation (PostgreSQL, for a city
/// deployment) implements this trait; nothing else in the server touches redb.
pub trait Storage: Send + Sync + 'static {
    /// Loads one value.
    fn load(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError>;
    /// Loads every key that starts with `prefix` (whole parts), in key order.
    fn load_range(&self, prefix: &[String]) -> Result<Vec<(Key, Vec<u8>)>, StorageError>;
    /// Applies `batch` in one durable transaction.
    fn commit(&self, batch: WriteBatch) -> Result<(), StorageError>;
}

/// Builds a key from string-like parts: `key(["doc", "snapshot", "abc"])`.
pub fn key<I, S>(parts: I) -> Key
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    parts.into_iter().map(Into::into).collect()
}
