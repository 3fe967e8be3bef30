//! Staffing the roster with the directory at hand: assigning people and partner units
//! who are in the community (and have not left), handing a place to someone else, and
//! exchanging two people's shifts (换班).

use automerge::transaction::Transactable;
use automerge::Automerge;

use super::shifts::{cover, load_shift, swap};
use crate::model::{CommunityView, MemberKind};
use crate::ops::write::{child_map, commit, put_entry, s};
use crate::ops::DomainError;

/// Puts a person or partner unit on a shift (covering it if it was uncovered). Refuses
/// someone not in the community's directory, a person who left, and someone already on
/// the shift.
pub fn assign_to_shift(
    doc: &mut Automerge,
    community: &CommunityView,
    shift: &str,
    assignee: &str,
    kind: MemberKind,
    now_ms: u64,
) -> Result<(), DomainError> {
    check_available(community, assignee, kind)?;
    cover(doc, shift, assignee, kind, now_ms)
}

/// Hands `from`'s place on a shift to `to` (a person or unit of the directory who has
/// not left), in one change. Refuses as [`swap`] does.
pub fn hand_over(
    doc: &mut Automerge,
    community: &CommunityView,
    shift: &str,
    from: &str,
    to: &str,
    to_kind: MemberKind,
    now_ms: u64,
) -> Result<(), DomainError> {
    check_available(community, to, to_kind)?;
    swap(doc, shift, from, to, to_kind, now_ms)
}

/// Exchanges two people's shifts (换班): `a` leaves `shift_a` for `shift_b` and `b`
/// leaves `shift_b` for `shift_a`, in one change. Refuses the same shift twice, someone
/// not on their shift or already checked in to it, and someone already on the other
/// shift.
pub fn exchange(
    doc: &mut Automerge,
    (shift_a, a): (&str, &str),
    (shift_b, b): (&str, &str),
    now_ms: u64,
) -> Result<(), DomainError> {
    if shift_a == shift_b {
        return Err(DomainError::AlreadyAssignee(b.to_owned()));
    }
    let (first, obj_a) = load_shift(doc, shift_a)?;
    let (second, obj_b) = load_shift(doc, shift_b)?;
    let kind_a = leaving(&first, a, &second)?;
    let kind_b = leaving(&second, b, &first)?;
    commit(doc, now_ms, |tx| {
        let assignees_a = child_map(tx, &obj_a, "assignees")?;
        let assignees_b = child_map(tx, &obj_b, "assignees")?;
        tx.delete(&assignees_a, a)?;
        tx.delete(&assignees_b, b)?;
        put_entry(
            tx,
            &obj_a,
            "assignees",
            b,
            vec![("kind", s(kind_b.as_str()))],
        )?;
        put_entry(
            tx,
            &obj_b,
            "assignees",
            a,
            vec![("kind", s(kind_a.as_str()))],
        )?;
        Ok(())
    })
}

/// The kind of `who` on `shift`, which they may leave for `other`.
fn leaving(
    shift: &crate::model::station::Shift,
    who: &str,
    other: &crate::model::station::Shift,
) -> Result<MemberKind, DomainError> {
    let kind = *shift
        .assignees
        .get(who)
        .ok_or_else(|| DomainError::NotAssignee(who.to_owned()))?;
    if shift.checkins.contains_key(who) {
        return Err(DomainError::AlreadyCheckedIn(who.to_owned()));
    }
    if other.assignees.contains_key(who) {
        return Err(DomainError::AlreadyAssignee(who.to_owned()));
    }
    Ok(kind)
}

/// Refuses an assignee who is not in the directory, or a person who left.
fn check_available(
    community: &CommunityView,
    assignee: &str,
    kind: MemberKind,
) -> Result<(), DomainError> {
    let not_found = |what| DomainError::NotFound {
        what,
        id: assignee.to_owned(),
    };
    match kind {
        MemberKind::Unit if community.units.contains_key(assignee) => Ok(()),
        MemberKind::Unit => Err(not_found("unit")),
        MemberKind::Person => match community.people.get(assignee) {
            Some(person) if person.is_active() => Ok(()),
            Some(_) => Err(DomainError::PersonLeft(assignee.to_owned())),
            None => Err(not_found("person")),
        },
    }
}
