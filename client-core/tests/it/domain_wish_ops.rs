//! Unit tests of the wish operations: every step's happy path and each refusal.

use crate::domain_common as common;

use automerge::Automerge;
use common::*;
use wish_client_core::model::{
    ClaimKind, CloseReason, ContactView, EventKind, LedgerKind, Module, WishStatus,
};
use wish_client_core::ops::wish::{self, NewContact};
use wish_client_core::ops::DomainError;

fn status(doc: &Automerge) -> WishStatus {
    view(doc).status()
}

// ---- collect ----

#[test]
fn collect_writes_wish_and_contact() {
    let (doc, contact) = collected(1);
    let wish = view(&doc);
    assert_eq!(wish.status(), WishStatus::Collected);
    assert_eq!(wish.title, "独居老人需要上门问诊");
    assert_eq!(wish.text, "希望有医生每周来看看血压");
    assert_eq!(wish.suggested_module, Some(Module::Medical));
    assert_eq!(wish.module, None);
    assert_eq!(wish.contact.as_deref(), Some("contact-doc-1"));
    assert_eq!(wish.events.len(), 1);
    assert_eq!(wish.events[0].kind, EventKind::Collected);
    assert!(wish.on_behalf);
    let contact = ContactView::read(&contact).expect("contact");
    assert_eq!(contact.name, RESIDENT_NAME);
    assert_eq!(contact.wish, "wish-doc-1");
    assert!(contact.may_contact());
    assert_eq!(contact.vulnerability, vec!["living_alone", "elderly"]);
}

#[test]
fn collect_without_contact_leaves_contact_doc_empty() {
    let mut input = collect_input(1);
    input.contact = None;
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    wish::collect_wish(&mut doc, &mut contact, input).expect("collect");
    assert_eq!(view(&doc).contact, None);
    assert!(contact.get_heads().is_empty());
}

#[test]
fn door_to_door_contact_needs_consent() {
    let mut input = collect_input(1);
    input.contact = Some(NewContact {
        consent_given: false,
        ..contact()
    });
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let err = wish::collect_wish(&mut doc, &mut contact, input).unwrap_err();
    assert!(matches!(err, DomainError::ConsentRequired));
    assert!(doc.get_heads().is_empty() && contact.get_heads().is_empty());
}

#[test]
fn wish_box_contact_records_consent_as_given() {
    let mut input = collect_input(1);
    input.channel = wish_client_core::model::Channel::WishBox;
    input.contact = Some(NewContact {
        consent_given: false,
        ..contact()
    });
    let (mut doc, mut contact_doc) = (Automerge::new(), Automerge::new());
    wish::collect_wish(&mut doc, &mut contact_doc, input).expect("collect");
    assert!(!ContactView::read(&contact_doc)
        .expect("contact")
        .may_contact());
}

#[test]
fn collect_refuses_personal_data_in_public_fields() {
    for field in ["title", "text", "building"] {
        let mut input = collect_input(1);
        match field {
            "title" => input.title = format!("{RESIDENT_NAME}需要帮助"),
            "text" => input.text = format!("请打{RESIDENT_PHONE}"),
            _ => input.building = RESIDENT_ROOM.into(),
        }
        let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
        let err = wish::collect_wish(&mut doc, &mut contact, input).unwrap_err();
        assert!(
            matches!(err, DomainError::PersonalData(f) if f == field),
            "{field}: {err}"
        );
    }
}

#[test]
fn collect_refuses_bad_input_and_initialised_docs() {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let err = wish::collect_wish(&mut doc, &mut contact, collect_input(0)).unwrap_err();
    assert!(matches!(err, DomainError::InvalidCapacity));
    let mut input = collect_input(1);
    input.title = "  ".into();
    let err = wish::collect_wish(&mut doc, &mut contact, input).unwrap_err();
    assert!(matches!(err, DomainError::EmptyField("title")));
    let (mut doc, mut contact) = collected(1);
    let err = wish::collect_wish(&mut doc, &mut contact, collect_input(1)).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyInitialised));
}

// ---- verify, reject, triage, publish ----

