//! Which lifecycle steps a person could take on a wish now, decided by the core itself.

// `DomainError` is the core's error type; these dry runs only look at `is_ok`.
#![allow(clippy::result_large_err)]

use automerge::Automerge;
use wish_client_core::model::wish::WishView;
use wish_client_core::model::{ClaimKind, CloseReason, Module};
use wish_client_core::ops::{wish, DomainError, Stamp};

type DryRun = fn(&mut Automerge, Stamp<'_>) -> Result<(), DomainError>;

/// The parameterless lifecycle steps, each tried on a throwaway fork of the document:
/// the core's own checks decide which buttons the screen offers. (Steps that name a
/// claim are offered per claim from its state.)
const STEPS: [(&str, DryRun); 8] = [
    ("verify", |d, s| wish::verify(d, s)),
    ("reject", |d, s| wish::reject(d, s, "-")),
    ("triage", |d, s| wish::triage(d, s, Module::Comprehensive)),
    ("publish", |d, s| wish::publish(d, s)),
    ("claim", |d, s| {
        wish::claim(d, s, ClaimKind::Person, s.by, None)
    }),
    ("start", |d, s| wish::start(d, s)),
    ("rate", |d, s| wish::rate(d, s, 5, "", false)),
    ("close", |d, s| {
        wish::close(d, s, CloseReason::Fulfilled, None)
    }),
];

pub fn allowed_actions(doc: &Automerge, person: &str) -> Vec<&'static str> {
    let stamp = dry_stamp(person);
    STEPS
        .iter()
        .filter(|(_, step)| step(&mut doc.fork(), stamp).is_ok())
        .map(|(name, _)| *name)
        .collect()
}

type ClaimDryRun = fn(&mut Automerge, Stamp<'_>, &str) -> Result<(), DomainError>;

/// The steps on one claim, tried like [`STEPS`]; `confirm` with `person` as the
/// confirmer, so a claimant is never offered to confirm their own hours.
const CLAIM_STEPS: [(&str, ClaimDryRun); 4] = [
    ("release", |d, s, c| wish::release(d, s, c, None)),
    ("assign", |d, s, c| {
        wish::assign(d, c, s.by, false, s.now_ms)
    }),
    ("resolve", |d, s, c| wish::resolve(d, s, c, 0.0, None)),
    ("confirm", |d, s, c| wish::confirm(d, s, c).map(|_| ())),
];

/// The steps `person` could take on the claim `claim` now, decided by the core.
pub fn claim_actions(doc: &Automerge, person: &str, claim: &str) -> Vec<&'static str> {
    let stamp = dry_stamp(person);
    CLAIM_STEPS
        .iter()
        .filter(|(_, step)| step(&mut doc.fork(), stamp, claim).is_ok())
        .map(|(name, _)| *name)
        .collect()
}

/// The steps beside the lifecycle the core still allows: `book` (against an offer, a
/// dispatch: refused on closed and full wishes), `link` (to a project) and `edit` (the
/// card's details), both refused on closed and rejected wishes.
pub fn extra_actions(doc: &Automerge, person: &str) -> Vec<&'static str> {
    let stamp = dry_stamp(person);
    let mut actions = Vec::new();
    let dispatch =
        |d: &mut Automerge| wish::dispatch(d, stamp, ClaimKind::Person, "dry-run-claimant", None);
    if dispatch(&mut doc.fork()).is_ok() {
        actions.push("book");
    }
    let linked = WishView::read(doc).ok().and_then(|w| w.project);
    let project = if linked.as_deref() == Some("dry-run") {
        "dry-run-2"
    } else {
        "dry-run"
    };
    if wish::link_project(&mut doc.fork(), project, stamp.now_ms).is_ok() {
        actions.push("link");
    }
    let edit = wish::WishEdit {
        title: Some("dry-run".to_owned()),
        building: Some("dry-run".to_owned()),
        ..Default::default()
    };
    if wish::edit_details(&mut doc.fork(), &edit, stamp.now_ms).is_ok() {
        actions.push("edit");
    }
    actions
}

/// A stamp for dry runs: far in the future, so no time check refuses it.
fn dry_stamp(person: &str) -> Stamp<'_> {
    Stamp {
        id: "dry-run",
        by: person,
        device: "dry-run",
        now_ms: u64::from(u32::MAX) * 1000,
    }
}
