//! Property tests of the write rules: random sequences of operations by random people,
//! honest (the domain operations of `client-core/src/ops`, by the role the screens offer
//! them to) and hostile (raw writes the screens never make). Honest operations are never
//! refused; whatever is accepted never leaves a wish where a rule is broken: assignments
//! within capacity, none forged as the server's, history never shortened, every entry
//! written in its writer's name (or by staff, audited).

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use proptest::prelude::*;
use wish_client_core::model::{Channel, ClaimKind, Module, Urgency, WishView};
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;
use wish_server::access::{DocMeta, Principal, Role};
use wish_server::rules::{check, ChangeUnderReview};

/// People of the scene: 0 collector (station s1), 1 coordinator (s1), 2–3 volunteers of
/// another station, 4 a partner.
fn person(n: usize) -> Principal {
    let (role, stations) = match n {
        0 => (Role::Volunteer, vec!["s1"]),
        1 => (Role::Coordinator, vec!["s1"]),
        2 | 3 => (Role::Volunteer, vec!["s2"]),
        _ => (Role::Partner, vec![]),
    };
    Principal {
        device_id: format!("d{n}"),
        role,
        person: format!("p{n}"),
        community: Some("c1".into()),
        stations: stations.into_iter().map(String::from).collect(),
        covers: Default::default(),
    }
}

