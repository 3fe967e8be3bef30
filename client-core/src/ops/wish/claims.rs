//! Claiming a wish and withdrawing a claim (认领 / 放弃认领).

use automerge::{Automerge, ROOT};

use super::append::append_event;
use super::guard::{active_claim, invalid, load, open};
use crate::model::{ClaimKind, EventKind, WishStatus};
use crate::ops::write::{commit, int, new_id, non_empty, opt_s, put_entry, s};
use crate::ops::{DomainError, Stamp};

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
    non_empty("claimant", claimant)?;
    let wish = load(doc)?;
    match open(&wish)? {
        WishStatus::Collected | WishStatus::Verified => return Err(DomainError::NotPublished),
        WishStatus::Resolved | WishStatus::Rated => return Err(invalid("claim", &wish)),
        _ => {}
    }
    if wish.active_claims().iter().any(|c| c.claimant == claimant) {
        return Err(DomainError::DuplicateClaim(claimant.to_owned()));
    }
    new_id(doc, &ROOT, "claims", stamp.id)?;
    non_empty("by", stamp.by)?;
    non_empty("device", stamp.device)?;
    commit(doc, stamp.now_ms, |tx| {
        let fields = vec![
            ("id", s(stamp.id)),
            ("kind", s(kind.as_str())),
            ("claimant", s(claimant)),
            ("at", Some(int(stamp.now_ms))),
            ("by", s(stamp.by)),
            ("device", s(stamp.device)),
            ("note", opt_s(note)),
        ];
        put_entry(tx, &ROOT, "claims", stamp.id, fields).map(|_| ())
    })
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
