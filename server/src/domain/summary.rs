//! Summary rows for office queries, kept in storage after every commit so that no query
//! ever loads documents: `["summary", wishDocId]` holds a JSON `WishSummary`, and
//! `["flag", "overdraft", ledgerDocId]` the ids of redemptions that overdraw a balance.

use std::collections::BTreeMap;

use serde::Serialize;
use wish_client_core::model::ledger::LedgerView;
use wish_client_core::model::wish::{WishSummary, WishView};

use crate::engine::HookContext;
use crate::storage::{key, Key};

/// The first key part of every summary row.
pub const SUMMARY_PREFIX: &str = "summary";

/// The key of a wish document's summary row.
pub fn summary_key(doc_id: &str) -> Key {
    key([SUMMARY_PREFIX, doc_id])
}

pub fn write_wish_summary(ctx: &mut HookContext<'_>) {
    let read = ctx
        .wish
        .take()
        .map(Ok)
        .unwrap_or_else(|| WishView::read(ctx.doc));
    match read {
        Ok(view) => match serde_json::to_vec(&view.summary()) {
            Ok(bytes) => ctx.writes.put(summary_key(&ctx.doc_id.to_string()), bytes),
            Err(error) => tracing::error!(doc = %ctx.doc_id, %error, "summary not serialisable"),
        },
        Err(error) => {
            tracing::warn!(doc = %ctx.doc_id, %error, "wish does not follow the schema; no summary")
        }
    }
}

pub fn write_overdraft_flags(ctx: &mut HookContext<'_>, view: &LedgerView) {
    let flagged: Vec<String> = view
        .overdrawn_redemptions()
        .into_iter()
        .map(|e| e.id.clone())
        .collect();
    if !flagged.is_empty() {
        tracing::warn!(doc = %ctx.doc_id, count = flagged.len(), "redemptions overdraw a balance");
    }
    if let Ok(bytes) = serde_json::to_vec(&flagged) {
        ctx.writes
            .put(key(["flag", "overdraft", &ctx.doc_id.to_string()]), bytes);
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
