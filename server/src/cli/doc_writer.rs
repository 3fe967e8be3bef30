//! Writing whole documents straight into a data directory's store, for offline commands
//! (`demo`, `import`) that run while the server is stopped. Each document becomes one
//! snapshot chunk in the automerge-repo layout; wishes also get their summary row, exactly
//! as the server would after a sync.

use automerge::Automerge;
use wish_client_core::model::wish::WishView;
use wish_client_core::proto::DocumentId;
use wish_client_core::storage_keys::snapshot_key;

use crate::domain::summary_key;
use crate::storage::{Storage, WriteBatch};

/// Documents to write in one transaction: all or nothing.
#[derive(Default)]
pub struct DocBatch {
    batch: WriteBatch,
    pub documents: usize,
    pub wishes: usize,
}

impl DocBatch {
    /// Adds a document (and its summary row if it is a wish).
    pub fn add(&mut self, id: DocumentId, doc: &Automerge) -> anyhow::Result<()> {
        self.batch.put(snapshot_key(&id, &doc.get_heads()), doc.save());
        self.documents += 1;
        if let Ok(view) = WishView::read(doc) {
            self.batch.put(summary_key(&id.to_string()), serde_json::to_vec(&view.summary())?);
            self.wishes += 1;
        }
        Ok(())
    }

    /// Commits every document durably in one transaction.
    pub fn commit(self, storage: &dyn Storage) -> anyhow::Result<()> {
        storage.commit(self.batch)?;
        Ok(())
    }
}
