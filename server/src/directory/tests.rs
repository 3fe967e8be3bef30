use super::*;
use crate::storage::RedbStore;

fn directory() -> Directory {
    Directory::load("boot", Arc::new(RedbStore::in_memory().unwrap())).unwrap()
}

fn volunteer_code(d: &Directory, now: u64) -> String {
    let request = NewEnrollment {
        covers: Vec::new(),
        role: Role::Volunteer,
        person: "p-li".into(),
        community: "c1".into(),
        stations: vec!["A".into()],
        expires_in_minutes: Some(10),
        token_days: Some(1),
        created_by: "test".into(),
    };
    d.create_enrollment(request, now).unwrap().0
}

#[test]
fn a_code_is_redeemed_once_for_a_token_bound_to_role_person_and_stations() {
    let d = directory();
    let code = volunteer_code(&d, 1_000);
    let (token, device) = d
        .redeem(&code.to_lowercase().replace('-', " "), "tablet", 2_000)
        .unwrap();
    let who = d.authenticate(Some(&token), 3_000).unwrap();
    assert_eq!((who.role, who.person.as_str()), (Role::Volunteer, "p-li"));
    assert!(who.stations.contains("A"));
    assert_eq!(who.device_id, device.device_id);
    assert!(matches!(
        d.redeem(&code, "again", 2_500),
        Err(DirectoryError::UnknownCode)
    ));
}

#[test]
fn expired_codes_expired_tokens_and_revoked_devices_are_refused() {
    let d = directory();
    let code = volunteer_code(&d, 0);
    assert!(matches!(
        d.redeem(&code, "late", 11 * 60_000),
        Err(DirectoryError::CodeExpired)
    ));
    let code = volunteer_code(&d, 0);
    let (token, device) = d.redeem(&code, "tablet", 0).unwrap();
    assert_eq!(
        d.authenticate(Some(&token), 86_400_000 + 1),
        Err(AuthError::Expired)
    );
    d.revoke(&device.device_id).unwrap();
    assert_eq!(d.authenticate(Some(&token), 1), Err(AuthError::Revoked));
    assert_eq!(d.authenticate(Some("nope"), 1), Err(AuthError::Unknown));
    assert_eq!(d.authenticate(None, 1), Err(AuthError::Missing));
    assert_eq!(
        d.authenticate(Some("boot"), 1).unwrap().role,
        Role::Administrator
    );
}

#[test]
fn code_and_token_lifetimes_are_bounded() {
    let d = directory();
    let mut request = NewEnrollment {
        covers: Vec::new(),
        role: Role::Volunteer,
        person: "p-li".into(),
        community: "c1".into(),
        stations: vec!["A".into()],
        expires_in_minutes: Some(MAX_CODE_MINUTES + 1),
        token_days: None,
        created_by: "test".into(),
    };
    assert!(matches!(
        d.create_enrollment(request.clone(), 0),
        Err(DirectoryError::Invalid(_))
    ));
    request.expires_in_minutes = Some(MAX_CODE_MINUTES);
    request.token_days = Some(MAX_TOKEN_DAYS + 1);
    assert!(matches!(
        d.create_enrollment(request.clone(), 0),
        Err(DirectoryError::Invalid(_))
    ));
    request.token_days = Some(MAX_TOKEN_DAYS);
    assert!(d.create_enrollment(request, 0).is_ok());
}

#[test]
fn the_administrator_role_cannot_be_enrolled_or_parsed() {
    let d = directory();
    let request = NewEnrollment {
        covers: Vec::new(),
        role: Role::Administrator,
        person: "p-li".into(),
        community: "c1".into(),
        stations: vec!["A".into()],
        expires_in_minutes: None,
        token_days: None,
        created_by: "test".into(),
    };
    assert!(matches!(
        d.create_enrollment(request, 0),
        Err(DirectoryError::Invalid(_))
    ));
    assert!("administrator".parse::<Role>().is_err());
}

