//! Unit tests of the coordinator's operations: editing and deactivating people, editing
//! units, the catalogue (edit, retire), the roster template and building a week from it,
//! assigning, handing over and exchanging shifts, and the shared tablet's check-in.

// The tests return the core's `DomainError` as it is, so `?` shows which step refused.
#![allow(clippy::result_large_err)]

use automerge::Automerge;
use wish_client_core::model::community::{CatalogueItem, Person, StationRef, Unit};
use wish_client_core::model::station::TemplateSlot;
use wish_client_core::model::{CommunityView, MemberKind, Module, Role, StationKind, StationView};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::ledger::{self, Award, Redeem};
use wish_client_core::ops::station::{self, NewStation};
use wish_client_core::ops::DomainError;

type Result = std::result::Result<(), DomainError>;

fn community_doc() -> std::result::Result<Automerge, DomainError> {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "c1".into(),
        name: "幸福社区".into(),
        district: "南山区".into(),
    };
    community::create_community(&mut doc, &new, 1)?;
    let station = StationRef {
        name: "中心驿站".into(),
        kind: StationKind::Station,
        doc: "station-doc".into(),
    };
    community::add_station(&mut doc, "s1", &station, 2)?;
    community::add_unit(&mut doc, &unit("u1", "南山医院"), 3)?;
    for id in ["p1", "p2", "p3"] {
        community::add_person(&mut doc, &person(id), 4)?;
    }
    Ok(doc)
}

fn person(id: &str) -> Person {
    Person {
        id: id.into(),
        name: format!("志愿者{id}"),
        role: Role::Volunteer,
        modules: vec![],
        skills: vec![],
        party_member: false,
        unit: None,
        stations: vec!["s1".into()],
        left_at: None,
    }
}

fn unit(id: &str, name: &str) -> Unit {
    Unit {
        id: id.into(),
        name: name.into(),
        kind: "hospital".into(),
        contact_person: "王医生".into(),
    }
}

fn read(doc: &Automerge) -> CommunityView {
    CommunityView::read(doc).expect("read community")
}

#[test]
fn editing_a_person_writes_only_what_changed() -> Result {
    let mut doc = community_doc()?;
    let mut edited = person("p1");
    edited.name = "林晓梅".into();
    edited.role = Role::Expert;
    edited.modules = vec![Module::Medical];
    edited.party_member = true;
    edited.unit = Some("u1".into());
    let heads = doc.get_heads();
    community::edit_person(&mut doc, &edited, 10)?;
    assert_eq!(read(&doc).people["p1"], edited);
    assert_eq!(doc.get_changes(&heads).len(), 1, "one change");
    let again = community::edit_person(&mut doc, &edited, 11);
    assert!(matches!(again, Err(DomainError::NothingToChange)));
    Ok(())
}

#[test]
fn editing_refuses_unknown_people_and_references() -> Result {
    let mut doc = community_doc()?;
    let stranger = community::edit_person(&mut doc, &person("p9"), 10);
    assert!(matches!(stranger, Err(DomainError::NotFound { .. })));
    let mut bad = person("p1");
    bad.unit = Some("u-missing".into());
    let missing = community::edit_person(&mut doc, &bad, 10);
    assert!(matches!(
        missing,
        Err(DomainError::NotFound { what: "unit", .. })
    ));
    bad = person("p1");
    bad.name = " ".into();
    assert!(community::edit_person(&mut doc, &bad, 10).is_err());
    Ok(())
}

#[test]
fn deactivating_keeps_the_person_and_marks_when_they_left() -> Result {
    let mut doc = community_doc()?;
    community::deactivate_person(&mut doc, "p2", 500)?;
    let p2 = &read(&doc).people["p2"];
    assert_eq!(p2.left_at, Some(500));
    assert!(!p2.is_active());
    let twice = community::deactivate_person(&mut doc, "p2", 600);
    assert!(matches!(twice, Err(DomainError::PersonLeft(_))));
    Ok(())
}

