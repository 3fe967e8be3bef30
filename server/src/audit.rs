//! The audit log in storage: `["audit", time (16 digits), source-seq]` → JSON record.
//! The engine writes connections, refusals and deletions in its own commits; the API and
//! the CLI write administrative actions here.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::audit_key;
pub use crate::engine::AuditRecord;
use crate::storage::{Storage, StorageError, WriteBatch};

static SEQ: AtomicU64 = AtomicU64::new(0);

/// Appends one record, durably.
pub fn write(
    storage: &dyn Storage,
    kind: &str,
    device: &str,
    detail: &str,
) -> Result<(), StorageError> {
    let at = crate::clock::now_ms();
    let record = AuditRecord {
        at,
        kind: kind.into(),
        device: device.into(),
        detail: detail.into(),
    };
    let bytes = serde_json::to_vec(&record).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let mut batch = WriteBatch::default();
    batch.put(
        audit_key(
            at,
            &format!("api{}", std::process::id()),
            SEQ.fetch_add(1, Ordering::Relaxed),
        ),
        bytes,
    );
    storage.commit(batch)
}

/// Records at or after `since_ms`, oldest first, at most `limit`.
pub fn read(
    storage: &dyn Storage,
    since_ms: u64,
    limit: usize,
) -> Result<Vec<AuditRecord>, StorageError> {
    read_matching(storage, since_ms, limit, |_| true)
}

/// Like [`read`], keeping only the records `keep` accepts (a community's devices).
pub fn read_matching(
    storage: &dyn Storage,
    since_ms: u64,
    limit: usize,
    keep: impl Fn(&AuditRecord) -> bool,
) -> Result<Vec<AuditRecord>, StorageError> {
    let rows = storage.load_range(&["audit".to_owned()])?;
    Ok(rows
        .into_iter()
        .filter_map(|(_, bytes)| serde_json::from_slice::<AuditRecord>(&bytes).ok())
        .filter(|r| r.at >= since_ms && keep(r))
        .take(limit)
        .collect())
}
