//! [`Storage`] on redb: one table keyed by the key path joined with NUL, so a prefix of
//! whole parts is a contiguous key range. One process is the only writer, so
//! `subscribe` has nothing to say and this process is always the claim arbiter (the
//! trait's defaults).

use std::ops::Bound;
use std::path::Path;

use redb::{backends::InMemoryBackend, Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::{Key, Storage, StorageError, WriteBatch, WriteOp};

const KV: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");
const SEPARATOR: char = '\0';

/// The redb-backed store. Cheap to share behind an `Arc`.
pub struct RedbStore {
    db: Database,
}

/// redb's page cache by default may grow to 1 GiB, which the server would then hold for
/// good; the operating system's page cache keeps the file's hot pages as well.
pub const DEFAULT_CACHE_BYTES: usize = 64 * 1024 * 1024;

impl RedbStore {
    /// Opens or creates the database file at `path` with the default page cache.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        Self::open_with_cache(path, DEFAULT_CACHE_BYTES)
    }

    /// Opens or creates the database file at `path`; redb caches up to `cache_bytes`.
    pub fn open_with_cache(path: &Path, cache_bytes: usize) -> Result<Self, StorageError> {
        let db = Database::builder()
            .set_cache_size(cache_bytes)
            .create(path)
            .map_err(backend)?;
        Self::with_database(db)
    }

    /// An in-memory database, for tests: same code path, nothing on disk.
    pub fn in_memory() -> Result<Self, StorageError> {
        let db = Database::builder()
            .create_with_backend(InMemoryBackend::new())
            .map_err(backend)?;
        Self::with_database(db)
    }

    /// Opens a database on any redb backend (tests wrap backends to simulate crashes).
    pub fn with_backend(backend_impl: impl redb::StorageBackend) -> Result<Self, StorageError> {
        let db = Database::builder()
            .create_with_backend(backend_impl)
            .map_err(backend)?;
        Self::with_database(db)
    }

    /// Compacts the database file at `path` (no server may hold it open): redb moves
    /// live pages into freed space and shortens the file, so the bytes of deleted
    /// documents in the freed tail are gone. Returns the file's size before and after.
    pub fn compact_file(path: &Path) -> Result<(u64, u64), StorageError> {
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let before = size(path);
        let mut db = Database::builder().create(path).map_err(backend)?;
        while db.compact().map_err(backend)? {}
        drop(db);
        Ok((before, size(path)))
    }

    fn with_database(db: Database) -> Result<Self, StorageError> {
        // Create the table up front so that readers never see "table does not exist".
        let txn = db.begin_write().map_err(backend)?;
        txn.open_table(KV).map_err(backend)?;
        txn.commit().map_err(backend)?;
        Ok(Self { db })
    }
}

impl Storage for RedbStore {
    fn load(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError> {
        let encoded = encode_key(key)?;
        let txn = self.db.begin_read().map_err(backend)?;
        let table = txn.open_table(KV).map_err(backend)?;
        let value = table.get(encoded.as_str()).map_err(backend)?;
        Ok(value.map(|v| v.value().to_vec()))
    }

    fn load_range(&self, prefix: &[String]) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let (start, end) = prefix_bounds(prefix)?;
        let txn = self.db.begin_read().map_err(backend)?;
        let table = txn.open_table(KV).map_err(backend)?;
        let range = table.range(start.as_str()..end.as_str()).map_err(backend)?;
        range
            .map(|entry| {
                let (k, v) = entry.map_err(backend)?;
                Ok((decode_key(k.value()), v.value().to_vec()))
            })
            .collect()
    }

