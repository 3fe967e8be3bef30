//! 派单: a coordinator sends a wish to a chosen person or unit.
//!
//! One change writes both the claim on the claimant's behalf (`dispatched: true`, `by` the
//! coordinator) and the coordinator's assignment of it, so the chosen person's tablet sees
//! an assigned task on its next sync. The server checks the claim (only the station's
//! coordinator may claim in another's name) and the assignment (within capacity) like any
//! other; pick a candidate with [`crate::model::suggest_claimants`].

use automerge::{Automerge, ROOT};

use super::arbitrate::assignment_fields;
use super::claims::{check_claim, write_claim, NewClaim};
use super::guard::load;
use crate::model::community::Offer;
use crate::model::{ClaimKind, MemberKind};
use crate::ops::write::{commit, put_entry};
use crate::ops::{DomainError, Stamp};

/// Claims the wish for `claimant` (a person or a unit) under `stamp.id` and assigns that
/// claim by `stamp.by`, in one change. Refuses what [`super::claim`] refuses, a group
/// (a 帮帮团 claims for itself), and a wish with no free place.
pub fn dispatch(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    kind: ClaimKind,
    claimant: &str,
    note: Option<&str>,
) -> Result<(), DomainError> {
    dispatch_with(doc, stamp, kind, claimant, note, None)
}

/// Books the wish against an offer of the resources list (资源清单, two-way claiming):
/// dispatches it to the offer's provider, the claim naming the offer. Refuses a retired
/// offer and what [`dispatch`] refuses.
pub fn book_offer(doc: &mut Automerge, stamp: Stamp<'_>, offer: &Offer) -> Result<(), DomainError> {
    if !offer.active {
        return Err(DomainError::OfferRetired(offer.id.clone()));
    }
    let kind = match offer.provider_kind {
        MemberKind::Person => ClaimKind::Person,
        MemberKind::Unit => ClaimKind::Unit,
    };
    dispatch_with(doc, stamp, kind, &offer.provider, None, Some(&offer.id))
}

fn dispatch_with(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    kind: ClaimKind,
    claimant: &str,
    note: Option<&str>,
    offer: Option<&str>,
) -> Result<(), DomainError> {
    if kind == ClaimKind::Group {
        return Err(DomainError::InvalidMembers(
            "a group claims for itself; dispatch to a person or a unit",
        ));
    }
    let new = NewClaim {
        kind,
        claimant,
        note,
        members: &[],
        dispatched: true,
        offer,
    };
    check_claim(doc, &stamp, &new)?;
    let wish = load(doc)?;
    if wish.free_capacity() == 0 {
        return Err(DomainError::CapacityFull(wish.capacity));
    }
    commit(doc, stamp.now_ms, |tx| {
        write_claim(tx, &stamp, &new)?;
        let fields = assignment_fields(stamp.by, false, stamp.now_ms);
        put_entry(tx, &ROOT, "assigned", stamp.id, fields).map(|_| ())
    })
}
