//! The `ledger` document: points and hours movements of one community, double entry.
//!
//! Balances, hours and star levels are derived from the entries ([`LedgerView::balances`],
//! [`LedgerView::hours`], [`star_level`]); redemptions that overdraw are listed by
//! [`LedgerView::overdrawn_redemptions`] for coordinators.

pub mod account;
mod derive;
mod entry;
mod statement;

use std::collections::BTreeMap;

use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

use super::doc_type::expect_type;
use super::read::{read_entries, req_str};
use super::{DocType, ModelError};
pub use derive::star_level;
pub use entry::{LedgerEntry, Posting};
pub use statement::{StarRow, Statement, StatementLine};

/// The id of the `earn` entry for a confirmed claim: `earn-<wishId>-<claimId>`.
pub fn earn_id(wish_id: &str, claim_id: &str) -> String {
    format!("earn-{wish_id}-{claim_id}")
}

/// The id of the reversal of an entry: `reversal-<entryId>`, so two coordinators
/// reversing the same entry offline write one reversal.
pub fn reversal_id(entry_id: &str) -> String {
    format!("reversal-{entry_id}")
}

/// A ledger document read into plain values. Required: `community`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerView {
    pub community: String,
    /// Entry id → entry. Entries whose kind a newer schema added are skipped.
    pub entries: BTreeMap<String, LedgerEntry>,
}

impl LedgerView {
    /// Reads a ledger document; call it after every change or merge.
    pub fn read(doc: &Automerge) -> Result<LedgerView, ModelError> {
        expect_type(doc, DocType::Ledger)?;
        Ok(LedgerView {
            community: req_str(doc, &ROOT, "community")?,
            entries: read_entries(doc, &ROOT, "entries", entry::read_entry)?
                .into_iter()
                .flatten()
                .map(|e| (e.id.clone(), e))
                .collect(),
        })
    }
}
