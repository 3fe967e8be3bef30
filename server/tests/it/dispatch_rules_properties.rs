//! Property test of 派单 under concurrency: coordinators dispatch (a claim on someone's
//! behalf plus their own assignment, one change) while volunteers claim for themselves
//! and partners claim as their units, all offline from the same published wish. The
//! server receives the changes in any order, judges each with the write rules (a refused
//! change is dropped, as the engine undoes it) and runs its arbitration after each. Under
//! every order the wish never has more active assignments than places, and a claim is
//! only ever refused for a full wish or a claimant who already holds one.

use automerge::Automerge;
use proptest::prelude::*;
use wish_client_core::model::{Channel, ClaimKind, Module, Urgency, WishView};
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;
use wish_server::access::{DocMeta, Principal, Role};
use wish_server::rules::{check, ChangeUnderReview};

const PEOPLE: usize = 4;

fn principal(role: Role, person: &str, device: &str, stations: &[&str]) -> Principal {
    Principal {
        device_id: device.into(),
        role,
        person: person.into(),
        community: Some("c1".into()),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        covers: Default::default(),
    }
}

/// One offline write, made from the published wish.
#[derive(Debug, Clone)]
enum Write {
    /// Coordinator `0|1` of station s1 dispatches to person `n`.
    Dispatch(usize, usize),
    /// Volunteer `n` (of another station) claims for themselves.
    Claim(usize),
    /// Partner `n` claims as its unit `unit-n`.
    UnitClaim(usize),
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        3 => (0..2usize, 0..PEOPLE).prop_map(|(c, n)| Write::Dispatch(c, n)),
        2 => (0..PEOPLE).prop_map(Write::Claim),
        2 => (0..PEOPLE).prop_map(Write::UnitClaim),
    ]
}

fn published(capacity: u32) -> Automerge {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let card = CollectWish {
        wish_id: "wish-1".into(),
        wish_doc: "wish-doc-1".into(),
        community: "c1".into(),
        station: "s1".into(),
        title: "独居老人需要上门问诊".into(),
        text: "希望有医生每周来看看血压".into(),
        suggested_module: Some(Module::Medical),
        channel: Channel::DoorToDoor,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::High,
        capacity,
        on_behalf: false,
        collected_by: "vol-s1".into(),
        device: "d-vol-s1".into(),
        event_id: "ev-c".into(),
        now_ms: 1_000,
        contact: None,
    };
    wish::collect_wish(&mut doc, &mut contact, card).expect("collect");
    let stamp = |id| Stamp {
        id,
        by: "coord-0",
        device: "d-coord-0",
        now_ms: 2_000,
    };
    wish::verify(&mut doc, stamp("ev-v")).expect("verify");
    wish::publish(&mut doc, stamp("ev-p")).expect("publish");
    doc
}

/// The write on a fork of `base` (its own actor), with its writer and the writer's unit.
fn perform(base: &Automerge, w: &Write, i: usize) -> (Principal, Option<String>, Automerge) {
    let mut fork = base.fork();
    let id = format!("claim-{i}");
    let at = 3_000 + i as u64;
    let (writer, unit) = match w {
        Write::Dispatch(c, n) => {
            let who = principal(
                Role::Coordinator,
                &format!("coord-{c}"),
                &format!("d-coord-{c}"),
                &["s1"],
            );
            let stamp = Stamp {
                id: &id,
                by: &who.person,
                device: &who.device_id,
                now_ms: at,
            };
            // Refused locally only when the coordinator's copy is full or has the person.
            let _ = wish::dispatch(&mut fork, stamp, ClaimKind::Person, &format!("p{n}"), None);
            (who, None)
        }
        Write::Claim(n) => {
            let who = principal(
                Role::Volunteer,
                &format!("p{n}"),
                &format!("d-p{n}"),
                &["s2"],
            );
            let stamp = Stamp {
                id: &id,
                by: &who.person,
                device: &who.device_id,
                now_ms: at,
            };
            let _ = wish::claim(&mut fork, stamp, ClaimKind::Person, &who.person, None);
            (who, None)
        }
        Write::UnitClaim(n) => {
            let who = principal(
                Role::Partner,
                &format!("partner-{n}"),
                &format!("d-u{n}"),
                &[],
            );
            let unit = format!("unit-{n}");
            let stamp = Stamp {
                id: &id,
                by: &who.person,
                device: &who.device_id,
                now_ms: at,
            };
            let _ = wish::claim(&mut fork, stamp, ClaimKind::Unit, &unit, None);
            (who, Some(unit))
        }
    };
    (writer, unit, fork)
}

/// The server receives `fork`'s changes: applied, judged, kept or dropped. Returns whether
/// they were kept.
fn receive(
    server: &mut Automerge,
    fork: &Automerge,
    writer: &Principal,
    unit: Option<String>,
) -> bool {
    let before = server.get_heads();
    let mut after = server.clone();
    after.merge(&mut fork.clone()).expect("merge");
    if after.get_heads() == before {
        return false; // the write refused locally: nothing to send
    }
    let patches = after.diff(&before, &after.get_heads());
    let meta = DocMeta::of(&after);
    let change = ChangeUnderReview {
        writer,
        meta: &meta,
        doc: &after,
        before: &before,
        patches: &patches,
        wish: None,
        root: None,
        writer_unit: unit,
    };
    let kept = check(&change).is_ok();
    if kept {
        *server = after;
    }
    kept
}

fn holds_claim(doc: &Automerge, claimant: &str) -> bool {
    WishView::read(doc)
        .expect("read")
        .active_claims()
        .iter()
        .any(|c| c.claimant == claimant)
}

fn claimant_of(w: &Write) -> String {
    match w {
        Write::Dispatch(_, n) | Write::Claim(n) => format!("p{n}"),
        Write::UnitClaim(n) => format!("unit-{n}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn dispatch_claims_and_arbitration_never_exceed_capacity(
        capacity in 1..4u32,
        writes in prop::collection::vec(write(), 1..10)
            .prop_flat_map(|w| Just(w).prop_shuffle()),
    ) {
        let base = published(capacity);
        let forks: Vec<_> = writes.iter().enumerate().map(|(i, w)| (w, perform(&base, w, i))).collect();
        let mut server = base.clone();
        let mut received: Vec<String> = Vec::new();
        for (i, (w, (writer, unit, fork))) in forks.into_iter().enumerate() {
            let full = WishView::read(&server).expect("read").free_capacity() == 0;
            let had = holds_claim(&server, &claimant_of(w));
            let kept = receive(&mut server, &fork, &writer, unit);
            if kept {
                received.push(format!("claim-{i}"));
            } else {
                let dispatch = matches!(w, Write::Dispatch(..));
                prop_assert!(had || (dispatch && full), "{w:?} refused on a wish with room");
            }
            wish::arbitrate(&mut server, &received, 10_000 + i as u64).expect("arbitrate");
            let wish = WishView::read(&server).expect("read");
            prop_assert!(wish.active_assignments() <= capacity as usize,
                "{} assignments for {capacity} places", wish.active_assignments());
        }
    }
}
