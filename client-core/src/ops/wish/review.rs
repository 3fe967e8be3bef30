//! Verification, rejection, triage and publication (验单 → 分流 → 发布).

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};

use super::append::{append_event, check_stamp, event_header};
use super::guard::{invalid, load, open};
use crate::model::{EventKind, Module, WishStatus};
use crate::ops::write::{commit, non_empty, put_entry, s};
use crate::ops::{DomainError, Stamp};

/// Marks a collected wish as checked (验单). Also re-verifies a rejected wish, which
/// lifts the rejection. Refuses closed wishes and wishes already verified.
pub fn verify(doc: &mut Automerge, stamp: Stamp<'_>) -> Result<(), DomainError> {
    let wish = load(doc)?;
    match wish.status() {
        WishStatus::Collected | WishStatus::Rejected => {}
        WishStatus::Closed => return Err(DomainError::WishClosed),
        _ => return Err(invalid("verify", &wish)),
    }
    append_event(doc, &stamp, EventKind::Verified, vec![])
}

/// Rejects a wish that is not yet published, with a reason for the collector. Refuses
/// closed, rejected and published wishes (close those with a reason instead).
pub fn reject(doc: &mut Automerge, stamp: Stamp<'_>, reason: &str) -> Result<(), DomainError> {
    non_empty("reason", reason)?;
    let wish = load(doc)?;
    match open(&wish)? {
        WishStatus::Collected | WishStatus::Verified => {}
        _ => return Err(invalid("reject", &wish)),
    }
    append_event(
        doc,
        &stamp,
        EventKind::Rejected,
        vec![("reason", s(reason))],
    )
}

/// Assigns the wish to one of the five modules (分流); it counts as verified. Also writes
/// the root `module`; the view reads the module of the latest `triaged` event by
/// `(at, id)`. Allowed at any stage of an open wish (re-triage).
pub fn triage(doc: &mut Automerge, stamp: Stamp<'_>, module: Module) -> Result<(), DomainError> {
    let wish = load(doc)?;
    open(&wish)?;
    check_stamp(doc, &stamp)?;
    commit(doc, stamp.now_ms, |tx| {
        let mut fields = event_header(&stamp, EventKind::Triaged);
        fields.push(("module", s(module.as_str())));
        put_entry(tx, &ROOT, "events", stamp.id, fields)?;
        tx.put(ROOT, "module", module.as_str())
    })
}

/// Puts a verified wish on the wall for claiming (发布). Refuses unverified, rejected,
/// closed and already published wishes.
pub fn publish(doc: &mut Automerge, stamp: Stamp<'_>) -> Result<(), DomainError> {
    let wish = load(doc)?;
    match open(&wish)? {
        WishStatus::Collected => return Err(DomainError::NotVerified),
        WishStatus::Verified => {}
        _ => return Err(invalid("publish", &wish)),
    }
    append_event(doc, &stamp, EventKind::Published, vec![])
}
