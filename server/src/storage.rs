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
//! `Ok`, every write in it survives `kill -9` and power loss (redb `Durability::Immediate`;
//! PostgreSQL `synchronous_commit = on`).
//!
//! Two backends: [`RedbStore`], one file in the data directory and one process (the
//! default), and [`PostgresStore`], one table that several processes may share
//! (docs/scale-out.md); for those, [`Storage::subscribe`] tells a process what the others
//! committed and [`Storage::is_arbiter`] which one arbitrates claims.

use std::sync::mpsc::Receiver;

pub mod copy;
pub mod documents;
mod postgres_store;
mod redb_store;

pub use postgres_store::PostgresStore;
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
    /// A [`WriteOp::Take`] found its key already gone, or a [`WriteOp::Create`] found it
    /// already there: nothing of the batch was written.
    #[error("storage conflict: {0:?} was already taken or created")]
    Conflict(Key),
    /// A batch marked with [`WriteBatch::require_arbiter`] was committed by a process that
    /// does not hold the arbiter lock: nothing of the batch was written.
    #[error("this process is not the claim arbiter")]
    NotArbiter,
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
    /// Deletes `key`, and fails the whole commit ([`StorageError::Conflict`]) if it does
    /// not exist: a one-time enrollment code redeemed by two processes at once succeeds once.
    Take {
        key: Key,
    },
    /// Writes `key`, and fails the whole commit ([`StorageError::Conflict`]) if it already
    /// exists: two processes starting at once on an empty store create its identity once.
    Create {
        key: Key,
        value: Vec<u8>,
    },
}

/// Writes applied atomically and durably by [`Storage::commit`], in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    pub ops: Vec<WriteOp>,
    /// Set by [`WriteBatch::require_arbiter`].
    arbiter_only: bool,
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

    /// Deletes `key`; the commit fails with [`StorageError::Conflict`] if it is gone.
    pub fn take(&mut self, key: Key) {
        self.ops.push(WriteOp::Take { key });
    }

    /// Writes `key`; the commit fails with [`StorageError::Conflict`] if it exists.
    pub fn create(&mut self, key: Key, value: Vec<u8>) {
        self.ops.push(WriteOp::Create { key, value });
    }

    /// Marks the batch as carrying arbitration decisions: the commit FAILS
    /// ([`StorageError::NotArbiter`]) unless this process holds the arbiter lock in the very
    /// session that commits (PostgreSQL checks `pg_locks` for `pg_backend_pid()` inside the
    /// transaction; embedded backends always pass). This fences a process that lost the lock.
    pub fn require_arbiter(&mut self) {
        self.arbiter_only = true;
    }

    /// Whether [`WriteBatch::require_arbiter`] was called (on this batch or one extended
    /// into it).
    pub fn requires_arbiter(&self) -> bool {
        self.arbiter_only
    }

    /// True when the batch writes nothing (a batch only marked `require_arbiter` is empty).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn extend(&mut self, other: WriteBatch) {
        self.ops.extend(other.ops);
        self.arbiter_only |= other.arbiter_only;
    }
}

/// What another process committed to a store several processes share (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreNotice {
    /// Another process committed a batch: the keys it put, deleted (including taken), and
    /// prefix-deleted. Only the keys; read values with `load`/`load_range` (a notice is
    /// sent after COMMIT, so every named key is visible when it arrives).
    Committed {
        puts: Vec<Key>,
        deletes: Vec<Key>,
        delete_prefixes: Vec<Key>,
    },
    /// The listener lost its connection and reconnected: notices may have been lost,
    /// so re-read everything this process holds.
    Resync,
}

/// The storage interface of the server, implemented by [`RedbStore`] and
/// [`PostgresStore`]; nothing else in the server touches redb or PostgreSQL.
pub trait Storage: Send + Sync + 'static {
    /// Loads one value.
    fn load(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError>;
    /// Loads every key that starts with `prefix` (whole parts), in key order.
    fn load_range(&self, prefix: &[String]) -> Result<Vec<(Key, Vec<u8>)>, StorageError>;
    /// Every entry whose key sorts after `after` (from the first key when `None`), in key
    /// order, stopping after the entry that brings the values' bytes past `max_bytes` (so
    /// at least one entry when any is left). Paging through the whole store: `migrate`.
    fn load_page(
        &self,
        after: Option<&[String]>,
        max_bytes: usize,
    ) -> Result<Vec<(Key, Vec<u8>)>, StorageError>;
    /// Applies `batch` in one durable transaction: all of it or (on any error) none of it.
    fn commit(&self, batch: WriteBatch) -> Result<(), StorageError>;

    /// Notices of OTHER processes' commits (never this process's own), for backends
    /// several processes share. `Ok(None)` for embedded backends (redb): this process is
    /// the only writer. Called once by the runtime.
    fn subscribe(&self) -> Result<Option<Receiver<StoreNotice>>, StorageError> {
        Ok(None)
    }

    /// Whether this process is the claim arbiter now. Always true for embedded backends.
    /// PostgreSQL: whether the writer connection's session holds the arbiter advisory lock
    /// (taken with `pg_try_advisory_lock` on every (re)connect; released by PostgreSQL when
    /// the session dies, so another process takes over).
    fn is_arbiter(&self) -> bool {
        true
    }
}

/// Builds a key from string-like parts: `key(["doc", "snapshot", "abc"])`.
pub fn key<I, S>(parts: I) -> Key
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    parts.into_iter().map(Into::into).collect()
}
