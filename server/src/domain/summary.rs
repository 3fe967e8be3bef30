//! Summary rows for office queries, kept in storage after every commit so that no query
//! ever loads documents: `["summary", wishDocId]` holds a JSON `WishSummary`, and
//! `["flag", "overdraft", ledgerDocId]` the ids of redemptions that overdraw a balance.

use std::collections::BTreeMap;

use automerge::Automerge;
use serde::Serialize;
use wish_client_core::model::ledger::LedgerView;
use wish_client_core::model::wish::{WishSummary, WishView};
use wish_client_core::proto::DocumentId;

use crate::storage::{key, Key, WriteBatch};

/// The first key part of every summary row.
pub const SUMMARY_PREFIX: &str = "summary";

/// The key of a wish document's summary row.
pub fn summary_key(doc_id: &str) -> Key {
    key([SUMMARY_PREFIX, doc_id])
}

/// Writes a wish's summary row; `read` is the wish as read by the caller, if it has.
pub fn write_wish_summary(
    id: &DocumentId,
    doc: &Automerge,
    read: Option<WishView>,
    writes: &mut WriteBatch,
) {
    match read.map(Ok).unwrap_or_else(|| WishView::read(doc)) {
        Ok(view) => match serde_json::to_vec(&view.summary()) {
            Ok(bytes) => writes.put(summary_key(&id.to_string()), bytes),
            Err(error) => tracing::error!(doc = %id, %error, "summary not serialisable"),
        },
        Err(error) => {
            tracing::warn!(doc = %id, %error, "wish does not follow the schema; no summary")
        }
    }
}

/// Writes the ids of a ledger's redemptions that overdraw a balance (often none).
pub fn write_overdraft_flags(id: &DocumentId, view: &LedgerView, writes: &mut WriteBatch) {
    let flagged: Vec<String> = view
        .overdrawn_redemptions()
        .into_iter()
        .map(|e| e.id.clone())
        .collect();
    if !flagged.is_empty() {
        tracing::warn!(doc = %id, count = flagged.len(), "redemptions overdraw a balance");
    }
    if let Ok(bytes) = serde_json::to_vec(&flagged) {
        writes.put(key(["flag", "overdraft", &id.to_string()]), bytes);
    }
}

/// Counts over summary rows, as `GET /api/v1/summary` returns them.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct SummaryCounts {
    pub total: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_module: BTreeMap<String, u64>,
    pub by_station: BTreeMap<String, u64>,
}

impl SummaryCounts {
    pub fn add(&mut self, summary: &WishSummary) {
        self.total += 1;
        *self.by_status.entry(summary.status.clone()).or_default() += 1;
        let module = summary.module.clone().unwrap_or_else(|| "untriaged".into());
        *self.by_module.entry(module).or_default() += 1;
        *self.by_station.entry(summary.station.clone()).or_default() += 1;
    }
}
