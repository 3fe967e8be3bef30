//! Property tests: random concurrent operations on 3–5 replicas (forks of one document,
//! each with its own actor), merged in random orders. Every replica must derive the same
//! views; a wish's stage never drops unless a claim is released; after the server's
//! arbitration active assignments never exceed capacity; ledger entries balance; personal
//! data never leaves the contact documents.

use crate::domain_common as common;

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use common::{fork, merge};
use proptest::collection::vec;
use proptest::prelude::*;
use wish_client_core::model::community::{CatalogueItem, Offer, Person};
use wish_client_core::model::ledger::{account, earn_id, LedgerEntry, Posting};
use wish_client_core::model::station::Shift;
use wish_client_core::model::Role;
use wish_client_core::model::{
    conflicts, match_offers, wall, ClaimKind, CloseReason, CommunityView, EventKind, LedgerKind,
    LedgerView, MemberKind, Module, StationView, WishView,
};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::ledger::{self, Award, Redeem};
use wish_client_core::ops::station::{self, NewShift, NewStation};
use wish_client_core::ops::{wish, Stamp};

const PEOPLE: [&str; 4] = ["vol-a", "vol-b", "vol-c", "vol-d"];

// ---- document walking ----

/// Every string in the document: map keys, scalar strings and text contents.
fn strings(doc: &Automerge) -> Vec<String> {
    let mut out = Vec::new();
    walk(doc, &ROOT, &mut out);
    out
}

fn walk(doc: &Automerge, obj: &ObjId, out: &mut Vec<String>) {
    match doc.object_type(obj).expect("object type") {
        ObjType::Text => out.push(doc.text(obj).expect("text")),
        ObjType::List => {
            for i in 0..doc.length(obj) {
                visit(doc, doc.get_all(obj, i).expect("get"), out);
            }
        }
        ObjType::Map | ObjType::Table => {
            for key in doc.keys(obj) {
                visit(doc, doc.get_all(obj, key.as_str()).expect("get"), out);
                out.push(key);
            }
        }
    }
}

fn visit(doc: &Automerge, values: Vec<(Value<'_>, ObjId)>, out: &mut Vec<String>) {
    for (value, id) in values {
        match value {
            Value::Object(_) => walk(doc, &id, out),
            Value::Scalar(s) => {
                if let ScalarValue::Str(s) = s.as_ref() {
                    out.push(s.to_string());
                }
            }
        }
    }
}

fn assert_no_personal_data(doc: &Automerge, secrets: &[&str]) {
    for s in strings(doc) {
        for secret in secrets {
            assert!(
                !s.contains(secret),
                "personal data {secret:?} found in {s:?}"
            );
        }
    }
}

/// Merges every replica into every other, each in the order given by `order`.
fn merge_all(replicas: &mut [Automerge], order: &[usize]) {
    let n = replicas.len();
    for &to in order.iter().map(|i| i % n).collect::<Vec<_>>().iter() {
        for &from in order {
            let from = from % n;
            if from != to {
                let source = replicas[from].clone();
                merge(&mut replicas[to], &source);
            }
        }
    }
}

// ---- wish lifecycle ----

#[derive(Debug, Clone)]
enum WishOp {
    Verify,
    Reject,
    Triage(Module),
    Publish,
    Claim(usize),
    Release(usize),
    Start,
    Resolve(usize, u8),
    Confirm(usize),
    Rate(u8),
    Close(CloseReason),
}

#[derive(Debug, Clone)]
enum Step {
    Op(usize, WishOp),
    Sync(usize, usize),
    Arbitrate,
}

fn wish_op() -> impl Strategy<Value = WishOp> {
    // Weighted towards progress so that most runs reach claims, assignments and ratings.
    prop_oneof![
        2 => Just(WishOp::Verify),
        1 => Just(WishOp::Reject),
        2 => proptest::sample::select(Module::ALL).prop_map(WishOp::Triage),
        4 => Just(WishOp::Publish),
        10 => (0..PEOPLE.len()).prop_map(WishOp::Claim),
        2 => (0..8usize).prop_map(WishOp::Release),
        4 => Just(WishOp::Start),
        8 => (0..8usize, 0..10u8).prop_map(|(c, h)| WishOp::Resolve(c, h)),
        4 => (0..8usize).prop_map(WishOp::Confirm),
        4 => (0..7u8).prop_map(WishOp::Rate),
        1 => proptest::sample::select(CloseReason::ALL).prop_map(WishOp::Close),
    ]
}

fn step(replicas: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..replicas, wish_op()).prop_map(|(r, op)| Step::Op(r, op)),
        4 => (0..replicas, 0..replicas).prop_map(|(a, b)| Step::Sync(a, b)),
        2 => Just(Step::Arbitrate),
    ]
}

