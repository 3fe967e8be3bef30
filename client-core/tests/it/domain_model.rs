//! Unit tests of the model: enumerations, document types, tolerant readers, status rules,
//! conflicts, the wall and offer matching.

use crate::domain_common as common;

use std::str::FromStr;

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ObjType, ReadDoc, ROOT};
use common::*;
use wish_client_core::model::community::{Offer, Person};
use wish_client_core::model::{
    conflicts, doc_type, match_offers, wall, wall_compounds, Channel, ClaimKind, CloseReason,
    CommunityView, DocType, EventKind, LedgerKind, MemberKind, ModelError, Module, Role,
    StationKind, StationView, Urgency, WallFilter, WishStatus, WishView,
};
use wish_client_core::ops::{self, community, resolve_conflict, wish, DomainError};

fn put(doc: &mut Automerge, f: impl FnOnce(&mut automerge::transaction::Transaction<'_>)) {
    doc.transact::<_, _, AutomergeError>(|tx| {
        f(tx);
        Ok(())
    })
    .expect("transact");
}

// ---- enumerations ----

#[test]
fn enums_round_trip_and_have_labels() {
    fn check<T: Copy + FromStr + PartialEq + std::fmt::Debug>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) {
        for v in all {
            assert_eq!(T::from_str(as_str(*v)).ok(), Some(*v));
            assert!(!label(*v).is_empty());
        }
        assert!(T::from_str("no_such_value").is_err());
    }
    check(Module::ALL, Module::as_str, Module::label_zh);
    check(Channel::ALL, Channel::as_str, Channel::label_zh);
    check(Urgency::ALL, Urgency::as_str, Urgency::label_zh);
    check(EventKind::ALL, EventKind::as_str, EventKind::label_zh);
    check(CloseReason::ALL, CloseReason::as_str, CloseReason::label_zh);
    check(ClaimKind::ALL, ClaimKind::as_str, ClaimKind::label_zh);
    check(StationKind::ALL, StationKind::as_str, StationKind::label_zh);
    check(LedgerKind::ALL, LedgerKind::as_str, LedgerKind::label_zh);
    check(DocType::ALL, DocType::as_str, DocType::label_zh);
    assert_eq!(Module::ALL.len(), 5);
    assert_eq!(EventKind::ALL.len(), 16);
    assert_eq!(CloseReason::ALL.len(), 6);
    assert_eq!(Channel::ALL.len(), 6);
}

#[test]
fn module_labels_are_the_five_modules() {
    let labels: Vec<_> = Module::ALL.iter().map(|m| m.label_zh()).collect();
    assert_eq!(labels, ["法律", "心理", "医疗", "就业", "综合"]);
    assert_eq!(ClaimKind::Group.label_zh(), "帮帮团");
    assert_eq!(StationKind::RedStation.as_str(), "red_station");
    assert_eq!(CloseReason::DoneByOthers.as_str(), "done_by_others");
}

#[test]
fn status_strings() {
    assert_eq!(WishStatus::InProgress.as_str(), "in_progress");
    assert_eq!(WishStatus::InProgress.to_string(), "in_progress");
    assert_eq!(WishStatus::InProgress.label_zh(), "进行中");
    assert!(WishStatus::Collected < WishStatus::Rated);
    assert!(WishStatus::Closed.is_terminal() && !WishStatus::Rated.is_terminal());
}

// ---- document type and readers ----

#[test]
fn doc_type_reads_the_root() {
    let (doc, contact) = collected(1);
    assert_eq!(doc_type(&doc), Some(DocType::Wish));
    assert_eq!(doc_type(&contact), Some(DocType::Contact));
    assert_eq!(doc_type(&Automerge::new()), None);
    let mut other = Automerge::new();
    put(&mut other, |tx| {
        tx.put(ROOT, "@type", "something_else").expect("put");
    });
    assert_eq!(doc_type(&other), None);
}

#[test]
fn reader_refuses_wrong_type_and_missing_required_field() {
    let (_, contact) = collected(1);
    assert!(matches!(
        WishView::read(&contact),
        Err(ModelError::WrongType { .. })
    ));
    let (mut doc, _) = collected(1);
    put(&mut doc, |tx| tx.delete(ROOT, "station").expect("delete"));
    assert!(matches!(WishView::read(&doc), Err(ModelError::MissingField(f)) if f == "station"));
}

