use super::*;
use crate::aggregate::CommunitySet;

fn device(id: &str, role: Role, community: &str, stations: &[&str]) -> Principal {
    Principal {
        device_id: id.into(),
        role,
        person: format!("p-{id}"),
        community: Some(community.into()),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        covers: Default::default(),
    }
}

fn contact(community: Option<&str>, station: &str) -> DocMeta {
    DocMeta {
        doc_type: Some(DocType::Contact),
        community: community.map(str::to_owned),
        station: Some(station.into()),
        ..DocMeta::default()
    }
}

#[test]
fn nobody_is_made_administrator() {
    let admin = Principal::administrator();
    let office = device("o", Role::Office, "c1", &[]);
    let mut raised = device("v", Role::Volunteer, "c1", &["A"]);
    let before = raised.clone();
    raised.role = Role::Administrator;
    for who in [&admin, &office] {
        assert_eq!(may_enroll(who, &raised), Err(ScopeError::Administrator));
        assert_eq!(
            may_reassign(who, &before, &raised),
            Err(ScopeError::Administrator)
        );
    }
}

#[test]
fn a_device_does_not_change_or_revoke_itself() {
    let office = device("o", Role::Office, "c1", &[]);
    let mut promoted = office.clone();
    promoted.stations.insert("A".into());
    assert_eq!(
        may_reassign(&office, &office, &promoted),
        Err(ScopeError::OwnDevice)
    );
    assert_eq!(may_revoke(&office, &office), Err(ScopeError::OwnDevice));
}

#[test]
fn office_manages_its_own_community_only() {
    let office = device("o", Role::Office, "c1", &[]);
    let own = device("v1", Role::Coordinator, "c1", &["A"]);
    let other = device("v2", Role::Volunteer, "c2", &["X"]);
    assert_eq!(may_enroll(&office, &own), Ok(()));
    assert_eq!(may_revoke(&office, &own), Ok(()));
    assert_eq!(may_reassign(&office, &own, &own), Ok(()));
    assert_eq!(may_enroll(&office, &other), Err(ScopeError::OtherCommunity));
    assert_eq!(may_revoke(&office, &other), Err(ScopeError::OtherCommunity));
    assert_eq!(
        may_reassign(&office, &other, &other),
        Err(ScopeError::OtherCommunity)
    );
    assert!(may_list(&office, &own) && !may_list(&office, &other));
}

#[test]
fn coordinators_manage_volunteers_and_partners_of_their_stations_only() {
    let coordinator = device("k", Role::Coordinator, "c1", &["A", "B"]);
    let volunteer = device("v", Role::Volunteer, "c1", &["A"]);
    let partner = device("p", Role::Partner, "c1", &["B"]);
    assert_eq!(may_enroll(&coordinator, &volunteer), Ok(()));
    assert_eq!(may_revoke(&coordinator, &partner), Ok(()));
    for target in [
        device("x", Role::Volunteer, "c1", &["C"]),
        device("x", Role::Volunteer, "c1", &["A", "C"]),
        device("x", Role::Partner, "c1", &[]),
        device("x", Role::Coordinator, "c1", &["A"]),
        device("x", Role::Office, "c1", &[]),
        device("x", Role::Volunteer, "c2", &["A"]),
    ] {
        assert_eq!(
            may_revoke(&coordinator, &target),
            Err(ScopeError::NotOwnStations),
            "{target:?}"
        );
        assert!(may_enroll(&coordinator, &target).is_err());
    }
    assert!(may_list(&coordinator, &volunteer));
    assert!(!may_list(
        &coordinator,
        &device("x", Role::Office, "c1", &[])
    ));
    assert_eq!(
        may_reassign(&coordinator, &volunteer, &volunteer),
        Err(ScopeError::Role)
    );
}

#[test]
fn coordinators_enroll_and_revoke_the_shared_tablet_of_their_station_only() {
    let coordinator = device("k", Role::Coordinator, "c1", &["A"]);
    let own = device("t", Role::StationTablet, "c1", &["A"]);
    let other = device("t2", Role::StationTablet, "c1", &["B"]);
    assert_eq!(may_enroll(&coordinator, &own), Ok(()));
    assert_eq!(may_revoke(&coordinator, &own), Ok(()));
    assert!(may_list(&coordinator, &own));
    assert!(may_enroll(&coordinator, &other).is_err());
    assert_eq!(may_enroll(&own, &other), Err(ScopeError::Role));
}

