//! The server's refusals of this tablet's changes: recording them (from the REST endpoint
//! or kept in IndexedDB), the mark a refused wish shows, and undoing the local change by
//! fetching the server's copy again. Also the unchecked writes tests use to play a
//! hostile tablet (the server checks every change anyway).

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use wasm_bindgen::prelude::*;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::Refusal;

use crate::convert::{doc_id, from_json, js_error, to_json};
use crate::WishClient;

/// A refusal as `GET /api/v1/refusals` lists it (and as the tablet keeps it).
#[derive(Serialize, Deserialize)]
pub struct RefusalJson {
    id: String,
    doc: String,
    #[serde(default)]
    at: Option<u64>,
    rule: String,
    reason: String,
    #[serde(default)]
    changes: Vec<String>,
}

impl RefusalJson {
    fn of(refusal: &Refusal) -> Self {
        Self {
            id: refusal.id.clone(),
            doc: refusal.doc.to_string(),
            at: refusal.at_ms,
            rule: refusal.rule.clone(),
            reason: refusal.reason.clone(),
            changes: refusal.changes.iter().map(ToString::to_string).collect(),
        }
    }

    fn into_refusal(self) -> Option<Refusal> {
        let doc = self.doc.parse().ok()?;
        Refusal::new(self.id, doc, self.rule, self.reason, &self.changes, self.at).ok()
    }
}

/// The mark of a refused wish: the rule and the reason in both languages.
#[derive(Serialize)]
pub struct RefusedMark<'a> {
    id: &'a str,
    rule: &'a str,
    reason: &'a str,
    reason_zh: &'a str,
    reason_en: &'a str,
}

impl<'a> RefusedMark<'a> {
    pub fn of(refusal: &'a Refusal) -> Self {
        Self {
            id: &refusal.id,
            rule: &refusal.rule,
            reason: &refusal.reason,
            reason_zh: refusal.reason_zh(),
            reason_en: refusal.reason_en(),
        }
    }
}

#[derive(Deserialize)]
struct RefusalList {
    refusals: Vec<RefusalJson>,
}

#[wasm_bindgen]
impl WishClient {
    /// Records refusals: `{"refusals": [...]}` as the server lists them. Refusals of
    /// documents not held, or malformed ones, are skipped. Returns how many were new.
    #[wasm_bindgen(js_name = addRefusals)]
    pub fn add_refusals(&mut self, json: &str) -> Result<u32, JsError> {
        let list: RefusalList = from_json("refusal list", json)?;
        let mut added = 0;
        for refusal in list
            .refusals
            .into_iter()
            .filter_map(RefusalJson::into_refusal)
        {
            added += u32::from(self.driver.record_refusal(refusal));
        }
        Ok(added)
    }

    /// Every refusal recorded, as `{"refusals": [...]}` (to keep in IndexedDB).
    #[wasm_bindgen(js_name = refusalsJson)]
    pub fn refusals_json(&self) -> Result<String, JsError> {
        let refusals: Vec<RefusalJson> = self.driver.refusals().map(RefusalJson::of).collect();
        to_json(&serde_json::json!({ "refusals": refusals }))
    }

    /// Undoes the local changes of a document: discards the local copy (memory and
    /// IndexedDB) and fetches the server's copy again.
    #[wasm_bindgen(js_name = refetchDocument)]
    pub fn refetch_document(&mut self, doc: &str) -> Result<(), JsError> {
        self.driver.refetch_document(doc_id(doc)?);
        Ok(())
    }

    /// Writes a JSON value at a path (a JSON array of map keys) of a held document, with
    /// no domain check: for tests and support tools only.
    #[wasm_bindgen(js_name = writeUnchecked)]
    pub fn write_unchecked(&mut self, doc: &str, path: &str, value: &str) -> Result<(), JsError> {
        let path: Vec<String> = from_json("path", path)?;
        let value: Json = from_json("value", value)?;
        let (last, parents) = path.split_last().ok_or_else(|| js_error("empty path"))?;
        self.driver
            .change(doc_id(doc)?, |d| put_at(d, parents, last, &value))?
            .map_err(js_error)
    }

    /// The value at a path of a held document as JSON (`null` if absent): the read side
    /// of [`WishClient::write_unchecked`].
    #[wasm_bindgen(js_name = readUnchecked)]
    pub fn read_unchecked(&self, doc: &str, path: &str) -> Result<String, JsError> {
        let path: Vec<String> = from_json("path", path)?;
        let id = doc_id(doc)?;
        let held = self
            .driver
            .document(&id)
            .ok_or_else(|| js_error("not held"))?;
        to_json(&read_at(held, ROOT, &path))
    }
}

impl WishClient {
    /// The mark of a refused document, if a refusal applies to its local copy.
    pub(crate) fn refused_mark(&self, id: &DocumentId) -> Option<RefusedMark<'_>> {
        self.driver.refusal(id).map(RefusedMark::of)
    }
}

fn put_at(doc: &mut Automerge, parents: &[String], key: &str, value: &Json) -> Result<(), String> {
    let mut tx = doc.transaction();
    let mut obj = ROOT;
    for part in parents {
        obj = match tx.get(&obj, part.as_str()).map_err(|e| e.to_string())? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => tx
                .put_object(&obj, part.as_str(), ObjType::Map)
                .map_err(|e| e.to_string())?,
        };
    }
    put_json(&mut tx, &obj, key, value).map_err(|e| e.to_string())?;
    tx.commit();
    Ok(())
}

fn put_json(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: &Json,
) -> Result<(), automerge::AutomergeError> {
    match value {
        Json::Object(fields) => {
            let map = tx.put_object(obj, key, ObjType::Map)?;
            fields
                .iter()
                .try_for_each(|(k, v)| put_json(tx, &map, k, v))
        }
        other => tx.put(obj, key, scalar(other)),
    }
}

fn scalar(value: &Json) -> ScalarValue {
    match value {
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => n
            .as_i64()
            .map(ScalarValue::Int)
            .unwrap_or_else(|| ScalarValue::F64(n.as_f64().unwrap_or(0.0))),
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        _ => ScalarValue::Null,
    }
}

fn read_at(doc: &Automerge, obj: ObjId, path: &[String]) -> Json {
    let Some((first, rest)) = path.split_first() else {
        return Json::Null;
    };
    match doc.get(&obj, first.as_str()) {
        Ok(Some((Value::Object(_), id))) if !rest.is_empty() => read_at(doc, id, rest),
        Ok(Some((Value::Object(_), id))) => object_json(doc, id),
        Ok(Some((Value::Scalar(s), _))) if rest.is_empty() => scalar_json(&s),
        _ => Json::Null,
    }
}

/// A map as JSON, its nested maps included (lists and text read as `null`).
fn object_json(doc: &Automerge, obj: ObjId) -> Json {
    let fields = doc
        .keys(&obj)
        .map(|key| {
            let value = read_at(doc, obj.clone(), std::slice::from_ref(&key));
            (key, value)
        })
        .collect();
    Json::Object(fields)
}

fn scalar_json(s: &ScalarValue) -> Json {
    match s {
        ScalarValue::Str(text) => Json::String(text.to_string()),
        ScalarValue::Int(n) => Json::from(*n),
        ScalarValue::Uint(n) => Json::from(*n),
        ScalarValue::F64(f) => Json::from(*f),
        ScalarValue::Boolean(b) => Json::Bool(*b),
        _ => Json::Null,
    }
}
