//! The document every workload edits: a map whose key `n` holds the number of the last
//! change (0 when created). One small change sets `n` to the next number.

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ReadDoc, ROOT};
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::ClientDriver;

const KEY: &str = "n";

/// Creates a counter document with `n = 0`. Returns its id and the hash of that change.
pub fn create(driver: &mut ClientDriver) -> anyhow::Result<(DocumentId, ChangeHash)> {
    let id = driver.create_document(rand::random())?;
    let hash = set(driver, id, 0)?;
    Ok((id, hash))
}

/// Sets `n`; returns the hash of the new change.
pub fn set(driver: &mut ClientDriver, id: DocumentId, n: u64) -> anyhow::Result<ChangeHash> {
    let value = i64::try_from(n)?;
    let hash = driver.change(id, |doc| {
        let mut tx = doc.transaction();
        tx.put(ROOT, KEY, value)?;
        Ok::<_, automerge::AutomergeError>(tx.commit().0)
    })??;
    hash.ok_or_else(|| anyhow::anyhow!("setting the counter of {id} made no change"))
}

/// The value of `n`, if the document has one.
pub fn read(doc: &Automerge) -> Option<u64> {
    let (value, _) = doc.get(ROOT, KEY).ok()??;
    u64::try_from(value.as_i64()?).ok()
}

/// The heads of a document the driver holds (empty when it holds none).
pub fn heads(driver: &ClientDriver, id: &DocumentId) -> Vec<ChangeHash> {
    driver
        .document(id)
        .map(Automerge::get_heads)
        .unwrap_or_default()
}
