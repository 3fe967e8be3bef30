//! Assignments: a coordinator's [`assign`] and the server's [`arbitrate`].

use automerge::{Automerge, ROOT};

use super::append::b;
use super::guard::{active_claim, invalid, load, open};
use crate::model::wish::Claim;
use crate::model::{WishStatus, WishView};
use crate::ops::write::{commit, int, non_empty, put_entry, s, Field};
use crate::ops::DomainError;

/// The `by` of assignments written by the server's arbitration.
pub const SERVER: &str = "server";

/// Assigns an active, pending claim: writes `assigned[claim_id] = {at, by, by_server}`.
/// `by_server` is true for the server's arbitration, false for a coordinator's hand.
///
/// Refuses closed, rejected, resolved and rated wishes, unknown, released or already
/// assigned claims, and a claim beyond `capacity` (count of active assignments).
pub fn assign(
    doc: &mut Automerge,
    claim_id: &str,
    by: &str,
    by_server: bool,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("by", by)?;
    let wish = load(doc)?;
    assignable(&wish)?;
    active_claim(&wish, claim_id)?;
    if wish.assigned.contains_key(claim_id) {
        return Err(DomainError::AlreadyAssigned(claim_id.to_owned()));
    }
    if wish.free_capacity() == 0 {
        return Err(DomainError::CapacityFull(wish.capacity));
    }
    commit(doc, now_ms, |tx| {
        put_entry(
            tx,
            &ROOT,
            "assigned",
            claim_id,
            assignment_fields(by, by_server, now_ms),
        )
        .map(|_| ())
    })
}

/// The server's arbitration: assigns pending claims, in the order the server received
/// them (`received_order`, claim ids; pending claims it does not name follow by
/// `(at, id)`), up to the free capacity, in one change by [`SERVER`]. Returns the claim
/// ids assigned; writes nothing when there is nothing to assign or the wish no longer
/// takes assignments. Call it after every commit of a change to a wish.
pub fn arbitrate<S: AsRef<str>>(
    doc: &mut Automerge,
    received_order: &[S],
    now_ms: u64,
) -> Result<Vec<String>, DomainError> {
    let wish = load(doc)?;
    if assignable(&wish).is_err() {
        return Ok(Vec::new());
    }
    let chosen: Vec<String> = in_received_order(&wish, received_order)
        .into_iter()
        .take(wish.free_capacity())
        .map(|c| c.id.clone())
        .collect();
    if chosen.is_empty() {
        return Ok(chosen);
    }
    commit(doc, now_ms, |tx| {
        for claim_id in &chosen {
            put_entry(
                tx,
                &ROOT,
                "assigned",
                claim_id,
                assignment_fields(SERVER, true, now_ms),
            )?;
        }
        Ok(())
    })?;
    Ok(chosen)
}

fn assignable(wish: &WishView) -> Result<(), DomainError> {
    match open(wish)? {
        WishStatus::Resolved | WishStatus::Rated => Err(invalid("assign", wish)),
        _ => Ok(()),
    }
}

fn in_received_order<'a, S: AsRef<str>>(wish: &'a WishView, order: &[S]) -> Vec<&'a Claim> {
    let mut pending = wish.pending_claims();
    let rank = |c: &Claim| {
        order
            .iter()
            .position(|id| id.as_ref() == c.id)
            .unwrap_or(usize::MAX)
    };
    // Stable sort: claims the server did not name keep their (at, id) order.
    pending.sort_by_key(|c| rank(c));
    pending
}

/// The fields of an assignment.
pub(crate) fn assignment_fields(by: &str, by_server: bool, now_ms: u64) -> Vec<Field> {
    vec![
        ("at", Some(int(now_ms))),
        ("by", s(by)),
        ("by_server", b(by_server)),
    ]
}
