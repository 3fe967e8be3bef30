//! Closing the loop (issue 14): the visiting volunteer's rating (代评) and 回访 records,
//! the coordinator's story (微故事) — honest writes accepted, everybody else refused.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use wish_client_core::model::CloseReason;
use wish_client_core::ops::wish;

use super::tests::{assigned, collector, coordinator, outsider, principal, refused_by, review, st};
use crate::access::Role;

/// Assigned to the outsider `vol-9` (another station's volunteer), resolved by them.
fn resolved() -> Automerge {
    let mut doc = assigned();
    wish::resolve(
        &mut doc,
        st("e3", &outsider(), 6_000),
        "c1",
        2.0,
        Some("修好了"),
    )
    .expect("resolve");
    doc
}

/// A volunteer of another station who neither collected nor claimed the wish.
fn stranger() -> crate::access::Principal {
    principal(Role::Volunteer, "vol-7", "tablet-7", &["station-2"])
}

#[test]
fn a_claimant_records_the_residents_rating_on_their_behalf() {
    let o = outsider();
    review(&resolved(), &o, |d| {
        wish::rate(d, st("e5", &o, 8_000), 5, "很满意", true).expect("op")
    })
    .expect("the claimant's 代评 is accepted");
}

#[test]
fn nobody_else_records_a_rating() {
    let s = stranger();
    refused_by(
        review(&resolved(), &s, |d| {
            wish::rate(d, st("e5", &s, 8_000), 1, "", true).expect("op")
        }),
        "wish.events.rated",
    );
}

#[test]
fn claimants_and_station_people_record_visits_strangers_do_not() {
    let (o, v, s) = (outsider(), collector(), stranger());
    let doc = resolved();
    review(&doc, &o, |d| {
        wish::record_visit(d, st("e6", &o, 9_000), "居民很满意").expect("op")
    })
    .expect("the claimant's 回访");
    review(&doc, &v, |d| {
        wish::record_visit(d, st("e6", &v, 9_000), "血压正常").expect("op")
    })
    .expect("a station volunteer's 回访");
    refused_by(
        review(&doc, &s, |d| {
            wish::record_visit(d, st("e6", &s, 9_000), "伪造").expect("op")
        }),
        "wish.events.visited",
    );
}

#[test]
fn only_the_coordinator_tells_the_story_of_a_fulfilled_wish() {
    let (c, o) = (coordinator(), outsider());
    let mut doc = resolved();
    let story = |d: &mut Automerge, who| {
        wish::mark_story(d, st("e8", who, 11_000), "志愿者每周上门量血压", None).expect("op")
    };
    wish::close(&mut doc, st("e7", &c, 10_000), CloseReason::Fulfilled, None).expect("close");
    review(&doc, &c, |d| story(d, &c)).expect("the coordinator's story");
    refused_by(review(&doc, &o, |d| story(d, &o)), "wish.events.story");
    // Written past the core's own check: the server refuses a story of an open wish.
    refused_by(
        review(&resolved(), &c, |d| raw_story(d, &c)),
        "wish.events.story",
    );
}

/// A `story` event written straight into the document, as a hostile client would.
fn raw_story(doc: &mut Automerge, who: &crate::access::Principal) {
    let mut tx = doc.transaction();
    let events = match tx.get(ROOT, "events") {
        Ok(Some((_, id))) => id,
        _ => panic!("a wish has events"),
    };
    let event = tx.put_object(&events, "e8", ObjType::Map).expect("event");
    for (key, value) in [
        ("id", "e8"),
        ("kind", "story"),
        ("by", &who.person),
        ("device", &who.device_id),
        ("note", "故事"),
    ] {
        tx.put(&event, key, value).expect("field");
    }
    tx.put(&event, "at", 11_000_i64).expect("at");
    tx.commit();
}

/// Two coordinators recording the same duty's hours offline (值班计入服务时长) write the
/// same `earn-duty-…` entry: the second write is accepted as the same earn entry.
#[test]
fn a_duty_recorded_twice_is_one_earn_entry() {
    use wish_client_core::ops::ledger::{create_ledger, record_duty, DutyCredit};
    let (c, other) = (
        coordinator(),
        principal(Role::Coordinator, "coord-2", "tablet-d", &["station-1"]),
    );
    let mut base = Automerge::new();
    create_ledger(&mut base, "community-1", 1).expect("ledger");
    let credit = DutyCredit {
        id: "earn-duty-station-1-s1-vol-1".into(),
        station: "station-1".into(),
        shift: "s1".into(),
        date: "2026-11-30".into(),
        start: "19:00".into(),
        end: "20:00".into(),
        person: "vol-1".into(),
        hours: 1.0,
    };
    // The second write's actor sorts higher, so it wins the key and the change is an edit.
    let mut first = base
        .fork()
        .with_actor(automerge::ActorId::from(vec![1; 16]));
    record_duty(&mut first, &credit, &c.person, 10_000).expect("first");
    let mut second = base
        .fork()
        .with_actor(automerge::ActorId::from(vec![2; 16]));
    record_duty(&mut second, &credit, &other.person, 11_000).expect("second");
    review(&first, &other, |d| {
        d.merge(&mut second).map(drop).expect("merge")
    })
    .expect("the same earn entry written twice");
    // A different entry under a used id is refused.
    let mut forged = base
        .fork()
        .with_actor(automerge::ActorId::from(vec![3; 16]));
    let award = wish_client_core::ops::ledger::Award {
        id: credit.id.clone(),
        person: "vol-1".into(),
        points: 50,
        hours: 0.0,
        reason: "改写".into(),
        by: other.person.clone(),
    };
    wish_client_core::ops::ledger::award(&mut forged, &award, 12_000).expect("award");
    refused_by(
        review(&first, &other, |d| {
            d.merge(&mut forged).map(drop).expect("merge")
        }),
        "ledger.entries.same-earn",
    );
}
