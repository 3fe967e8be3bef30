//! The rule table against the coordinator's operations (directory, catalogue, roster
//! template, staffing) and the shared station tablet's check-ins: honest ones accepted,
//! the same writes by a role that may not make them refused with the right rule.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use wish_client_core::model::community::{CatalogueItem, Person, StationRef};
use wish_client_core::model::station::TemplateSlot;
use wish_client_core::model::{CommunityView, MemberKind, Role as PersonRole, StationKind};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::station::{self, NewShift, NewStation};

use super::tests::{coordinator, principal, refused_by, review};
use super::{Refusal, Verdict};
use crate::access::{Principal, Role};

const MONDAY: &str = "2026-11-30-1900-2000";

fn other_coordinator() -> Principal {
    principal(Role::Coordinator, "coord-2", "tablet-c2", &["station-2"])
}
fn volunteer() -> Principal {
    principal(Role::Volunteer, "p1", "tablet-1", &["station-1"])
}
fn shared_tablet() -> Principal {
    principal(
        Role::StationTablet,
        "station-tablet",
        "tablet-s1",
        &["station-1"],
    )
}

fn accepted(result: Result<Verdict, Refusal>) {
    if let Err(refusal) = result {
        panic!("refused by {}: {}", refusal.rule, refusal.reason);
    }
}

fn person(id: &str) -> Person {
    Person {
        id: id.into(),
        name: format!("志愿者{id}"),
        role: PersonRole::Volunteer,
        modules: vec![],
        skills: vec![],
        party_member: false,
        unit: None,
        stations: vec!["station-1".into()],
        left_at: None,
    }
}

fn community_doc() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山区".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let station = StationRef {
        name: "中心驿站".into(),
        kind: StationKind::Station,
        doc: "station-doc".into(),
    };
    community::add_station(&mut doc, "station-1", &station, 2).expect("station");
    community::add_person(&mut doc, &person("p1"), 3).expect("p1");
    community::add_person(&mut doc, &person("p2"), 3).expect("p2");
    doc
}

/// Station 1 with an evening template, next week built, p1 on Monday evening.
fn station_doc() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "station-1".into(),
        community: "community-1".into(),
        name: "中心驿站".into(),
        kind: StationKind::Station,
        address: "幸福路1号".into(),
    };
    station::create_station(&mut doc, &new, 1).expect("station");
    station::set_template_slot(&mut doc, &evening(), 2).expect("template");
    station::build_week(&mut doc, "2026-11-30", 3).expect("week");
    let directory = CommunityView::read(&community_doc()).expect("read");
    station::assign_to_shift(&mut doc, &directory, MONDAY, "p1", MemberKind::Person, 4)
        .expect("assign");
    doc
}

fn evening() -> TemplateSlot {
    TemplateSlot {
        id: "evening".into(),
        weekdays: vec![1, 2, 3, 4, 5],
        start: "19:00".into(),
        end: "20:00".into(),
        note: "晚间一小时".into(),
    }
}

#[test]
fn the_coordinator_keeps_the_directory_and_the_catalogue() {
    let doc = community_doc();
    let c = coordinator();
    let mut edited = person("p1");
    edited.name = "林晓梅".into();
    accepted(review(&doc, &c, |d| {
        community::edit_person(d, &edited, 10).expect("edit")
    }));
    accepted(review(&doc, &c, |d| {
        community::deactivate_person(d, "p2", 10).expect("deactivate")
    }));
    let item = CatalogueItem {
        id: "i1".into(),
        name: "理发".into(),
        points: 10,
        active: true,
    };
    let mut with_item = doc.clone();
    community::add_catalogue_item(&mut with_item, &item, 10).expect("item");
    accepted(review(&with_item, &c, |d| {
        community::retire_catalogue_item(d, "i1", 11).expect("retire")
    }));
}

#[test]
fn a_volunteer_or_tablet_may_not_edit_the_directory() {
    let doc = community_doc();
    for writer in [volunteer(), shared_tablet()] {
        refused_by(
            review(&doc, &writer, |d| {
                community::add_person(d, &person("p9"), 10).expect("add")
            }),
            "community.directory",
        );
    }
}

