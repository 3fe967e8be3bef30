//! Creating the ledger and writing one checked entry.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, AutomergeError, ObjId, ObjType, ScalarValue, ROOT};

use crate::model::ledger::LedgerEntry;
use crate::model::DocType;
use crate::ops::write::{
    commit, ensure_empty, int, new_id, non_empty, opt_s, put_entry, put_fields, put_header, s,
};
use crate::ops::DomainError;

/// Initialises an empty document as the ledger of `community` (one per community).
pub fn create_ledger(doc: &mut Automerge, community: &str, now_ms: u64) -> Result<(), DomainError> {
    non_empty("community", community)?;
    ensure_empty(doc)?;
    commit(doc, now_ms, |tx| {
        put_header(tx, DocType::Ledger)?;
        tx.put(ROOT, "community", community)?;
        tx.put_object(ROOT, "entries", ObjType::Map).map(|_| ())
    })
}

/// Checks that the postings balance and the id is new, then writes the entry.
pub(crate) fn write_entry(doc: &mut Automerge, entry: &LedgerEntry) -> Result<(), DomainError> {
    new_id(doc, &ROOT, "entries", &entry.id)?;
    non_empty("by", &entry.by)?;
    check_balanced(entry)?;
    commit(doc, entry.at, |tx| put(tx, entry))
}

fn check_balanced(entry: &LedgerEntry) -> Result<(), DomainError> {
    if entry.postings.is_empty() {
        return Err(DomainError::InvalidEntry("an entry needs postings"));
    }
    if entry
        .postings
        .iter()
        .any(|p| p.account.is_empty() || !p.hours.is_finite())
    {
        return Err(DomainError::InvalidEntry(
            "every posting needs an account and finite hours",
        ));
    }
    if entry.points_sum() != 0 || entry.hours_sum() != 0.0 {
        return Err(DomainError::InvalidEntry("postings must sum to zero"));
    }
    Ok(())
}

fn put(tx: &mut Transaction<'_>, entry: &LedgerEntry) -> Result<(), AutomergeError> {
    let fields = vec![
        ("id", s(&entry.id)),
        ("kind", s(entry.kind.as_str())),
        ("at", Some(int(entry.at))),
        ("by", s(&entry.by)),
        ("reason", s(&entry.reason)),
        ("wish", opt_s(entry.wish.as_deref())),
        ("claim", opt_s(entry.claim.as_deref())),
        ("item", opt_s(entry.item.as_deref())),
    ];
    let obj = put_entry(tx, &ROOT, "entries", &entry.id, fields)?;
    put_postings(tx, &obj, entry)
}

fn put_postings(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    entry: &LedgerEntry,
) -> Result<(), AutomergeError> {
    let list = tx.put_object(obj, "postings", ObjType::List)?;
    for (i, posting) in entry.postings.iter().enumerate() {
        let map = tx.insert_object(&list, i, ObjType::Map)?;
        let fields = vec![
            ("account", s(&posting.account)),
            ("points", Some(ScalarValue::Int(posting.points))),
            ("hours", Some(ScalarValue::F64(posting.hours))),
        ];
        put_fields(tx, &map, fields)?;
    }
    Ok(())
}
