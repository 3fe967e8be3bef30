//! The directory: stations, people and partner units.

use automerge::{Automerge, ScalarValue, ROOT};

use crate::model::community::{Person, StationRef, Unit};
use crate::model::{CommunityView, DocType};
use crate::ops::write::{
    commit, ensure_writable, new_id, non_empty, opt_s, put_entry, put_str_list, s,
};
use crate::ops::DomainError;

/// Lists a station (created with [`crate::ops::station::create_station`]) under `id`.
pub fn add_station(
    doc: &mut Automerge,
    id: &str,
    station: &StationRef,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "stations", id)?;
    non_empty("name", &station.name)?;
    non_empty("doc", &station.doc)?;
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("name", s(&station.name)),
            ("kind", s(station.kind.as_str())),
            ("doc", s(&station.doc)),
        ];
        put_entry(tx, &ROOT, "stations", id, fields).map(|_| ())
    })
}

/// Enrols a volunteer, member, expert or coordinator. Refuses a unit or station that is
/// not in the community. `left_at` is not written (a new person is active).
pub fn add_person(doc: &mut Automerge, person: &Person, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "people", &person.id)?;
    non_empty("name", &person.name)?;
    check_references(&CommunityView::read(doc)?, person)?;
    let modules: Vec<String> = person.modules.iter().map(|m| m.to_string()).collect();
    let unit = opt_s(person.unit.as_deref()).unwrap_or(ScalarValue::Null);
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&person.id)),
            ("name", s(&person.name)),
            ("role", s(person.role.as_str())),
            ("party_member", Some(person.party_member.into())),
            ("unit", Some(unit)),
        ];
        let obj = put_entry(tx, &ROOT, "people", &person.id, fields)?;
        put_str_list(tx, &obj, "modules", &modules)?;
        put_str_list(tx, &obj, "skills", &person.skills)?;
        put_str_list(tx, &obj, "stations", &person.stations)
    })
}

/// Refuses a person whose unit or stations are not in the community.
pub(crate) fn check_references(
    community: &CommunityView,
    person: &Person,
) -> Result<(), DomainError> {
    if let Some(unit) = &person.unit {
        if !community.units.contains_key(unit) {
            return Err(not_found("unit", unit));
        }
    }
    match person
        .stations
        .iter()
        .find(|s| !community.stations.contains_key(*s))
    {
        Some(station) => Err(not_found("station", station)),
        None => Ok(()),
    }
}

/// Adds a partner unit (驻区单位 / 共建单位).
pub fn add_unit(doc: &mut Automerge, unit: &Unit, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "units", &unit.id)?;
    non_empty("name", &unit.name)?;
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&unit.id)),
            ("name", s(&unit.name)),
            ("kind", s(&unit.kind)),
            ("contact_person", s(&unit.contact_person)),
        ];
        put_entry(tx, &ROOT, "units", &unit.id, fields).map(|_| ())
    })
}

pub(crate) fn not_found(what: &'static str, id: &str) -> DomainError {
    DomainError::NotFound {
        what,
        id: id.to_owned(),
    }
}
