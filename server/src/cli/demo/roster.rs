//! A week of duty rotation (轮值) per station: mornings and afternoons, plus the evening
//! hour (晚间一小时) at red stations; partner units take turns; past shifts have
//! check-ins and check-outs, a few shifts are uncovered.

use std::collections::BTreeMap;

use wish_client_core::model::{MemberKind, StationKind};
use wish_client_core::ops::station::{add_shift, check_in, check_out, NewShift};

use super::data::PEOPLE;
use super::directory::StationDoc;
use super::gen::Gen;
use crate::calendar as date;

/// `(start, end, note)` of a day's shifts.
const SLOTS: &[(&str, &str, &str)] = &[("09:00", "12:00", ""), ("14:30", "17:30", "")];
const EVENING: (&str, &str, &str) = ("19:00", "20:00", "晚间一小时");

/// Adds shifts from three days ago to three days ahead; returns how many.
pub fn build(g: &mut Gen, station: &mut StationDoc) -> anyhow::Result<usize> {
    let today = date::local_day(g.now_ms);
    let mut slots = SLOTS.to_vec();
    if station.data.kind == StationKind::RedStation {
        slots.push(EVENING);
    }
    let mut count = 0;
    for day in today - 3..=today + 3 {
        for (start, end, note) in &slots {
            let shift = shift(g, station, day, start, end, note);
            add_shift(&mut station.doc, &shift, g.now_ms - 7 * super::gen::DAY_MS)?;
            if day < today {
                check_ins(g, station, &shift, day)?;
            }
            count += 1;
        }
    }
    Ok(count)
}

fn shift(
    g: &mut Gen,
    station: &StationDoc,
    day: i64,
    start: &str,
    end: &str,
    note: &str,
) -> NewShift {
    let mut assignees = BTreeMap::new();
    if !g.chance(0.1) {
        let staff = station_staff(station.data.id);
        assignees.insert(g.pick(&staff).to_owned(), MemberKind::Person);
        if g.chance(0.4) {
            assignees.insert(station.data.duty_unit.to_owned(), MemberKind::Unit);
        }
    }
    NewShift {
        id: g.id(),
        date: date::date_string(day),
        start: start.into(),
        end: end.into(),
        assignees,
        note: note.into(),
    }
}

/// People who staff the station: its coordinator and volunteers.
fn station_staff(station: &str) -> Vec<&'static str> {
    PEOPLE
        .iter()
        .filter(|p| p.stations.contains(&station))
        .map(|p| p.id)
        .collect()
}

/// Most people on a past shift checked in a few minutes after it began and out at its end.
fn check_ins(
    g: &mut Gen,
    station: &mut StationDoc,
    shift: &NewShift,
    day: i64,
) -> anyhow::Result<()> {
    let hour = |hhmm: &str| {
        hhmm.get(..2)
            .and_then(|h| h.parse::<i64>().ok())
            .unwrap_or(9)
    };
    let begin = date::local_ms(day, hour(&shift.start));
    let finish = date::local_ms(day, hour(&shift.end));
    for (id, kind) in &shift.assignees {
        if *kind != MemberKind::Person || g.chance(0.15) {
            continue;
        }
        check_in(
            &mut station.doc,
            &shift.id,
            id,
            begin + g.int(0, 15) * 60_000,
        )?;
        if g.chance(0.85) {
            check_out(
                &mut station.doc,
                &shift.id,
                id,
                finish + g.int(0, 20) * 60_000,
            )?;
        }
    }
    Ok(())
}
