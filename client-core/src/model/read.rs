//! Low-level readers of Automerge values, shared by the document readers and the ops.
//!
//! They read the winning value of a key (`ReadDoc::get`), treat `null` like a missing
//! key, and report fields by name so that callers can prefix nested paths.

use std::str::FromStr;

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::ModelError;

/// The winning scalar at `key`, `None` if the key is missing or null.
pub(crate) fn scalar<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<ScalarValue>, ModelError> {
    let found = doc.get(obj, key)?;
    scalar_of(key, found.as_ref().map(|(value, _)| value))
}

/// The scalar a found value holds: `None` if missing or null.
pub(crate) fn scalar_of(
    key: &str,
    found: Option<&Value<'_>>,
) -> Result<Option<ScalarValue>, ModelError> {
    match found {
        None => Ok(None),
        Some(Value::Scalar(s)) if s.is_null() => Ok(None),
        Some(Value::Scalar(s)) => Ok(Some(s.as_ref().clone())),
        Some(Value::Object(_)) => Err(field_type(key, "scalar")),
    }
}

pub(crate) fn field_type(key: &str, expected: &'static str) -> ModelError {
    ModelError::FieldType {
        field: key.to_owned(),
        expected,
    }
}

fn required<T>(key: &str, value: Option<T>) -> Result<T, ModelError> {
    value.ok_or_else(|| ModelError::MissingField(key.to_owned()))
}

/// An optional string field. JS Automerge writes strings as `Text` objects by default,
/// so a `Text` object is read as its string too.
pub(crate) fn opt_str<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<String>, ModelError> {
    // One lookup: readers call this for most fields of every document.
    let found = doc.get(obj, key)?;
    string_of(doc, key, found.as_ref().map(|(value, id)| (value, id)))
}

/// The string a found value holds (a `Text` object read as its string): `None` if
/// missing or null.
pub(crate) fn string_of<R: ReadDoc>(
    doc: &R,
    key: &str,
    found: Option<(&Value<'_>, &ObjId)>,
) -> Result<Option<String>, ModelError> {
    match found {
        Some((Value::Object(ObjType::Text), id)) => Ok(Some(doc.text(id)?)),
        None => Ok(None),
        Some((Value::Scalar(s), _)) if s.is_null() => Ok(None),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(text) => Ok(Some(text.to_string())),
            _ => Err(field_type(key, "string")),
        },
        Some((Value::Object(_), _)) => Err(field_type(key, "string")),
    }
}

/// A required string field.
pub(crate) fn req_str<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<String, ModelError> {
    required(key, opt_str(doc, obj, key)?)
}

/// A string field that defaults to the empty string.
pub(crate) fn str_or_empty<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<String, ModelError> {
    Ok(opt_str(doc, obj, key)?.unwrap_or_default())
}

/// Converts a stored number to `u64`; negative or fractional numbers are refused.
pub(crate) fn as_u64(value: &ScalarValue) -> Option<u64> {
    match value {
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => u64::try_from(*n).ok(),
        ScalarValue::Uint(n) => Some(*n),
        ScalarValue::F64(f) if f.is_finite() && *f >= 0.0 && f.fract() == 0.0 => Some(*f as u64),
        _ => None,
    }
}

/// An optional non-negative integer field (times, counts).
pub(crate) fn opt_u64<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<u64>, ModelError> {
    match scalar(doc, obj, key)? {
        None => Ok(None),
        Some(v) => as_u64(&v)
            .map(Some)
            .ok_or_else(|| field_type(key, "non-negative integer")),
    }
}

/// A required non-negative integer field.
pub(crate) fn req_u64<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<u64, ModelError> {
    required(key, opt_u64(doc, obj, key)?)
}

/// An optional integer field that may be negative (ledger points).
pub(crate) fn opt_i64<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<i64>, ModelError> {
    match scalar(doc, obj, key)? {
        None => Ok(None),
        Some(ScalarValue::Int(n)) => Ok(Some(n)),
        Some(ScalarValue::Uint(n)) => i64::try_from(n)
            .map(Some)
            .map_err(|_| field_type(key, "integer")),
        Some(ScalarValue::F64(f)) if f.is_finite() && f.fract() == 0.0 => Ok(Some(f as i64)),
        Some(_) => Err(field_type(key, "integer")),
    }
}

