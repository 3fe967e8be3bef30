//! 督办 (`wish.events.supervised`): the office covering the wish's community marks it for
//! follow-up; the station's coordinator and volunteers may not.

use automerge::Automerge;
use wish_client_core::model::{Channel, Urgency};
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;

use super::tests::{coordinator, principal, refused_by, review};
use crate::access::{Principal, Role};

fn open_wish() -> Automerge {
    let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
    let input = CollectWish {
        wish_id: "wish-1".into(),
        wish_doc: "wish-doc-1".into(),
        community: "community-1".into(),
        station: "station-1".into(),
        title: "独居老人需要上门问诊".into(),
        text: "希望有医生每周来看看血压".into(),
        suggested_module: None,
        channel: Channel::DoorToDoor,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::Urgent,
        capacity: 1,
        on_behalf: true,
        collected_by: "vol-1".into(),
        device: "tablet-1".into(),
        event_id: "ev-collected".into(),
        now_ms: 1_000,
        contact: None,
    };
    wish::collect_wish(&mut doc, &mut contact, input).expect("collect");
    doc
}

fn mark(who: &Principal) -> impl FnOnce(&mut Automerge) + '_ {
    move |doc| {
        let stamp = Stamp {
            id: "ev-dubban",
            by: &who.person,
            device: &who.device_id,
            now_ms: 90_000_000,
        };
        wish::supervise(doc, stamp, Some("已超期，请尽快回访")).expect("supervise");
    }
}

#[test]
fn the_office_covering_the_community_marks_a_wish_for_follow_up() {
    let doc = open_wish();
    let office = principal(Role::Office, "street-office", "dev-office", &[]);
    assert!(review(&doc, &office, mark(&office)).is_ok());
    let mut street = principal(Role::Office, "street-office", "dev-street", &[]);
    street.community = Some("community-0".into());
    street.covers = ["community-1".to_owned()].into();
    assert!(review(&doc, &street, mark(&street)).is_ok());
}

#[test]
fn coordinators_and_volunteers_may_not_mark_a_wish_for_follow_up() {
    let doc = open_wish();
    let coordinator = coordinator();
    refused_by(
        review(&doc, &coordinator, mark(&coordinator)),
        "wish.events.supervised",
    );
    let volunteer = principal(Role::Volunteer, "vol-1", "tablet-1", &["station-1"]);
    refused_by(
        review(&doc, &volunteer, mark(&volunteer)),
        "wish.events.supervised",
    );
    // An office of another community, were access to let it write, is not its office.
    let mut elsewhere = principal(Role::Office, "other-office", "dev-other", &[]);
    elsewhere.community = Some("community-2".into());
    refused_by(
        review(&doc, &elsewhere, mark(&elsewhere)),
        "wish.events.supervised",
    );
}
