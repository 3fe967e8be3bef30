//! Shared write helpers: checked transactions and typed puts.

use automerge::transaction::{CommitOptions, Transactable, Transaction};
use automerge::{Automerge, AutomergeError, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::DomainError;
use crate::model::{schema_version, DocType, SCHEMA_VERSION};

/// A field name and the scalar to store; `None` values are not written.
pub(crate) type Field = (&'static str, Option<ScalarValue>);

/// Runs `write` in one transaction committed with `now_ms` as the change time; on error
/// nothing is committed.
pub(crate) fn commit<T>(
    doc: &mut Automerge,
    now_ms: u64,
    write: impl FnOnce(&mut Transaction<'_>) -> Result<T, AutomergeError>,
) -> Result<T, DomainError> {
    let seconds = i64::try_from(now_ms / 1000).unwrap_or(i64::MAX);
    doc.transact_with(|_| CommitOptions::default().with_time(seconds), write)
        .map(|success| success.result)
        .map_err(|failure| DomainError::Automerge(failure.error))
}

/// Checks that an existing document is of type `ty` and of a schema this version writes.
pub(crate) fn ensure_writable(doc: &Automerge, ty: DocType) -> Result<(), DomainError> {
    crate::model::doc_type::expect_type(doc, ty)?;
    match schema_version(doc) {
        Some(v) if v > SCHEMA_VERSION => Err(DomainError::NewerSchema(v)),
        _ => Ok(()),
    }
}

/// Checks that a document to initialise has no `@type` yet.
pub(crate) fn ensure_empty(doc: &Automerge) -> Result<(), DomainError> {
    match doc.get(ROOT, "@type")? {
        None => Ok(()),
        Some(_) => Err(DomainError::AlreadyInitialised),
    }
}

/// Refuses an empty required input.
pub(crate) fn non_empty(name: &'static str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::EmptyField(name))
    } else {
        Ok(())
    }
}

/// A time or count as stored: an integer (what JavaScript clients write).
pub(crate) fn int(value: u64) -> ScalarValue {
    ScalarValue::Int(i64::try_from(value).unwrap_or(i64::MAX))
}

/// A string scalar.
pub(crate) fn s(value: &str) -> Option<ScalarValue> {
    Some(ScalarValue::Str(value.into()))
}

/// An optional string: `None` is not written.
pub(crate) fn opt_s(value: Option<&str>) -> Option<ScalarValue> {
    value.map(|v| ScalarValue::Str(v.into()))
}

/// Writes the fields that have a value.
pub(crate) fn put_fields(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    fields: Vec<Field>,
) -> Result<(), AutomergeError> {
    for (key, value) in fields {
        if let Some(value) = value {
            tx.put(obj, key, value)?;
        }
    }
    Ok(())
}

/// The map at `key`, created if missing (a malformed or minimal document).
pub(crate) fn child_map(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
) -> Result<ObjId, AutomergeError> {
    match tx.get(obj, key)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => tx.put_object(obj, key, ObjType::Map),
    }
}

/// Writes a new map entry `collection[id]` with `fields` and returns it.
pub(crate) fn put_entry(
    tx: &mut Transaction<'_>,
    parent: &ObjId,
    collection: &str,
    id: &str,
    fields: Vec<Field>,
) -> Result<ObjId, AutomergeError> {
    let map = child_map(tx, parent, collection)?;
    let entry = tx.put_object(&map, id, ObjType::Map)?;
    put_fields(tx, &entry, fields)?;
    Ok(entry)
}

/// Writes a list of strings at `key`.
pub(crate) fn put_str_list(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    values: &[String],
) -> Result<(), AutomergeError> {
    let list = tx.put_object(obj, key, ObjType::List)?;
    for (i, value) in values.iter().enumerate() {
        tx.insert(&list, i, value.as_str())?;
    }
    Ok(())
}

/// Writes the root's `@type` and `schema`.
pub(crate) fn put_header(tx: &mut Transaction<'_>, ty: DocType) -> Result<(), AutomergeError> {
    tx.put(ROOT, "@type", ty.as_str())?;
    tx.put(ROOT, "schema", int(SCHEMA_VERSION))
}

/// Whether `collection[id]` exists under `parent` (whatever its kind).
pub(crate) fn entry_exists(
    doc: &Automerge,
    parent: &ObjId,
    collection: &str,
    id: &str,
) -> Result<bool, DomainError> {
    match doc.get(parent, collection)? {
        Some((Value::Object(ObjType::Map), map)) => Ok(doc.get(&map, id)?.is_some()),
        _ => Ok(false),
    }
}

/// Refuses an empty or already used id for a new entry of `collection`.
pub(crate) fn new_id(
    doc: &Automerge,
    parent: &ObjId,
    collection: &str,
    id: &str,
) -> Result<(), DomainError> {
    non_empty("id", id)?;
    if entry_exists(doc, parent, collection, id)? {
        return Err(DomainError::DuplicateId(id.to_owned()));
    }
    Ok(())
}