/// An optional number field (hours).
pub(crate) fn opt_f64<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<f64>, ModelError> {
    match scalar(doc, obj, key)? {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| field_type(key, "number")),
    }
}

/// A boolean field that defaults to `false`.
pub(crate) fn bool_or_false<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<bool, ModelError> {
    match scalar(doc, obj, key)? {
        None => Ok(false),
        Some(ScalarValue::Boolean(b)) => Ok(b),
        Some(_) => Err(field_type(key, "boolean")),
    }
}

/// An optional enumeration field.
pub(crate) fn opt_enum<R: ReadDoc, T: FromStr>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<T>, ModelError> {
    let Some(s) = opt_str(doc, obj, key)? else {
        return Ok(None);
    };
    s.parse().map(Some).map_err(|_| ModelError::InvalidValue {
        field: key.to_owned(),
        value: s,
    })
}

/// A required enumeration field.
pub(crate) fn req_enum<R: ReadDoc, T: FromStr>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<T, ModelError> {
    required(key, opt_enum(doc, obj, key)?)
}

/// The object at `key` if it is of type `ty`; `None` if the key is missing or null.
pub(crate) fn opt_obj<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
    ty: ObjType,
) -> Result<Option<ObjId>, ModelError> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Object(found), id)) if found == ty => Ok(Some(id)),
        Some((Value::Scalar(s), _)) if s.is_null() => Ok(None),
        Some(_) => Err(field_type(key, obj_type_name(ty))),
    }
}

fn obj_type_name(ty: ObjType) -> &'static str {
    match ty {
        ObjType::Map | ObjType::Table => "map",
        ObjType::List => "list",
        ObjType::Text => "text",
    }
}

/// The entries of the map at `key` whose values are maps, as `(key, map id)` in key order.
/// A missing map reads as empty; entries that are not maps are skipped.
pub(crate) fn map_entries<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Vec<(String, ObjId)>, ModelError> {
    let Some(map) = opt_obj(doc, obj, key, ObjType::Map)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for k in doc.keys(&map) {
        if let Some((Value::Object(ObjType::Map), id)) = doc.get(&map, k.as_str())? {
            out.push((k, id));
        }
    }
    Ok(out)
}

/// Reads every map entry of the map at `key` with `read`, prefixing errors with the path.
pub(crate) fn read_entries<R: ReadDoc, T>(
    doc: &R,
    obj: &ObjId,
    key: &str,
    read: impl Fn(&R, &str, &ObjId) -> Result<T, ModelError>,
) -> Result<Vec<T>, ModelError> {
    map_entries(doc, obj, key)?
        .into_iter()
        .map(|(k, id)| read(doc, &k, &id).map_err(|e| e.within(&format!("{key}/{k}"))))
        .collect()
}

/// The strings of the list at `key`; a missing list reads as empty, non-strings are skipped.
pub(crate) fn str_list<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Vec<String>, ModelError> {
    let Some(list) = opt_obj(doc, obj, key, ObjType::List)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for i in 0..doc.length(&list) {
        if let Some((Value::Scalar(s), _)) = doc.get(&list, i)? {
            if let ScalarValue::Str(s) = s.as_ref() {
                out.push(s.to_string());
            }
        }
    }
    Ok(out)
}

/// The numbers of the list at `key`; a missing list reads as `None`.
pub(crate) fn num_list<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
) -> Result<Option<Vec<f64>>, ModelError> {
    let Some(list) = opt_obj(doc, obj, key, ObjType::List)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for i in 0..doc.length(&list) {
        match doc.get(&list, i)? {
            Some((Value::Scalar(s), _)) => out.push(
                s.as_f64()
                    .ok_or_else(|| field_type(key, "list of numbers"))?,
            ),
            _ => return Err(field_type(key, "list of numbers")),
        }
    }
    Ok(Some(out))
}
