//! One map object read in a single pass, then asked for its fields by name.
//!
//! Automerge 0.12 seeks through an object's operations for every `get`, and a document
//! reader asks for most keys of most objects: a wish of three events took ~60 seeks,
//! each walking the key's whole history (a title corrected 300 times has 300 operations).
//! `map_range` walks the object once; the fields are then looked up in memory. The
//! conversions are those of [`super::read`], so both paths read a document the same way.

use std::str::FromStr;

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::read::{as_u64, field_type, scalar_of, string_of};
use super::ModelError;

/// The visible fields of one map, sorted by key.
pub(crate) struct Fields<'a, R: ReadDoc> {
    doc: &'a R,
    entries: Vec<(String, Value<'static>, ObjId)>,
}

impl<'a, R: ReadDoc> Fields<'a, R> {
    /// Reads every visible field of the map `obj`.
    pub fn of(doc: &'a R, obj: &ObjId) -> Self {
        let entries = doc
            .map_range(obj, ..)
            .map(|item| {
                let id = item.id();
                (item.key.to_string(), item.value.into_value(), id)
            })
            .collect();
        Self { doc, entries }
    }

    fn get(&self, key: &str) -> Option<(&Value<'static>, &ObjId)> {
        let index = self
            .entries
            .binary_search_by(|(k, _, _)| k.as_str().cmp(key))
            .ok()?;
        let (_, value, id) = &self.entries[index];
        Some((value, id))
    }

    /// The scalar at `key`, `None` if missing or null.
    pub fn scalar(&self, key: &str) -> Result<Option<ScalarValue>, ModelError> {
        scalar_of(key, self.get(key).map(|(value, _)| value))
    }

    /// A string, or a `Text` object read as its string (JS Automerge's default).
    pub fn opt_str(&self, key: &str) -> Result<Option<String>, ModelError> {
        string_of(self.doc, key, self.get(key))
    }

    pub fn req_str(&self, key: &str) -> Result<String, ModelError> {
        required(key, self.opt_str(key)?)
    }

    /// The text at `key`: a `Text` object or a plain string; missing or null is empty.
    pub fn text_or_str(&self, key: &str) -> Result<String, ModelError> {
        match self.get(key) {
            Some((Value::Object(ObjType::Text), id)) => Ok(self.doc.text(id)?),
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(s) => Ok(s.to_string()),
                ScalarValue::Null => Ok(String::new()),
                _ => Err(field_type(key, "text")),
            },
            None => Ok(String::new()),
            Some(_) => Err(field_type(key, "text")),
        }
    }

    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, ModelError> {
        match self.scalar(key)? {
            None => Ok(None),
            Some(v) => as_u64(&v)
                .map(Some)
                .ok_or_else(|| field_type(key, "non-negative integer")),
        }
    }

    pub fn req_u64(&self, key: &str) -> Result<u64, ModelError> {
        required(key, self.opt_u64(key)?)
    }

    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, ModelError> {
        match self.scalar(key)? {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| field_type(key, "number")),
        }
    }

    pub fn bool_or_false(&self, key: &str) -> Result<bool, ModelError> {
        match self.scalar(key)? {
            None => Ok(false),
            Some(ScalarValue::Boolean(b)) => Ok(b),
            Some(_) => Err(field_type(key, "boolean")),
        }
    }

    pub fn opt_enum<T: FromStr>(&self, key: &str) -> Result<Option<T>, ModelError> {
        let Some(s) = self.opt_str(key)? else {
            return Ok(None);
        };
        s.parse().map(Some).map_err(|_| ModelError::InvalidValue {
            field: key.to_owned(),
            value: s,
        })
    }

    pub fn req_enum<T: FromStr>(&self, key: &str) -> Result<T, ModelError> {
        required(key, self.opt_enum(key)?)
    }

    /// The map at `key`; `None` if missing or null.
    pub fn opt_map(&self, key: &str) -> Result<Option<ObjId>, ModelError> {
        match self.get(key) {
            None => Ok(None),
            Some((Value::Object(ObjType::Map), id)) => Ok(Some(id.clone())),
            Some((Value::Scalar(s), _)) if s.is_null() => Ok(None),
            Some(_) => Err(field_type(key, "map")),
        }
    }

    /// The keys of this map that hold a value.
    pub fn keys(&self) -> Vec<String> {
        self.entries.iter().map(|(key, _, _)| key.clone()).collect()
    }

    /// The entries of this map whose values are maps, as `(key, map id)` in key order.
    pub fn map_entries(&self) -> Vec<(String, ObjId)> {
        self.entries
            .iter()
            .filter(|(_, value, _)| matches!(value, Value::Object(ObjType::Map)))
            .map(|(key, _, id)| (key.clone(), id.clone()))
            .collect()
    }
}

fn required<T>(key: &str, value: Option<T>) -> Result<T, ModelError> {
    value.ok_or_else(|| ModelError::MissingField(key.to_owned()))
}