#[test]
fn reader_reports_nested_paths() {
    let mut doc = published(1);
    claim(&mut doc, "c1", "vol-2", 4_000);
    put(&mut doc, |tx| {
        let (_, claims) = tx.get(ROOT, "claims").expect("get").expect("claims");
        let (_, c1) = tx.get(&claims, "c1").expect("get").expect("c1");
        tx.delete(&c1, "claimant").expect("delete");
    });
    let err = WishView::read(&doc).unwrap_err();
    assert!(
        matches!(&err, ModelError::MissingField(f) if f == "claims/c1/claimant"),
        "{err}"
    );
}

#[test]
fn reader_tolerates_unknown_fields_and_missing_optional_ones() {
    let mut doc = Automerge::new();
    put(&mut doc, |tx| {
        for (k, v) in [
            ("@type", "wish"),
            ("id", "w"),
            ("community", "c"),
            ("station", "s"),
            ("title", "路灯坏了"),
            ("channel", "phone"),
            ("urgency", "low"),
            ("created_by", "p"),
            ("future_field", "kept"),
        ] {
            tx.put(ROOT, k, v).expect("put");
        }
        tx.put(ROOT, "created_at", 5_i64).expect("put");
        tx.put(ROOT, "text", "plain string text").expect("put");
        let events = tx.put_object(ROOT, "events", ObjType::Map).expect("events");
        let e = tx.put_object(&events, "e1", ObjType::Map).expect("event");
        for (k, v) in [("kind", "teleported"), ("by", "p"), ("device", "d")] {
            tx.put(&e, k, v).expect("put");
        }
        tx.put(&e, "at", 6_i64).expect("put");
    });
    let wish = WishView::read(&doc).expect("read");
    assert_eq!(wish.capacity, 1);
    assert_eq!(wish.text, "plain string text");
    assert!(wish.events.is_empty(), "unknown event kinds are skipped");
    assert_eq!(wish.status(), WishStatus::Collected);
    assert!(wish.claims.is_empty() && wish.assigned.is_empty());
    // A write keeps the unknown field.
    wish::verify(&mut doc, st("v", "coord", 7)).expect("verify");
    let (value, _) = doc.get(ROOT, "future_field").expect("get").expect("kept");
    assert_eq!(value.as_str(), Some("kept"));
}

// ---- status rules ----

#[test]
fn rejection_is_lifted_only_by_a_later_verification() {
    let (mut doc, _) = collected(1);
    wish::reject(&mut doc, st("r", "coord", 1_500), "信息不全").expect("reject");
    assert_eq!(view(&doc).status(), WishStatus::Rejected);
    // A device whose clock is behind verifies "before" the rejection: still rejected.
    wish::verify(&mut doc, st("v-early", "coord", 1_400)).expect("verify");
    assert_eq!(view(&doc).status(), WishStatus::Rejected);
    wish::verify(&mut doc, st("v-late", "coord", 1_600)).expect("verify");
    assert_eq!(view(&doc).status(), WishStatus::Verified);
}

#[test]
fn a_concurrent_rejection_and_verification_resolve_by_at_id() {
    let (doc, _) = collected(1);
    let mut a = fork(&doc, 1);
    let mut b = fork(&doc, 2);
    wish::verify(&mut a, st("v", "coord-a", 2_000)).expect("verify");
    wish::reject(&mut b, st("r", "coord-b", 2_001), "重复").expect("reject");
    merge(&mut a, &b);
    merge(&mut b, &a);
    assert_eq!(view(&a).status(), WishStatus::Rejected);
    assert_eq!(view(&b).status(), WishStatus::Rejected);
}

#[test]
fn concurrent_claims_and_release_derive_the_same_status() {
    let base = published(1);
    let mut a = fork(&base, 1);
    let mut b = fork(&base, 2);
    claim(&mut a, "ca", "vol-a", 4_000);
    claim(&mut b, "cb", "vol-b", 4_001);
    wish::release(&mut b, st("rel", "vol-b", 4_500), "cb", None).expect("release");
    merge(&mut a, &b);
    merge(&mut b, &a);
    assert_eq!(view(&a), view(&b));
    assert_eq!(view(&a).status(), WishStatus::Claimed);
    assert_eq!(view(&a).active_claims().len(), 1);
}

// ---- conflicts ----