#[test]
fn verify_then_publish() {
    let (mut doc, _) = collected(1);
    wish::verify(&mut doc, st("v", "coord-1", 2_000)).expect("verify");
    assert_eq!(status(&doc), WishStatus::Verified);
    let err = wish::verify(&mut doc, st("v2", "coord-1", 2_100)).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            action: "verify",
            ..
        }
    ));
    wish::publish(&mut doc, st("p", "coord-1", 3_000)).expect("publish");
    assert_eq!(status(&doc), WishStatus::Published);
    let err = wish::publish(&mut doc, st("p2", "coord-1", 3_100)).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            status: WishStatus::Published,
            ..
        }
    ));
}

#[test]
fn publish_before_verify_is_refused() {
    let (mut doc, _) = collected(1);
    let err = wish::publish(&mut doc, st("p", "coord-1", 3_000)).unwrap_err();
    assert!(matches!(err, DomainError::NotVerified));
}

#[test]
fn reject_and_reverify() {
    let (mut doc, _) = collected(1);
    let err = wish::reject(&mut doc, st("r", "coord-1", 2_000), " ").unwrap_err();
    assert!(matches!(err, DomainError::EmptyField("reason")));
    wish::reject(&mut doc, st("r", "coord-1", 2_000), "信息不全").expect("reject");
    assert_eq!(status(&doc), WishStatus::Rejected);
    let err = wish::publish(&mut doc, st("p", "coord-1", 2_100)).unwrap_err();
    assert!(matches!(err, DomainError::WishRejected));
    let err = wish::reject(&mut doc, st("r2", "coord-1", 2_200), "again").unwrap_err();
    assert!(matches!(err, DomainError::WishRejected));
    wish::verify(&mut doc, st("v", "coord-1", 2_500)).expect("re-verify");
    assert_eq!(status(&doc), WishStatus::Verified);
}

#[test]
fn reject_after_publish_is_refused() {
    let mut doc = published(1);
    let err = wish::reject(&mut doc, st("r", "coord-1", 9_000), "late").unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            action: "reject",
            ..
        }
    ));
}

#[test]
fn triage_sets_module_and_counts_as_verified() {
    let (mut doc, _) = collected(1);
    wish::triage(&mut doc, st("t1", "coord-1", 2_000), Module::Law).expect("triage");
    assert_eq!(status(&doc), WishStatus::Verified);
    wish::triage(&mut doc, st("t2", "coord-1", 2_500), Module::Medical).expect("re-triage");
    let wish = view(&doc);
    assert_eq!(wish.module, Some(Module::Medical));
    wish::publish(&mut doc, st("p", "coord-1", 3_000)).expect("publish after triage");
}

#[test]
fn duplicate_event_id_is_refused() {
    let (mut doc, _) = collected(1);
    let err = wish::verify(&mut doc, st("ev-collected", "coord-1", 2_000)).unwrap_err();
    assert!(matches!(err, DomainError::DuplicateId(id) if id == "ev-collected"));
    let err = wish::verify(&mut doc, st("", "coord-1", 2_000)).unwrap_err();
    assert!(matches!(err, DomainError::EmptyField("id")));
}

// ---- claim, release, assign ----

#[test]
fn claim_on_unpublished_wish_is_refused() {
    let (mut doc, _) = collected(1);
    let err = wish::claim(
        &mut doc,
        st("c1", "vol-2", 4_000),
        ClaimKind::Person,
        "vol-2",
        None,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::NotPublished));
}

#[test]
fn claim_is_pending_until_assigned() {
    let mut doc = published(1);
    claim(&mut doc, "c1", "vol-2", 4_000);
    let wish = view(&doc);
    assert_eq!(wish.status(), WishStatus::Claimed);
    assert_eq!(wish.pending_claims().len(), 1);
    assert_eq!(wish.active_assignments(), 0);
    wish::assign(&mut doc, "c1", "coord-1", false, 5_000).expect("assign");
    let wish = view(&doc);
    assert_eq!(wish.status(), WishStatus::Assigned);
    assert!(wish.pending_claims().is_empty());
    assert!(!wish.assigned["c1"].by_server);
}