#[test]
fn the_coordinator_keeps_the_template_and_the_roster() {
    let doc = station_doc();
    let c = coordinator();
    let friday = TemplateSlot {
        id: "weekend".into(),
        weekdays: vec![6],
        start: "09:00".into(),
        end: "11:00".into(),
        note: "红色周末".into(),
    };
    accepted(review(&doc, &c, |d| {
        station::set_template_slot(d, &friday, 10).expect("slot")
    }));
    accepted(review(&doc, &c, |d| {
        station::build_week(d, "2026-12-07", 10).expect("week");
    }));
    accepted(review(&doc, &c, |d| {
        let tuesday = "2026-12-01-1900-2000";
        station::cover(d, tuesday, "p2", MemberKind::Person, 10).expect("cover");
        station::exchange(d, (MONDAY, "p1"), (tuesday, "p2"), 11).expect("exchange");
    }));
}

#[test]
fn others_may_not_keep_a_stations_template_or_roster() {
    let doc = station_doc();
    for writer in [volunteer(), shared_tablet(), other_coordinator()] {
        refused_by(
            review(&doc, &writer, |d| {
                station::remove_template_slot(d, "evening", 10).expect("remove")
            }),
            "station.template",
        );
        refused_by(
            review(&doc, &writer, |d| {
                station::cover(d, MONDAY, "p2", MemberKind::Person, 10).expect("cover")
            }),
            "station.shifts",
        );
        refused_by(
            review(&doc, &writer, |d| {
                station::add_shift(d, &extra_shift(), 10).expect("shift")
            }),
            "station.shifts",
        );
    }
}

fn extra_shift() -> NewShift {
    NewShift {
        id: "extra".into(),
        date: "2026-12-02".into(),
        start: "08:00".into(),
        end: "09:00".into(),
        assignees: BTreeMap::new(),
        note: String::new(),
    }
}

#[test]
fn the_shared_tablet_signs_in_and_out_whoever_is_on_the_shift() {
    let doc = station_doc();
    let tablet = shared_tablet();
    let mut signed_in = doc.clone();
    station::check_in_on_duty(&mut signed_in, MONDAY, "p1", "tablet-s1", 10).expect("in");
    accepted(review(&doc, &tablet, |d| {
        station::check_in_on_duty(d, MONDAY, "p1", "tablet-s1", 10).expect("in")
    }));
    accepted(review(&signed_in, &tablet, |d| {
        station::check_out(d, MONDAY, "p1", 20).expect("out")
    }));
}

#[test]
fn the_shared_tablet_signs_in_nobody_else() {
    let doc = station_doc();
    let tablet = shared_tablet();
    refused_by(
        review(&doc, &tablet, |d| put_checkin(d, "p2", Some("tablet-s1"))),
        "station.checkins.shared-tablet",
    );
    refused_by(
        review(&doc, &tablet, |d| {
            put_checkin(d, "p1", Some("tablet-other"))
        }),
        "station.checkins.shared-tablet",
    );
    refused_by(
        review(&doc, &tablet, |d| put_checkin(d, "p1", None)),
        "station.checkins.shared-tablet",
    );
    let elsewhere = principal(Role::StationTablet, "t", "tablet-s2", &["station-2"]);
    refused_by(
        review(&doc, &elsewhere, |d| {
            put_checkin(d, "p1", Some("tablet-s2"))
        }),
        "station.checkins",
    );
}

#[test]
fn a_volunteer_checks_in_only_themselves() {
    let doc = station_doc();
    let v = volunteer();
    accepted(review(&doc, &v, |d| {
        station::check_in(d, MONDAY, "p1", 10).expect("in")
    }));
    let p2 = principal(Role::Volunteer, "p2", "tablet-2", &["station-1"]);
    refused_by(
        review(&doc, &p2, |d| put_checkin(d, "p1", Some("tablet-2"))),
        "station.checkins",
    );
}

/// A raw check-in, as a modified client could write it.
fn put_checkin(doc: &mut Automerge, person: &str, device: Option<&str>) {
    let shifts = match doc.get(ROOT, "shifts") {
        Ok(Some((_, id))) => id,
        _ => panic!("no shifts"),
    };
    let shift = match doc.get(&shifts, MONDAY) {
        Ok(Some((_, id))) => id,
        _ => panic!("no shift"),
    };
    let checkins = match doc.get(&shift, "checkins") {
        Ok(Some((_, id))) => id,
        _ => panic!("no checkins"),
    };
    let mut tx = doc.transaction();
    let entry = tx
        .put_object(&checkins, person, ObjType::Map)
        .expect("entry");
    tx.put(&entry, "in", 10_i64).expect("in");
    tx.put(&entry, "out", ()).expect("out");
    if let Some(device) = device {
        tx.put(&entry, "device", device).expect("device");
    }
    tx.commit();
}
