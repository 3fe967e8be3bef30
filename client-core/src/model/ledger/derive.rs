//! Balances, hours, star levels and overdrawn redemptions, derived from the entries.

use std::collections::BTreeMap;

use super::account;
use super::{LedgerEntry, LedgerView};
use crate::model::order::by_at_id;
use crate::model::LedgerKind;

impl LedgerView {
    /// Entries in `(at, id)` order.
    pub fn ordered_entries(&self) -> Vec<&LedgerEntry> {
        let mut entries: Vec<&LedgerEntry> = self.entries.values().collect();
        entries.sort_by(|a, b| by_at_id(*a, *b));
        entries
    }

    /// Points balance of every account that has postings: the sum of its postings.
    pub fn balances(&self) -> BTreeMap<String, i64> {
        let mut balances = BTreeMap::new();
        for posting in self.ordered_entries().iter().flat_map(|e| &e.postings) {
            *balances.entry(posting.account.clone()).or_insert(0) += posting.points;
        }
        balances
    }

    /// Points balance of one account.
    pub fn balance(&self, account: &str) -> i64 {
        self.balances().get(account).copied().unwrap_or(0)
    }

    /// A person's service hours: the sum of hours postings to `person:<id>`.
    pub fn hours(&self, person: &str) -> f64 {
        let account = account::person(person);
        self.ordered_entries()
            .iter()
            .flat_map(|e| &e.postings)
            .filter(|p| p.account == account)
            .map(|p| p.hours)
            .sum()
    }

    /// The `redeem` entries that, applied in `(at, id)` order, take the balance of an
    /// account they debit below zero, in that order. The server flags them for a
    /// coordinator; they are never dropped.
    pub fn overdrawn_redemptions(&self) -> Vec<&LedgerEntry> {
        let mut balances: BTreeMap<&str, i64> = BTreeMap::new();
        let mut flagged = Vec::new();
        for entry in self.ordered_entries() {
            let mut overdrawn = false;
            for posting in &entry.postings {
                let balance = balances.entry(posting.account.as_str()).or_insert(0);
                *balance += posting.points;
                overdrawn |= posting.points < 0 && *balance < 0 && !is_community(&posting.account);
            }
            if overdrawn && entry.kind == LedgerKind::Redeem {
                flagged.push(entry);
            }
        }
        flagged
    }

    /// The reversal entry that negates `entry_id`, if any.
    pub fn reversal_of(&self, entry_id: &str) -> Option<&LedgerEntry> {
        self.entries
            .values()
            .find(|e| e.kind == LedgerKind::Reversal && e.reason == entry_id)
    }
}

fn is_community(account: &str) -> bool {
    account.starts_with("community:")
}

/// The star level for `hours`: how many of the (ascending) thresholds the hours reach, 0–5.
pub fn star_level(hours: f64, thresholds: &[f64]) -> u8 {
    let reached = thresholds.iter().filter(|t| hours >= **t).count();
    u8::try_from(reached.min(5)).unwrap_or(5)
}