#[test]
fn duplicate_claimant_is_refused() {
    let mut doc = published(2);
    claim(&mut doc, "c1", "vol-2", 4_000);
    let err = wish::claim(
        &mut doc,
        st("c2", "vol-2", 4_100),
        ClaimKind::Person,
        "vol-2",
        None,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::DuplicateClaim(_)));
    let err = wish::claim(
        &mut doc,
        st("c1", "vol-3", 4_100),
        ClaimKind::Person,
        "vol-3",
        None,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::DuplicateId(_)));
}

#[test]
fn claim_beyond_capacity_waits_as_pending() {
    let mut doc = assigned(1);
    wish::claim(
        &mut doc,
        st("c2", "unit-lead", 5_500),
        ClaimKind::Unit,
        "unit-1",
        Some("医院"),
    )
    .expect("claim beyond capacity is accepted");
    let wish = view(&doc);
    assert_eq!(wish.pending_claims().len(), 1);
    let err = wish::assign(&mut doc, "c2", "coord-1", false, 6_000).unwrap_err();
    assert!(matches!(err, DomainError::CapacityFull(1)));
}

#[test]
fn release_frees_the_place() {
    let mut doc = assigned(1);
    claim(&mut doc, "c2", "vol-3", 5_500);
    wish::release(&mut doc, st("rel", "vol-2", 6_000), "c1", Some("临时有事")).expect("release");
    let wish = view(&doc);
    assert_eq!(wish.active_assignments(), 0);
    assert_eq!(wish.status(), WishStatus::Claimed);
    wish::assign(&mut doc, "c2", "server", true, 6_500).expect("assign the waiting claim");
    let err = wish::release(&mut doc, st("rel2", "vol-2", 7_000), "c1", None).unwrap_err();
    assert!(matches!(err, DomainError::ClaimReleased(_)));
    let err = wish::release(&mut doc, st("rel3", "vol-2", 7_000), "nope", None).unwrap_err();
    assert!(matches!(err, DomainError::NotFound { what: "claim", .. }));
}

#[test]
fn assign_refusals() {
    let mut doc = assigned(2);
    let err = wish::assign(&mut doc, "c1", "server", true, 6_000).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyAssigned(_)));
    let err = wish::assign(&mut doc, "zz", "server", true, 6_000).unwrap_err();
    assert!(matches!(err, DomainError::NotFound { .. }));
    let err = wish::assign(&mut doc, "c1", "", true, 6_000).unwrap_err();
    assert!(matches!(err, DomainError::EmptyField("by")));
}

#[test]
fn arbitrate_follows_received_order_up_to_capacity() {
    let mut doc = published(2);
    claim(&mut doc, "a", "vol-2", 4_000);
    claim(&mut doc, "b", "vol-3", 4_100);
    claim(&mut doc, "c", "vol-4", 4_200);
    let assigned = wish::arbitrate(&mut doc, &["c", "a"], 5_000).expect("arbitrate");
    assert_eq!(assigned, vec!["c", "a"]);
    let wish = view(&doc);
    assert_eq!(wish.active_assignments(), 2);
    assert!(wish.assigned["c"].by_server);
    assert_eq!(wish.assigned["c"].by, wish::SERVER);
    let again = wish::arbitrate(&mut doc, &[] as &[&str], 5_100).expect("nothing to do");
    assert!(again.is_empty());
}

#[test]
fn arbitrate_falls_back_to_at_id_order() {
    let mut doc = published(1);
    claim(&mut doc, "b", "vol-3", 4_000);
    claim(&mut doc, "a", "vol-2", 4_000);
    let assigned = wish::arbitrate(&mut doc, &[] as &[&str], 5_000).expect("arbitrate");
    assert_eq!(assigned, vec!["a"]);
}

// ---- start, resolve, confirm ----

#[test]
fn start_needs_an_assignment() {
    let mut doc = published(1);
    claim(&mut doc, "c1", "vol-2", 4_000);
    let err = wish::start(&mut doc, st("s", "vol-2", 5_000)).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            action: "start",
            ..
        }
    ));
    wish::assign(&mut doc, "c1", "server", true, 5_000).expect("assign");
    wish::start(&mut doc, st("s", "vol-2", 5_500)).expect("start");
    assert_eq!(status(&doc), WishStatus::InProgress);
}

