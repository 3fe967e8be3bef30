//! Refused changes in storage: `["refusal", device, time (16 digits)-seq]` → JSON record.
//!
//! The engine writes one record per refused change in the same commit as the audit
//! record; `GET /api/v1/refusals` answers a device with its own, newest first, so a
//! tablet that missed the live signal (an `ephemeral` message) still learns why.

use serde::{Deserialize, Serialize};

use crate::storage::{Key, Storage, StorageError};

/// The first key part of refusal records.
pub const PREFIX: &str = "refusal";

/// The `data` `type` of the ephemeral message that tells a peer its change was refused.
pub const SIGNAL_TYPE: &str = "wish-station/refused";

/// One refused change, as stored and as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalRecord {
    pub id: String,
    /// The document id (base58, without `automerge:`).
    pub doc: String,
    pub at: u64,
    /// The rule that refused it (`wish.assigned.add`, `schema`, `foreign-actor`, …).
    pub rule: String,
    /// Chinese first, then ` / ` and English.
    pub reason: String,
    /// Hex hashes of the refused changes.
    pub changes: Vec<String>,
}

/// The ephemeral payload sent to the writer (CBOR-encoded by the engine).
#[derive(Debug, Clone, Serialize)]
pub struct RefusalSignal<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: &'a str,
    pub rule: &'a str,
    pub reason: &'a str,
    pub changes: &'a [String],
}

/// The storage key of a device's refusal record.
pub fn key(device: &str, at: u64, seq: u64) -> Key {
    vec![
        PREFIX.to_owned(),
        device.to_owned(),
        format!("{at:016}-{seq:010}"),
    ]
}

/// A device's refusal records, newest first, at most `limit`.
pub fn read(
    storage: &dyn Storage,
    device: &str,
    limit: usize,
) -> Result<Vec<RefusalRecord>, StorageError> {
    let rows = storage.load_range(&[PREFIX.to_owned(), device.to_owned()])?;
    Ok(rows
        .into_iter()
        .rev()
        .filter_map(|(_, bytes)| serde_json::from_slice(&bytes).ok())
        .take(limit)
        .collect())
}
