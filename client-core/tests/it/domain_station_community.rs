//! Unit tests of the station (roster) and community operations.

use automerge::Automerge;
use wish_client_core::model::community::{CatalogueItem, Offer, Person, Project, StationRef, Unit};
use wish_client_core::model::{
    CommunityView, MemberKind, Module, ProjectStatus, Role, StationKind, StationView,
};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::station::{self, NewShift, NewStation};
use wish_client_core::ops::DomainError;

fn new_station() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "s1".into(),
        community: "community-1".into(),
        name: "心愿驿站".into(),
        kind: StationKind::Station,
        address: "幸福路1号".into(),
    };
    station::create_station(&mut doc, &new, 1).expect("create");
    doc
}

fn shift(id: &str, assignees: &[(&str, MemberKind)]) -> NewShift {
    NewShift {
        id: id.into(),
        date: "2024-05-04".into(),
        start: "09:00".into(),
        end: "12:00".into(),
        assignees: assignees.iter().map(|(a, k)| (a.to_string(), *k)).collect(),
        note: String::new(),
    }
}

fn with_shift() -> Automerge {
    let mut doc = new_station();
    let assignees = [("p1", MemberKind::Person), ("unit-1", MemberKind::Unit)];
    station::add_shift(&mut doc, &shift("sh1", &assignees), 2).expect("shift");
    doc
}

fn read(doc: &Automerge) -> StationView {
    StationView::read(doc).expect("read station")
}

#[test]
fn create_station_and_index_wishes() {
    let mut doc = new_station();
    station::index_wish(&mut doc, "wish-doc-1", 5).expect("index");
    let view = read(&doc);
    assert_eq!(view.name, "心愿驿站");
    assert_eq!(view.wishes.get("wish-doc-1"), Some(&5));
    let err = station::index_wish(&mut doc, "wish-doc-1", 6).unwrap_err();
    assert!(matches!(err, DomainError::DuplicateId(_)));
    let err = station::create_station(
        &mut doc,
        &NewStation {
            id: "s2".into(),
            community: "c".into(),
            name: "x".into(),
            kind: StationKind::Station,
            address: String::new(),
        },
        7,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::AlreadyInitialised));
}

#[test]
fn add_shift_validates_date_and_times() {
    let mut doc = new_station();
    let mut bad = shift("a", &[]);
    bad.date = "2024-13-01".into();
    assert!(matches!(
        station::add_shift(&mut doc, &bad, 2),
        Err(DomainError::InvalidDate(_))
    ));
    let mut bad = shift("a", &[]);
    bad.date = "24-5-1".into();
    assert!(matches!(
        station::add_shift(&mut doc, &bad, 2),
        Err(DomainError::InvalidDate(_))
    ));
    let mut bad = shift("a", &[]);
    bad.start = "9:00".into();
    assert!(matches!(
        station::add_shift(&mut doc, &bad, 2),
        Err(DomainError::InvalidTime(_))
    ));
    let mut bad = shift("a", &[]);
    bad.end = "24:00".into();
    assert!(matches!(
        station::add_shift(&mut doc, &bad, 2),
        Err(DomainError::InvalidTime(_))
    ));
    let mut bad = shift("a", &[]);
    bad.end = "08:00".into();
    assert!(matches!(
        station::add_shift(&mut doc, &bad, 2),
        Err(DomainError::InvalidShiftTimes)
    ));
    station::add_shift(&mut doc, &shift("a", &[]), 2).expect("uncovered shift");
    assert!(matches!(
        station::add_shift(&mut doc, &shift("a", &[]), 3),
        Err(DomainError::DuplicateId(_))
    ));
    assert_eq!(read(&doc).uncovered_shifts().len(), 1);
}