#[test]
fn only_contacts_in_scope_are_deleted() {
    let admin = Principal::administrator();
    let office = device("o", Role::Office, "c1", &[]);
    let coordinator = device("k", Role::Coordinator, "c1", &["A"]);
    let volunteer = device("v", Role::Volunteer, "c1", &["A"]);
    let ledger = DocMeta {
        doc_type: Some(DocType::Ledger),
        community: Some("c1".into()),
        ..DocMeta::default()
    };
    for who in [&admin, &office, &coordinator] {
        assert_eq!(
            may_delete_contact(who, &ledger),
            Err(ScopeError::NotContact)
        );
        assert_eq!(may_delete_contact(who, &contact(Some("c1"), "A")), Ok(()));
    }
    assert!(may_delete_contact(&volunteer, &contact(Some("c1"), "A")).is_err());
    assert!(may_delete_contact(&coordinator, &contact(Some("c1"), "B")).is_err());
    assert!(may_delete_contact(&coordinator, &contact(Some("c2"), "A")).is_err());
    assert!(may_delete_contact(&office, &contact(None, "A")).is_err());
    assert!(may_delete_contact(&office, &contact(Some("c2"), "A")).is_err());
    assert_eq!(may_delete_contact(&admin, &contact(None, "A")), Ok(()));
}

#[test]
fn figures_are_scoped_to_the_callers_community() {
    assert_eq!(
        community_scope(&Principal::administrator()),
        CommunitySet::all()
    );
    let office = device("o", Role::Office, "c1", &[]);
    assert_eq!(community_scope(&office), CommunitySet::of(["c1"]));
}

#[test]
fn wish_cards_are_imported_by_coordinators_into_their_own_stations() {
    let stations = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
    let coordinator = device("k", Role::Coordinator, "c1", &["A", "B"]);
    assert_eq!(
        may_import_wishes(&coordinator, "c1", &stations(&["A"])),
        Ok(())
    );
    assert_eq!(
        may_import_wishes(&coordinator, "c1", &stations(&[])),
        Ok(())
    );
    assert_eq!(
        may_import_wishes(&coordinator, "c1", &stations(&["A", "C"])),
        Err(ScopeError::ImportNotOwnStations)
    );
    assert_eq!(
        may_import_wishes(&coordinator, "c2", &stations(&["A"])),
        Err(ScopeError::ImportOtherCommunity)
    );
    let office = device("o", Role::Office, "c1", &[]);
    assert_eq!(
        may_import_wishes(&office, "c1", &stations(&[])),
        Err(ScopeError::OfficeWishCards)
    );
    for role in [Role::Volunteer, Role::Partner] {
        let who = device("v", role, "c1", &["A"]);
        assert_eq!(
            may_import_wishes(&who, "c1", &stations(&["A"])),
            Err(ScopeError::ImportRole)
        );
    }
    let admin = Principal::administrator();
    assert_eq!(may_import_wishes(&admin, "c9", &stations(&["Z"])), Ok(()));
}

#[test]
fn people_are_imported_by_the_staff_of_the_community() {
    let coordinator = device("k", Role::Coordinator, "c1", &["A"]);
    let office = device("o", Role::Office, "c1", &[]);
    for who in [&coordinator, &office] {
        assert_eq!(may_import_people(who, "c1"), Ok(()));
        assert_eq!(
            may_import_people(who, "c2"),
            Err(ScopeError::ImportOtherCommunity)
        );
    }
    let volunteer = device("v", Role::Volunteer, "c1", &["A"]);
    assert_eq!(
        may_import_people(&volunteer, "c1"),
        Err(ScopeError::ImportRole)
    );
    assert_eq!(may_import_people(&Principal::administrator(), "c1"), Ok(()));
}

/// A 街道's office device (home c1, covering c2) manages devices of both, sees figures
/// of both, and enrolls another office device only within its own set.
#[test]
fn an_office_covering_several_communities_manages_only_within_them() {
    let mut street = device("o", Role::Office, "c1", &[]);
    street.covers = ["c2".to_owned()].into();
    let in_c2 = device("v", Role::Volunteer, "c2", &["A"]);
    let in_c3 = device("v3", Role::Volunteer, "c3", &["A"]);
    assert_eq!(may_enroll(&street, &in_c2), Ok(()));
    assert_eq!(may_enroll(&street, &in_c3), Err(ScopeError::OtherCommunity));
    assert!(may_list(&street, &in_c2) && !may_list(&street, &in_c3));
    let mut wider = device("o2", Role::Office, "c2", &[]);
    wider.covers = ["c1".to_owned()].into();
    assert_eq!(may_enroll(&street, &wider), Ok(()));
    wider.covers.insert("c3".into());
    assert_eq!(may_enroll(&street, &wider), Err(ScopeError::OtherCommunity));
    assert_eq!(community_scope(&street), CommunitySet::of(["c1", "c2"]));
    assert_eq!(
        may_delete_contact(&street, &contact(Some("c2"), "A")),
        Ok(())
    );
    assert_eq!(
        may_delete_contact(&street, &contact(Some("c3"), "A")),
        Err(ScopeError::ContactOutOfScope)
    );
    // Coverage is the office's: a volunteer's record never widens its community.
    let mut volunteer = device("v4", Role::Volunteer, "c1", &["A"]);
    volunteer.covers = ["c2".to_owned()].into();
    assert_eq!(community_scope(&volunteer), CommunitySet::of(["c1"]));
}
