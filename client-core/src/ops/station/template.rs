//! The roster template (weekday × time slot) and building a week's shifts from it.
//!
//! A coordinator keeps the station's usual week as slots, e.g. 晚间一小时 19:00–20:00
//! Monday to Friday and 红色周末 09:00–11:00 on Saturday, then builds next week:
//! one uncovered shift per slot and weekday, which people or partner units then cover.
//! Building is idempotent: a shift with the same date, start and end is not added twice,
//! and shift ids are derived from them, so two coordinators building the same week
//! offline write the same shifts rather than duplicates.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ScalarValue, ROOT};

use super::calendar::{date, days, weekday};
use super::clock::check_time;
use super::shifts::{add_shift, NewShift};
use crate::model::station::TemplateSlot;
use crate::model::{DocType, StationView};
use crate::ops::write::{child_map, commit, ensure_writable, non_empty, put_fields, s};
use crate::ops::DomainError;

/// Adds or replaces a template slot. Refuses an empty id, weekdays outside 1–7 (or
/// none), malformed times and a slot that does not end after it starts.
pub fn set_template_slot(
    doc: &mut Automerge,
    slot: &TemplateSlot,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Station)?;
    non_empty("id", &slot.id)?;
    let weekdays = normalised_weekdays(&slot.weekdays)?;
    check_time(&slot.start)?;
    check_time(&slot.end)?;
    if slot.start >= slot.end {
        return Err(DomainError::InvalidShiftTimes);
    }
    commit(doc, now_ms, |tx| {
        let template = child_map(tx, &ROOT, "template")?;
        let obj = tx.put_object(&template, slot.id.as_str(), ObjType::Map)?;
        let fields = vec![
            ("start", s(&slot.start)),
            ("end", s(&slot.end)),
            ("note", s(&slot.note)),
        ];
        put_fields(tx, &obj, fields)?;
        let list = tx.put_object(&obj, "weekdays", ObjType::List)?;
        for (i, day) in weekdays.iter().enumerate() {
            tx.insert(&list, i, ScalarValue::Int(i64::from(*day)))?;
        }
        Ok(())
    })
}

/// Removes a slot from the template (shifts already built stay).
pub fn remove_template_slot(doc: &mut Automerge, id: &str, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Station)?;
    if !StationView::read(doc)?.template.contains_key(id) {
        return Err(DomainError::NotFound {
            what: "template slot",
            id: id.to_owned(),
        });
    }
    commit(doc, now_ms, |tx| {
        let template = child_map(tx, &ROOT, "template")?;
        tx.delete(&template, id)
    })
}

/// Builds the week starting on `monday` (`YYYY-MM-DD`) from the template: one shift per
/// slot and weekday, without assignees, skipping shifts the roster already has. Returns
/// the ids of the shifts added (empty when the week was already built). Refuses a date
/// that is not a Monday and an empty template.
pub fn build_week(
    doc: &mut Automerge,
    monday: &str,
    now_ms: u64,
) -> Result<Vec<String>, DomainError> {
    ensure_writable(doc, DocType::Station)?;
    let start = days(monday)?;
    if weekday(start) != 1 {
        return Err(DomainError::NotMonday(monday.to_owned()));
    }
    build_days(doc, start, start, now_ms)
}

/// Builds the rest of the current week from the template: the shifts of `today`
/// (`YYYY-MM-DD`, the station's local date) and the days after it up to Sunday, so a
/// station that starts mid-week can staff and sign in this week. Past days get no
/// shifts (they would only show as uncovered). Returns the ids of the shifts added.
pub fn build_rest_of_week(
    doc: &mut Automerge,
    today: &str,
    now_ms: u64,
) -> Result<Vec<String>, DomainError> {
    ensure_writable(doc, DocType::Station)?;
    let today = days(today)?;
    let monday = today + 1 - weekday(today);
    build_days(doc, monday, today, now_ms)
}

/// Adds the template's shifts of the week from `monday`, on days from `first` on.
fn build_days(
    doc: &mut Automerge,
    monday: i64,
    first: i64,
    now_ms: u64,
) -> Result<Vec<String>, DomainError> {
    let station = StationView::read(doc)?;
    if station.template.is_empty() {
        return Err(DomainError::EmptyField("template"));
    }
    let from = date(first);
    let shifts: Vec<NewShift> = week_shifts(&station, monday)
        .into_iter()
        .filter(|shift| shift.date >= from)
        .collect();
    for shift in &shifts {
        add_shift(doc, shift, now_ms)?;
    }
    Ok(shifts.into_iter().map(|s| s.id).collect())
}

/// The shifts the template gives for the week from day `monday`, minus those the roster
/// has, in date and time order.
fn week_shifts(station: &StationView, monday: i64) -> Vec<NewShift> {
    let mut out: Vec<NewShift> = Vec::new();
    for slot in station.template.values() {
        for day in &slot.weekdays {
            let shift = shift_of(slot, &date(monday + i64::from(*day) - 1));
            let exists = station.shifts.contains_key(&shift.id)
                || station.shifts.values().any(|s| same_time(s, &shift));
            if !exists && !out.iter().any(|s| s.id == shift.id) {
                out.push(shift);
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.start).cmp(&(&b.date, &b.start)));
    out
}

fn shift_of(slot: &TemplateSlot, date: &str) -> NewShift {
    NewShift {
        id: format!("{date}-{}-{}", slot.start, slot.end).replace(':', ""),
        date: date.to_owned(),
        start: slot.start.clone(),
        end: slot.end.clone(),
        assignees: BTreeMap::new(),
        note: slot.note.clone(),
    }
}

fn same_time(existing: &crate::model::station::Shift, new: &NewShift) -> bool {
    existing.date == new.date && existing.start == new.start && existing.end == new.end
}

/// Weekdays sorted and deduplicated; refuses none and values outside 1–7.
fn normalised_weekdays(weekdays: &[u8]) -> Result<Vec<u8>, DomainError> {
    if weekdays.is_empty() || weekdays.iter().any(|d| !(1..=7).contains(d)) {
        return Err(DomainError::InvalidWeekdays);
    }
    let mut out = weekdays.to_vec();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