#[test]
fn concurrent_scalar_writes_are_listed_and_resolved() {
    let base = published(1);
    let mut a = fork(&base, 1);
    let mut b = fork(&base, 2);
    put(&mut a, |tx| tx.put(ROOT, "title", "标题甲").expect("put"));
    put(&mut b, |tx| tx.put(ROOT, "title", "标题乙").expect("put"));
    put(&mut a, |tx| tx.put(ROOT, "capacity", 2_i64).expect("put"));
    put(&mut b, |tx| tx.put(ROOT, "capacity", 3_i64).expect("put"));
    merge(&mut a, &b);
    merge(&mut b, &a);
    assert_eq!(view(&a).title, view(&b).title, "same winner everywhere");
    let found = conflicts(&a);
    assert_eq!(found, conflicts(&b));
    let paths: Vec<_> = found.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["capacity", "title"]);
    let mut values = found[1].values.clone();
    values.sort();
    assert_eq!(values, ["标题乙", "标题甲"]);

    resolve_conflict(&mut a, "title", "标题乙").expect("resolve");
    resolve_conflict(&mut a, "capacity", "3").expect("resolve number");
    merge(&mut b, &a);
    assert!(conflicts(&b).is_empty());
    assert_eq!(view(&b).title, "标题乙");
    assert_eq!(view(&b).capacity, 3, "the number keeps its type");
}

#[test]
fn resolve_conflict_refusals() {
    let base = published(1);
    let mut a = fork(&base, 1);
    let mut b = fork(&base, 2);
    put(&mut a, |tx| {
        let (_, area) = tx.get(ROOT, "area").expect("get").expect("area");
        tx.put(&area, "compound", "东区").expect("put");
    });
    put(&mut b, |tx| {
        let (_, area) = tx.get(ROOT, "area").expect("get").expect("area");
        tx.put(&area, "compound", "西区").expect("put");
    });
    merge(&mut a, &b);
    assert_eq!(conflicts(&a)[0].path, "area/compound");
    let err = resolve_conflict(&mut a, "area/compound", "北区").unwrap_err();
    assert!(matches!(err, DomainError::NotAConflictValue { .. }));
    let err = resolve_conflict(&mut a, "title", "x").unwrap_err();
    assert!(matches!(err, DomainError::NoConflict(_)));
    let err = resolve_conflict(&mut a, "nope/deeper", "x").unwrap_err();
    assert!(matches!(err, DomainError::UnknownPath(_)));
    resolve_conflict(&mut a, "area/compound", "西区").expect("resolve nested");
    assert_eq!(view(&a).compound, "西区");
}

#[test]
fn triaged_module_is_derived_not_a_conflict() {
    let (doc, _) = collected(1);
    let mut a = fork(&doc, 1);
    let mut b = fork(&doc, 2);
    wish::triage(&mut a, st("t-a", "coord-a", 2_000), Module::Law).expect("triage");
    wish::triage(&mut b, st("t-b", "coord-b", 2_001), Module::Psychology).expect("triage");
    merge(&mut a, &b);
    merge(&mut b, &a);
    assert_eq!(
        view(&a).module,
        Some(Module::Psychology),
        "latest triage by (at, id)"
    );
    assert_eq!(view(&b).module, Some(Module::Psychology));
    assert!(conflicts(&a).is_empty());
}

// ---- wall and matching ----

fn community_with_offers() -> CommunityView {
    let mut doc = Automerge::new();
    let new = community::NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let doctor = Person {
        id: "doc-1".into(),
        name: "王医生".into(),
        role: Role::Expert,
        modules: vec![Module::Medical],
        skills: vec!["血压".into()],
        party_member: true,
        unit: None,
        stations: vec![],
        left_at: None,
    };
    community::add_person(&mut doc, &doctor, 2).expect("person");
    for (id, module, skills, active) in [
        (
            "o-med",
            Module::Medical,
            vec!["血压".to_string(), "问诊".to_string()],
            true,
        ),
        ("o-law", Module::Law, vec!["合同".to_string()], true),
        ("o-old", Module::Medical, vec![], false),
        (
            "o-it",
            Module::Comprehensive,
            vec!["血压".to_string()],
            true,
        ),
    ] {
        let offer = Offer {
            id: id.into(),
            title: id.into(),
            module,
            skills,
            provider: "doc-1".into(),
            provider_kind: MemberKind::Person,
            capacity: 1,
            active,
        };
        community::add_offer(&mut doc, &offer, 3).expect("offer");
    }
    CommunityView::read(&doc).expect("read")
}

