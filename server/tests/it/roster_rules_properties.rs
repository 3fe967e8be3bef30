//! Property tests of the write rules on a station's roster: random sequences of the
//! coordinator's operations (template, week building, assigning, 换班), check-ins by a
//! volunteer for themselves and by the station's shared tablet (驿站公用平板), and raw
//! writes the screens never make. Honest operations are never refused; hostile ones
//! always are; and every check-in that stands was written either by its own person or by
//! the shared tablet for a person on that shift, naming the tablet.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use proptest::prelude::*;
use wish_client_core::model::community::{Person, StationRef};
use wish_client_core::model::station::TemplateSlot;
use wish_client_core::model::{CommunityView, MemberKind, Role as Kind, StationKind, StationView};
use wish_client_core::ops::community::{self, NewCommunity};
use wish_client_core::ops::station::{self, NewStation};
use wish_server::access::{DocMeta, Principal, Role};
use wish_server::rules::{check, ChangeUnderReview};

const PEOPLE: usize = 4;
const TABLET: &str = "d-tablet";

fn principal(role: Role, person: &str, device: &str, station: &str) -> Principal {
    Principal {
        device_id: device.into(),
        role,
        person: person.into(),
        community: Some("c1".into()),
        stations: [station.to_owned()].into_iter().collect(),
        covers: Default::default(),
    }
}

fn coordinator() -> Principal {
    principal(Role::Coordinator, "coord", "d-coord", "s1")
}
fn tablet() -> Principal {
    principal(Role::StationTablet, "tablet", TABLET, "s1")
}
fn volunteer(n: usize) -> Principal {
    principal(Role::Volunteer, &format!("p{n}"), &format!("d{n}"), "s1")
}

#[derive(Debug, Clone)]
enum Step {
    Slot(u8, u8),
    BuildWeek(u8),
    Assign(usize, usize),
    Exchange(usize, usize),
    TabletCheckIn(usize, usize),
    OwnCheckIn(usize, usize),
    TabletCheckOut(usize, usize),
    // Hostile raw writes.
    TabletCheckInAnyone(usize, usize),
    VolunteerChecksInOther(usize, usize),
    VolunteerAssigns(usize, usize),
    OtherCoordinatorAssigns(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    let (shift, who) = (0..8usize, 0..PEOPLE);
    prop_oneof![
        1 => (1..8u8, 7..21u8).prop_map(|(d, h)| Step::Slot(d, h)),
        1 => (0..3u8).prop_map(Step::BuildWeek),
        4 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::Assign(s, p)),
        3 => (shift.clone(), shift.clone()).prop_map(|(a, b)| Step::Exchange(a, b)),
        3 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::TabletCheckIn(s, p)),
        2 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::OwnCheckIn(s, p)),
        2 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::TabletCheckOut(s, p)),
        1 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::TabletCheckInAnyone(s, p)),
        1 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::VolunteerChecksInOther(s, p)),
        1 => (shift.clone(), who.clone()).prop_map(|(s, p)| Step::VolunteerAssigns(s, p)),
        1 => (shift, who).prop_map(|(s, p)| Step::OtherCoordinatorAssigns(s, p)),
    ]
}

fn directory() -> CommunityView {
    let mut doc = Automerge::new();
    let new = NewCommunity {
        id: "c1".into(),
        name: "幸福社区".into(),
        district: "南山区".into(),
    };
    community::create_community(&mut doc, &new, 1).expect("community");
    let station = StationRef {
        name: "中心驿站".into(),
        kind: StationKind::RedStation,
        doc: "station-doc".into(),
    };
    community::add_station(&mut doc, "s1", &station, 1).expect("station");
    for n in 0..PEOPLE {
        let person = Person {
            id: format!("p{n}"),
            name: format!("志愿者{n}"),
            role: Kind::Volunteer,
            modules: vec![],
            skills: vec![],
            party_member: false,
            unit: None,
            stations: vec!["s1".into()],
            left_at: None,
        };
        community::add_person(&mut doc, &person, 1).expect("person");
    }
    CommunityView::read(&doc).expect("read")
}

