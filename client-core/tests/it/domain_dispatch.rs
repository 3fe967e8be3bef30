//! 派单 and 我的任务: ranking candidates for a wish, dispatching to one (claim and
//! assignment in one change), claims as a group, and a person's task list.

use crate::domain_common as common;

use automerge::Automerge;
use common::*;
use wish_client_core::model::community::{Offer, Person, StationRef, Unit};
use wish_client_core::model::due::{due_at, DAY_MS};
use wish_client_core::model::matching::{load_of, Reason};
use wish_client_core::model::tasks::badge_count;
use wish_client_core::model::{
    my_tasks, suggest_claimants, ClaimKind, CommunityView, MemberKind, Module, NextStep, Role,
    StationKind, WishStatus,
};
use wish_client_core::ops::community;
use wish_client_core::ops::wish::{self, NewClaim};
use wish_client_core::ops::DomainError;

fn person(
    id: &str,
    name: &str,
    role: Role,
    modules: &[Module],
    skills: &[&str],
    station: &str,
) -> Person {
    Person {
        id: id.into(),
        name: name.into(),
        role,
        modules: modules.to_vec(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        party_member: false,
        unit: None,
        stations: vec![station.into()],
        left_at: None,
    }
}

/// 张医生 (medical, 血压, this station), 李医生 (medical, another station), 小王 (IT),
/// the coordinator, and a hospital unit offering 问诊.
fn directory() -> CommunityView {
    let mut doc = Automerge::new();
    let new = community::NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    for station in ["station-1", "station-2"] {
        let place = StationRef {
            name: station.into(),
            kind: StationKind::Station,
            doc: format!("{station}-doc"),
        };
        community::add_station(&mut doc, station, &place, 1).expect("station");
    }
    for p in [
        person(
            "zhang",
            "张医生",
            Role::Expert,
            &[Module::Medical],
            &["血压"],
            "station-1",
        ),
        person(
            "li",
            "李医生",
            Role::Expert,
            &[Module::Medical],
            &[],
            "station-2",
        ),
        person(
            "wang",
            "小王",
            Role::Member,
            &[Module::Comprehensive],
            &["路由器"],
            "station-1",
        ),
        person(
            "coord-1",
            "陈社工",
            Role::Coordinator,
            &[Module::Medical],
            &["血压"],
            "station-1",
        ),
    ] {
        community::add_person(&mut doc, &p, 2).expect("person");
    }
    let unit = Unit {
        id: "hospital".into(),
        name: "社区医院".into(),
        kind: "hospital".into(),
        contact_person: "赵院长".into(),
    };
    community::add_unit(&mut doc, &unit, 3).expect("unit");
    let offer = Offer {
        id: "o-visit".into(),
        title: "上门问诊".into(),
        module: Module::Medical,
        skills: vec!["问诊".into()],
        provider: "hospital".into(),
        provider_kind: MemberKind::Unit,
        capacity: 2,
        active: true,
    };
    community::add_offer(&mut doc, &offer, 4).expect("offer");
    CommunityView::read(&doc).expect("read")
}

#[test]
fn suggestions_rank_by_fit_then_load_with_reasons() {
    let wish = view(&published(1));
    let got = suggest_claimants(&wish, &directory(), &[]);
    let ids: Vec<_> = got.iter().map(|s| (s.id.as_str(), s.score)).collect();
    // zhang: module 2 + 血压 1 + station 1; hospital: module 2 + 问诊 1 + offer 1;
    // li: module 2. The coordinator and 小王 (no fit) are left out.
    assert_eq!(
        ids,
        [("zhang", 4), ("hospital", 4), ("li", 2)],
        "ties by name"
    );
    let zhang = &got[0];
    assert_eq!(zhang.kind, ClaimKind::Person);
    assert!(zhang.reasons.contains(&Reason::Module {
        module: Module::Medical
    }));
    assert!(zhang.reasons.contains(&Reason::Skill {
        skill: "血压".into()
    }));
    assert!(zhang.reasons.contains(&Reason::Station {
        station: "station-1".into()
    }));
    assert_eq!(got[1].kind, ClaimKind::Unit);
}

#[test]
fn a_busier_candidate_ranks_after_an_equal_one() {
    let busy = {
        let mut doc = published(1);
        claim(&mut doc, "c9", "hospital", 3_500);
        view(&doc)
    };
    assert_eq!(load_of("hospital", std::slice::from_ref(&busy)), 1);
    let wish = view(&published(1));
    let got = suggest_claimants(&wish, &directory(), &[busy]);
    let ids: Vec<_> = got.iter().map(|s| (s.id.as_str(), s.load)).collect();
    assert_eq!(ids, [("zhang", 0), ("hospital", 1), ("li", 0)]);
}

#[test]
fn claimants_already_on_the_wish_and_full_wishes_get_no_suggestions() {
    let mut doc = published(2);
    claim(&mut doc, "c1", "zhang", 4_000);
    let got = suggest_claimants(&view(&doc), &directory(), &[]);
    assert!(got.iter().all(|s| s.id != "zhang"));
    wish::assign(&mut doc, "c1", "server", true, 4_100).expect("assign");
    claim(&mut doc, "c2", "li", 4_200);
    wish::assign(&mut doc, "c2", "server", true, 4_300).expect("assign");
    assert!(suggest_claimants(&view(&doc), &directory(), &[]).is_empty());
}

#[test]
fn dispatch_claims_and_assigns_in_one_change() {
    let mut doc = published(1);
    let heads = doc.get_heads();
    wish::dispatch(
        &mut doc,
        st("d1", "coord-1", 4_000),
        ClaimKind::Person,
        "zhang",
        Some("张医生擅长"),
    )
    .expect("dispatch");
    assert_eq!(doc.get_changes(&heads).len(), 1, "one change");
    let w = view(&doc);
    let c = w.claim("d1").expect("claim");
    assert!(c.dispatched);
    assert_eq!((c.claimant.as_str(), c.by.as_str()), ("zhang", "coord-1"));
    let a = &w.assigned["d1"];
    assert_eq!((a.by.as_str(), a.by_server), ("coord-1", false));
    assert_eq!(w.status(), WishStatus::Assigned);
}

#[test]
fn dispatch_is_refused_when_full_twice_or_to_a_group() {
    let mut doc = assigned(1);
    let err = wish::dispatch(
        &mut doc,
        st("d1", "coord-1", 6_000),
        ClaimKind::Person,
        "zhang",
        None,
    );
    assert!(matches!(err, Err(DomainError::CapacityFull(1))), "{err:?}");
    let mut doc = published(2);
    wish::dispatch(
        &mut doc,
        st("d1", "coord-1", 4_000),
        ClaimKind::Person,
        "zhang",
        None,
    )
    .expect("first");
    let err = wish::dispatch(
        &mut doc,
        st("d2", "coord-1", 4_100),
        ClaimKind::Person,
        "zhang",
        None,
    );
    assert!(
        matches!(err, Err(DomainError::DuplicateClaim(_))),
        "{err:?}"
    );
    let err = wish::dispatch(
        &mut doc,
        st("d3", "coord-1", 4_200),
        ClaimKind::Group,
        "li",
        None,
    );
    assert!(
        matches!(err, Err(DomainError::InvalidMembers(_))),
        "{err:?}"
    );
}

#[test]
fn a_group_claim_lists_its_members() {
    let mut doc = published(3);
    let members = vec!["wang".to_owned(), "li".to_owned()];
    let new = NewClaim {
        kind: ClaimKind::Group,
        claimant: "wang",
        note: None,
        members: &members,
        dispatched: false,
        offer: None,
    };
    wish::claim_as(&mut doc, st("g1", "wang", 4_000), &new).expect("group");
    assert_eq!(view(&doc).claim("g1").expect("claim").members, members);
    let only_lead = vec!["zhang".to_owned()];
    let alone = NewClaim {
        members: &only_lead,
        ..new.clone()
    };
    let err = wish::claim_as(
        &mut doc,
        st("g2", "zhang", 4_000),
        &NewClaim {
            claimant: "zhang",
            ..alone
        },
    );
    assert!(
        matches!(err, Err(DomainError::InvalidMembers(_))),
        "{err:?}"
    );
    let err = wish::claim_as(
        &mut doc,
        st("g3", "zhang", 4_000),
        &NewClaim {
            kind: ClaimKind::Person,
            claimant: "zhang",
            ..new
        },
    );
    assert!(
        matches!(err, Err(DomainError::InvalidMembers(_))),
        "{err:?}"
    );
}

#[test]
fn my_tasks_follow_the_claim_through_its_steps() {
    let mut doc = published(2);
    wish::dispatch(
        &mut doc,
        st("d1", "coord-1", 4_000),
        ClaimKind::Person,
        "zhang",
        None,
    )
    .expect("dispatch");
    let now = 5_000;
    let tasks = my_tasks(&[view(&doc)], "zhang", None, now);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!((t.next, t.needs_me), (NextStep::Start, true));
    assert_eq!(t.dispatched_by.as_deref(), Some("coord-1"));
    assert_eq!(
        t.due_at,
        3_000 + 7 * DAY_MS,
        "high urgency: 7 days from publication"
    );
    assert_eq!(t.due_at, due_at(&view(&doc)));
    assert!(!t.overdue);
    assert!(my_tasks(&[view(&doc)], "zhang", None, 3_000 + 8 * DAY_MS)[0].overdue);
    wish::start(&mut doc, st("e1", "zhang", 6_000)).expect("start");
    assert_eq!(
        my_tasks(&[view(&doc)], "zhang", None, now)[0].next,
        NextStep::Resolve
    );
    wish::resolve(&mut doc, st("e2", "zhang", 7_000), "d1", 1.5, None).expect("resolve");
    let tasks = my_tasks(&[view(&doc)], "zhang", None, now);
    assert_eq!(
        (tasks[0].next, badge_count(&tasks)),
        (NextStep::AwaitConfirmation, 0)
    );
    assert!(my_tasks(&[view(&doc)], "li", None, now).is_empty());
}

#[test]
fn unit_and_group_tasks_reach_their_people() {
    let mut doc = published(3);
    wish::dispatch(
        &mut doc,
        st("d1", "coord-1", 4_000),
        ClaimKind::Unit,
        "hospital",
        None,
    )
    .expect("unit");
    let members = vec!["wang".to_owned(), "li".to_owned()];
    let group = NewClaim {
        kind: ClaimKind::Group,
        claimant: "wang",
        note: None,
        members: &members,
        dispatched: false,
        offer: None,
    };
    wish::claim_as(&mut doc, st("g1", "wang", 4_100), &group).expect("group");
    let wishes = [view(&doc)];
    let unit_tasks = my_tasks(&wishes, "zhao", Some("hospital"), 5_000);
    assert_eq!(unit_tasks.len(), 1);
    assert_eq!(unit_tasks[0].next, NextStep::Start);
    let member_tasks = my_tasks(&wishes, "li", None, 5_000);
    assert_eq!(
        (member_tasks.len(), member_tasks[0].next),
        (1, NextStep::AwaitAssignment)
    );
    assert_eq!(badge_count(&member_tasks), 0);
}

fn directory_doc() -> Automerge {
    let mut doc = Automerge::new();
    let new = community::NewCommunity {
        id: "community-1".into(),
        name: "幸福社区".into(),
        district: "南山".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let station = StationRef {
        name: "中心".into(),
        kind: StationKind::Station,
        doc: "s-doc".into(),
    };
    community::add_station(&mut doc, "station-1", &station, 1).expect("station");
    let lead = person(
        "zhang",
        "张医生",
        Role::Expert,
        &[Module::Medical],
        &[],
        "station-1",
    );
    community::add_person(&mut doc, &lead, 2).expect("person");
    let offer = Offer {
        id: "o1".into(),
        title: "上门问诊".into(),
        module: Module::Medical,
        skills: vec![],
        provider: "zhang".into(),
        provider_kind: MemberKind::Person,
        capacity: 2,
        active: true,
    };
    community::add_offer(&mut doc, &offer, 3).expect("offer");
    let project = wish_client_core::model::community::Project {
        id: "pr1".into(),
        title: "独居老人健康随访".into(),
        module: Module::Medical,
        status: wish_client_core::model::ProjectStatus::Planned,
        lead: "zhang".into(),
        created_at: 3,
    };
    community::add_project(&mut doc, &project, 3).expect("project");
    doc
}

#[test]
fn offers_retire_and_projects_only_move_forward() {
    use wish_client_core::model::ProjectStatus::{Done, Planned, Running};
    let mut doc = directory_doc();
    community::set_offer_active(&mut doc, "o1", false, 4).expect("retire");
    let view = CommunityView::read(&doc).expect("read");
    assert!(!view.offers["o1"].active);
    let again = community::set_offer_active(&mut doc, "o1", false, 5);
    assert!(
        matches!(again, Err(DomainError::NothingToChange)),
        "{again:?}"
    );
    community::advance_project(&mut doc, "pr1", Running, 6).expect("start");
    let back = community::advance_project(&mut doc, "pr1", Planned, 7);
    assert!(
        matches!(back, Err(DomainError::ProjectBackwards)),
        "{back:?}"
    );
    community::advance_project(&mut doc, "pr1", Done, 8).expect("finish");
    assert_eq!(
        CommunityView::read(&doc).expect("read").projects["pr1"].status,
        Done
    );
}

#[test]
fn a_wish_is_booked_against_an_offer_and_linked_to_a_project() {
    let directory = CommunityView::read(&directory_doc()).expect("read");
    let offer = directory.offers["o1"].clone();
    let mut doc = published(1);
    wish::book_offer(&mut doc, st("b1", "coord-1", 4_000), &offer).expect("book");
    let w = view(&doc);
    let claim = w.claim("b1").expect("claim");
    assert_eq!(
        (claim.claimant.as_str(), claim.offer.as_deref()),
        ("zhang", Some("o1"))
    );
    assert!(claim.dispatched && w.assigned.contains_key("b1"));
    wish::link_project(&mut doc, "pr1", 4_100).expect("link");
    assert_eq!(view(&doc).project.as_deref(), Some("pr1"));
    let mut closed = published(1);
    let withdrawn = wish_client_core::model::CloseReason::Withdrawn;
    wish::close(&mut closed, st("c1", "coord-1", 4_000), withdrawn, None).expect("close");
    let err = wish::link_project(&mut closed, "pr1", 4_100);
    assert!(matches!(err, Err(DomainError::WishClosed)), "{err:?}");
    let retired = Offer {
        active: false,
        ..offer
    };
    let err = wish::book_offer(&mut published(1), st("b2", "coord-1", 4_000), &retired);
    assert!(matches!(err, Err(DomainError::OfferRetired(_))), "{err:?}");
}