#[derive(Debug, Clone)]
enum Step {
    Verify,
    Publish,
    Claim(usize),
    Assign(usize),
    Start(usize),
    Resolve(usize),
    Release(usize),
    Rate(usize),
    /// Server arbitration (not checked: the server's own actor).
    Arbitrate,
    // Hostile raw writes by a person.
    ForgeAssignment(usize),
    DeleteEvent(usize),
    Retitle(usize),
    ClaimAsOther(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0..5usize;
    prop_oneof![
        Just(Step::Verify),
        Just(Step::Publish),
        who.clone().prop_map(Step::Claim),
        who.clone().prop_map(Step::Assign),
        who.clone().prop_map(Step::Start),
        who.clone().prop_map(Step::Resolve),
        who.clone().prop_map(Step::Release),
        who.clone().prop_map(Step::Rate),
        Just(Step::Arbitrate),
        who.clone().prop_map(Step::ForgeAssignment),
        who.clone().prop_map(Step::DeleteEvent),
        who.clone().prop_map(Step::Retitle),
        who.prop_map(Step::ClaimAsOther),
    ]
}

fn collected() -> Automerge {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let input = CollectWish {
        wish_id: "w1".into(),
        wish_doc: "wish-doc".into(),
        community: "c1".into(),
        station: "s1".into(),
        title: "帮忙安装路由器".into(),
        text: "家里的路由器坏了".into(),
        suggested_module: Some(Module::Comprehensive),
        channel: Channel::DoorToDoor,
        compound: "幸福小区".into(),
        building: "3栋".into(),
        urgency: Urgency::Normal,
        capacity: 2,
        on_behalf: false,
        collected_by: "p0".into(),
        device: "d0".into(),
        event_id: "ev-collected".into(),
        now_ms: 1_000,
        contact: None,
    };
    wish::collect_wish(&mut doc, &mut contact, input).expect("collect");
    doc
}

/// What one step does to a fork of the document: `None` when the domain operation itself
/// refuses (nothing to check), else the writer, whether the step is honest, and the fork.
fn perform(doc: &Automerge, step: &Step, at: u64) -> Option<(Principal, bool, Automerge)> {
    let mut fork = doc.fork();
    let id = format!("x{at}");
    let (writer, honest, ok) = match step {
        Step::Verify => staff_op(&mut fork, &id, at, |d, s| wish::verify(d, s).is_ok()),
        Step::Publish => staff_op(&mut fork, &id, at, |d, s| wish::publish(d, s).is_ok()),
        Step::Claim(n) => {
            let p = person(*n);
            let ok = wish::claim(
                &mut fork,
                st(&id, &p, at),
                ClaimKind::Person,
                &p.person,
                None,
            )
            .is_ok();
            (p, true, ok)
        }
        Step::Assign(n) => {
            let claim = own_claim(doc, *n).or_else(|| any_pending(doc));
            let ok = claim.is_some_and(|c| wish::assign(&mut fork, &c, "p1", false, at).is_ok());
            (person(1), true, ok)
        }
        Step::Start(n) => {
            let p = person(*n);
            let ok = wish::start(&mut fork, st(&id, &p, at)).is_ok();
            let honest = holds_assignment(doc, &p.person) || *n == 1;
            (p, honest, ok)
        }
        Step::Resolve(n) => claimant_op(&mut fork, doc, *n, &id, at, |d, s, c| {
            wish::resolve(d, s, c, 1.5, None).is_ok()
        }),
        Step::Release(n) => claimant_op(&mut fork, doc, *n, &id, at, |d, s, c| {
            wish::release(d, s, c, None).is_ok()
        }),
        Step::Rate(n) => {
            let p = person(*n);
            let ok = wish::rate(&mut fork, st(&id, &p, at), 4, "", true).is_ok();
            (p, *n <= 1, ok)
        }
        Step::Arbitrate => return arbitrate(doc, at),
        Step::ForgeAssignment(n) => hostile(&mut fork, *n, |tx| forge_assignment(tx, &id, *n)),
        Step::DeleteEvent(n) => hostile(&mut fork, *n, delete_collected),
        Step::Retitle(n) => hostile(&mut fork, *n, |tx| tx.put(ROOT, "title", "改掉").is_ok()),
        Step::ClaimAsOther(n) => hostile(&mut fork, *n, |tx| claim_as_other(tx, &id, *n)),
    };
    ok.then_some((writer, honest, fork))
}

fn st<'a>(id: &'a str, p: &'a Principal, at: u64) -> Stamp<'a> {
    Stamp {
        id,
        by: &p.person,
        device: &p.device_id,
        now_ms: at,
    }
}

fn staff_op(
    fork: &mut Automerge,
    id: &str,
    at: u64,
    op: impl FnOnce(&mut Automerge, Stamp<'_>) -> bool,
) -> (Principal, bool, bool) {
    let c = person(1);
    let ok = op(fork, st(id, &c, at));
    (c, true, ok)
}

fn claimant_op(
    fork: &mut Automerge,
    doc: &Automerge,
    n: usize,
    id: &str,
    at: u64,
    op: impl FnOnce(&mut Automerge, Stamp<'_>, &str) -> bool,
) -> (Principal, bool, bool) {
    let p = person(n);
    let Some(claim) = own_claim(doc, n) else {
        return (p, true, false);
    };
    let ok = op(fork, st(id, &p, at), &claim);
    (p, true, ok)
}

fn hostile(
    fork: &mut Automerge,
    n: usize,
    write: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> bool,
) -> (Principal, bool, bool) {
    let mut tx = fork.transaction();
    let ok = write(&mut tx);
    tx.commit();
    (person(n), false, ok)
}

fn forge_assignment(tx: &mut automerge::transaction::Transaction<'_>, id: &str, n: usize) -> bool {
    let Ok(Some((_, claims))) = tx.get(ROOT, "claims") else {
        return false;
    };
    let Ok(Some((_, assigned))) = tx.get(ROOT, "assigned") else {
        return false;
    };
    let put = |tx: &mut automerge::transaction::Transaction<'_>| -> Result<(), automerge::AutomergeError> {
        let claim = tx.put_object(&claims, id, ObjType::Map)?;
        for (k, v) in [("id", id.to_owned()), ("kind", "person".into()), ("claimant", format!("p{n}")), ("by", format!("p{n}")), ("device", format!("d{n}"))] {
            tx.put(&claim, k, v)?;
        }
        tx.put(&claim, "at", 5_u64)?;
        let a = tx.put_object(&assigned, id, ObjType::Map)?;
        tx.put(&a, "at", 5_u64)?;
        tx.put(&a, "by", "server")?;
        tx.put(&a, "by_server", true)?;
        Ok(())
    };
    put(tx).is_ok()
}

fn delete_collected(tx: &mut automerge::transaction::Transaction<'_>) -> bool {
    match tx.get(ROOT, "events") {
        Ok(Some((_, events))) => tx.delete(&events, "ev-collected").is_ok(),
        _ => false,
    }
}

fn claim_as_other(tx: &mut automerge::transaction::Transaction<'_>, id: &str, n: usize) -> bool {
    let Ok(Some((_, claims))) = tx.get(ROOT, "claims") else {
        return false;
    };
    let other = (n + 1) % 5;
    let Ok(claim) = tx.put_object(&claims, id, ObjType::Map) else {
        return false;
    };
    [
        ("id", id.to_owned()),
        ("kind", "person".into()),
        ("claimant", format!("p{other}")),
        ("by", format!("p{other}")),
        ("device", format!("d{n}")),
    ]
    .into_iter()
    .all(|(k, v)| tx.put(&claim, k, v).is_ok())
        && tx.put(&claim, "at", 6_u64).is_ok()
}

fn arbitrate(doc: &Automerge, at: u64) -> Option<(Principal, bool, Automerge)> {
    let mut fork = doc.fork();
    let chosen = wish::arbitrate(&mut fork, &Vec::<String>::new(), at).ok()?;
    (!chosen.is_empty()).then(|| (Principal::administrator(), true, fork))
}

fn view(doc: &Automerge) -> WishView {
    WishView::read(doc).expect("wish reads")
}

fn own_claim(doc: &Automerge, n: usize) -> Option<String> {
    let p = format!("p{n}");
    let v = view(doc);
    let found = v.active_claims().into_iter().find(|c| c.claimant == p);
    found.map(|c| c.id.clone())
}

fn any_pending(doc: &Automerge) -> Option<String> {
    view(doc).pending_claims().first().map(|c| c.id.clone())
}

fn holds_assignment(doc: &Automerge, person: &str) -> bool {
    view(doc)
        .assigned_claims()
        .iter()
        .any(|c| c.claimant == person)
}

/// The invariants every accepted state keeps.
fn assert_invariants(before: &Automerge, after: &Automerge, writer: &Principal) {
    let (old, new) = (view(before), view(after));
    assert!(
        new.active_assignments() <= new.capacity as usize,
        "over capacity"
    );
    for (claim, a) in &new.assigned {
        if !old.assigned.contains_key(claim) && a.by_server {
            assert_eq!(
                writer.role,
                Role::Administrator,
                "by_server forged by {}",
                writer.person
            );
        }
    }
    for event in &old.events {
        assert!(
            new.events.contains(event),
            "event {} lost or rewritten",
            event.id
        );
    }
    for claim in &old.claims {
        assert!(
            new.claims.contains(claim),
            "claim {} lost or rewritten",
            claim.id
        );
    }
    let staff = matches!(
        writer.role,
        Role::Coordinator | Role::Office | Role::Administrator
    );
    for event in new.events.iter().filter(|e| !old.events.contains(e)) {
        assert!(
            staff || event.by == writer.person,
            "event in another's name"
        );
    }
    for claim in new.claims.iter().filter(|c| !old.claims.contains(c)) {
        assert!(
            staff || claim.claimant == writer.person,
            "claim in another's name"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn accepted_changes_keep_every_rule_and_honest_ones_pass(steps in prop::collection::vec(step(), 1..24)) {
        let mut doc = collected();
        for (i, step) in steps.iter().enumerate() {
            let at = 2_000 + i as u64;
            let Some((writer, honest, after)) = perform(&doc, step, at) else { continue };
            let before = doc.get_heads();
            let patches = after.diff(&before, &after.get_heads());
            let meta = DocMeta::of(&after);
            let verdict = check(&ChangeUnderReview { writer: &writer, meta: &meta, doc: &after, before: &before, patches: &patches, wish: None, root: None, writer_unit: None });
            if honest {
                prop_assert!(verdict.is_ok(), "honest {step:?} by {} refused: {verdict:?}", writer.person);
            }
            if verdict.is_ok() {
                assert_invariants(&doc, &after, &writer);
                doc = after;
            }
        }
    }
}