fn station_doc() -> Automerge {
    let mut doc = Automerge::new();
    let new = NewStation {
        id: "s1".into(),
        community: "c1".into(),
        name: "中心驿站".into(),
        kind: StationKind::RedStation,
        address: "幸福路1号".into(),
    };
    station::create_station(&mut doc, &new, 1).expect("station");
    // Start from a built week so that staffing and check-ins happen early in a sequence.
    let evening = TemplateSlot {
        id: "evening".into(),
        weekdays: vec![1, 2, 3, 4, 5],
        start: "19:00".into(),
        end: "20:00".into(),
        note: "晚间一小时".into(),
    };
    station::set_template_slot(&mut doc, &evening, 1).expect("template");
    station::build_week(&mut doc, "2026-11-23", 1).expect("week");
    doc
}

/// The id of the `n`th shift (mod the roster's size), if any.
fn shift_at(doc: &Automerge, n: usize) -> Option<String> {
    let view = StationView::read(doc).ok()?;
    let ids: Vec<&String> = view.shifts.keys().collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()].clone())
}

/// The `n`th (mod their number) person on duty: checked in, not yet out.
fn on_duty(doc: &Automerge, n: usize) -> Option<(String, String)> {
    let view = StationView::read(doc).ok()?;
    let pairs: Vec<(String, String)> = view
        .shifts
        .values()
        .flat_map(|s| {
            s.checkins
                .iter()
                .filter(|(_, c)| c.check_out.is_none())
                .map(|(p, _)| (s.id.clone(), p.clone()))
        })
        .collect();
    (!pairs.is_empty()).then(|| pairs[n % pairs.len()].clone())
}

/// The person assignees of a shift, sorted.
fn people_on(doc: &Automerge, shift: &str) -> Vec<String> {
    StationView::read(doc)
        .ok()
        .and_then(|v| v.shifts.get(shift).cloned())
        .map(|s| {
            s.assignees
                .into_iter()
                .filter(|(_, k)| *k == MemberKind::Person)
                .map(|(p, _)| p)
                .collect()
        })
        .unwrap_or_default()
}

/// What a step does to a fork: `None` when the domain operation refuses or has nothing
/// to act on, else the writer, whether the step is honest, and the fork.
fn perform(
    doc: &Automerge,
    dir: &CommunityView,
    step: &Step,
    at: u64,
) -> Option<(Principal, bool, Automerge)> {
    let mut fork = doc.fork();
    let p = |n: usize| format!("p{n}");
    let honest = |who: Principal, ok: bool| ok.then_some((who, true));
    let (writer, honest) = match step {
        Step::Slot(day, hour) => {
            let slot = TemplateSlot {
                id: format!("slot{hour}"),
                weekdays: vec![*day],
                start: format!("{hour:02}:00"),
                end: format!("{hour:02}:30"),
                note: String::new(),
            };
            honest(
                coordinator(),
                station::set_template_slot(&mut fork, &slot, at).is_ok(),
            )?
        }
        Step::BuildWeek(week) => {
            let monday = ["2026-11-30", "2026-12-07", "2026-12-14"][usize::from(*week)];
            honest(
                coordinator(),
                station::build_week(&mut fork, monday, at).is_ok_and(|s| !s.is_empty()),
            )?
        }
        Step::Assign(s, n) => {
            let shift = shift_at(doc, *s)?;
            let ok =
                station::assign_to_shift(&mut fork, dir, &shift, &p(*n), MemberKind::Person, at)
                    .is_ok();
            honest(coordinator(), ok)?
        }
        Step::Exchange(a, b) => {
            let (sa, sb) = (shift_at(doc, *a)?, shift_at(doc, *b)?);
            let (pa, pb) = (
                people_on(doc, &sa).first()?.clone(),
                people_on(doc, &sb).first()?.clone(),
            );
            honest(
                coordinator(),
                station::exchange(&mut fork, (&sa, &pa), (&sb, &pb), at).is_ok(),
            )?
        }
        Step::TabletCheckIn(s, n) => {
            let shift = shift_at(doc, *s)?;
            honest(
                tablet(),
                station::check_in_on_duty(&mut fork, &shift, &p(*n), TABLET, at).is_ok(),
            )?
        }
        Step::OwnCheckIn(s, n) => {
            let shift = shift_at(doc, *s)?;
            honest(
                volunteer(*n),
                station::check_in(&mut fork, &shift, &p(*n), at).is_ok(),
            )?
        }
        Step::TabletCheckOut(s, n) => {
            let (shift, person) = on_duty(doc, s + n)?;
            honest(
                tablet(),
                station::check_out(&mut fork, &shift, &person, at).is_ok(),
            )?
        }
        Step::TabletCheckInAnyone(s, n) => {
            let shift = shift_at(doc, *s)?;
            if people_on(doc, &shift).contains(&p(*n)) {
                return None; // that one would be honest
            }
            raw_checkin(&mut fork, &shift, &p(*n), TABLET)?;
            (tablet(), false)
        }
        Step::VolunteerChecksInOther(s, n) => {
            let shift = shift_at(doc, *s)?;
            let writer = volunteer((*n + 1) % PEOPLE);
            raw_checkin(&mut fork, &shift, &p(*n), &writer.device_id)?;
            (writer, false)
        }
        Step::VolunteerAssigns(s, n) => {
            let shift = shift_at(doc, *s)?;
            station::cover(&mut fork, &shift, &p(*n), MemberKind::Person, at).ok()?;
            (volunteer(*n), false)
        }
        Step::OtherCoordinatorAssigns(s, n) => {
            let shift = shift_at(doc, *s)?;
            station::cover(&mut fork, &shift, &p(*n), MemberKind::Person, at).ok()?;
            (
                principal(Role::Coordinator, "coord2", "d-coord2", "s2"),
                false,
            )
        }
    };
    Some((writer, honest, fork))
}

