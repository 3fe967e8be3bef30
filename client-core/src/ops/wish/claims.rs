//! Claiming a wish and withdrawing a claim (认领 / 放弃认领).

use automerge::transaction::Transaction;
use automerge::{Automerge, AutomergeError, ScalarValue, ROOT};

use super::append::append_event;
use super::guard::{active_claim, invalid, load, open};
use crate::model::{ClaimKind, EventKind, WishStatus};
use crate::ops::write::{commit, int, new_id, non_empty, opt_s, put_entry, put_str_list, s};
use crate::ops::{DomainError, Stamp};

/// What a new claim says besides its stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim<'a> {
    pub kind: ClaimKind,
    /// A person id (`person`, `group`: the group's lead) or a unit id (`unit`).
    pub claimant: &'a str,
    pub note: Option<&'a str>,
    /// The people of a `group` claim (帮帮团), the lead included; empty otherwise.
    pub members: &'a [String],
    /// Written by a coordinator on the claimant's behalf (派单).
    pub dispatched: bool,
    /// The offer (资源清单) a dispatch books the wish against.
    pub offer: Option<&'a str>,
}

/// Records a claim (an intent) under `stamp.id`; it is pending until assigned.
///
/// `claimant` is a person id (`person`, `group`: the group's lead) or a unit id (`unit`).
/// Allowed from `published` to `in_progress`, also when every place is assigned (the
/// claim then waits for a place). Refuses unpublished, resolved, closed and rejected
/// wishes and a claimant who already holds an active claim on the wish.
pub fn claim(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    kind: ClaimKind,
    claimant: &str,
    note: Option<&str>,
) -> Result<(), DomainError> {
    let new = NewClaim {
        kind,
        claimant,
        note,
        members: &[],
        dispatched: false,
        offer: None,
    };
    claim_as(doc, stamp, &new)
}

/// [`claim`] with every field: a group's members, the dispatched mark. A `group` claim
/// needs at least one member besides the lead; other kinds take none.
pub fn claim_as(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    new: &NewClaim<'_>,
) -> Result<(), DomainError> {
    check_claim(doc, &stamp, new)?;
    commit(doc, stamp.now_ms, |tx| write_claim(tx, &stamp, new))
}

/// The checks of [`claim_as`], without writing.
pub(crate) fn check_claim(
    doc: &Automerge,
    stamp: &Stamp<'_>,
    new: &NewClaim<'_>,
) -> Result<(), DomainError> {
    non_empty("claimant", new.claimant)?;
    check_members(new)?;
    let wish = load(doc)?;
    match open(&wish)? {
        WishStatus::Collected | WishStatus::Verified => return Err(DomainError::NotPublished),
        WishStatus::Resolved | WishStatus::Rated => return Err(invalid("claim", &wish)),
        _ => {}
    }
    if wish
        .active_claims()
        .iter()
        .any(|c| c.claimant == new.claimant)
    {
        return Err(DomainError::DuplicateClaim(new.claimant.to_owned()));
    }
    new_id(doc, &ROOT, "claims", stamp.id)?;
    non_empty("by", stamp.by)?;
    non_empty("device", stamp.device)
}

fn check_members(new: &NewClaim<'_>) -> Result<(), DomainError> {
    let others = new.members.iter().filter(|m| *m != new.claimant).count();
    match new.kind {
        ClaimKind::Group if others == 0 => Err(DomainError::InvalidMembers(
            "a group needs members besides its lead",
        )),
        ClaimKind::Person | ClaimKind::Unit if !new.members.is_empty() => Err(
            DomainError::InvalidMembers("only a group claim lists members"),
        ),
        _ => Ok(()),
    }
}

/// Writes `claims[stamp.id]` inside a transaction.
pub(crate) fn write_claim(
    tx: &mut Transaction<'_>,
    stamp: &Stamp<'_>,
    new: &NewClaim<'_>,
) -> Result<(), AutomergeError> {
    let fields = vec![
        ("id", s(stamp.id)),
        ("kind", s(new.kind.as_str())),
        ("claimant", s(new.claimant)),
        ("at", Some(int(stamp.now_ms))),
        ("by", s(stamp.by)),
        ("device", s(stamp.device)),
        ("note", opt_s(new.note)),
        (
            "dispatched",
            new.dispatched.then_some(ScalarValue::Boolean(true)),
        ),
        ("offer", opt_s(new.offer)),
    ];
    let entry = put_entry(tx, &ROOT, "claims", stamp.id, fields)?;
    if !new.members.is_empty() {
        put_str_list(tx, &entry, "members", new.members)?;
    }
    Ok(())
}

/// Withdraws a claim with a `released` event naming it; its assignment, if any, stops
/// counting and frees a place. Refuses closed wishes, unknown or already released claims
/// and claims whose hours were confirmed.
pub fn release(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    claim_id: &str,
    note: Option<&str>,
) -> Result<(), DomainError> {
    let wish = load(doc)?;
    if wish.status() == WishStatus::Closed {
        return Err(DomainError::WishClosed);
    }
    active_claim(&wish, claim_id)?;
    if wish.is_confirmed(claim_id) {
        return Err(DomainError::AlreadyConfirmed(claim_id.to_owned()));
    }
    let fields = vec![("claim", s(claim_id)), ("note", opt_s(note))];
    append_event(doc, &stamp, EventKind::Released, fields)
}
