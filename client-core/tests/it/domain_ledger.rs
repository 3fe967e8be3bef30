//! Unit tests of the ledger: earn, award, redeem, reverse and the derived values.

use crate::domain_common as common;

use automerge::Automerge;
use common::*;
use wish_client_core::model::community::CatalogueItem;
use wish_client_core::model::ledger::star_level;
use wish_client_core::model::{CommunityView, LedgerKind, LedgerView};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::ledger::{self, Award, Redeem};
use wish_client_core::ops::{wish, DomainError};

fn new_ledger() -> Automerge {
    let mut doc = Automerge::new();
    ledger::create_ledger(&mut doc, "community-1", 1).expect("ledger");
    doc
}

fn catalogue() -> CommunityView {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: String::new(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let item = CatalogueItem {
        id: "soap".into(),
        name: "肥皂".into(),
        points: 10,
        active: true,
    };
    community::add_catalogue_item(&mut doc, &item, 2).expect("item");
    CommunityView::read(&doc).expect("read")
}

fn award_of(id: &str, person: &str, points: i64, hours: f64) -> Award {
    Award {
        id: id.into(),
        person: person.into(),
        points,
        hours,
        reason: "感动社区".into(),
        by: "coord-1".into(),
    }
}

fn read(doc: &Automerge) -> LedgerView {
    LedgerView::read(doc).expect("read ledger")
}

#[test]
fn earn_from_a_confirmed_resolution_is_recorded_once() {
    let mut wish_doc = resolved();
    let entry = wish::confirm(&mut wish_doc, st("conf", "coord-1", 7_000), "c1").expect("confirm");
    let mut doc = new_ledger();
    assert!(ledger::record_earn(&mut doc, &entry).expect("record"));
    assert!(
        !ledger::record_earn(&mut doc, &entry).expect("again"),
        "idempotent"
    );
    let view = read(&doc);
    assert_eq!(view.balance("person:vol-2"), 3);
    assert_eq!(view.balance("community:pool"), -3);
    assert_eq!(view.hours("vol-2"), 2.5);
    let mut forged = entry.clone();
    forged.id = "earn-x".into();
    assert!(matches!(
        ledger::record_earn(&mut doc, &forged),
        Err(DomainError::InvalidEntry(_))
    ));
}

#[test]
fn offline_confirmations_of_the_same_claim_count_once() {
    let wish_doc = resolved();
    let base = new_ledger();
    let (mut a, mut b) = (fork(&base, 1), fork(&base, 2));
    let (mut wa, mut wb) = (fork(&wish_doc, 1), fork(&wish_doc, 2));
    let ea = wish::confirm(&mut wa, st("conf-a", "coord-1", 7_000), "c1").expect("confirm a");
    let eb = wish::confirm(&mut wb, st("conf-b", "coord-2", 7_100), "c1").expect("confirm b");
    ledger::record_earn(&mut a, &ea).expect("a");
    ledger::record_earn(&mut b, &eb).expect("b");
    merge(&mut a, &b);
    merge(&mut b, &a);
    assert_eq!(read(&a), read(&b));
    assert_eq!(read(&a).entries.len(), 1);
    assert_eq!(read(&a).balance("person:vol-2"), 3);
}

#[test]
fn award_needs_a_reason_and_a_positive_amount() {
    let mut doc = new_ledger();
    let mut bad = award_of("a1", "p1", 5, 0.0);
    bad.reason = String::new();
    assert!(matches!(
        ledger::award(&mut doc, &bad, 2),
        Err(DomainError::EmptyField("reason"))
    ));
    for (points, hours) in [(0, 0.0), (-1, 0.0), (1, -1.0), (1, f64::NAN)] {
        let err = ledger::award(&mut doc, &award_of("a1", "p1", points, hours), 2).unwrap_err();
        assert!(matches!(err, DomainError::InvalidAmount(_)));
    }
    ledger::award(&mut doc, &award_of("a1", "p1", 5, 1.5), 2).expect("award");
    let err = ledger::award(&mut doc, &award_of("a1", "p1", 5, 0.0), 3).unwrap_err();
    assert!(matches!(err, DomainError::DuplicateId(_)));
    let entry = &read(&doc).entries["a1"];
    assert_eq!(entry.kind, LedgerKind::Award);
    assert_eq!((entry.points_sum(), entry.hours_sum()), (0, 0.0));
    assert_eq!(read(&doc).hours("p1"), 1.5);
}

#[test]
fn redeem_moves_points_to_redeemed() {
    let mut doc = new_ledger();
    let community = catalogue();
    let redeem = Redeem {
        id: "r1".into(),
        person: "p1".into(),
        item: "soap".into(),
        by: "coord-1".into(),
    };
    let err = ledger::redeem(&mut doc, &community, &redeem, 2).unwrap_err();
    assert!(matches!(
        err,
        DomainError::InsufficientBalance {
            balance: 0,
            points: 10
        }
    ));
    ledger::award(&mut doc, &award_of("a1", "p1", 12, 0.0), 3).expect("award");
    ledger::redeem(&mut doc, &community, &redeem, 4).expect("redeem");
    let view = read(&doc);
    assert_eq!(view.balance("person:p1"), 2);
    assert_eq!(view.balance("community:redeemed"), 10);
    assert_eq!(view.entries["r1"].item.as_deref(), Some("soap"));
    let unknown = Redeem {
        item: "car".into(),
        id: "r2".into(),
        ..redeem
    };
    let err = ledger::redeem(&mut doc, &community, &unknown, 5).unwrap_err();
    assert!(matches!(
        err,
        DomainError::NotFound {
            what: "catalogue item",
            ..
        }
    ));
}

#[test]
fn concurrent_redemptions_that_overdraw_are_flagged() {
    let mut base = new_ledger();
    let community = catalogue();
    ledger::award(&mut base, &award_of("a1", "p1", 15, 0.0), 2).expect("award");
    let (mut a, mut b) = (fork(&base, 1), fork(&base, 2));
    let r = |id: &str| Redeem {
        id: id.into(),
        person: "p1".into(),
        item: "soap".into(),
        by: "c".into(),
    };
    ledger::redeem(&mut a, &community, &r("r-a"), 10).expect("a");
    ledger::redeem(&mut b, &community, &r("r-b"), 11).expect("b");
    merge(&mut a, &b);
    let view = read(&a);
    assert_eq!(view.balance("person:p1"), -5);
    let flagged: Vec<_> = view
        .overdrawn_redemptions()
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(flagged, ["r-b"]);
}

#[test]
fn reverse_negates_an_entry_once() {
    let mut doc = new_ledger();
    ledger::award(&mut doc, &award_of("a1", "p1", 5, 2.0), 2).expect("award");
    let id = ledger::reverse(&mut doc, "a1", "coord-1", 3).expect("reverse");
    assert_eq!(id, "reversal-a1");
    let view = read(&doc);
    assert_eq!(view.balance("person:p1"), 0);
    assert_eq!(view.hours("p1"), 0.0);
    assert_eq!(
        view.reversal_of("a1").map(|e| e.id.as_str()),
        Some("reversal-a1")
    );
    let err = ledger::reverse(&mut doc, "a1", "coord-1", 4).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyReversed(_)));
    let err = ledger::reverse(&mut doc, "reversal-a1", "coord-1", 4).unwrap_err();
    assert!(matches!(err, DomainError::InvalidEntry(_)));
    let err = ledger::reverse(&mut doc, "zz", "coord-1", 4).unwrap_err();
    assert!(matches!(err, DomainError::NotFound { .. }));
}

#[test]
fn star_levels_count_reached_thresholds() {
    let t = [100.0, 300.0, 600.0, 1000.0, 1500.0];
    assert_eq!(star_level(0.0, &t), 0);
    assert_eq!(star_level(99.9, &t), 0);
    assert_eq!(star_level(100.0, &t), 1);
    assert_eq!(star_level(999.0, &t), 3);
    assert_eq!(star_level(5000.0, &t), 5);
}

#[test]
fn create_ledger_refuses_initialised_docs() {
    let mut doc = new_ledger();
    assert!(matches!(
        ledger::create_ledger(&mut doc, "c", 2),
        Err(DomainError::AlreadyInitialised)
    ));
    assert!(matches!(
        ledger::create_ledger(&mut Automerge::new(), "", 2),
        Err(DomainError::EmptyField(_))
    ));
}