/// A raw check-in (a new entry only: rewriting an existing one is another attack).
fn raw_checkin(doc: &mut Automerge, shift: &str, person: &str, device: &str) -> Option<()> {
    let (_, shifts) = doc.get(ROOT, "shifts").ok()??;
    let (_, obj) = doc.get(&shifts, shift).ok()??;
    let (_, checkins) = doc.get(&obj, "checkins").ok()??;
    if doc.get(&checkins, person).ok()?.is_some() {
        return None;
    }
    let mut tx = doc.transaction();
    let entry = tx.put_object(&checkins, person, ObjType::Map).ok()?;
    tx.put(&entry, "in", 5_i64).ok()?;
    tx.put(&entry, "device", device).ok()?;
    tx.commit();
    Some(())
}

/// Every check-in that stands names a person who was on its shift when it was added.
fn assert_checkins_on_shift(before: &Automerge, after: &Automerge) {
    let (Ok(old), Ok(new)) = (StationView::read(before), StationView::read(after)) else {
        return;
    };
    for (id, shift) in &new.shifts {
        let old_checkins = old
            .shifts
            .get(id)
            .map(|s| s.checkins.clone())
            .unwrap_or_default();
        for person in shift
            .checkins
            .keys()
            .filter(|p| !old_checkins.contains_key(*p))
        {
            assert!(
                shift.assignees.contains_key(person),
                "{person} checked in off the shift {id}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn honest_roster_operations_pass_and_hostile_ones_are_refused(steps in prop::collection::vec(step(), 1..32)) {
        let dir = directory();
        let mut doc = station_doc();
        for (i, step) in steps.iter().enumerate() {
            let at = 2_000 + i as u64;
            let Some((writer, honest, after)) = perform(&doc, &dir, step, at) else { continue };
            let before = doc.get_heads();
            let patches = after.diff(&before, &after.get_heads());
            let meta = DocMeta::of(&after);
            let verdict = check(&ChangeUnderReview { writer: &writer, meta: &meta, doc: &after, before: &before, patches: &patches, wish: None, root: None, writer_unit: None });
            if honest {
                prop_assert!(verdict.is_ok(), "honest {step:?} by {} refused: {verdict:?}", writer.person);
                assert_checkins_on_shift(&doc, &after);
                doc = after;
            } else {
                prop_assert!(verdict.is_err(), "hostile {step:?} by {} accepted", writer.person);
            }
        }
    }
}
