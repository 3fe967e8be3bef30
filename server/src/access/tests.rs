use super::*;

fn principal(role: Role, person: &str, stations: &[&str]) -> Principal {
    Principal {
        device_id: format!("dev-{person}"),
        role,
        person: person.into(),
        community: Some("c1".into()),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        covers: Default::default(),
    }
}

fn wish(station: &str, on_wall: bool) -> DocMeta {
    DocMeta {
        doc_type: Some(DocType::Wish),
        community: Some("c1".into()),
        station: Some(station.into()),
        on_wall,
        ..DocMeta::default()
    }
}

fn contact(station: &str, collected_by: &str, assigned: &[&str]) -> DocMeta {
    DocMeta {
        doc_type: Some(DocType::Contact),
        community: Some("c1".into()),
        station: Some(station.into()),
        collected_by: Some(collected_by.into()),
        assigned_people: assigned.iter().map(|s| s.to_string()).collect(),
        ..DocMeta::default()
    }
}

#[test]
fn volunteers_see_contacts_they_collected_or_are_assigned_at_their_station_only() {
    let v = principal(Role::Volunteer, "li", &["A"]);
    assert_eq!(access(&v, &contact("A", "li", &[])), Access::Write);
    assert_eq!(access(&v, &contact("A", "wang", &[])), Access::Deny);
    assert_eq!(access(&v, &contact("B", "zhao", &[])), Access::Deny);
    assert_eq!(access(&v, &contact("B", "zhao", &["li"])), Access::ReadOnly);
}

#[test]
fn partners_see_the_wall_and_what_they_claimed() {
    let p = principal(Role::Partner, "hospital", &[]);
    assert_eq!(access(&p, &wish("A", true)), Access::Write);
    assert_eq!(access(&p, &wish("A", false)), Access::Deny);
    let mut claimed = wish("A", false);
    claimed.claimants.push("hospital".into());
    assert_eq!(access(&p, &claimed), Access::Write);
}

#[test]
fn volunteers_claim_on_the_whole_wall_and_check_in_at_their_stations() {
    let v = principal(Role::Volunteer, "li", &["A"]);
    assert_eq!(access(&v, &wish("B", true)), Access::Write);
    assert_eq!(access(&v, &wish("B", false)), Access::Deny);
    let mut claimed = wish("B", false);
    claimed.claimants.push("li".into());
    assert_eq!(access(&v, &claimed), Access::Write);
    let station = |id: &str| DocMeta {
        doc_type: Some(DocType::Station),
        community: Some("c1".into()),
        station: Some(id.into()),
        ..DocMeta::default()
    };
    assert_eq!(access(&v, &station("A")), Access::Write);
    assert_eq!(access(&v, &station("B")), Access::ReadOnly);
}

#[test]
fn other_communities_and_deleted_documents_are_denied() {
    let c = principal(Role::Coordinator, "zhou", &["A"]);
    let mut elsewhere = wish("A", true);
    elsewhere.community = Some("c2".into());
    assert_eq!(access(&c, &elsewhere), Access::Deny);
    let mut deleted = contact("A", "li", &[]);
    deleted.deleted = true;
    assert_eq!(access(&Principal::administrator(), &deleted), Access::Deny);
}

#[test]
fn the_office_reads_contacts_but_never_edits_them() {
    let o = principal(Role::Office, "office", &[]);
    assert_eq!(access(&o, &contact("A", "li", &[])), Access::ReadOnly);
    assert_eq!(access(&o, &wish("A", false)), Access::Write);
}

#[test]
fn creation_needs_the_station_of_the_contents() {
    let v = principal(Role::Volunteer, "li", &["A"]);
    assert!(may_create(&v, &wish("A", false)));
    assert!(!may_create(&v, &wish("B", false)));
    assert!(!may_create(
        &v,
        &DocMeta {
            doc_type: Some(DocType::Ledger),
            community: Some("c1".into()),
            ..DocMeta::default()
        }
    ));
    assert!(!may_create(
        &principal(Role::Partner, "p", &[]),
        &wish("A", false)
    ));
    assert!(
        !may_create(&v, &DocMeta::default()),
        "a document without a type is refused"
    );
}

fn station(id: &str) -> DocMeta {
    DocMeta {
        doc_type: Some(DocType::Station),
        community: Some("c1".into()),
        station: Some(id.into()),
        ..DocMeta::default()
    }
}

#[test]
fn a_shared_station_tablet_reads_the_directory_and_writes_only_its_station() {
    let tablet = principal(Role::StationTablet, "tablet", &["A"]);
    let community = DocMeta {
        doc_type: Some(DocType::Community),
        community: Some("c1".into()),
        ..DocMeta::default()
    };
    assert_eq!(access(&tablet, &community), Access::ReadOnly);
    assert_eq!(access(&tablet, &station("A")), Access::Write);
    assert_eq!(access(&tablet, &station("B")), Access::Deny);
    assert_eq!(access(&tablet, &wish("A", true)), Access::Deny);
    assert_eq!(
        access(&tablet, &contact("A", "tablet", &["tablet"])),
        Access::Deny
    );
    let ledger = DocMeta {
        doc_type: Some(DocType::Ledger),
        community: Some("c1".into()),
        ..DocMeta::default()
    };
    assert_eq!(access(&tablet, &ledger), Access::Deny);
    assert!(!may_create(&tablet, &wish("A", false)));
    assert_eq!("station_tablet".parse::<Role>(), Ok(Role::StationTablet));
}

#[test]
fn members_and_partners_may_write_the_community_to_post_offers() {
    // The rule table lets them add their own offers only (`community.offers.post`).
    let community = DocMeta {
        doc_type: Some(DocType::Community),
        community: Some("c1".into()),
        ..DocMeta::default()
    };
    for role in [Role::Volunteer, Role::Partner] {
        assert_eq!(
            access(&principal(role, "p", &["A"]), &community),
            Access::Write
        );
    }
}
