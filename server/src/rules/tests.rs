//! The rule table against honest operations (never refused) and hostile edits (refused
//! with the right rule).

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, ROOT};
use wish_client_core::model::{Channel, ClaimKind, Module, Urgency};
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;

use super::{check, ChangeUnderReview, Refusal, Verdict};
use crate::access::{DocMeta, Principal, Role};

pub(super) fn principal(role: Role, person: &str, device: &str, stations: &[&str]) -> Principal {
    Principal {
        device_id: device.into(),
        role,
        person: person.into(),
        community: Some("community-1".into()),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        covers: Default::default(),
    }
}

pub(super) fn collector() -> Principal {
    principal(Role::Volunteer, "vol-1", "tablet-1", &["station-1"])
}
pub(super) fn coordinator() -> Principal {
    principal(Role::Coordinator, "coord-1", "tablet-c", &["station-1"])
}
pub(super) fn outsider() -> Principal {
    principal(Role::Volunteer, "vol-9", "tablet-9", &["station-2"])
}

pub(super) fn st<'a>(id: &'a str, who: &'a Principal, now_ms: u64) -> Stamp<'a> {
    Stamp {
        id,
        by: &who.person,
        device: &who.device_id,
        now_ms,
    }
}

/// Runs `edit` on a copy of `doc` as `writer` and returns the rules' verdict.
pub(super) fn review(
    doc: &Automerge,
    writer: &Principal,
    edit: impl FnOnce(&mut Automerge),
) -> Result<Verdict, Refusal> {
    review_with_unit(doc, writer, None, edit)
}

/// [`review`] by a writer whose directory entry names `unit` (a partner's unit).
pub(super) fn review_with_unit(
    doc: &Automerge,
    writer: &Principal,
    unit: Option<&str>,
    edit: impl FnOnce(&mut Automerge),
) -> Result<Verdict, Refusal> {
    let mut after = doc.clone();
    let before = after.get_heads();
    edit(&mut after);
    let patches = after.diff(&before, &after.get_heads());
    // As the engine does: the wish read for the access facts is handed to the rules.
    let (meta, read) = DocMeta::read(&after);
    let (wish, root) = read.unzip();
    check(&ChangeUnderReview {
        writer,
        meta: &meta,
        doc: &after,
        before: &before,
        patches: &patches,
        wish,
        root: root.as_ref(),
        writer_unit: unit.map(str::to_owned),
    })
}

pub(super) fn refused_by(result: Result<Verdict, Refusal>, rule: &str) {
    match result {
        Err(refusal) => assert_eq!(refusal.rule, rule, "{}", refusal.reason),
        Ok(_) => panic!("expected a refusal by {rule}"),
    }
}

fn collect_input() -> CollectWish {
    CollectWish {
        wish_id: "wish-1".into(),
        wish_doc: "wish-doc-1".into(),
        community: "community-1".into(),
        station: "station-1".into(),
        title: "独居老人需要上门问诊".into(),
        text: "希望有医生每周来看看血压".into(),
        suggested_module: Some(Module::Medical),
        channel: Channel::DoorToDoor,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::High,
        capacity: 2,
        on_behalf: true,
        collected_by: "vol-1".into(),
        device: "tablet-1".into(),
        event_id: "ev-collected".into(),
        now_ms: 1_000,
        contact: None,
    }
}

fn collected() -> Automerge {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    wish::collect_wish(&mut doc, &mut contact, collect_input()).expect("collect");
    doc
}

pub(super) fn published() -> Automerge {
    let mut doc = collected();
    let c = coordinator();
    wish::verify(&mut doc, st("ev-v", &c, 2_000)).expect("verify");
    wish::publish(&mut doc, st("ev-p", &c, 3_000)).expect("publish");
    doc
}

/// Published, claimed by the outsider and assigned by the server.
pub(super) fn assigned() -> Automerge {
    let mut doc = published();
    let o = outsider();
    wish::claim(
        &mut doc,
        st("c1", &o, 4_000),
        ClaimKind::Person,
        "vol-9",
        None,
    )
    .expect("claim");
    wish::assign(&mut doc, "c1", "server", true, 4_500).expect("assign");
    doc
}

#[test]
fn honest_collection_is_accepted() {
    let result = review(&Automerge::new(), &collector(), |doc| {
        let mut contact = Automerge::new();
        wish::collect_wish(doc, &mut contact, collect_input()).expect("collect");
    });
    assert_eq!(result, Ok(Verdict::default()));
}

