//! Confirming a resolution's hours (谁组织谁记录、谁记录谁证明) and the earn entry it yields.

use std::collections::BTreeMap;

use automerge::{Automerge, ScalarValue};

use super::append::append_event;
use super::guard::{active_claim, load};
use crate::model::ledger::{account, earn_id, LedgerEntry, Posting};
use crate::model::wish::Event;
use crate::model::{ClaimKind, EventKind, LedgerKind, WishStatus, WishView};
use crate::ops::write::s;
use crate::ops::{DomainError, Stamp};

/// The station confirms the hours of a resolved claim: appends a `confirmed` event and
/// returns the `earn` ledger entry to write with [`crate::ops::ledger::record_earn`].
///
/// Refuses rejected wishes, released claims, claims without a resolution or already
/// confirmed, and a confirmer who is the claimant or recorded the resolution. Allowed
/// after the wish is closed.
pub fn confirm(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    claim_id: &str,
) -> Result<LedgerEntry, DomainError> {
    let wish = load(doc)?;
    if wish.status() == WishStatus::Rejected {
        return Err(DomainError::WishRejected);
    }
    let claim = active_claim(&wish, claim_id)?;
    let resolution = wish
        .resolution_of(claim_id)
        .ok_or_else(|| DomainError::NotResolved(claim_id.to_owned()))?;
    if wish.is_confirmed(claim_id) {
        return Err(DomainError::AlreadyConfirmed(claim_id.to_owned()));
    }
    if stamp.by == claim.claimant || stamp.by == resolution.by {
        return Err(DomainError::SelfConfirmation);
    }
    let hours = resolution.hours.unwrap_or(0.0);
    let fields = vec![
        ("claim", s(claim_id)),
        ("hours", Some(ScalarValue::F64(hours))),
    ];
    let entry = earn_entry(&wish, claim_id, stamp.by, stamp.now_ms)?;
    append_event(doc, &stamp, EventKind::Confirmed, fields)?;
    Ok(entry)
}

/// The `earn` entry for a claim's latest resolution: id `earn-<wishId>-<claimId>`, the
/// claimant's account (`unit:` for unit claims, else `person:`) gets the points
/// ([`account::points_for_hours`]) and hours, `community:pool` gives them. Two stations
/// confirming the same claim offline write the same id, so it is counted once.
pub fn earn_entry(
    wish: &WishView,
    claim_id: &str,
    by: &str,
    now_ms: u64,
) -> Result<LedgerEntry, DomainError> {
    let claim = active_claim(wish, claim_id)?;
    let resolution = wish
        .resolution_of(claim_id)
        .ok_or_else(|| DomainError::NotResolved(claim_id.to_owned()))?;
    let hours = resolution.hours.unwrap_or(0.0);
    let points = account::points_for_hours(hours);
    let claimant = match claim.kind {
        ClaimKind::Unit => account::unit(&claim.claimant),
        ClaimKind::Person | ClaimKind::Group => account::person(&claim.claimant),
    };
    Ok(LedgerEntry {
        id: earn_id(&wish.id, claim_id),
        kind: LedgerKind::Earn,
        at: now_ms,
        by: by.to_owned(),
        reason: "confirmed resolution".to_owned(),
        wish: Some(wish.id.clone()),
        claim: Some(claim_id.to_owned()),
        item: None,
        postings: vec![
            Posting {
                account: claimant,
                points,
                hours,
            },
            Posting {
                account: account::POOL.to_owned(),
                points: -points,
                hours: -hours,
            },
        ],
    })
}

/// The `earn` entries the wish's confirmations imply, one per confirmed active claim:
/// each as [`earn_entry`] writes it, stamped with the earliest `confirmed` event of the
/// claim (its `by` and `at`), so whoever writes it — the confirming tablet or the
/// server repairing a ledger that lacks it — writes the same entry under the same id.
pub fn confirmed_earn_entries(wish: &WishView) -> Vec<LedgerEntry> {
    let mut first: BTreeMap<&str, &Event> = BTreeMap::new();
    for event in wish.events_of(EventKind::Confirmed) {
        if let Some(claim) = event.claim.as_deref() {
            first.entry(claim).or_insert(event);
        }
    }
    first
        .into_iter()
        .filter_map(|(claim, event)| earn_entry(wish, claim, &event.by, event.at).ok())
        .collect()
}
