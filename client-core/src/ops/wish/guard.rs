//! Reading a wish for an operation and the checks most operations share.

use automerge::Automerge;

use crate::model::{DocType, WishStatus, WishView};
use crate::ops::write::ensure_writable;
use crate::ops::DomainError;

/// Reads the wish an operation is about to change.
pub(crate) fn load(doc: &Automerge) -> Result<WishView, DomainError> {
    ensure_writable(doc, DocType::Wish)?;
    Ok(WishView::read(doc)?)
}

/// Refuses closed and rejected wishes.
pub(crate) fn open(wish: &WishView) -> Result<WishStatus, DomainError> {
    match wish.status() {
        WishStatus::Closed => Err(DomainError::WishClosed),
        WishStatus::Rejected => Err(DomainError::WishRejected),
        status => Ok(status),
    }
}

/// The error for `action` in the wish's current status.
pub(crate) fn invalid(action: &'static str, wish: &WishView) -> DomainError {
    DomainError::InvalidTransition {
        action,
        status: wish.status(),
    }
}

/// Refuses a claim id that does not exist or was released.
pub(crate) fn active_claim<'a>(
    wish: &'a WishView,
    claim_id: &str,
) -> Result<&'a crate::model::wish::Claim, DomainError> {
    let claim = wish.claim(claim_id).ok_or_else(|| DomainError::NotFound {
        what: "claim",
        id: claim_id.to_owned(),
    })?;
    if !wish.is_active_claim(claim_id) {
        return Err(DomainError::ClaimReleased(claim_id.to_owned()));
    }
    Ok(claim)
}
