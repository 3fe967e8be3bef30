//! Choosing one of a field's concurrent values.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value, ROOT};

use super::write::commit;
use super::DomainError;
use crate::model::render_scalar;

/// Writes `value`, one of the concurrent values [`crate::model::conflicts`] listed for
/// `path`, as the field's value; the write supersedes every concurrent value on every
/// replica that receives it. The chosen value keeps its type (a number stays a number).
///
/// Refuses a path that names no field, a field with a single value and a value that is
/// not one of the field's values.
pub fn resolve_conflict(doc: &mut Automerge, path: &str, value: &str) -> Result<(), DomainError> {
    let (obj, prop) = locate(doc, path)?;
    let values = doc.get_all(&obj, prop.clone())?;
    if values.is_empty() {
        return Err(DomainError::UnknownPath(path.to_owned()));
    }
    if values.len() < 2 {
        return Err(DomainError::NoConflict(path.to_owned()));
    }
    let chosen = chosen_scalar(&values, value).ok_or_else(|| DomainError::NotAConflictValue {
        path: path.to_owned(),
        value: value.to_owned(),
    })?;
    commit(doc, 0, |tx| tx.put(&obj, prop, chosen))
}

fn chosen_scalar(values: &[(Value<'_>, ObjId)], value: &str) -> Option<ScalarValue> {
    values.iter().find_map(|(v, _)| match v {
        Value::Scalar(s) if render_scalar(s) == value => Some(s.as_ref().clone()),
        _ => None,
    })
}

/// The object holding the field at `path` and the field's key or index in it.
fn locate(doc: &Automerge, path: &str) -> Result<(ObjId, Prop), DomainError> {
    let unknown = || DomainError::UnknownPath(path.to_owned());
    let mut segments: Vec<&str> = path.split('/').collect();
    let last = segments
        .pop()
        .filter(|s| !s.is_empty())
        .ok_or_else(unknown)?;
    let mut obj = ROOT;
    for segment in segments {
        let prop = prop_in(doc, &obj, segment).ok_or_else(unknown)?;
        match doc.get(&obj, prop)? {
            Some((Value::Object(_), child)) => obj = child,
            _ => return Err(unknown()),
        }
    }
    let prop = prop_in(doc, &obj, last).ok_or_else(unknown)?;
    Ok((obj, prop))
}

/// A map key, or a list index for lists.
fn prop_in(doc: &Automerge, obj: &ObjId, segment: &str) -> Option<Prop> {
    match doc.object_type(obj).ok()? {
        ObjType::List => segment.parse().ok().map(Prop::Seq),
        ObjType::Text => None,
        ObjType::Map | ObjType::Table => Some(Prop::Map(segment.to_owned())),
    }
}