    fn load_page(
        &self,
        after: Option<&[String]>,
        max_bytes: usize,
    ) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let after = after.map(encode_key).transpose()?;
        let txn = self.db.begin_read().map_err(backend)?;
        let table = txn.open_table(KV).map_err(backend)?;
        let start = match &after {
            Some(k) => Bound::Excluded(k.as_str()),
            None => Bound::Unbounded,
        };
        let range = table
            .range::<&str>((start, Bound::Unbounded))
            .map_err(backend)?;
        let mut page = Vec::new();
        let mut bytes = 0;
        for entry in range {
            let (k, v) = entry.map_err(backend)?;
            bytes += v.value().len();
            page.push((decode_key(k.value()), v.value().to_vec()));
            if bytes > max_bytes {
                break;
            }
        }
        Ok(page)
    }

    fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let txn = self.db.begin_write().map_err(backend)?;
        {
            let mut table = txn.open_table(KV).map_err(backend)?;
            for op in &batch.ops {
                match op {
                    WriteOp::Put { key, value } => {
                        table
                            .insert(encode_key(key)?.as_str(), value.as_slice())
                            .map_err(backend)?;
                    }
                    WriteOp::Delete { key } => {
                        table.remove(encode_key(key)?.as_str()).map_err(backend)?;
                    }
                    WriteOp::DeletePrefix { prefix } => {
                        let (start, end) = prefix_bounds(prefix)?;
                        table
                            .retain_in(start.as_str()..end.as_str(), |_, _| false)
                            .map_err(backend)?;
                    }
                    WriteOp::Take { key } => {
                        // Returning before `commit` drops (aborts) the whole transaction.
                        let removed = table.remove(encode_key(key)?.as_str()).map_err(backend)?;
                        if removed.is_none() {
                            return Err(StorageError::Conflict(key.clone()));
                        }
                    }
                    WriteOp::Create { key, value } => {
                        let encoded = encode_key(key)?;
                        if table.get(encoded.as_str()).map_err(backend)?.is_some() {
                            return Err(StorageError::Conflict(key.clone()));
                        }
                        table
                            .insert(encoded.as_str(), value.as_slice())
                            .map_err(backend)?;
                    }
                }
            }
        }
        txn.commit().map_err(backend)
    }
}

fn encode_key(key: &[String]) -> Result<String, StorageError> {
    let valid = !key.is_empty() && key.iter().all(|p| !p.is_empty() && !p.contains(SEPARATOR));
    if !valid {
        return Err(StorageError::InvalidKey(key.to_vec()));
    }
    Ok(key.join("\0"))
}

/// The key range of everything under `prefix`: `prefix\0...` up to `prefix\u{1}`.
fn prefix_bounds(prefix: &[String]) -> Result<(String, String), StorageError> {
    let base = encode_key(prefix)?;
    Ok((format!("{base}\0"), format!("{base}\u{1}")))
}

fn decode_key(encoded: &str) -> Key {
    encoded.split(SEPARATOR).map(str::to_owned).collect()
}

