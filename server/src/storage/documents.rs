//! Reading a whole document back from its stored chunks, outside the engine: the offline
//! commands (`demo`, `import`, `contact`), the start-up backfill, the import's checks and
//! the audited personal-data export. Stored bytes are untrusted (a damaged disk, an old
//! version), so automerge runs under `catch_unwind` here as in the engine: a panic is an
//! unreadable document, never a dead thread.

use std::panic::{catch_unwind, AssertUnwindSafe};

use anyhow::{anyhow, Context};
use automerge::Automerge;
use wish_client_core::proto::DocumentId;
use wish_client_core::storage_keys::{chunk_kind, ChunkKind};

use super::{Key, Storage};

/// A document read back from the store, with the keys of the chunks it was built from.
pub struct StoredDoc {
    pub doc: Automerge,
    pub(crate) chunks: Vec<Key>,
}

/// Loads a document from its snapshot and incremental chunks; `None` if the store has
/// none; an error if a chunk is unreadable (or makes automerge panic).
pub fn load_doc(storage: &dyn Storage, id: &DocumentId) -> anyhow::Result<Option<StoredDoc>> {
    let entries = storage.load_range(&[id.to_string()])?;
    let mut doc = Automerge::new();
    let mut chunks = Vec::new();
    for (key, bytes) in entries {
        if matches!(
            chunk_kind(&key),
            Some(ChunkKind::Snapshot | ChunkKind::Incremental)
        ) {
            catch_unwind(AssertUnwindSafe(|| doc.load_incremental(&bytes)))
                .map_err(|_| anyhow!("loading panicked"))
                .and_then(|loaded| loaded.map_err(anyhow::Error::from))
                .with_context(|| format!("stored chunk {key:?} of {id} is unreadable"))?;
            chunks.push(key);
        }
    }
    Ok((!chunks.is_empty()).then_some(StoredDoc { doc, chunks }))
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use wish_client_core::storage_keys::snapshot_key;

    use super::*;
    use crate::storage::{RedbStore, WriteBatch};

    fn store_with(id: &DocumentId, bytes: Vec<u8>) -> anyhow::Result<RedbStore> {
        let store = RedbStore::in_memory()?;
        let mut batch = WriteBatch::default();
        batch.put(snapshot_key(id, &[]), bytes);
        store.commit(batch)?;
        Ok(store)
    }

    #[test]
    fn a_stored_document_loads_and_damaged_bytes_are_an_error() -> anyhow::Result<()> {
        let id = DocumentId::from_bytes([3; 16]);
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "title", "修路由器")?;
        tx.commit();
        let loaded = load_doc(&store_with(&id, doc.save())?, &id)?;
        assert_eq!(loaded.map(|s| s.doc.get_heads()), Some(doc.get_heads()));
        let damaged = store_with(&id, b"\x85\x6f\x4a\x83garbage".to_vec())?;
        assert!(load_doc(&damaged, &id).is_err());
        let other = DocumentId::from_bytes([4; 16]);
        assert!(load_doc(&damaged, &other)?.is_none());
        Ok(())
    }
}
