//! Starting and resolving the work (进行 → 圆梦).

use automerge::{Automerge, ScalarValue};

use super::append::append_event;
use super::guard::{active_claim, invalid, load, open};
use crate::model::{EventKind, WishStatus};
use crate::ops::write::{opt_s, s};
use crate::ops::{DomainError, Stamp};

/// Records that work on an assigned wish began. Refuses wishes without an active
/// assignment and wishes already started or resolved.
pub fn start(doc: &mut Automerge, stamp: Stamp<'_>) -> Result<(), DomainError> {
    let wish = load(doc)?;
    if open(&wish)? != WishStatus::Assigned {
        return Err(invalid("start", &wish));
    }
    append_event(doc, &stamp, EventKind::Started, vec![])
}

/// Records the resolution of one assigned claim with the claimant's `hours` (≥ 0) and a
/// note; the station confirms it later with [`super::confirm`]. May be repeated for the
/// same claim until confirmed (the latest by `(at, id)` counts). Refuses negative or
/// non-finite hours, closed or rejected wishes, released, unassigned or confirmed claims.
pub fn resolve(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    claim_id: &str,
    hours: f64,
    note: Option<&str>,
) -> Result<(), DomainError> {
    if !hours.is_finite() || hours < 0.0 {
        return Err(DomainError::InvalidHours(hours));
    }
    let wish = load(doc)?;
    open(&wish)?;
    active_claim(&wish, claim_id)?;
    if !wish.assigned.contains_key(claim_id) {
        return Err(DomainError::NotAssigned(claim_id.to_owned()));
    }
    if wish.is_confirmed(claim_id) {
        return Err(DomainError::AlreadyConfirmed(claim_id.to_owned()));
    }
    let fields = vec![
        ("claim", s(claim_id)),
        ("hours", Some(ScalarValue::F64(hours))),
        ("note", opt_s(note)),
    ];
    append_event(doc, &stamp, EventKind::Resolved, fields)
}