#[test]
fn cover_and_swap() {
    let mut doc = with_shift();
    station::swap(&mut doc, "sh1", "p1", "p2", MemberKind::Person, 3).expect("swap");
    let view = read(&doc);
    let assignees: Vec<_> = view.shifts["sh1"].assignees.keys().cloned().collect();
    assert_eq!(assignees, ["p2", "unit-1"]);
    let err = station::swap(&mut doc, "sh1", "p1", "p3", MemberKind::Person, 4).unwrap_err();
    assert!(matches!(err, DomainError::NotAssignee(_)));
    let err = station::swap(&mut doc, "sh1", "p2", "unit-1", MemberKind::Unit, 4).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyAssignee(_)));
    let err = station::swap(&mut doc, "nope", "p2", "p3", MemberKind::Person, 4).unwrap_err();
    assert!(matches!(err, DomainError::NotFound { what: "shift", .. }));
    station::cover(&mut doc, "sh1", "p3", MemberKind::Person, 5).expect("cover");
    let err = station::cover(&mut doc, "sh1", "p3", MemberKind::Person, 6).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyAssignee(_)));
}

#[test]
fn check_in_and_out() {
    let mut doc = with_shift();
    let err = station::check_in(&mut doc, "sh1", "stranger", 10).unwrap_err();
    assert!(matches!(err, DomainError::NotAssignee(_)));
    let err = station::check_out(&mut doc, "sh1", "p1", 10).unwrap_err();
    assert!(matches!(err, DomainError::NotOnDuty(_)));
    station::check_in(&mut doc, "sh1", "p1", 100).expect("in");
    assert_eq!(read(&doc).shifts["sh1"].checkins["p1"].check_out, None);
    let err = station::check_in(&mut doc, "sh1", "p1", 110).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyCheckedIn(_)));
    let err = station::swap(&mut doc, "sh1", "p1", "p9", MemberKind::Person, 120).unwrap_err();
    assert!(matches!(err, DomainError::AlreadyCheckedIn(_)));
    station::check_out(&mut doc, "sh1", "p1", 200).expect("out");
    let checkin = read(&doc).shifts["sh1"].checkins["p1"].clone();
    assert_eq!((checkin.check_in, checkin.check_out), (100, Some(200)));
    let err = station::check_out(&mut doc, "sh1", "p1", 300).unwrap_err();
    assert!(matches!(err, DomainError::NotOnDuty(_)));
}

#[test]
fn concurrent_swaps_of_different_assignees_both_apply() {
    let base = with_shift();
    let mut a = base.fork();
    let mut b = base.fork();
    station::swap(&mut a, "sh1", "p1", "p2", MemberKind::Person, 3).expect("swap a");
    station::swap(&mut b, "sh1", "unit-1", "unit-2", MemberKind::Unit, 3).expect("swap b");
    a.merge(&mut b).expect("merge");
    let keys: Vec<_> = read(&a).shifts["sh1"].assignees.keys().cloned().collect();
    assert_eq!(keys, ["p2", "unit-2"]);
}

// ---- community ----

fn new_community() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山区".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("create");
    doc
}

fn person(id: &str, unit: Option<&str>, stations: &[&str]) -> Person {
    Person {
        id: id.into(),
        name: format!("志愿者{id}"),
        role: Role::Volunteer,
        modules: vec![Module::Comprehensive],
        skills: vec!["路由器".into()],
        party_member: true,
        unit: unit.map(Into::into),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        left_at: None,
    }
}

fn read_community(doc: &Automerge) -> CommunityView {
    CommunityView::read(doc).expect("read community")
}

#[test]
fn community_defaults() {
    let doc = new_community();
    let view = read_community(&doc);
    assert_eq!(view.star_thresholds, [100.0, 300.0, 600.0, 1000.0, 1500.0]);
    assert!(view.people.is_empty() && view.offers.is_empty());
}