#[test]
fn resolve_records_hours_per_claim() {
    let doc = resolved();
    let wish = view(&doc);
    assert_eq!(wish.status(), WishStatus::Resolved);
    assert_eq!(wish.resolution_of("c1").and_then(|e| e.hours), Some(2.5));
    assert_eq!(wish.summary().hours, 2.5);
}

#[test]
fn resolve_refusals() {
    let mut doc = assigned(2);
    for hours in [-1.0, f64::NAN, f64::INFINITY] {
        let err = wish::resolve(&mut doc, st("r", "vol-2", 6_000), "c1", hours, None).unwrap_err();
        assert!(matches!(err, DomainError::InvalidHours(_)));
    }
    claim(&mut doc, "c2", "vol-3", 5_500);
    let err = wish::resolve(&mut doc, st("r", "vol-3", 6_000), "c2", 1.0, None).unwrap_err();
    assert!(matches!(err, DomainError::NotAssigned(_)));
}

#[test]
fn confirm_returns_the_earn_entry() {
    let mut doc = resolved();
    let entry = wish::confirm(&mut doc, st("conf", "coord-1", 7_000), "c1").expect("confirm");
    assert_eq!(entry.id, "earn-wish-1-c1");
    assert_eq!(entry.kind, LedgerKind::Earn);
    assert_eq!(entry.points_sum(), 0);
    assert_eq!(entry.hours_sum(), 0.0);
    assert_eq!(entry.postings[0].account, "person:vol-2");
    assert_eq!(entry.postings[0].points, 3);
    assert_eq!(entry.postings[0].hours, 2.5);
    assert!(view(&doc).is_confirmed("c1"));
    let err = wish::confirm(&mut doc, st("conf2", "coord-2", 7_100), "c1").unwrap_err();
    assert!(matches!(err, DomainError::AlreadyConfirmed(_)));
    let err = wish::resolve(&mut doc, st("r2", "vol-2", 7_200), "c1", 1.0, None).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyConfirmed(_)));
    let err = wish::release(&mut doc, st("rel", "vol-2", 7_300), "c1", None).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyConfirmed(_)));
}

#[test]
fn confirm_refusals() {
    let mut doc = resolved();
    let err = wish::confirm(&mut doc, st("conf", "vol-2", 7_000), "c1").unwrap_err();
    assert!(matches!(err, DomainError::SelfConfirmation));
    let mut doc = assigned(1);
    let err = wish::confirm(&mut doc, st("conf", "coord-1", 7_000), "c1").unwrap_err();
    assert!(matches!(err, DomainError::NotResolved(_)));
}

#[test]
fn unit_claims_earn_to_the_unit_account() {
    let mut doc = published(1);
    wish::claim(
        &mut doc,
        st("u1", "lead-1", 4_000),
        ClaimKind::Unit,
        "hospital-1",
        None,
    )
    .expect("claim");
    wish::assign(&mut doc, "u1", "server", true, 4_500).expect("assign");
    wish::resolve(&mut doc, st("r", "lead-1", 5_000), "u1", 4.0, None).expect("resolve");
    let entry = wish::confirm(&mut doc, st("c", "coord-1", 6_000), "u1").expect("confirm");
    assert_eq!(entry.postings[0].account, "unit:hospital-1");
}

// ---- rate, close ----

#[test]
fn rate_after_resolution() {
    let mut doc = resolved();
    for score in [0, 6] {
        let err = wish::rate(&mut doc, st("rate", "vol-2", 8_000), score, "", true).unwrap_err();
        assert!(matches!(err, DomainError::ScoreOutOfRange(s) if s == score));
    }
    wish::rate(&mut doc, st("rate", "vol-2", 8_000), 5, "很满意", true).expect("rate");
    let wish = view(&doc);
    assert_eq!(wish.status(), WishStatus::Rated);
    assert_eq!(wish.summary().rating, Some(5));
    let err = wish::rate(&mut doc, st("rate2", "vol-2", 8_100), 4, "", false).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            status: WishStatus::Rated,
            ..
        }
    ));
}

