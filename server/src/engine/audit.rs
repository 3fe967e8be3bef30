//! The audit log: connections, refusals, deletions, written in the same commits as the
//! engine's other writes under `["audit", time, "engine-" seq]` (JSON).

use serde::Serialize;

use super::Engine;
use crate::storage::WriteBatch;

/// One audit record.
#[derive(Debug, Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct AuditRecord {
    pub at: u64,
    pub kind: String,
    pub device: String,
    pub detail: String,
}

/// The key of an audit record; zero-padded time keeps the log in time order.
pub fn audit_key(at: u64, source: &str, seq: u64) -> Vec<String> {
    vec![
        "audit".into(),
        format!("{at:016}"),
        format!("{source}-{seq:010}"),
    ]
}

impl Engine {
    pub(super) fn audit(&mut self, kind: &str, device: &str, detail: &str) {
        tracing::info!(kind, device, detail, "audit");
        self.counters.audited(kind);
        let record = AuditRecord {
            at: self.now_ms,
            kind: kind.into(),
            device: device.into(),
            detail: detail.into(),
        };
        let Ok(bytes) = serde_json::to_vec(&record) else {
            return;
        };
        self.audit_seq += 1;
        let mut batch = WriteBatch::default();
        batch.put(audit_key(self.now_ms, "engine", self.audit_seq), bytes);
        self.persist(batch);
    }
}
