//! The server writes a confirmation's `earn` entry when the confirming tablet could not
//! (it did not hold the community ledger yet).
//!
//! The hook knows each community's ledger and the earn entries it holds (`LedgerIndex`:
//! read from the ledger office rows at start, kept current from every ledger change).
//! When a wish's confirmations imply an earn entry the ledger lacks, the hook asks the
//! engine for a follow-up edit of the ledger that writes exactly the entry the
//! confirming tablet would have written (`ops::wish::confirmed_earn_entries`: same id
//! `earn-<wish>-<claim>`, same content). Written twice — by the server and by a tablet
//! that held the ledger after all, or by two coordinators — the id is one map key, so
//! the ledger counts it once.

use std::collections::{BTreeSet, HashMap};

use automerge::Automerge;
use wish_client_core::model::ledger::{LedgerEntry, LedgerView};
use wish_client_core::model::LedgerKind;
use wish_client_core::model::WishView;
use wish_client_core::ops::ledger::record_earn;
use wish_client_core::ops::wish::confirmed_earn_entries;
use wish_client_core::proto::DocumentId;

use super::office_rows::{LedgerSummary, LEDGER_PREFIX};
use crate::engine::{FollowUp, HookContext};
use crate::storage::{Storage, StorageError};

/// Each community's ledger document and the ids of its earn entries.
#[derive(Debug, Default)]
pub struct LedgerIndex {
    ledgers: HashMap<String, (DocumentId, BTreeSet<String>)>,
}

impl LedgerIndex {
    /// From the ledger office rows (`["ledger-summary", ledgerDocId]`).
    pub fn load(storage: &dyn Storage) -> Result<Self, StorageError> {
        let mut index = Self::default();
        for (key, bytes) in storage.load_range(&[LEDGER_PREFIX.to_owned()])? {
            let doc = key.get(1).and_then(|d| d.parse::<DocumentId>().ok());
            let summary = serde_json::from_slice::<LedgerSummary>(&bytes).ok();
            if let (Some(doc), Some(summary)) = (doc, summary) {
                let earns = summary.earns.into_iter().map(|e| e.id).collect();
                index.ledgers.insert(summary.community, (doc, earns));
            }
        }
        Ok(index)
    }

    /// Learns a ledger after it changed.
    pub fn learn(&mut self, doc: DocumentId, ledger: &LedgerView) {
        let earns = ledger
            .entries
            .values()
            .filter(|e| e.kind == LedgerKind::Earn)
            .map(|e| e.id.clone())
            .collect();
        self.ledgers.insert(ledger.community.clone(), (doc, earns));
    }

    /// The wish's implied earn entries its community's ledger lacks, with that ledger.
    fn missing(&self, wish: &WishView) -> Option<(DocumentId, Vec<LedgerEntry>)> {
        let (doc, earns) = self.ledgers.get(&wish.community)?;
        let missing: Vec<LedgerEntry> = confirmed_earn_entries(wish)
            .into_iter()
            .filter(|e| !earns.contains(&e.id))
            .collect();
        (!missing.is_empty()).then_some((*doc, missing))
    }
}

/// Asks for the earn entries `wish` implies and its ledger lacks.
pub fn repair_earns(ctx: &mut HookContext<'_>, index: &LedgerIndex, wish: &WishView) {
    let Some((ledger, entries)) = index.missing(wish) else {
        return;
    };
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    tracing::info!(wish = %ctx.doc_id, %ledger, entries = ?ids, "writing missing earn entries");
    ctx.follow_ups.push(FollowUp {
        doc: ledger,
        what: format!("earn entries {}", ids.join(", ")),
        edit: Box::new(move |doc: &mut Automerge| write_missing(doc, &entries)),
    });
}

/// Writes each entry the ledger does not hold yet (none twice: `record_earn` skips an
/// id already there, so running this again changes nothing).
fn write_missing(doc: &mut Automerge, entries: &[LedgerEntry]) -> Result<(), String> {
    for entry in entries {
        record_earn(doc, entry).map_err(|e| e.to_string())?;
    }
    Ok(())
}