#[test]
fn editing_a_unit() -> Result {
    let mut doc = community_doc()?;
    let mut edited = unit("u1", "南山人民医院");
    edited.contact_person = "李护士长".into();
    community::edit_unit(&mut doc, &edited, 10)?;
    assert_eq!(read(&doc).units["u1"], edited);
    let none = community::edit_unit(&mut doc, &edited, 11);
    assert!(matches!(none, Err(DomainError::NothingToChange)));
    let unknown = community::edit_unit(&mut doc, &unit("u9", "x"), 11);
    assert!(matches!(unknown, Err(DomainError::NotFound { .. })));
    Ok(())
}

fn item(id: &str, points: i64) -> CatalogueItem {
    CatalogueItem {
        id: id.into(),
        name: "理发一次".into(),
        points,
        active: true,
    }
}

#[test]
fn catalogue_items_are_edited_and_retired() -> Result {
    let mut doc = community_doc()?;
    community::add_catalogue_item(&mut doc, &item("i1", 20), 5)?;
    let mut cheaper = item("i1", 15);
    cheaper.name = "理发".into();
    community::edit_catalogue_item(&mut doc, &cheaper, 6)?;
    assert_eq!(read(&doc).catalogue["i1"], cheaper);
    let free = community::edit_catalogue_item(&mut doc, &item("i1", 0), 7);
    assert!(matches!(free, Err(DomainError::InvalidAmount(_))));
    community::retire_catalogue_item(&mut doc, "i1", 8)?;
    assert!(!read(&doc).catalogue["i1"].active);
    let twice = community::retire_catalogue_item(&mut doc, "i1", 9);
    assert!(matches!(twice, Err(DomainError::ItemRetired(_))));
    Ok(())
}

#[test]
fn a_retired_item_cannot_be_redeemed() -> Result {
    let mut doc = community_doc()?;
    community::add_catalogue_item(&mut doc, &item("i1", 5), 5)?;
    community::retire_catalogue_item(&mut doc, "i1", 6)?;
    let mut ledger_doc = Automerge::new();
    ledger::create_ledger(&mut ledger_doc, "c1", 1)?;
    let award = Award {
        id: "a1".into(),
        person: "p1".into(),
        points: 50,
        hours: 0.0,
        reason: "感动社区".into(),
        by: "p-coord".into(),
    };
    ledger::award(&mut ledger_doc, &award, 2)?;
    let redeem = Redeem {
        id: "r1".into(),
        person: "p1".into(),
        item: "i1".into(),
        by: "p-coord".into(),
    };
    let refused = ledger::redeem(&mut ledger_doc, &read(&doc), &redeem, 3);
    assert!(matches!(refused, Err(DomainError::ItemRetired(_))));
    Ok(())
}

// ---- roster ----

fn station_doc() -> std::result::Result<Automerge, DomainError> {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "s1".into(),
        community: "c1".into(),
        name: "中心驿站".into(),
        kind: StationKind::RedStation,
        address: "幸福路1号".into(),
    };
    station::create_station(&mut doc, &new, 1)?;
    Ok(doc)
}

fn slot(id: &str, weekdays: &[u8], start: &str, end: &str, note: &str) -> TemplateSlot {
    TemplateSlot {
        id: id.into(),
        weekdays: weekdays.to_vec(),
        start: start.into(),
        end: end.into(),
        note: note.into(),
    }
}

/// 晚间一小时 on weekdays and 红色周末 on Saturday.
fn templated() -> std::result::Result<Automerge, DomainError> {
    let mut doc = station_doc()?;
    let evening = slot(
        "evening",
        &[5, 1, 2, 3, 4, 1],
        "19:00",
        "20:00",
        "晚间一小时",
    );
    station::set_template_slot(&mut doc, &evening, 2)?;
    let weekend = slot("weekend", &[6], "09:00", "11:00", "红色周末");
    station::set_template_slot(&mut doc, &weekend, 3)?;
    Ok(doc)
}