fn backend(error: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::key;

    #[test]
    fn prefix_ranges_match_whole_parts_only() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.put(key(["ab", "snapshot", "1"]), vec![1]);
        batch.put(key(["abc", "snapshot", "2"]), vec![2]);
        batch.put(key(["ab", "incremental", "3"]), vec![3]);
        store.commit(batch).unwrap();
        let snapshots = store.load_range(&key(["ab", "snapshot"])).unwrap();
        assert_eq!(snapshots, vec![(key(["ab", "snapshot", "1"]), vec![1])]);
        assert_eq!(store.load_range(&key(["ab"])).unwrap().len(), 2);
    }

    #[test]
    fn batch_applies_puts_and_deletes_in_order() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.put(key(["d", "incremental", "a"]), vec![1]);
        batch.delete(key(["d", "incremental", "a"]));
        batch.put(key(["d", "snapshot", "s"]), vec![2]);
        store.commit(batch).unwrap();
        assert_eq!(store.load(&key(["d", "incremental", "a"])).unwrap(), None);
        assert_eq!(
            store.load(&key(["d", "snapshot", "s"])).unwrap(),
            Some(vec![2])
        );
    }

    #[test]
    fn pages_walk_every_key_in_order() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        for n in 0..10 {
            batch.put(key(["k", &format!("{n:02}")]), vec![n; 100]);
        }
        store.commit(batch).unwrap();
        let first = store.load_page(None, 250).unwrap();
        assert_eq!(first.len(), 3, "stops after passing 250 bytes");
        let last = &first[2].0;
        let rest = store.load_page(Some(last), usize::MAX).unwrap();
        assert_eq!(rest.len(), 7);
        assert_eq!(rest[0].0, key(["k", "03"]));
    }

    #[test]
    fn take_deletes_an_existing_key() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.put(key(["code", "1234"]), vec![1]);
        store.commit(batch).unwrap();
        let mut batch = WriteBatch::default();
        batch.take(key(["code", "1234"]));
        batch.put(key(["device", "d1"]), vec![2]);
        store.commit(batch).unwrap();
        assert_eq!(store.load(&key(["code", "1234"])).unwrap(), None);
        assert_eq!(store.load(&key(["device", "d1"])).unwrap(), Some(vec![2]));
    }

    #[test]
    fn take_of_a_missing_key_fails_the_whole_batch() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.put(key(["code", "1234"]), vec![1]);
        store.commit(batch).unwrap();
        let redeem = || {
            let mut batch = WriteBatch::default();
            batch.put(key(["device", "d1"]), vec![2]);
            batch.take(key(["code", "1234"]));
            batch
        };
        store.commit(redeem()).unwrap();
        let mut forget = WriteBatch::default();
        forget.delete(key(["device", "d1"]));
        store.commit(forget).unwrap();
        let second = store.commit(redeem());
        assert!(
            matches!(&second, Err(StorageError::Conflict(k)) if *k == key(["code", "1234"])),
            "{second:?}"
        );
        assert_eq!(
            store.load(&key(["device", "d1"])).unwrap(),
            None,
            "the put before the failed take is rolled back"
        );
    }

    #[test]
    fn redb_is_always_the_arbiter_and_has_no_notices() {
        let store = RedbStore::in_memory().unwrap();
        assert!(store.is_arbiter());
        assert!(store.subscribe().unwrap().is_none());
        let mut batch = WriteBatch::default();
        batch.put(key(["wish", "w1", "claim-order"]), vec![1]);
        batch.require_arbiter();
        assert!(batch.requires_arbiter());
        store.commit(batch).unwrap();
        assert_eq!(
            store.load(&key(["wish", "w1", "claim-order"])).unwrap(),
            Some(vec![1])
        );
    }

    #[test]
    fn extending_a_batch_keeps_the_arbiter_mark() {
        let mut marked = WriteBatch::default();
        marked.require_arbiter();
        let mut batch = WriteBatch::default();
        assert!(!batch.requires_arbiter());
        batch.extend(marked);
        assert!(batch.requires_arbiter());
    }

    #[test]
    fn invalid_keys_are_refused_and_nothing_is_written() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.put(key(["ok"]), vec![1]);
        batch.put(key(["bad\0part"]), vec![2]);
        assert!(matches!(
            store.commit(batch),
            Err(StorageError::InvalidKey(_))
        ));
        assert_eq!(store.load(&key(["ok"])).unwrap(), None);
    }

    #[test]
    fn create_fails_the_whole_batch_when_the_key_exists() {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        batch.create(key(["id"]), b"first".to_vec());
        store.commit(batch).unwrap();
        let mut again = WriteBatch::default();
        again.put(key(["other"]), vec![1]);
        again.create(key(["id"]), b"second".to_vec());
        assert!(matches!(
            store.commit(again),
            Err(StorageError::Conflict(_))
        ));
        assert_eq!(store.load(&key(["id"])).unwrap(), Some(b"first".to_vec()));
        assert_eq!(store.load(&key(["other"])).unwrap(), None);
    }

    #[test]
    fn data_survives_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.redb");
        {
            let store = RedbStore::open(&path).unwrap();
            let mut batch = WriteBatch::default();
            batch.put(key(["meta", "storage-id"]), b"abc".to_vec());
            store.commit(batch).unwrap();
        }
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(
            store.load(&key(["meta", "storage-id"])).unwrap(),
            Some(b"abc".to_vec())
        );
    }

    #[test]
    fn compaction_removes_deleted_bytes_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.redb");
        let marker = b"RESIDENT-PHONE-13800138000";
        {
            let store = RedbStore::open(&path).unwrap();
            let mut batch = WriteBatch::default();
            for n in 0..200 {
                batch.put(key(["kept", &n.to_string()]), vec![7; 2_000]);
                batch.put(key(["contact", &n.to_string()]), marker.repeat(500));
            }
            store.commit(batch).unwrap();
            let mut batch = WriteBatch::default();
            for n in 0..200 {
                batch.delete(key(["contact", &n.to_string()]));
            }
            store.commit(batch).unwrap();
        }
        let contains_marker = |p: &Path| {
            let bytes = std::fs::read(p).unwrap();
            bytes.windows(marker.len()).any(|w| w == marker)
        };
        assert!(
            contains_marker(&path),
            "redb keeps freed pages as they were"
        );
        let (before, after) = RedbStore::compact_file(&path).unwrap();
        assert!(after < before, "{before} -> {after}");
        assert!(
            !contains_marker(&path),
            "after compaction the bytes are gone"
        );
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(store.load_range(&["kept".to_owned()]).unwrap().len(), 200);
    }
}
