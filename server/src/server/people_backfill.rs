//! Fills in `person_ids` and `names` of community rows written before enrollment checked
//! the directory and the office named people, once at start (before the engine thread owns the storage; communities are
//! few, so this reads a handful of documents).

use wish_client_core::proto::DocumentId;

use crate::cli::doc_writer::load_doc;
use crate::domain::office_rows::{office_row, CommunitySummary, COMMUNITY_PREFIX};
use crate::storage::{Storage, WriteBatch};

/// Rewrites every community row without `person_ids` or `names` from its document.
pub fn fill_person_ids(storage: &dyn Storage) -> anyhow::Result<()> {
    let mut batch = WriteBatch::default();
    for (key, bytes) in storage.load_range(&[COMMUNITY_PREFIX.to_owned()])? {
        let stale = serde_json::from_slice::<CommunitySummary>(&bytes)
            .is_ok_and(|row| row.person_ids.is_none() || row.names.is_none());
        let doc_id = key.get(1).and_then(|d| d.parse::<DocumentId>().ok());
        let (true, Some(doc_id)) = (stale, doc_id) else {
            continue;
        };
        let Some(stored) = load_doc(storage, &doc_id)? else {
            continue;
        };
        if let Some((key, bytes)) = office_row(&doc_id.to_string(), &stored.doc) {
            batch.put(key, bytes);
        }
    }
    if !batch.is_empty() {
        tracing::info!("community rows: person ids and names filled in");
        storage.commit(batch)?;
    }
    Ok(())
}