#[test]
fn directory_entries_refer_to_existing_entries() {
    let mut doc = new_community();
    let err = community::add_person(&mut doc, &person("p1", Some("unit-1"), &[]), 2).unwrap_err();
    assert!(matches!(err, DomainError::NotFound { what: "unit", .. }));
    let err = community::add_person(&mut doc, &person("p1", None, &["s1"]), 2).unwrap_err();
    assert!(matches!(
        err,
        DomainError::NotFound {
            what: "station",
            ..
        }
    ));
    let unit = Unit {
        id: "unit-1".into(),
        name: "市第二医院".into(),
        kind: "hospital".into(),
        contact_person: "p0".into(),
    };
    community::add_unit(&mut doc, &unit, 2).expect("unit");
    let station_ref = StationRef {
        name: "红色驿站".into(),
        kind: StationKind::RedStation,
        doc: "station-doc".into(),
    };
    community::add_station(&mut doc, "s1", &station_ref, 3).expect("station");
    community::add_person(&mut doc, &person("p1", Some("unit-1"), &["s1"]), 4).expect("person");
    let err = community::add_person(&mut doc, &person("p1", None, &[]), 5).unwrap_err();
    assert!(matches!(err, DomainError::DuplicateId(_)));
    let view = read_community(&doc);
    assert_eq!(view.people["p1"], person("p1", Some("unit-1"), &["s1"]));
    assert_eq!(view.units["unit-1"], unit);
    assert_eq!(view.stations["s1"], station_ref);
}

#[test]
fn offers_projects_and_catalogue() {
    let mut doc = new_community();
    community::add_person(&mut doc, &person("p1", None, &[]), 2).expect("person");
    let offer = Offer {
        id: "o1".into(),
        title: "上门设置路由器".into(),
        module: Module::Comprehensive,
        skills: vec!["路由器".into()],
        provider: "p1".into(),
        provider_kind: MemberKind::Person,
        capacity: 2,
        active: true,
    };
    let mut bad = offer.clone();
    bad.capacity = 0;
    assert!(matches!(
        community::add_offer(&mut doc, &bad, 3),
        Err(DomainError::InvalidCapacity)
    ));
    let mut bad = offer.clone();
    bad.provider_kind = MemberKind::Unit;
    assert!(matches!(
        community::add_offer(&mut doc, &bad, 3),
        Err(DomainError::NotFound { .. })
    ));
    community::add_offer(&mut doc, &offer, 3).expect("offer");
    let project = Project {
        id: "pr1".into(),
        title: "楼道照明".into(),
        module: Module::Comprehensive,
        status: ProjectStatus::Planned,
        lead: "p1".into(),
        created_at: 4,
    };
    community::add_project(&mut doc, &project, 4).expect("project");
    let mut bad = project.clone();
    bad.id = "pr2".into();
    bad.lead = "nobody".into();
    assert!(matches!(
        community::add_project(&mut doc, &bad, 5),
        Err(DomainError::NotFound { .. })
    ));
    let item = CatalogueItem {
        id: "haircut".into(),
        name: "上门理发".into(),
        points: 10,
        active: true,
    };
    community::add_catalogue_item(&mut doc, &item, 5).expect("item");
    let free = CatalogueItem {
        id: "free".into(),
        name: "x".into(),
        points: 0,
        active: true,
    };
    assert!(matches!(
        community::add_catalogue_item(&mut doc, &free, 6),
        Err(DomainError::InvalidAmount(_))
    ));
    let view = read_community(&doc);
    assert_eq!(view.offers["o1"], offer);
    assert_eq!(view.projects["pr1"], project);
    assert_eq!(view.catalogue["haircut"], item);
}

#[test]
fn star_thresholds_must_ascend() {
    let mut doc = new_community();
    let err =
        community::set_star_thresholds(&mut doc, [10.0, 5.0, 20.0, 30.0, 40.0], 2).unwrap_err();
    assert!(matches!(err, DomainError::InvalidThresholds));
    community::set_star_thresholds(&mut doc, [10.0, 20.0, 30.0, 40.0, 50.0], 2).expect("set");
    assert_eq!(
        read_community(&doc).star_thresholds,
        [10.0, 20.0, 30.0, 40.0, 50.0]
    );
}
