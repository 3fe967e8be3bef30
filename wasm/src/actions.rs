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

#[cfg(test)]
mod tests {
    use super::*;
    use wish_client_core::model::{Channel, Urgency};
    use wish_client_core::ops::wish::CollectWish;

    fn stamp<'a>(id: &'a str, by: &'a str, now_ms: u64) -> Stamp<'a> {
        Stamp {
            id,
            by,
            device: "tablet-1",
            now_ms,
        }
    }

    /// A published wish with claim `c1` by `vol-2`, assigned, resolved by `vol-2`.
    fn resolved() -> Automerge {
        let mut doc = Automerge::new();
        let input = CollectWish {
            wish_id: "wish-1".into(),
            wish_doc: "wish-doc-1".into(),
            community: "community-1".into(),
            station: "station-1".into(),
            title: "独居老人需要上门问诊".into(),
            text: "希望有医生来看看".into(),
            suggested_module: None,
            channel: Channel::DoorToDoor,
            compound: "幸福花园".into(),
            building: "5栋".into(),
            urgency: Urgency::High,
            capacity: 1,
            on_behalf: true,
            collected_by: "vol-1".into(),
            device: "tablet-1".into(),
            event_id: "ev-collected".into(),
            now_ms: 1_000,
            contact: None,
        };
        wish::collect_wish(&mut doc, &mut Automerge::new(), input).expect("collect");
        wish::verify(&mut doc, stamp("e2", "coord", 2_000)).expect("verify");
        wish::publish(&mut doc, stamp("e3", "coord", 3_000)).expect("publish");
        wish::claim(
            &mut doc,
            stamp("c1", "vol-2", 4_000),
            ClaimKind::Person,
            "vol-2",
            None,
        )
        .expect("claim");
        wish::assign(&mut doc, "c1", "server", true, 5_000).expect("assign");
        wish::resolve(&mut doc, stamp("e6", "vol-2", 6_000), "c1", 2.0, None).expect("resolve");
        doc
    }

    #[test]
    fn the_claimant_may_not_confirm_their_own_hours_and_the_station_may() {
        let doc = resolved();
        assert_eq!(claim_actions(&doc, "vol-2", "c1"), ["release", "resolve"]);
        assert_eq!(
            claim_actions(&doc, "coord", "c1"),
            ["release", "resolve", "confirm"]
        );
        assert_eq!(extra_actions(&doc, "coord"), ["link", "edit"]);
    }

    #[test]
    fn a_closed_and_confirmed_wish_offers_no_step_on_its_claims_nor_beside_them() {
        let mut doc = resolved();
        wish::confirm(&mut doc, stamp("e7", "coord", 7_000), "c1").expect("confirm");
        wish::close(
            &mut doc,
            stamp("e8", "coord", 8_000),
            CloseReason::Fulfilled,
            None,
        )
        .expect("close");
        assert!(claim_actions(&doc, "coord", "c1").is_empty());
        assert!(extra_actions(&doc, "coord").is_empty());
    }
}
