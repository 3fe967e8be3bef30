//! Roster shifts: adding, covering and swapping assignees.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value, ROOT};

use super::clock::{check_date, check_time};
use crate::model::station::Shift;
use crate::model::{DocType, MemberKind, StationView};
use crate::ops::write::{child_map, commit, ensure_writable, new_id, non_empty, put_entry, s};
use crate::ops::DomainError;

/// A new shift of the roster; assignees may be empty (an uncovered shift).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShift {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, station local time.
    pub start: String,
    /// `HH:MM`, after `start`.
    pub end: String,
    pub assignees: BTreeMap<String, MemberKind>,
    pub note: String,
}

/// Adds a shift to the roster. Refuses a used id, malformed date or times, and a shift
/// that does not end after it starts.
pub fn add_shift(doc: &mut Automerge, shift: &NewShift, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Station)?;
    new_id(doc, &ROOT, "shifts", &shift.id)?;
    check_date(&shift.date)?;
    check_time(&shift.start)?;
    check_time(&shift.end)?;
    if shift.start >= shift.end {
        return Err(DomainError::InvalidShiftTimes);
    }
    for id in shift.assignees.keys() {
        non_empty("assignee", id)?;
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&shift.id)),
            ("date", s(&shift.date)),
            ("start", s(&shift.start)),
            ("end", s(&shift.end)),
            ("note", s(&shift.note)),
        ];
        let obj = put_entry(tx, &ROOT, "shifts", &shift.id, fields)?;
        tx.put_object(&obj, "assignees", ObjType::Map)?;
        tx.put_object(&obj, "checkins", ObjType::Map)?;
        for (id, kind) in &shift.assignees {
            put_entry(tx, &obj, "assignees", id, vec![("kind", s(kind.as_str()))])?;
        }
        Ok(())
    })
}

/// Adds an assignee to a shift (e.g. to cover an uncovered one). Refuses someone
/// already on the shift.
pub fn cover(
    doc: &mut Automerge,
    shift_id: &str,
    assignee: &str,
    kind: MemberKind,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("assignee", assignee)?;
    let (shift, obj) = load_shift(doc, shift_id)?;
    if shift.assignees.contains_key(assignee) {
        return Err(DomainError::AlreadyAssignee(assignee.to_owned()));
    }
    commit(doc, now_ms, |tx| {
        put_entry(
            tx,
            &obj,
            "assignees",
            assignee,
            vec![("kind", s(kind.as_str()))],
        )
        .map(|_| ())
    })
}

/// Hands `from`'s place on the shift to `to` in one change (removes one assignee, adds
/// the other). Refuses when `from` is not on the shift or already checked in, or `to`
/// already is on it.
pub fn swap(
    doc: &mut Automerge,
    shift_id: &str,
    from: &str,
    to: &str,
    to_kind: MemberKind,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("to", to)?;
    let (shift, obj) = load_shift(doc, shift_id)?;
    if !shift.assignees.contains_key(from) {
        return Err(DomainError::NotAssignee(from.to_owned()));
    }
    if shift.checkins.contains_key(from) {
        return Err(DomainError::AlreadyCheckedIn(from.to_owned()));
    }
    if shift.assignees.contains_key(to) {
        return Err(DomainError::AlreadyAssignee(to.to_owned()));
    }
    commit(doc, now_ms, |tx| {
        let assignees = child_map(tx, &obj, "assignees")?;
        tx.delete(&assignees, from)?;
        put_entry(
            tx,
            &obj,
            "assignees",
            to,
            vec![("kind", s(to_kind.as_str()))],
        )
        .map(|_| ())
    })
}

/// Reads the shift and its object id for an operation on it.
pub(crate) fn load_shift(doc: &Automerge, shift_id: &str) -> Result<(Shift, ObjId), DomainError> {
    ensure_writable(doc, DocType::Station)?;
    let not_found = || DomainError::NotFound {
        what: "shift",
        id: shift_id.to_owned(),
    };
    let shift = StationView::read(doc)?
        .shifts
        .remove(shift_id)
        .ok_or_else(not_found)?;
    let Some((Value::Object(ObjType::Map), shifts)) = doc.get(ROOT, "shifts")? else {
        return Err(not_found());
    };
    match doc.get(&shifts, shift_id)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok((shift, obj)),
        _ => Err(not_found()),
    }
}