#[test]
fn honest_lifecycle_is_accepted() {
    let (v, c, o) = (collector(), coordinator(), outsider());
    let doc = collected();
    review(&doc, &c, |d| {
        wish::verify(d, st("e1", &c, 2_000)).expect("op")
    })
    .expect("verify");
    let doc = published();
    review(&doc, &o, |d| {
        wish::claim(d, st("c1", &o, 4_000), ClaimKind::Person, "vol-9", None).expect("op")
    })
    .expect("claim");
    let doc = assigned();
    review(&doc, &o, |d| {
        wish::start(d, st("e2", &o, 5_000)).expect("op")
    })
    .expect("start");
    let resolved = |d: &mut Automerge| {
        wish::resolve(d, st("e3", &o, 6_000), "c1", 2.0, Some("修好了")).expect("op")
    };
    review(&doc, &o, resolved).expect("resolve");
    let mut done = doc.clone();
    resolved(&mut done);
    review(&done, &c, |d| {
        wish::confirm(d, st("e4", &c, 7_000), "c1")
            .map(|_| ())
            .expect("op")
    })
    .expect("confirm");
    review(&done, &v, |d| {
        wish::rate(d, st("e5", &v, 8_000), 5, "很好", true).expect("op")
    })
    .expect("rate by the collector");
    review(&doc, &o, |d| {
        wish::release(d, st("e6", &o, 9_000), "c1", None).expect("op")
    })
    .expect("release own claim");
}

#[test]
fn forged_server_assignment_is_refused() {
    let o = outsider();
    refused_by(
        review(&published(), &o, |d| {
            wish::claim(d, st("c1", &o, 4_000), ClaimKind::Person, "vol-9", None).expect("op");
            wish::assign(d, "c1", "server", true, 4_000).expect("op");
        }),
        "wish.assigned.add",
    );
}

#[test]
fn coordinator_may_not_write_by_server() {
    let c = coordinator();
    let mut doc = published();
    let o = outsider();
    wish::claim(
        &mut doc,
        st("c1", &o, 4_000),
        ClaimKind::Person,
        "vol-9",
        None,
    )
    .expect("claim");
    refused_by(
        review(&doc, &c, |d| {
            wish::assign(d, "c1", "server", true, 5_000).expect("op")
        }),
        "wish.assigned.add",
    );
    review(&doc, &c, |d| {
        wish::assign(d, "c1", "coord-1", false, 5_000).expect("op")
    })
    .expect("a hand assignment");
}

#[test]
fn assignment_beyond_capacity_is_refused() {
    let c = coordinator();
    let mut doc = assigned();
    for (id, who) in [("c2", "vol-7"), ("c3", "vol-8")] {
        let p = principal(Role::Volunteer, who, "t", &[]);
        wish::claim(&mut doc, st(id, &p, 5_000), ClaimKind::Person, who, None).expect("claim");
    }
    wish::assign(&mut doc, "c2", "server", true, 5_500).expect("assign");
    refused_by(
        review(&doc, &c, |d| put_assignment(d, "c3", "coord-1", false)),
        "wish.assigned.add",
    );
}

#[test]
fn claim_in_another_name_is_refused() {
    let o = outsider();
    refused_by(
        review(&published(), &o, |d| {
            let stamp = Stamp {
                by: "vol-3",
                ..st("c1", &o, 4_000)
            };
            wish::claim(d, stamp, ClaimKind::Person, "vol-3", None).expect("op")
        }),
        "wish.claims.add",
    );
    refused_by(
        review(&published(), &o, |d| {
            wish::claim(d, st("c1", &o, 4_000), ClaimKind::Person, "vol-3", None).expect("op")
        }),
        "wish.claims.add",
    );
}

#[test]
fn two_claims_in_one_change_are_refused() {
    let o = outsider();
    refused_by(
        review(&published(), &o, |d| {
            wish::claim(d, st("c1", &o, 4_000), ClaimKind::Person, "vol-9", None).expect("op");
            wish::claim(d, st("c2", &o, 4_001), ClaimKind::Group, "vol-9", None).ok();
            put_claim(d, "c3", "vol-9", &o);
        }),
        "wish.claims.add",
    );
}

#[test]
fn claimant_may_not_retitle_delete_events_or_rate() {
    let o = outsider();
    let doc = assigned();
    refused_by(
        review(&doc, &o, |d| put_root(d, "title", "改掉的标题")),
        "wish.details",
    );
    refused_by(
        review(&doc, &o, |d| delete_entry(d, "events", "ev-collected")),
        "wish.events.append-only",
    );
    let mut doc = doc;
    wish::resolve(&mut doc, st("e3", &o, 6_000), "c1", 2.0, None).expect("resolve");
    refused_by(
        review(&doc, &o, |d| {
            let stamp = Stamp {
                by: "vol-1",
                ..st("e9", &o, 9_000)
            };
            wish::rate(d, stamp, 5, "", false).expect("op")
        }),
        "wish.events.rated",
    );
}