#[test]
fn rate_before_resolution_is_refused() {
    let mut doc = assigned(1);
    let err = wish::rate(&mut doc, st("rate", "vol-2", 8_000), 5, "", false).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition { action: "rate", .. }
    ));
}

#[test]
fn close_is_final() {
    let mut doc = published(1);
    let err = wish::close(
        &mut doc,
        st("cl", "coord-1", 9_000),
        CloseReason::Fulfilled,
        None,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            action: "close as fulfilled",
            ..
        }
    ));
    wish::close(
        &mut doc,
        st("cl", "coord-1", 9_000),
        CloseReason::Duplicate,
        Some("同wish-0"),
    )
    .expect("close");
    assert_eq!(status(&doc), WishStatus::Closed);
    let summary = view(&doc).summary();
    assert_eq!(summary.closed_at, Some(9_000));
    assert_eq!(summary.close_reason.as_deref(), Some("duplicate"));
    let err = wish::close(
        &mut doc,
        st("cl2", "coord-1", 9_100),
        CloseReason::Withdrawn,
        None,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            status: WishStatus::Closed,
            ..
        }
    ));
    let err = wish::claim(
        &mut doc,
        st("c9", "vol-9", 9_200),
        ClaimKind::Person,
        "vol-9",
        None,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::WishClosed));
    let err = wish::verify(&mut doc, st("v9", "coord-1", 9_300)).unwrap_err();
    assert!(matches!(err, DomainError::WishClosed));
}

#[test]
fn fulfilled_close_then_late_rating_and_confirmation() {
    let mut doc = resolved();
    wish::close(
        &mut doc,
        st("cl", "coord-1", 7_000),
        CloseReason::Fulfilled,
        None,
    )
    .expect("close");
    wish::confirm(&mut doc, st("conf", "coord-1", 7_500), "c1").expect("confirm after close");
    wish::rate(&mut doc, st("rate", "vol-1", 8_000), 4, "好", true).expect("rate after close");
    assert_eq!(status(&doc), WishStatus::Closed);
    assert_eq!(view(&doc).stage(), WishStatus::Rated);
}

#[test]
fn full_lifecycle_summary() {
    let mut doc = resolved();
    wish::confirm(&mut doc, st("conf", "coord-1", 7_000), "c1").expect("confirm");
    wish::rate(&mut doc, st("rate", "vol-1", 8_000), 5, "谢谢", true).expect("rate");
    wish::close(
        &mut doc,
        st("cl", "coord-1", 9_000),
        CloseReason::Fulfilled,
        None,
    )
    .expect("close");
    let s = view(&doc).summary();
    assert_eq!(s.status, "closed");
    assert_eq!(s.module, None);
    assert_eq!(s.published_at, Some(3_000));
    assert_eq!(s.first_claim_at, Some(4_000));
    assert_eq!(s.assigned_at, Some(5_000));
    assert_eq!(s.resolved_at, Some(6_000));
    assert_eq!(s.closed_at, Some(9_000));
    assert_eq!(s.claimants, vec!["vol-2"]);
    assert_eq!(s.rating, Some(5));
    assert_eq!(s.channel, "door_to_door");
    assert_eq!(s.urgency, "high");
}

#[test]
fn ops_refuse_other_document_types_and_newer_schemas() {
    let (_, mut contact) = collected(1);
    let err = wish::verify(&mut contact, st("v", "coord-1", 2_000)).unwrap_err();
    assert!(matches!(err, DomainError::Model(_)));
    let (mut doc, _) = collected(1);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        use automerge::transaction::Transactable;
        tx.put(automerge::ROOT, "schema", 2_i64)
    })
    .expect("bump schema");
    let err = wish::verify(&mut doc, st("v", "coord-1", 2_000)).unwrap_err();
    assert!(matches!(err, DomainError::NewerSchema(2)));
    assert_eq!(view(&doc).status(), WishStatus::Collected, "still readable");
}