fn view(doc: &Automerge) -> StationView {
    StationView::read(doc).expect("read station")
}

#[test]
fn template_slots_are_validated_and_stored_sorted() -> Result {
    let mut doc = templated()?;
    assert_eq!(view(&doc).template["evening"].weekdays, [1, 2, 3, 4, 5]);
    let none = station::set_template_slot(&mut doc, &slot("x", &[], "09:00", "10:00", ""), 4);
    assert!(matches!(none, Err(DomainError::InvalidWeekdays)));
    let eighth = station::set_template_slot(&mut doc, &slot("x", &[8], "09:00", "10:00", ""), 4);
    assert!(matches!(eighth, Err(DomainError::InvalidWeekdays)));
    let backwards = station::set_template_slot(&mut doc, &slot("x", &[1], "10:00", "09:00", ""), 4);
    assert!(matches!(backwards, Err(DomainError::InvalidShiftTimes)));
    station::remove_template_slot(&mut doc, "weekend", 5)?;
    assert!(!view(&doc).template.contains_key("weekend"));
    Ok(())
}

#[test]
fn a_week_is_built_from_the_template_once() -> Result {
    let mut doc = templated()?;
    let added = station::build_week(&mut doc, "2026-11-30", 10)?;
    assert_eq!(added.len(), 6, "five evenings and a Saturday: {added:?}");
    let roster = view(&doc);
    let saturday: Vec<_> = roster
        .shifts
        .values()
        .filter(|s| s.date == "2026-12-05")
        .collect();
    assert_eq!(saturday.len(), 1);
    assert_eq!(
        (saturday[0].start.as_str(), saturday[0].note.as_str()),
        ("09:00", "红色周末")
    );
    assert!(roster.shifts.values().all(|s| s.is_uncovered()));
    assert!(
        !roster.shifts.values().any(|s| s.date == "2026-12-06"),
        "no Sunday"
    );
    assert!(
        station::build_week(&mut doc, "2026-11-30", 11)?.is_empty(),
        "idempotent"
    );
    Ok(())
}

#[test]
fn a_station_starting_mid_week_gets_the_rest_of_this_week() -> Result {
    let mut doc = templated()?;
    // Thursday 2026-12-03: Thursday's and Friday's evenings and Saturday, nothing before.
    let added = station::build_rest_of_week(&mut doc, "2026-12-03", 10)?;
    assert_eq!(added.len(), 3, "{added:?}");
    let dates: Vec<String> = view(&doc).shifts.values().map(|s| s.date.clone()).collect();
    assert!(
        dates.iter().all(|d| d.as_str() >= "2026-12-03"),
        "{dates:?}"
    );
    assert!(station::build_rest_of_week(&mut doc, "2026-12-03", 11)?.is_empty());
    let next = station::build_week(&mut doc, "2026-12-07", 12)?;
    assert_eq!(next.len(), 6, "next week is built as before");
    Ok(())
}

#[test]
fn a_week_starts_on_a_monday_and_needs_a_template() -> Result {
    let mut doc = templated()?;
    let tuesday = station::build_week(&mut doc, "2026-12-01", 10);
    assert!(matches!(tuesday, Err(DomainError::NotMonday(_))));
    let mut empty = station_doc()?;
    let none = station::build_week(&mut empty, "2026-11-30", 10);
    assert!(matches!(none, Err(DomainError::EmptyField("template"))));
    assert_eq!(station::next_monday("2026-11-29")?, "2026-11-30");
    Ok(())
}

/// The week built, with p1 on Monday's evening and p2 on Tuesday's.
fn staffed() -> std::result::Result<(Automerge, CommunityView), DomainError> {
    let community = read(&community_doc()?);
    let mut doc = templated()?;
    station::build_week(&mut doc, "2026-11-30", 10)?;
    let person = MemberKind::Person;
    station::assign_to_shift(&mut doc, &community, MONDAY, "p1", person, 11)?;
    station::assign_to_shift(&mut doc, &community, TUESDAY, "p2", person, 12)?;
    Ok((doc, community))
}