#[test]
fn volunteer_may_not_publish_or_release_others_claims() {
    let v = collector();
    refused_by(
        review(&collected(), &v, |d| {
            wish::verify(d, st("e1", &v, 2_000)).expect("op")
        }),
        "wish.events.review",
    );
    refused_by(
        review(&assigned(), &v, |d| {
            wish::release(d, st("e1", &v, 9_000), "c1", None).expect("op")
        }),
        "wish.events.released",
    );
}

#[test]
fn fixed_fields_and_types_hold() {
    let c = coordinator();
    refused_by(
        review(&published(), &c, |d| put_root(d, "station", "station-2")),
        "wish.fixed",
    );
    refused_by(
        review(&published(), &c, |d| {
            put_scalar(d, "capacity", ScalarValue::Int(0))
        }),
        "schema",
    );
    refused_by(
        review(&published(), &c, |d| put_root(d, "module", "astrology")),
        "schema",
    );
    refused_by(
        review(&published(), &c, |d| put_root(d, "hack", "x")),
        "no-rule",
    );
}

#[test]
fn coordinator_stamps_on_behalf_are_audited() {
    let c = coordinator();
    let verdict = review(&collected(), &c, |d| {
        let stamp = Stamp {
            by: "coord-2",
            ..st("e1", &c, 2_000)
        };
        wish::verify(d, stamp).expect("op")
    })
    .expect("on behalf");
    assert_eq!(verdict.on_behalf.len(), 1);
}

#[test]
fn only_a_coordinator_links_a_new_contact_after_deletion() {
    // The server unlinks a deleted contact by setting `contact` to null; a new one may
    // then be linked by the station's coordinator only, never by the collector's tablet
    // (which could otherwise re-attach the data the resident asked to delete).
    let mut unlinked = collected();
    put_scalar(&mut unlinked, "contact", ScalarValue::Null);
    let relink = |d: &mut Automerge| put_root(d, "contact", "new-contact-doc");
    refused_by(review(&unlinked, &collector(), relink), "wish.contact");
    refused_by(review(&unlinked, &outsider(), relink), "wish.contact");
    review(&unlinked, &coordinator(), relink).expect("the coordinator relinks");
}

#[test]
fn the_administrator_is_not_checked() {
    let admin = Principal::administrator();
    review(&assigned(), &admin, |d| {
        delete_entry(d, "events", "ev-collected")
    })
    .expect("admin");
}

fn put_root(doc: &mut Automerge, key: &str, value: &str) {
    put_scalar(doc, key, ScalarValue::Str(value.into()));
}

fn put_scalar(doc: &mut Automerge, key: &str, value: ScalarValue) {
    let mut tx = doc.transaction();
    tx.put(ROOT, key, value).expect("put");
    tx.commit();
}

fn delete_entry(doc: &mut Automerge, map: &str, id: &str) {
    let mut tx = doc.transaction();
    let (_, obj) = tx.get(ROOT, map).expect("get").expect("map");
    tx.delete(&obj, id).expect("delete");
    tx.commit();
}

pub(super) fn put_assignment(doc: &mut Automerge, claim: &str, by: &str, by_server: bool) {
    let mut tx = doc.transaction();
    let (_, assigned) = tx.get(ROOT, "assigned").expect("get").expect("map");
    let entry = tx.put_object(&assigned, claim, ObjType::Map).expect("put");
    tx.put(&entry, "at", 5_000).expect("put");
    tx.put(&entry, "by", by).expect("put");
    tx.put(&entry, "by_server", by_server).expect("put");
    tx.commit();
}

fn put_claim(doc: &mut Automerge, id: &str, claimant: &str, who: &Principal) {
    let mut tx = doc.transaction();
    let (_, claims) = tx.get(ROOT, "claims").expect("get").expect("map");
    let entry = tx.put_object(&claims, id, ObjType::Map).expect("put");
    for (k, v) in [
        ("id", id),
        ("kind", "person"),
        ("claimant", claimant),
        ("by", who.person.as_str()),
        ("device", who.device_id.as_str()),
    ] {
        tx.put(&entry, k, v).expect("put");
    }
    tx.put(&entry, "at", 4_002).expect("put");
    tx.commit();
}
