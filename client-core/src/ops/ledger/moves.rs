//! The movements: earn, award, redeem and reverse.

use automerge::{Automerge, ROOT};

use super::entry::write_entry;
use crate::model::ledger::{account, earn_id, reversal_id, LedgerEntry, Posting};
use crate::model::{CommunityView, DocType, LedgerKind, LedgerView};
use crate::ops::write::{ensure_writable, entry_exists, non_empty};
use crate::ops::DomainError;

/// A manual award of points (and optionally hours) to a person.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Award {
    /// New entry id.
    pub id: String,
    /// Person id.
    pub person: String,
    pub points: i64,
    pub hours: f64,
    /// Why the award is given; required.
    pub reason: String,
    /// Person id of the coordinator.
    pub by: String,
}

/// A redemption of a catalogue item by a person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Redeem {
    /// New entry id.
    pub id: String,
    /// Person id.
    pub person: String,
    /// Catalogue item id.
    pub item: String,
    /// Person id of who recorded it.
    pub by: String,
}

/// Writes the `earn` entry returned by [`crate::ops::wish::confirm`]. Returns `false`
/// and writes nothing if the entry is already in the ledger (another station confirmed
/// the same claim). Refuses entries that are not earn entries with the deterministic id.
pub fn record_earn(doc: &mut Automerge, entry: &LedgerEntry) -> Result<bool, DomainError> {
    // One lookup, not a read of the whole ledger: an earn is written per confirmed
    // resolution, so reading every entry each time made a year of them quadratic.
    ensure_writable(doc, DocType::Ledger)?;
    let expected = match (&entry.wish, &entry.claim) {
        (Some(wish), Some(claim)) => earn_id(wish, claim),
        _ => {
            return Err(DomainError::InvalidEntry(
                "an earn entry names its wish and claim",
            ))
        }
    };
    if entry.kind != LedgerKind::Earn || entry.id != expected {
        return Err(DomainError::InvalidEntry(
            "an earn entry has the id earn-<wish>-<claim>",
        ));
    }
    if entry_exists(doc, &ROOT, "entries", &entry.id)? {
        return Ok(false);
    }
    write_entry(doc, entry)?;
    Ok(true)
}

/// Awards points (≥ 0) and hours (≥ 0, not both 0) to a person from `community:pool`.
pub fn award(doc: &mut Automerge, award: &Award, now_ms: u64) -> Result<(), DomainError> {
    load(doc)?;
    non_empty("person", &award.person)?;
    non_empty("reason", &award.reason)?;
    let hours_ok = award.hours.is_finite() && award.hours >= 0.0;
    if award.points < 0 || !hours_ok || (award.points == 0 && award.hours == 0.0) {
        return Err(DomainError::InvalidAmount(
            "an award gives points or hours, never negative",
        ));
    }
    let postings = transfer(
        account::POOL,
        &account::person(&award.person),
        award.points,
        award.hours,
    );
    write_entry(
        doc,
        &entry(
            &award.id,
            LedgerKind::Award,
            now_ms,
            &award.by,
            &award.reason,
            postings,
        ),
    )
}

/// Redeems a catalogue item: the item's points move from the person to
/// `community:redeemed`. Refuses unknown and retired items and a redemption above the person's
/// current balance on this replica; concurrent offline redemptions may still overdraw,
/// which [`LedgerView::overdrawn_redemptions`] flags.
pub fn redeem(
    doc: &mut Automerge,
    community: &CommunityView,
    redeem: &Redeem,
    now_ms: u64,
) -> Result<(), DomainError> {
    let ledger = load(doc)?;
    non_empty("person", &redeem.person)?;
    let item = community
        .catalogue
        .get(&redeem.item)
        .ok_or_else(|| DomainError::NotFound {
            what: "catalogue item",
            id: redeem.item.clone(),
        })?;
    if !item.active {
        return Err(DomainError::ItemRetired(item.id.clone()));
    }
    let person = account::person(&redeem.person);
    let balance = ledger.balance(&person);
    if balance < item.points {
        return Err(DomainError::InsufficientBalance {
            balance,
            points: item.points,
        });
    }
    let postings = transfer(&person, account::REDEEMED, item.points, 0.0);
    let mut entry = entry(
        &redeem.id,
        LedgerKind::Redeem,
        now_ms,
        &redeem.by,
        &item.name,
        postings,
    );
    entry.item = Some(item.id.clone());
    write_entry(doc, &entry)
}

/// Negates an entry with a `reversal` entry `reversal-<entryId>` whose `reason` names
/// it. Returns the reversal's id. Refuses unknown entries, reversals and entries
/// already reversed.
pub fn reverse(
    doc: &mut Automerge,
    entry_id: &str,
    by: &str,
    now_ms: u64,
) -> Result<String, DomainError> {
    let ledger = load(doc)?;
    let original = ledger
        .entries
        .get(entry_id)
        .ok_or_else(|| DomainError::NotFound {
            what: "entry",
            id: entry_id.to_owned(),
        })?;
    if original.kind == LedgerKind::Reversal {
        return Err(DomainError::InvalidEntry("a reversal cannot be reversed"));
    }
    if ledger.reversal_of(entry_id).is_some() {
        return Err(DomainError::AlreadyReversed(entry_id.to_owned()));
    }
    let postings = original
        .postings
        .iter()
        .map(|p| Posting {
            account: p.account.clone(),
            points: -p.points,
            hours: -p.hours,
        })
        .collect();
    let id = reversal_id(entry_id);
    write_entry(
        doc,
        &entry(&id, LedgerKind::Reversal, now_ms, by, entry_id, postings),
    )?;
    Ok(id)
}

fn load(doc: &Automerge) -> Result<LedgerView, DomainError> {
    ensure_writable(doc, DocType::Ledger)?;
    Ok(LedgerView::read(doc)?)
}

/// Two postings moving `points` and `hours` from one account to another.
fn transfer(from: &str, to: &str, points: i64, hours: f64) -> Vec<Posting> {
    vec![
        Posting {
            account: to.to_owned(),
            points,
            hours,
        },
        Posting {
            account: from.to_owned(),
            points: -points,
            hours: -hours,
        },
    ]
}

fn entry(
    id: &str,
    kind: LedgerKind,
    at: u64,
    by: &str,
    reason: &str,
    postings: Vec<Posting>,
) -> LedgerEntry {
    LedgerEntry {
        id: id.to_owned(),
        kind,
        at,
        by: by.to_owned(),
        reason: reason.to_owned(),
        wish: None,
        claim: None,
        item: None,
        postings,
    }
}
