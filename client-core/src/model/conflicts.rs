//! Scalar fields that hold more than one concurrent value, for the UI to show.

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef, ROOT};
use serde::{Deserialize, Serialize};

use super::{doc_type, DocType, EventKind, WishView};

/// A field two devices set concurrently. `path` joins map keys and list indexes with `/`
/// (e.g. `area/compound`, `events/<id>/note`); `values` are the concurrent values in
/// Automerge's order, rendered by [`render_scalar`] (objects as `<map>`, `<list>`, `<text>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub path: String,
    pub values: Vec<String>,
}

/// Every scalar field of the document with more than one concurrent value, sorted by path.
///
/// Call it after a merge to show conflicting fields; a coordinator picks one of `values`
/// with [`crate::ops::resolve_conflict`]. Text objects merge character by character and
/// never conflict. A wish's `module` is derived from its latest `triaged` event when one
/// exists, so it is not listed then (triage again to change it).
pub fn conflicts(doc: &Automerge) -> Vec<FieldConflict> {
    let mut out = Vec::new();
    walk(doc, &ROOT, "", &mut out);
    if out.iter().any(|c| c.path == "module") && module_is_derived(doc) {
        out.retain(|c| c.path != "module");
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn module_is_derived(doc: &Automerge) -> bool {
    doc_type(doc) == Some(DocType::Wish)
        && WishView::read(doc).is_ok_and(|w| w.has_event(EventKind::Triaged))
}

// The range iterators flag keys with concurrent values, so only those are read in full;
// a wish without conflicts costs one pass over its maps.
fn walk(doc: &Automerge, obj: &ObjId, prefix: &str, out: &mut Vec<FieldConflict>) {
    match doc.object_type(obj) {
        Ok(ObjType::Map | ObjType::Table) => {
            let entries: Vec<(String, bool, bool, ObjId)> = doc
                .map_range(obj, ..)
                .map(|item| {
                    let is_object = matches!(item.value, ValueRef::Object(_));
                    let id = item.id();
                    (item.key.into_owned(), item.conflict, is_object, id)
                })
                .collect();
            for (key, conflict, is_object, id) in entries {
                let path = join(prefix, &key);
                if conflict {
                    record(doc, obj, key.as_str(), &path, out);
                }
                if is_object {
                    walk(doc, &id, &path, out);
                }
            }
        }
        Ok(ObjType::List) => {
            let entries: Vec<(usize, bool, bool, ObjId)> = doc
                .list_range(obj, ..)
                .map(|item| {
                    let is_object = matches!(item.value, ValueRef::Object(_));
                    (item.index, item.conflict, is_object, item.id())
                })
                .collect();
            for (index, conflict, is_object, id) in entries {
                let path = join(prefix, &index.to_string());
                if conflict {
                    record(doc, obj, index, &path, out);
                }
                if is_object {
                    walk(doc, &id, &path, out);
                }
            }
        }
        Ok(ObjType::Text) | Err(_) => {}
    }
}

/// Lists a property with several concurrent values if any of them is a scalar.
fn record<P: Into<automerge::Prop>>(
    doc: &Automerge,
    obj: &ObjId,
    prop: P,
    path: &str,
    out: &mut Vec<FieldConflict>,
) {
    let values = doc.get_all(obj, prop).unwrap_or_default();
    let any_scalar = values.iter().any(|(v, _)| matches!(v, Value::Scalar(_)));
    if values.len() > 1 && any_scalar {
        out.push(FieldConflict {
            path: path.to_owned(),
            values: values.iter().map(|(v, _)| render(v)).collect(),
        });
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}/{key}")
    }
}

fn render(value: &Value<'_>) -> String {
    match value {
        Value::Scalar(s) => render_scalar(s),
        Value::Object(ObjType::List) => "<list>".to_owned(),
        Value::Object(ObjType::Text) => "<text>".to_owned(),
        Value::Object(_) => "<map>".to_owned(),
    }
}

/// How a scalar is shown in a [`FieldConflict`]: strings as they are, numbers in decimal,
/// `true`/`false`, `null`.
pub fn render_scalar(value: &ScalarValue) -> String {
    match value {
        ScalarValue::Str(s) => s.to_string(),
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => n.to_string(),
        ScalarValue::Uint(n) => n.to_string(),
        ScalarValue::F64(f) => f.to_string(),
        ScalarValue::Counter(c) => i64::from(c).to_string(),
        ScalarValue::Boolean(b) => b.to_string(),
        ScalarValue::Null => "null".to_owned(),
        ScalarValue::Bytes(_) => "<bytes>".to_owned(),
        ScalarValue::Unknown { .. } => "<unknown>".to_owned(),
    }
}
