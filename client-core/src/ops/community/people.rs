//! Keeping the directory current: editing people and partner units, and deactivating
//! someone who left (kept for history, hidden from pickers).

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::directory::{check_references, not_found};
use crate::model::community::{Person, Unit};
use crate::model::{CommunityView, DocType};
use crate::ops::write::{commit, ensure_writable, int, non_empty, put_str_list, Field};
use crate::ops::DomainError;

/// Rewrites a person's details (name, role, modules, skills, party membership, unit,
/// stations); only fields that differ are written, so concurrent edits of different
/// fields merge. `left_at` is kept: use [`deactivate_person`]. Refuses an unknown
/// person, an empty name, a unit or station not in the community, and an edit that
/// changes nothing.
pub fn edit_person(doc: &mut Automerge, person: &Person, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    non_empty("name", &person.name)?;
    let community = CommunityView::read(doc)?;
    let current = community
        .people
        .get(&person.id)
        .ok_or_else(|| not_found("person", &person.id))?;
    check_references(&community, person)?;
    let scalars = changed_person_scalars(current, person);
    let lists = changed_person_lists(current, person);
    if scalars.is_empty() && lists.is_empty() {
        return Err(DomainError::NothingToChange);
    }
    let obj = entry_obj(doc, "people", &person.id)?;
    commit(doc, now_ms, |tx| {
        for (key, value) in scalars {
            tx.put(&obj, key, value)?;
        }
        for (key, values) in lists {
            put_str_list(tx, &obj, key, &values)?;
        }
        Ok(())
    })
}

fn changed_person_scalars(current: &Person, new: &Person) -> Vec<(&'static str, ScalarValue)> {
    let unit = |p: &Person| p.unit.clone().map_or(ScalarValue::Null, ScalarValue::from);
    let fields: [(&str, bool, ScalarValue); 4] = [
        ("name", current.name != new.name, new.name.as_str().into()),
        ("role", current.role != new.role, new.role.as_str().into()),
        (
            "party_member",
            current.party_member != new.party_member,
            new.party_member.into(),
        ),
        ("unit", current.unit != new.unit, unit(new)),
    ];
    fields
        .into_iter()
        .filter(|(_, changed, _)| *changed)
        .map(|(key, _, value)| (key, value))
        .collect()
}

fn changed_person_lists(current: &Person, new: &Person) -> Vec<(&'static str, Vec<String>)> {
    let modules = |p: &Person| p.modules.iter().map(|m| m.to_string()).collect::<Vec<_>>();
    let mut out = Vec::new();
    if current.modules != new.modules {
        out.push(("modules", modules(new)));
    }
    if current.skills != new.skills {
        out.push(("skills", new.skills.clone()));
    }
    if current.stations != new.stations {
        out.push(("stations", new.stations.clone()));
    }
    out
}

/// Marks a person as having left (`left_at = now_ms`). They stay in the directory, so
/// wishes, shifts and ledger entries that name them still show their name. Refuses an
/// unknown person and one who already left.
pub fn deactivate_person(
    doc: &mut Automerge,
    person: &str,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    let community = CommunityView::read(doc)?;
    let current = community
        .people
        .get(person)
        .ok_or_else(|| not_found("person", person))?;
    if !current.is_active() {
        return Err(DomainError::PersonLeft(person.to_owned()));
    }
    let obj = entry_obj(doc, "people", person)?;
    commit(doc, now_ms, |tx| tx.put(&obj, "left_at", int(now_ms)))
}

/// Rewrites a partner unit's name, kind and contact person (only what differs).
/// Refuses an unknown unit, an empty name and an edit that changes nothing.
pub fn edit_unit(doc: &mut Automerge, unit: &Unit, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    non_empty("name", &unit.name)?;
    let community = CommunityView::read(doc)?;
    let current = community
        .units
        .get(&unit.id)
        .ok_or_else(|| not_found("unit", &unit.id))?;
    let fields: Vec<Field> = [
        ("name", &current.name, &unit.name),
        ("kind", &current.kind, &unit.kind),
        (
            "contact_person",
            &current.contact_person,
            &unit.contact_person,
        ),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(key, _, new)| (key, Some(ScalarValue::Str(new.as_str().into()))))
    .collect();
    put_changed(doc, "units", &unit.id, fields, now_ms)
}

/// Writes `fields` into `collection[id]`; refuses an empty list of changes.
pub(crate) fn put_changed(
    doc: &mut Automerge,
    collection: &str,
    id: &str,
    fields: Vec<Field>,
    now_ms: u64,
) -> Result<(), DomainError> {
    if fields.is_empty() {
        return Err(DomainError::NothingToChange);
    }
    let obj = entry_obj(doc, collection, id)?;
    commit(doc, now_ms, |tx| {
        crate::ops::write::put_fields(tx, &obj, fields)
    })
}

/// The map `collection[id]` of the community root.
pub(crate) fn entry_obj(doc: &Automerge, collection: &str, id: &str) -> Result<ObjId, DomainError> {
    let missing = || not_found("entry", id);
    let Some((Value::Object(ObjType::Map), map)) = doc.get(ROOT, collection)? else {
        return Err(missing());
    };
    match doc.get(&map, id)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(missing()),
    }
}
