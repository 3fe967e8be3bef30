//! Conversions at the JS boundary: numbers, ids, JSON and errors.

use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsError;
use wish_client_core::proto::DocumentId;

/// A JS time or count (a double) as milliseconds; negative or not finite reads as 0.
pub fn ms(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        // Truncation is intended: JS times are whole milliseconds below 2^53.
        value as u64
    } else {
        0
    }
}

/// Any error as a JS `Error` with its message.
pub fn js_error(error: impl Display) -> JsError {
    JsError::new(&error.to_string())
}

/// A document id from its base58check text.
pub fn doc_id(text: &str) -> Result<DocumentId, JsError> {
    text.parse::<DocumentId>()
        .map_err(|e| js_error(format!("invalid document id {text:?}: {e}")))
}

/// A document id from 16 random bytes made by the page (`crypto.getRandomValues`).
pub fn doc_id_from_bytes(bytes: &[u8]) -> Result<DocumentId, JsError> {
    let array: [u8; 16] = bytes
        .try_into()
        .map_err(|_| js_error("a document id needs exactly 16 random bytes"))?;
    Ok(DocumentId::from_bytes(array))
}

/// Parses a JSON input.
pub fn from_json<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|e| js_error(format!("invalid {what}: {e}")))
}

/// Renders a view as JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(js_error)
}
