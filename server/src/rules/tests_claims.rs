//! The claim rows of issue 14: 派单 by the station's coordinator, claims as a unit (the
//! partner's own unit) and as a group (帮帮团, by its lead).

use automerge::Automerge;
use wish_client_core::model::ClaimKind;
use wish_client_core::ops::wish::{self, NewClaim};

use super::tests::{
    assigned, coordinator, outsider, principal, published, put_assignment, refused_by, review,
    review_with_unit, st,
};
use crate::access::{Principal, Role};

fn partner() -> Principal {
    principal(Role::Partner, "p-hospital", "tablet-p", &[])
}

fn claim_as(
    doc: &mut Automerge,
    who: &Principal,
    kind: ClaimKind,
    claimant: &str,
    members: &[String],
    dispatched: bool,
) {
    let new = NewClaim {
        kind,
        claimant,
        note: None,
        members,
        dispatched,
        offer: None,
    };
    wish::claim_as(doc, st("c2", who, 4_000), &new).expect("op");
}

#[test]
fn the_coordinator_dispatches_to_a_person_or_a_unit_audited() {
    let c = coordinator();
    for (kind, claimant) in [
        (ClaimKind::Person, "expert-1"),
        (ClaimKind::Unit, "unit-hospital"),
    ] {
        let verdict = review(&published(), &c, |d| {
            wish::dispatch(d, st("c2", &c, 4_000), kind, claimant, None).expect("op")
        })
        .expect("dispatch");
        assert_eq!(verdict.on_behalf.len(), 1, "{verdict:?}");
        assert!(verdict.on_behalf[0].contains(claimant));
    }
}

#[test]
fn a_volunteer_may_not_dispatch_or_mark_a_claim_dispatched() {
    let o = outsider();
    refused_by(
        review(&published(), &o, |d| {
            claim_as(d, &o, ClaimKind::Person, "expert-1", &[], true)
        }),
        "wish.claims.add",
    );
    refused_by(
        review(&published(), &o, |d| {
            claim_as(d, &o, ClaimKind::Person, "vol-9", &[], true)
        }),
        "wish.claims.add",
    );
}

#[test]
fn dispatch_beyond_capacity_is_refused() {
    let c = coordinator();
    let mut full = assigned();
    wish::dispatch(
        &mut full,
        st("c3", &c, 4_600),
        ClaimKind::Person,
        "expert-2",
        None,
    )
    .expect("second place");
    refused_by(
        review(&full, &c, |d| {
            wish::claim(d, st("c4", &c, 5_000), ClaimKind::Person, "expert-3", None).expect("op");
            put_assignment(d, "c4", "coord-1", false);
        }),
        "wish.assigned.add",
    );
}

#[test]
fn a_partner_claims_as_its_own_unit_only() {
    let p = partner();
    let own = Some("unit-hospital");
    review_with_unit(&published(), &p, own, |d| {
        claim_as(d, &p, ClaimKind::Unit, "unit-hospital", &[], false)
    })
    .expect("own unit");
    refused_by(
        review_with_unit(&published(), &p, own, |d| {
            claim_as(d, &p, ClaimKind::Unit, "unit-school", &[], false)
        }),
        "wish.claims.unit",
    );
    refused_by(
        review_with_unit(&published(), &p, None, |d| {
            claim_as(d, &p, ClaimKind::Unit, "unit-hospital", &[], false)
        }),
        "wish.claims.unit",
    );
}

#[test]
fn a_volunteer_may_not_claim_as_a_unit() {
    let o = outsider();
    refused_by(
        review_with_unit(&published(), &o, Some("unit-hospital"), |d| {
            claim_as(d, &o, ClaimKind::Unit, "unit-hospital", &[], false)
        }),
        "wish.claims.unit",
    );
}

#[test]
fn a_group_claim_is_written_by_its_lead_with_members() {
    let o = outsider();
    let members = vec!["vol-9".to_owned(), "vol-10".to_owned()];
    review(&published(), &o, |d| {
        claim_as(d, &o, ClaimKind::Group, "vol-9", &members, false)
    })
    .expect("group by its lead");
    refused_by(
        review(&published(), &o, |d| {
            claim_as(d, &o, ClaimKind::Group, "vol-10", &members, false)
        }),
        "wish.claims.group",
    );
}
