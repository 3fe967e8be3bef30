//! Helpers shared by the domain tests (included with `#[path]`; no tests of its own).
#![allow(dead_code)]

use automerge::{ActorId, Automerge};
use wish_client_core::model::{Channel, Module, Urgency, WishView};
use wish_client_core::ops::wish::{self, CollectWish, NewContact};
use wish_client_core::ops::Stamp;

pub const RESIDENT_NAME: &str = "李秀英";
pub const RESIDENT_PHONE: &str = "13812345678";
pub const RESIDENT_ROOM: &str = "5-302";

/// A stamp by `by` on device `tablet-1`.
pub fn st<'a>(id: &'a str, by: &'a str, now_ms: u64) -> Stamp<'a> {
    Stamp {
        id,
        by,
        device: "tablet-1",
        now_ms,
    }
}

pub fn contact() -> NewContact {
    NewContact {
        doc_id: "contact-doc-1".into(),
        name: RESIDENT_NAME.into(),
        phone: RESIDENT_PHONE.into(),
        room: RESIDENT_ROOM.into(),
        vulnerability: vec!["living_alone".into(), "elderly".into()],
        notes: "腿脚不便".into(),
        consent_given: true,
        consent_on_behalf: false,
    }
}

pub fn collect_input(capacity: u32) -> CollectWish {
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
        capacity,
        on_behalf: true,
        collected_by: "vol-1".into(),
        device: "tablet-1".into(),
        event_id: "ev-collected".into(),
        now_ms: 1_000,
        contact: Some(contact()),
    }
}

/// A collected wish and its contact document.
pub fn collected(capacity: u32) -> (Automerge, Automerge) {
    let mut doc = Automerge::new();
    let mut contact = Automerge::new();
    wish::collect_wish(&mut doc, &mut contact, collect_input(capacity)).expect("collect");
    (doc, contact)
}

/// A verified and published wish.
pub fn published(capacity: u32) -> Automerge {
    let (mut doc, _) = collected(capacity);
    wish::verify(&mut doc, st("ev-verified", "coord-1", 2_000)).expect("verify");
    wish::publish(&mut doc, st("ev-published", "coord-1", 3_000)).expect("publish");
    doc
}

/// A published wish with claim `c1` by `vol-2`, assigned by the server.
pub fn assigned(capacity: u32) -> Automerge {
    let mut doc = published(capacity);
    claim(&mut doc, "c1", "vol-2", 4_000);
    wish::assign(&mut doc, "c1", "server", true, 5_000).expect("assign");
    doc
}

/// `assigned` then resolved by `vol-2` with 2.5 hours.
pub fn resolved() -> Automerge {
    let mut doc = assigned(1);
    wish::resolve(
        &mut doc,
        st("ev-resolved", "vol-2", 6_000),
        "c1",
        2.5,
        Some("量了血压"),
    )
    .expect("resolve");
    doc
}

pub fn claim(doc: &mut Automerge, id: &str, claimant: &str, now_ms: u64) {
    wish::claim(
        doc,
        st(id, claimant, now_ms),
        wish_client_core::model::ClaimKind::Person,
        claimant,
        None,
    )
    .expect("claim");
}

pub fn view(doc: &Automerge) -> WishView {
    WishView::read(doc).expect("read wish")
}

/// A fork of `doc` with its own actor id.
pub fn fork(doc: &Automerge, n: u8) -> Automerge {
    doc.fork().with_actor(ActorId::from(vec![n + 1; 16]))
}

/// Merges `from` into `into`.
pub fn merge(into: &mut Automerge, from: &Automerge) {
    let mut from = from.clone();
    into.merge(&mut from).expect("merge");
}
