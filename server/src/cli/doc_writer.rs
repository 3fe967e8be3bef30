//! Writing whole documents straight into a data directory's store, for offline commands
//! (`demo`, `import`) that run while the server is stopped. Each document becomes one
//! snapshot chunk in the automerge-repo layout, with the rows the server derives from it
//! after a sync (`domain::write_derived_rows`, the same function).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use automerge::Automerge;
use wish_client_core::model::{doc_type, DocType};
use wish_client_core::proto::DocumentId;
use wish_client_core::storage_keys::snapshot_key;

use crate::domain::{write_derived_rows, Read};
pub use crate::storage::documents::{load_doc, StoredDoc};
use crate::storage::{RedbStore, Storage, WriteBatch};

/// Opens the store of `data_dir` for an offline command. redb locks the file, so this
/// fails while a server has the same data directory open; the error says so.
pub fn open_offline_store(data_dir: &Path) -> anyhow::Result<Arc<RedbStore>> {
    crate::server::open_store(data_dir).with_context(|| {
        format!(
            "cannot open the store in {}: is a server running on this data directory? \
             Stop it first",
            data_dir.display()
        )
    })
}

/// Documents to write in one transaction: all or nothing.
#[derive(Default)]
pub struct DocBatch {
    batch: WriteBatch,
    pub documents: usize,
    pub wishes: usize,
}

impl DocBatch {
    /// Adds a document with the rows the server derives from it (a wish's summary, a
    /// ledger's overdraft flags, the office row of a station, community or ledger): the
    /// domain hook's own [`write_derived_rows`].
    pub fn add(&mut self, id: DocumentId, doc: &Automerge) -> anyhow::Result<()> {
        let key = snapshot_key(&id, &doc.get_heads());
        self.batch.put(key, doc.save());
        self.documents += 1;
        if doc_type(doc) == Some(DocType::Wish) {
            self.wishes += 1;
        }
        write_derived_rows(&id, doc, Read::Nothing, &mut self.batch);
        Ok(())
    }

    /// Replaces a stored document with one snapshot of its new state: the chunks it was
    /// loaded from are deleted in the same transaction (compaction, as the server does).
    pub fn replace(&mut self, id: DocumentId, stored: StoredDoc) -> anyhow::Result<()> {
        let new_key = snapshot_key(&id, &stored.doc.get_heads());
        self.add(id, &stored.doc)?;
        for old in stored.chunks.into_iter().filter(|k| *k != new_key) {
            self.batch.delete(old);
        }
        Ok(())
    }

    /// Deletes every stored key of a document and leaves a tombstone that refuses its
    /// re-upload (a resident's contact document, deleted on request).
    pub fn delete_document(&mut self, id: DocumentId, now_ms: u64) {
        self.batch.delete_prefix(vec![id.to_string()]);
        self.batch.put(
            crate::engine::tombstone_key(&id),
            now_ms.to_string().into_bytes(),
        );
    }

    /// Commits every document durably in one transaction.
    pub fn commit(self, storage: &dyn Storage) -> anyhow::Result<()> {
        storage.commit(self.batch)?;
        Ok(())
    }
}
