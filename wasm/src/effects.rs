//! The driver's effects as plain JS objects.

use js_sys::{Array, Object, Reflect, Uint8Array, JSON};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wish_client_core::sync::{ClientEffect, ClientEvent, StoreOp};

/// Effects in order, as `{kind, ...}` objects (see [`crate::WishClient`]).
pub fn effects_to_js(effects: Vec<ClientEffect>) -> Array {
    effects.into_iter().map(effect_to_js).collect()
}

fn effect_to_js(effect: ClientEffect) -> JsValue {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    match effect {
        ClientEffect::Connect => set("kind", "connect".into()),
        ClientEffect::Send(bytes) => {
            set("kind", "send".into());
            set("bytes", Uint8Array::from(bytes.as_slice()).into());
        }
        ClientEffect::CloseSocket => set("kind", "close".into()),
        ClientEffect::Store(StoreOp::Put(key, bytes)) => {
            set("kind", "put".into());
            set("key", key_to_js(&key));
            set("bytes", Uint8Array::from(bytes.as_slice()).into());
        }
        ClientEffect::Store(StoreOp::Delete(key)) => {
            set("kind", "delete".into());
            set("key", key_to_js(&key));
        }
        ClientEffect::Store(StoreOp::DeleteDocument(doc)) => {
            set("kind", "delete-doc".into());
            set("doc", JsValue::from_str(&doc.to_string()));
        }
        ClientEffect::Event(event) => {
            set("kind", "event".into());
            let text = event_json(&event).to_string();
            set("event", JSON::parse(&text).unwrap_or(JsValue::NULL));
        }
    }
    object.into()
}

fn key_to_js(key: &[String]) -> JsValue {
    key.iter()
        .map(|part| JsValue::from_str(part))
        .collect::<Array>()
        .into()
}

/// An event as `{type, ...}`: `connected`, `disconnected`, `doc-changed`, `saved`
/// (with the server's `heads`), `unavailable`, `refused` (with the refusal's `id`, `rule`
/// and `reason`), `forgotten` (dropped from memory and IndexedDB) or `problem`.
pub fn event_json(event: &ClientEvent) -> Value {
    match event {
        ClientEvent::Connected { server } => {
            json!({"type": "connected", "server": server.to_string()})
        }
        ClientEvent::Disconnected {
            reason,
            retry_at_ms,
        } => json!({"type": "disconnected", "reason": reason, "retry_at": retry_at_ms}),
        ClientEvent::DocChanged(doc) => json!({"type": "doc-changed", "doc": doc.to_string()}),
        ClientEvent::SavedOnServer { doc, heads } => json!({
            "type": "saved",
            "doc": doc.to_string(),
            "heads": heads.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        ClientEvent::DocUnavailable(doc) => json!({"type": "unavailable", "doc": doc.to_string()}),
        ClientEvent::Refused(refusal) => json!({
            "type": "refused",
            "doc": refusal.doc.to_string(),
            "id": refusal.id,
            "rule": refusal.rule,
            "reason": refusal.reason,
        }),
        ClientEvent::DocForgotten(doc) => json!({"type": "forgotten", "doc": doc.to_string()}),
        ClientEvent::Problem(message) => json!({"type": "problem", "message": message}),
    }
}