/// Replicas, capacity, how far the initial document got (0 collected, 1 verified,
/// 2 published), clock skew per replica, steps, final merge order.
type Scenario = (usize, u32, u8, Vec<u64>, Vec<Step>, Vec<usize>);

fn scenario() -> impl Strategy<Value = Scenario> {
    (3..=5usize, 1..=3u32, 0..3u8).prop_flat_map(|(n, capacity, start)| {
        (
            Just(n),
            Just(capacity),
            Just(start),
            vec(0..500u64, n),
            vec(step(n), 10..60),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

/// The nth claim of the wish (by (at, id)), wrapping around; `None` if there is none.
fn nth_claim(doc: &Automerge, n: usize) -> Option<String> {
    let wish = WishView::read(doc).ok()?;
    let claims = &wish.claims;
    (!claims.is_empty()).then(|| claims[n % claims.len()].id.clone())
}

/// The nth claim with an assignment, else the nth claim (so refusals are tried too).
fn nth_assigned(doc: &Automerge, n: usize) -> Option<String> {
    let wish = WishView::read(doc).ok()?;
    let assigned: Vec<_> = wish
        .claims
        .iter()
        .filter(|c| wish.assigned.contains_key(&c.id))
        .collect();
    match assigned.len() {
        0 => nth_claim(doc, n),
        len => Some(assigned[n % len].id.clone()),
    }
}

/// Applies one operation; refusals are expected and ignored (the local state decides).
fn apply(doc: &mut Automerge, op: &WishOp, stamp: Stamp<'_>) {
    let _ = match op {
        WishOp::Verify => wish::verify(doc, stamp),
        WishOp::Reject => wish::reject(doc, stamp, "incomplete"),
        WishOp::Triage(m) => wish::triage(doc, stamp, *m),
        WishOp::Publish => wish::publish(doc, stamp),
        WishOp::Claim(p) => wish::claim(doc, stamp, ClaimKind::Person, PEOPLE[*p], Some("can do")),
        WishOp::Release(c) => match nth_claim(doc, *c) {
            Some(c) => wish::release(doc, stamp, &c, None),
            None => Ok(()),
        },
        WishOp::Start => wish::start(doc, stamp),
        WishOp::Resolve(c, h) => match nth_assigned(doc, *c) {
            Some(c) => wish::resolve(doc, stamp, &c, f64::from(*h) * 0.5, Some("done")),
            None => Ok(()),
        },
        WishOp::Confirm(c) => match nth_assigned(doc, *c) {
            Some(c) => wish::confirm(doc, stamp, &c).map(|_| ()),
            None => Ok(()),
        },
        WishOp::Rate(score) => wish::rate(doc, stamp, *score, "ok", true),
        WishOp::Close(reason) => wish::close(doc, stamp, *reason, None),
    };
}

fn released_count(wish: &WishView) -> usize {
    wish.events_of(EventKind::Released).count()
}

/// Checks that a step that added no `released` event did not lower the stage, and that
/// closed stays closed.
fn check_monotonic(before: &WishView, after: &WishView) {
    if released_count(before) == released_count(after) {
        assert!(
            after.stage() >= before.stage(),
            "{:?} -> {:?}",
            before.stage(),
            after.stage()
        );
    }
    if before.has_event(EventKind::Closed) {
        assert!(after.has_event(EventKind::Closed));
    }
}

fn base_wish(capacity: u32, start: u8, name: &str, phone: &str) -> Automerge {
    let mut input = common::collect_input(capacity);
    input.contact = Some(wish::NewContact {
        name: name.into(),
        phone: phone.into(),
        ..common::contact()
    });
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    wish::collect_wish(&mut doc, &mut contact, input).expect("collect");
    if start >= 1 {
        wish::verify(&mut doc, common::st("base-verified", "coord", 2_000)).expect("verify");
    }
    if start >= 2 {
        wish::publish(&mut doc, common::st("base-published", "coord", 3_000)).expect("publish");
    }
    assert_no_personal_data(&doc, &[name, phone]);
    doc
}

fn derived(doc: &Automerge) -> (WishView, String, usize) {
    let wish = WishView::read(doc).expect("read");
    let status = wish.status().as_str().to_owned();
    let conflicts = conflicts(doc).len();
    (wish, status, conflicts)
}

fn run_wish_scenario(
    capacity: u32,
    start: u8,
    skew: &[u64],
    steps: &[Step],
    order: &[usize],
    secrets: &[&str],
) {
    let base = base_wish(capacity, start, secrets[0], secrets[1]);
    let mut replicas: Vec<Automerge> = (0..skew.len()).map(|i| fork(&base, i as u8)).collect();
    for (i, step) in steps.iter().enumerate() {
        let now = 10_000 + (i as u64) * 100;
        match step {
            Step::Op(r, op) => {
                let id = format!("r{r}-s{i}");
                let by = format!("coord-{r}");
                let device = format!("tablet-{r}");
                let before = WishView::read(&replicas[*r]).expect("read");
                let stamp = Stamp {
                    id: &id,
                    by: &by,
                    device: &device,
                    now_ms: now + skew[*r],
                };
                apply(&mut replicas[*r], op, stamp);
                check_monotonic(&before, &WishView::read(&replicas[*r]).expect("read"));
            }
            Step::Sync(from, to) if from != to => {
                let before = WishView::read(&replicas[*to]).expect("read");
                let source = replicas[*from].clone();
                merge(&mut replicas[*to], &source);
                check_monotonic(&before, &WishView::read(&replicas[*to]).expect("read"));
            }
            Step::Sync(..) => {}
            Step::Arbitrate => {
                let _ = wish::arbitrate(&mut replicas[0], &[] as &[&str], now);
            }
        }
        let wish = WishView::read(&replicas[0]).expect("read");
        assert!(wish.active_assignments() <= capacity as usize);
    }
    // Final: everyone to the server, the server arbitrates, then everyone merges.
    for i in 1..replicas.len() {
        let source = replicas[i].clone();
        merge(&mut replicas[0], &source);
    }
    let received: Vec<String> = WishView::read(&replicas[0])
        .expect("read")
        .pending_claims()
        .iter()
        .rev()
        .map(|c| c.id.clone())
        .collect();
    let _ = wish::arbitrate(&mut replicas[0], &received, 1_000_000);
    merge_all(&mut replicas, order);

    let first = derived(&replicas[0]);
    assert!(first.0.active_assignments() <= capacity as usize);
    for doc in &replicas {
        assert_eq!(derived(doc), first);
        assert_eq!(
            WishView::read(doc).expect("read").summary(),
            first.0.summary()
        );
        assert_eq!(conflicts(doc), conflicts(&replicas[0]));
        assert_no_personal_data(doc, secrets);
    }
    let views: Vec<WishView> = replicas
        .iter()
        .map(|d| WishView::read(d).expect("read"))
        .collect();
    let walls: Vec<_> = views
        .iter()
        .map(|v| wall(std::slice::from_ref(v)))
        .collect();
    assert!(walls.windows(2).all(|w| w[0] == w[1]));
}

fn secret_name() -> impl Strategy<Value = String> {
    proptest::sample::select(vec!["张桂兰", "王秀英", "刘建国", "陈淑芬"]).prop_map(String::from)
}

fn secret_phone() -> impl Strategy<Value = String> {
    "1[3-9][0-9]{9}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn wish_replicas_converge(
        (_, capacity, start, skew, steps, order) in scenario(),
        name in secret_name(),
        phone in secret_phone(),
    ) {
        run_wish_scenario(capacity, start, &skew, &steps, &order, &[&name, &phone]);
    }
}

// ---- personal data guard at collection ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn collection_never_copies_contact_data(
        name in secret_name(),
        phone in secret_phone(),
        embed in 0..4u8,
        filler in "[a-z ]{0,12}",
    ) {
        let mut input = common::collect_input(1);
        input.title = format!("需要帮助{filler}");
        input.text = match embed {
            0 => format!("{filler}{name}"),
            1 => format!("电话{phone}"),
            _ => filler.clone(),
        };
        input.contact = Some(wish::NewContact { name: name.clone(), phone: phone.clone(), ..common::contact() });
        let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
        match wish::collect_wish(&mut doc, &mut contact, input) {
            Ok(()) => {
                prop_assert!(embed >= 2);
                assert_no_personal_data(&doc, &[&name, &phone]);
                prop_assert!(strings(&contact).contains(&name));
            }
            Err(err) => {
                prop_assert!(embed < 2, "{err}");
                prop_assert!(doc.get_heads().is_empty() && contact.get_heads().is_empty());
            }
        }
    }
}

// ---- ledger ----

#[derive(Debug, Clone)]
enum LedgerOp {
    Award(usize, u8, u8),
    Redeem(usize),
    Earn(u8, u8, u8),
    Reverse(usize),
}

fn ledger_step(n: usize) -> impl Strategy<Value = (usize, Option<LedgerOp>)> {
    let op = prop_oneof![
        3 => (0..PEOPLE.len(), 0..20u8, 0..6u8).prop_map(|(p, pts, h)| LedgerOp::Award(p, pts, h)),
        3 => (0..PEOPLE.len()).prop_map(LedgerOp::Redeem),
        3 => (0..3u8, 0..4u8, 0..9u8).prop_map(|(w, c, h)| LedgerOp::Earn(w, c, h)),
        1 => (0..16usize).prop_map(LedgerOp::Reverse),
    ];
    prop_oneof![
        3 => (0..n, op).prop_map(|(r, op)| (r, Some(op))),
        1 => (0..n, Just(None)),
    ]
}

fn small_catalogue() -> CommunityView {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "社区".into(),
        district: String::new(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let item = CatalogueItem {
        id: "soap".into(),
        name: "肥皂".into(),
        points: 5,
        active: true,
    };
    community::add_catalogue_item(&mut doc, &item, 2).expect("item");
    CommunityView::read(&doc).expect("read")
}

fn earn(wish: u8, claim: u8, hours: u8, by: &str, at: u64) -> LedgerEntry {
    let (wish, claim) = (format!("wish-{wish}"), format!("claim-{claim}"));
    let hours = f64::from(hours) * 0.5;
    let points = account::points_for_hours(hours);
    let person = account::person(PEOPLE[usize::from(wish.len() as u8 % 4)]);
    LedgerEntry {
        id: earn_id(&wish, &claim),
        kind: LedgerKind::Earn,
        at,
        by: by.into(),
        reason: "confirmed resolution".into(),
        wish: Some(wish),
        claim: Some(claim),
        item: None,
        postings: vec![
            Posting {
                account: person,
                points,
                hours,
            },
            Posting {
                account: account::POOL.into(),
                points: -points,
                hours: -hours,
            },
        ],
    }
}

fn apply_ledger(
    doc: &mut Automerge,
    community: &CommunityView,
    op: &LedgerOp,
    id: &str,
    by: &str,
    now: u64,
) {
    let _ = match op {
        LedgerOp::Award(p, points, hours) => {
            let award = Award {
                id: id.into(),
                person: PEOPLE[*p].into(),
                points: i64::from(*points),
                hours: f64::from(*hours) * 0.25,
                reason: "award".into(),
                by: by.into(),
            };
            ledger::award(doc, &award, now)
        }
        LedgerOp::Redeem(p) => {
            let redeem = Redeem {
                id: id.into(),
                person: PEOPLE[*p].into(),
                item: "soap".into(),
                by: by.into(),
            };
            ledger::redeem(doc, community, &redeem, now)
        }
        LedgerOp::Earn(w, c, h) => ledger::record_earn(doc, &earn(*w, *c, *h, by, now)).map(|_| ()),
        LedgerOp::Reverse(n) => {
            let view = LedgerView::read(doc).expect("read");
            let ids: Vec<&String> = view.entries.keys().collect();
            match ids.get(n % ids.len().max(1)) {
                Some(entry) => ledger::reverse(doc, entry, by, now).map(|_| ()),
                None => Ok(()),
            }
        }
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn ledger_replicas_converge_and_balance(
        (n, steps, order) in (3..=5usize).prop_flat_map(|n| (
            Just(n),
            vec(ledger_step(n), 5..40),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )),
    ) {
        let community = small_catalogue();
        let mut base = Automerge::new();
        ledger::create_ledger(&mut base, "community-1", 1).expect("ledger");
        let mut replicas: Vec<Automerge> = (0..n).map(|i| fork(&base, i as u8)).collect();
        for (i, (r, op)) in steps.iter().enumerate() {
            match op {
                Some(op) => {
                    let (id, by) = (format!("e-{r}-{i}"), format!("coord-{r}"));
                    apply_ledger(&mut replicas[*r], &community, op, &id, &by, 100 + i as u64);
                }
                None => {
                    let source = replicas[(r + 1) % n].clone();
                    merge(&mut replicas[*r], &source);
                }
            }
        }
        merge_all(&mut replicas, &order);
        let first = LedgerView::read(&replicas[0]).expect("read");
        for doc in &replicas {
            let view = LedgerView::read(doc).expect("read");
            prop_assert_eq!(&view, &first);
            prop_assert_eq!(view.balances(), first.balances());
            prop_assert_eq!(view.overdrawn_redemptions(), first.overdrawn_redemptions());
            for p in PEOPLE {
                prop_assert_eq!(view.hours(p), first.hours(p));
            }
        }
        for entry in first.entries.values() {
            prop_assert_eq!(entry.points_sum(), 0, "entry {}", entry.id);
            prop_assert_eq!(entry.hours_sum(), 0.0, "entry {}", entry.id);
        }
        prop_assert_eq!(first.balances().values().sum::<i64>(), 0);
        for entry in first.overdrawn_redemptions() {
            prop_assert_eq!(entry.kind, LedgerKind::Redeem);
        }
        for doc in &replicas {
            assert_no_personal_data(doc, &["张桂兰", "13812345678"]);
        }
    }
}

// ---- station roster and community directory ----

#[derive(Debug, Clone)]
enum RosterOp {
    Cover(usize),
    Swap(usize, usize),
    CheckIn(usize),
    CheckOut(usize),
    AddOffer(usize),
}

fn roster_op() -> impl Strategy<Value = RosterOp> {
    let p = 0..PEOPLE.len();
    prop_oneof![
        (p.clone()).prop_map(RosterOp::Cover),
        (p.clone(), p.clone()).prop_map(|(a, b)| RosterOp::Swap(a, b)),
        (p.clone()).prop_map(RosterOp::CheckIn),
        (p.clone()).prop_map(RosterOp::CheckOut),
        (p).prop_map(RosterOp::AddOffer),
    ]
}

fn base_station() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "s1".into(),
        community: "community-1".into(),
        name: "红色驿站".into(),
        kind: wish_client_core::model::StationKind::RedStation,
        address: "幸福路1号".into(),
    };
    station::create_station(&mut doc, &new, 1).expect("station");
    let shift = NewShift {
        id: "sh1".into(),
        date: "2024-06-01".into(),
        start: "19:00".into(),
        end: "20:00".into(),
        assignees: BTreeMap::from([(PEOPLE[0].to_string(), MemberKind::Person)]),
        note: String::new(),
    };
    station::add_shift(&mut doc, &shift, 2).expect("shift");
    doc
}

fn base_community() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "社区".into(),
        district: String::new(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    for id in PEOPLE {
        let person = Person {
            id: id.into(),
            name: format!("志愿者{id}"),
            role: Role::Volunteer,
            modules: vec![Module::Comprehensive],
            skills: vec![],
            party_member: false,
            unit: None,
            stations: vec![],
            left_at: None,
        };
        community::add_person(&mut doc, &person, 2).expect("person");
    }
    doc
}

fn apply_roster(
    station_doc: &mut Automerge,
    community_doc: &mut Automerge,
    op: &RosterOp,
    r: usize,
    now: u64,
) {
    let _ = match op {
        RosterOp::Cover(p) => {
            station::cover(station_doc, "sh1", PEOPLE[*p], MemberKind::Person, now)
        }
        RosterOp::Swap(a, b) => station::swap(
            station_doc,
            "sh1",
            PEOPLE[*a],
            PEOPLE[*b],
            MemberKind::Person,
            now,
        ),
        RosterOp::CheckIn(p) => station::check_in(station_doc, "sh1", PEOPLE[*p], now),
        RosterOp::CheckOut(p) => station::check_out(station_doc, "sh1", PEOPLE[*p], now),
        RosterOp::AddOffer(p) => {
            let offer = Offer {
                id: format!("offer-{r}-{now}"),
                title: "陪同就医".into(),
                module: Module::Medical,
                skills: vec!["陪诊".into()],
                provider: PEOPLE[*p].into(),
                provider_kind: MemberKind::Person,
                capacity: 1,
                active: true,
            };
            community::add_offer(community_doc, &offer, now)
        }
    };
}

fn shift_of(doc: &Automerge) -> Shift {
    StationView::read(doc).expect("read").shifts["sh1"].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn station_and_community_replicas_converge(
        (n, steps, order) in (3..=5usize).prop_flat_map(|n| (
            Just(n),
            vec((0..n, proptest::option::of(roster_op())), 5..30),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )),
    ) {
        let (station_base, community_base) = (base_station(), base_community());
        let mut stations: Vec<Automerge> = (0..n).map(|i| fork(&station_base, i as u8)).collect();
        let mut communities: Vec<Automerge> = (0..n).map(|i| fork(&community_base, i as u8)).collect();
        for (i, (r, op)) in steps.iter().enumerate() {
            match op {
                Some(op) => apply_roster(&mut stations[*r], &mut communities[*r], op, *r, 10 + i as u64),
                None => {
                    let (s, c) = (stations[(r + 1) % n].clone(), communities[(r + 1) % n].clone());
                    merge(&mut stations[*r], &s);
                    merge(&mut communities[*r], &c);
                }
            }
        }
        merge_all(&mut stations, &order);
        merge_all(&mut communities, &order);
        let (station, community) = (
            StationView::read(&stations[0]).expect("read"),
            CommunityView::read(&communities[0]).expect("read"),
        );
        for (s, c) in stations.iter().zip(&communities) {
            prop_assert_eq!(&StationView::read(s).expect("read"), &station);
            prop_assert_eq!(&CommunityView::read(c).expect("read"), &community);
            prop_assert_eq!(conflicts(s), conflicts(&stations[0]));
        }
        for (person, checkin) in &shift_of(&stations[0]).checkins {
            prop_assert!(PEOPLE.contains(&person.as_str()));
            if let Some(out) = checkin.check_out {
                prop_assert!(out >= checkin.check_in);
            }
        }
        let wish = WishView::read(&common::published(1)).expect("read");
        let matches = match_offers(std::slice::from_ref(&wish), &community);
        prop_assert_eq!(matches, match_offers(&[wish], &CommunityView::read(&communities[n - 1]).expect("read")));
    }
}
