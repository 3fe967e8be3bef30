//! Checking in and out of a shift (签到 / 签退).

use automerge::transaction::Transactable;
use automerge::Automerge;

use super::shifts::load_shift;
use crate::model::MemberKind;
use crate::ops::write::{child_map, commit, int, non_empty, put_entry, s};
use crate::ops::DomainError;

/// Records that an assignee of the shift arrived: `checkins[person] = {in, out: null}`.
/// Refuses people who are not assignees and a second check-in.
pub fn check_in(
    doc: &mut Automerge,
    shift_id: &str,
    person: &str,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("person", person)?;
    let (shift, obj) = load_shift(doc, shift_id)?;
    if !shift.assignees.contains_key(person) {
        return Err(DomainError::NotAssignee(person.to_owned()));
    }
    if shift.checkins.contains_key(person) {
        return Err(DomainError::AlreadyCheckedIn(person.to_owned()));
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![("in", Some(int(now_ms))), ("out", Some(().into()))];
        put_entry(tx, &obj, "checkins", person, fields).map(|_| ())
    })
}

/// Records, on the station's shared tablet (驿站公用平板), that an assignee of the shift
/// arrived: `checkins[person] = {in, out: null, device}`, where `device` is the shared
/// tablet's device id (the server accepts it only from that tablet, for a person on the
/// shift). Refuses as [`check_in`] does.
pub fn check_in_on_duty(
    doc: &mut Automerge,
    shift_id: &str,
    person: &str,
    device: &str,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("device", device)?;
    non_empty("person", person)?;
    let (shift, obj) = load_shift(doc, shift_id)?;
    if shift.assignees.get(person) != Some(&MemberKind::Person) {
        return Err(DomainError::NotAssignee(person.to_owned()));
    }
    if shift.checkins.contains_key(person) {
        return Err(DomainError::AlreadyCheckedIn(person.to_owned()));
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("in", Some(int(now_ms))),
            ("out", Some(().into())),
            ("device", s(device)),
        ];
        put_entry(tx, &obj, "checkins", person, fields).map(|_| ())
    })
}

/// Records that a checked-in person left: sets `out`. Refuses people not checked in or
/// already checked out.
pub fn check_out(
    doc: &mut Automerge,
    shift_id: &str,
    person: &str,
    now_ms: u64,
) -> Result<(), DomainError> {
    let (shift, obj) = load_shift(doc, shift_id)?;
    let on_duty = shift
        .checkins
        .get(person)
        .is_some_and(|c| c.check_out.is_none());
    if !on_duty {
        return Err(DomainError::NotOnDuty(person.to_owned()));
    }
    let at = now_ms.max(shift.checkins.get(person).map_or(0, |c| c.check_in));
    commit(doc, now_ms, |tx| {
        let checkins = child_map(tx, &obj, "checkins")?;
        let entry = child_map(tx, &checkins, person)?;
        tx.put(&entry, "out", int(at))
    })
}
