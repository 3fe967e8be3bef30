//! Duty shifts as service hours (值班计入服务时长): only when the community enables it, one
//! earn entry per person and shift from check-in to check-out, the same entry however
//! many coordinators record it offline.

use crate::domain_common as common;

use std::collections::BTreeMap;

use automerge::Automerge;
use common::{fork, merge};
use wish_client_core::model::{CommunityView, LedgerView, MemberKind, StationKind, StationView};
use wish_client_core::ops::community::{create_community, NewCommunity};
use wish_client_core::ops::ledger::{self, duty_credits, record_duty, set_duty_hours};
use wish_client_core::ops::station::{self, NewShift, NewStation};

const HOUR: u64 = 3_600_000;

fn community(duty_hours: bool) -> CommunityView {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山区".into(),
    };
    create_community(&mut doc, &new, 1).expect("community");
    if duty_hours {
        set_duty_hours(&mut doc, true, 2).expect("setting");
    }
    CommunityView::read(&doc).expect("read")
}

/// A station whose evening shift vol-a worked 19:00–20:10 and vol-b checked in only.
fn station() -> StationView {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "center".into(),
        community: "community-1".into(),
        name: "中心驿站".into(),
        kind: StationKind::Station,
        address: String::new(),
    };
    station::create_station(&mut doc, &new, 1).expect("station");
    let assignees = BTreeMap::from([
        ("vol-a".to_owned(), MemberKind::Person),
        ("vol-b".to_owned(), MemberKind::Person),
    ]);
    let shift = NewShift {
        id: "s1".into(),
        date: "2026-11-30".into(),
        start: "19:00".into(),
        end: "20:00".into(),
        assignees,
        note: String::new(),
    };
    station::add_shift(&mut doc, &shift, 2).expect("shift");
    station::check_in(&mut doc, "s1", "vol-a", 19 * HOUR).expect("in");
    station::check_out(&mut doc, "s1", "vol-a", 20 * HOUR + 10 * 60_000).expect("out");
    station::check_in(&mut doc, "s1", "vol-b", 19 * HOUR).expect("in");
    StationView::read(&doc).expect("read")
}

fn new_ledger() -> Automerge {
    let mut doc = Automerge::new();
    ledger::create_ledger(&mut doc, "community-1", 1).expect("ledger");
    doc
}

#[test]
fn duty_earns_nothing_unless_the_community_enables_it() {
    let ledger = LedgerView::read(&new_ledger()).expect("ledger");
    assert!(duty_credits(&community(false), &[station()], &ledger).is_empty());
    let credits = duty_credits(&community(true), &[station()], &ledger);
    assert_eq!(credits.len(), 1, "vol-b has not checked out: {credits:?}");
    assert_eq!(
        (credits[0].person.as_str(), credits[0].hours),
        ("vol-a", 1.0)
    );
}

#[test]
fn two_coordinators_recording_a_duty_offline_write_one_entry() {
    let base = new_ledger();
    let credits = duty_credits(
        &community(true),
        &[station()],
        &LedgerView::read(&base).expect("ledger"),
    );
    let (mut a, mut b) = (fork(&base, 1), fork(&base, 2));
    assert!(record_duty(&mut a, &credits[0], "coord-1", 30 * HOUR).expect("a"));
    assert!(record_duty(&mut b, &credits[0], "coord-2", 31 * HOUR).expect("b"));
    assert!(
        !record_duty(&mut a, &credits[0], "coord-1", 32 * HOUR).expect("again"),
        "recorded once per replica"
    );
    merge(&mut a, &b);
    let ledger = LedgerView::read(&a).expect("ledger");
    assert_eq!(ledger.entries.len(), 1);
    assert_eq!(ledger.hours("vol-a"), 1.0);
    assert_eq!(ledger.balance("person:vol-a"), 1);
    assert!(duty_credits(&community(true), &[station()], &ledger).is_empty());
}
