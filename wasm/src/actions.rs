//! Which lifecycle steps a person could take on a wish now, decided by the core itself.

// `DomainError` is the core's error type; these dry runs only look at `is_ok`.
#![allow(clippy::result_large_err)]

use automerge::Automerge;
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
    let stamp = Stamp {
        id: "dry-run",
        by: person,
        device: "dry-run",
        now_ms: u64::from(u32::MAX) * 1000,
    };
    STEPS
        .iter()
        .filter(|(_, step)| step(&mut doc.fork(), stamp).is_ok())
        .map(|(name, _)| *name)
        .collect()
}