#[test]
fn wall_lists_open_published_wishes_by_urgency() {
    let mut urgent = published(2);
    wish::triage(&mut urgent, st("t", "coord", 3_500), Module::Medical).expect("triage");
    claim(&mut urgent, "c1", "vol-2", 4_000);
    claim(&mut urgent, "c2", "vol-3", 4_100);
    wish::assign(&mut urgent, "c1", "server", true, 4_200).expect("assign");
    let (unpublished, _) = collected(1);
    let mut closed = published(1);
    wish::close(
        &mut closed,
        st("cl", "coord", 9_000),
        CloseReason::Withdrawn,
        None,
    )
    .expect("close");
    let mut low = Automerge::new();
    let mut contact = Automerge::new();
    let mut input = collect_input(1);
    input.wish_id = "wish-low".into();
    input.urgency = Urgency::Low;
    wish::collect_wish(&mut low, &mut contact, input).expect("collect");
    wish::verify(&mut low, st("v", "coord", 2_000)).expect("verify");
    wish::publish(&mut low, st("p", "coord", 2_500)).expect("publish");

    let views: Vec<WishView> = [&low, &unpublished, &closed, &urgent]
        .iter()
        .map(|d| view(d))
        .collect();
    let items = wall(&views);
    let ids: Vec<_> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["wish-1", "wish-low"]);
    assert_eq!((items[0].pending, items[0].assigned), (1, 1));
    assert_eq!(items[0].status, WishStatus::Assigned);

    let kept = |filter: WallFilter| -> Vec<String> {
        items
            .iter()
            .filter(|i| filter.keeps(i))
            .map(|i| i.id.clone())
            .collect()
    };
    assert_eq!(
        kept(WallFilter::default()).len(),
        2,
        "no filter keeps the wall"
    );
    let medical = WallFilter {
        module: Some(Module::Medical),
        ..WallFilter::default()
    };
    assert_eq!(kept(medical), ["wish-1"]);
    let pressing = WallFilter {
        min_urgency: Some(Urgency::High),
        ..WallFilter::default()
    };
    assert_eq!(
        kept(pressing),
        ["wish-1"],
        "the low one is left out, the order kept"
    );
    let mine = WallFilter {
        modules: vec![Module::Law, Module::Psychology],
        ..WallFilter::default()
    };
    assert!(kept(mine).is_empty(), "neither is in my modules");
    let compound = items[0].compound.clone();
    let here = WallFilter {
        compound: Some(compound.clone()),
        ..WallFilter::default()
    };
    assert_eq!(kept(here).len(), 2);
    assert_eq!(wall_compounds(&items), [compound]);
}

#[test]
fn offers_match_by_module_and_skill() {
    let mut doc = published(1);
    wish::triage(&mut doc, st("t", "coord", 3_500), Module::Medical).expect("triage");
    let community = community_with_offers();
    let matches = match_offers(&[view(&doc)], &community);
    let got: Vec<_> = matches
        .iter()
        .map(|m| (m.offer.as_str(), m.score))
        .collect();
    assert_eq!(got, [("o-med", 4), ("o-it", 1)], "module 2 + 血压 + 问诊");
    claim(&mut doc, "c1", "vol-2", 4_000);
    wish::assign(&mut doc, "c1", "server", true, 4_100).expect("assign");
    assert!(
        match_offers(&[view(&doc)], &community).is_empty(),
        "no free capacity"
    );
}

#[test]
fn station_view_lists_uncovered_shifts() {
    let mut doc = Automerge::new();
    let new = ops::station::NewStation {
        id: "s1".into(),
        community: "community-1".into(),
        name: "红色驿站一号".into(),
        kind: StationKind::RedStation,
        address: "幸福路1号".into(),
    };
    ops::station::create_station(&mut doc, &new, 1).expect("station");
    let shift = ops::station::NewShift {
        id: "sh1".into(),
        date: "2024-05-01".into(),
        start: "19:00".into(),
        end: "20:00".into(),
        assignees: Default::default(),
        note: "晚间一小时".into(),
    };
    ops::station::add_shift(&mut doc, &shift, 2).expect("shift");
    let view = StationView::read(&doc).expect("read");
    assert_eq!(view.uncovered_shifts().len(), 1);
    assert_eq!(view.kind, StationKind::RedStation);
}

#[test]
fn a_wish_read_with_its_root_reads_the_same_wish_and_the_root_as_the_document_has_it() {
    let (mut doc, _) = collected(1);
    put(&mut doc, |tx| {
        tx.put(ROOT, "project", ()).unwrap();
    });
    let (read, root) = WishView::read_with_root(&doc).unwrap();
    assert_eq!(read, view(&doc));
    assert_eq!(root.schema, wish_client_core::model::schema_version(&doc));
    for key in ["@type", "title", "events", "project", "no-such-field"] {
        assert_eq!(
            root.has(key),
            doc.get(ROOT, key).unwrap().is_some(),
            "{key}"
        );
    }
    // Not a wish: refused as `read` refuses it.
    put(&mut doc, |tx| {
        tx.put(ROOT, "@type", "ledger").unwrap();
    });
    let err = WishView::read_with_root(&doc).unwrap_err();
    assert!(matches!(err, ModelError::WrongType { found: Some(t), .. } if t == "ledger"));
}