#[test]
fn concurrent_redeems_of_one_code_enroll_one_device() {
    let d = Arc::new(directory());
    let code = volunteer_code(&d, 0);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (d, code) = (d.clone(), code.clone());
            std::thread::spawn(move || d.redeem(&code, &format!("tablet {i}"), 1).is_ok())
        })
        .collect();
    let won = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|ok| *ok)
        .count();
    assert_eq!(won, 1);
    assert_eq!(d.devices().len(), 1);
}

#[test]
fn a_shared_station_tablet_is_enrolled_for_exactly_one_station() {
    let d = directory();
    let request = |stations: &[&str]| NewEnrollment {
        covers: Vec::new(),
        role: Role::StationTablet,
        person: "tablet-A".into(),
        community: "c1".into(),
        stations: stations.iter().map(|s| s.to_string()).collect(),
        expires_in_minutes: Some(10),
        token_days: Some(1),
        created_by: "test".into(),
    };
    assert!(d.create_enrollment(request(&[]), 1_000).is_err());
    assert!(d.create_enrollment(request(&["A", "B"]), 1_000).is_err());
    let (code, _) = d.create_enrollment(request(&["A"]), 1_000).unwrap();
    let (token, _) = d.redeem(&code, "驿站公用平板", 2_000).unwrap();
    let who = d.authenticate(Some(&token), 3_000).unwrap();
    assert_eq!(who.role, Role::StationTablet);
}

#[test]
fn an_added_cover_is_the_devices_own_and_survives_a_reload() {
    let storage: Arc<dyn crate::storage::Storage> = Arc::new(RedbStore::in_memory().unwrap());
    let d = Directory::load("boot", storage.clone()).unwrap();
    let request = NewEnrollment {
        covers: Vec::new(),
        role: Role::Office,
        person: "p-wang".into(),
        community: "c1".into(),
        stations: Vec::new(),
        expires_in_minutes: Some(10),
        token_days: Some(1),
        created_by: "test".into(),
    };
    let (code, _) = d.create_enrollment(request, 0).unwrap();
    let (token, device) = d.redeem(&code, "office", 0).unwrap();
    let (other_token, _) = d.redeem(&volunteer_code(&d, 0), "tablet", 0).unwrap();
    d.add_cover(&device.device_id, "c2").unwrap();
    assert!(d
        .authenticate(Some(&token), 1)
        .unwrap()
        .in_community(Some("c2")));
    assert!(!d
        .authenticate(Some(&other_token), 1)
        .unwrap()
        .in_community(Some("c2")));
    let reloaded = Directory::load("boot", storage).unwrap();
    let who = reloaded.authenticate(Some(&token), 1).unwrap();
    assert_eq!(who.communities().collect::<Vec<_>>(), ["c1", "c2"]);
}

/// Two processes on one store: each has its own directory cache; a device enrolled or
/// revoked through one is seen by the other once it refreshes the record a notice names.
#[test]
fn another_processs_enrollment_and_revocation_are_seen_after_a_refresh() {
    let store: Arc<dyn Storage> = Arc::new(RedbStore::in_memory().unwrap());
    let (here, there) = (
        Directory::load("boot", store.clone()).unwrap(),
        Directory::load("boot", store.clone()).unwrap(),
    );
    let code = volunteer_code(&here, 0);
    let (token, device) = here.redeem(&code, "tablet", 0).unwrap();
    assert_eq!(there.authenticate(Some(&token), 1), Err(AuthError::Unknown));
    let hash = sha256_hex(&token);
    there.refresh(&hash).unwrap();
    assert!(there.authenticate(Some(&token), 1).is_ok());
    assert!(matches!(
        there.redeem(&code, "second tablet", 1),
        Err(DirectoryError::UnknownCode)
    ));
    here.revoke(&device.device_id).unwrap();
    let seen = there.refresh(&hash).unwrap().unwrap();
    assert!(seen.revoked);
    assert_eq!(there.authenticate(Some(&token), 2), Err(AuthError::Revoked));
}