const MONDAY: &str = "2026-11-30-1900-2000";
const TUESDAY: &str = "2026-12-01-1900-2000";

#[test]
fn people_and_units_of_the_directory_cover_shifts() -> Result {
    let (mut doc, community) = staffed()?;
    station::assign_to_shift(&mut doc, &community, MONDAY, "u1", MemberKind::Unit, 13)?;
    let monday = &view(&doc).shifts[MONDAY];
    assert_eq!(monday.assignees.len(), 2);
    let stranger =
        station::assign_to_shift(&mut doc, &community, MONDAY, "p9", MemberKind::Person, 14);
    assert!(matches!(stranger, Err(DomainError::NotFound { .. })));
    let twice =
        station::assign_to_shift(&mut doc, &community, MONDAY, "p1", MemberKind::Person, 14);
    assert!(matches!(twice, Err(DomainError::AlreadyAssignee(_))));
    Ok(())
}

#[test]
fn someone_who_left_is_not_put_on_a_shift() -> Result {
    let mut community_doc = community_doc()?;
    community::deactivate_person(&mut community_doc, "p3", 9)?;
    let community = read(&community_doc);
    let mut doc = templated()?;
    station::build_week(&mut doc, "2026-11-30", 10)?;
    let left = station::assign_to_shift(&mut doc, &community, MONDAY, "p3", MemberKind::Person, 11);
    assert!(matches!(left, Err(DomainError::PersonLeft(_))));
    Ok(())
}

#[test]
fn two_people_exchange_their_shifts_in_one_change() -> Result {
    let (mut doc, _) = staffed()?;
    let heads = doc.get_heads();
    station::exchange(&mut doc, (MONDAY, "p1"), (TUESDAY, "p2"), 20)?;
    assert_eq!(doc.get_changes(&heads).len(), 1);
    let roster = view(&doc);
    assert!(roster.shifts[MONDAY].assignees.contains_key("p2"));
    assert!(!roster.shifts[MONDAY].assignees.contains_key("p1"));
    assert!(roster.shifts[TUESDAY].assignees.contains_key("p1"));
    let not_there = station::exchange(&mut doc, (MONDAY, "p1"), (TUESDAY, "p2"), 21);
    assert!(matches!(not_there, Err(DomainError::NotAssignee(_))));
    Ok(())
}

#[test]
fn a_place_is_handed_over_to_an_active_person() -> Result {
    let (mut doc, community) = staffed()?;
    station::hand_over(
        &mut doc,
        &community,
        MONDAY,
        "p1",
        "p3",
        MemberKind::Person,
        20,
    )?;
    let monday = &view(&doc).shifts[MONDAY];
    assert!(monday.assignees.contains_key("p3") && !monday.assignees.contains_key("p1"));
    Ok(())
}

#[test]
fn the_shared_tablet_checks_in_people_on_the_shift_only() -> Result {
    let (mut doc, _) = staffed()?;
    station::check_in_on_duty(&mut doc, MONDAY, "p1", "d-tablet", 30)?;
    let checkin = &view(&doc).shifts[MONDAY].checkins["p1"];
    assert_eq!(checkin.device.as_deref(), Some("d-tablet"));
    assert_eq!(checkin.check_out, None);
    let other = station::check_in_on_duty(&mut doc, MONDAY, "p2", "d-tablet", 31);
    assert!(matches!(other, Err(DomainError::NotAssignee(_))));
    let twice = station::check_in_on_duty(&mut doc, MONDAY, "p1", "d-tablet", 32);
    assert!(matches!(twice, Err(DomainError::AlreadyCheckedIn(_))));
    station::check_out(&mut doc, MONDAY, "p1", 40)?;
    assert_eq!(view(&doc).shifts[MONDAY].checkins["p1"].check_out, Some(40));
    assert_eq!(view(&doc).shifts_of("p2", "2026-12-01").len(), 1);
    Ok(())
}
