//! [`WishClient`]: the client driver, fed by the page.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wish_client_core::proto::{PeerId, StorageId};
use wish_client_core::sync::{ClientConfig, ClientDriver, ClientInput, ConnectionState};

use crate::convert::{ms, to_json};
use crate::effects::effects_to_js;
use crate::wish_cache::WishCache;

/// The browser's sync client. Every method that returns an `Array` returns effects for the
/// page to carry out in order: `{kind: "connect"}`, `{kind: "send", bytes}`,
/// `{kind: "close"}`, `{kind: "put", key, bytes}`, `{kind: "delete", key}`,
/// `{kind: "delete-doc", doc}` (every key under `[doc]`) and `{kind: "event", event}`.
/// A `put` or `delete` must be durable before any later `send`.
#[wasm_bindgen]
pub struct WishClient {
    pub(crate) driver: ClientDriver,
    pub(crate) wish_cache: WishCache,
}

#[wasm_bindgen]
impl WishClient {
    /// A client with this tablet's peer id, the storage id of its IndexedDB and a random
    /// seed for reconnect jitter.
    #[wasm_bindgen(constructor)]
    pub fn new(peer_id: &str, storage_id: &str, seed: f64) -> WishClient {
        let config = ClientConfig::new(
            PeerId::new(peer_id),
            Some(StorageId::new(storage_id)),
            ms(seed),
        );
        WishClient {
            driver: ClientDriver::new(config),
            wish_cache: WishCache::default(),
        }
    }

    /// Start connecting, and keep reconnecting with backoff.
    pub fn start(&mut self, now: f64) -> Array {
        self.input(now, ClientInput::Start)
    }

    /// The socket asked for by a `connect` effect is open.
    pub fn connected(&mut self, now: f64) -> Array {
        self.input(now, ClientInput::Connected)
    }

    /// The socket closed or could not be opened.
    pub fn disconnected(&mut self, now: f64, reason: &str) -> Array {
        let reason = reason.to_owned();
        self.input(now, ClientInput::Disconnected { reason })
    }

    /// A binary frame arrived.
    pub fn frame(&mut self, now: f64, bytes: &[u8]) -> Array {
        self.input(now, ClientInput::Frame(bytes.to_vec()))
    }

    /// Time passed; call at `nextWake()` at the latest.
    pub fn tick(&mut self, now: f64) -> Array {
        self.input(now, ClientInput::Tick)
    }

    /// Stop connecting and close the socket.
    #[wasm_bindgen(js_name = goOffline)]
    pub fn go_offline(&mut self, now: f64) -> Array {
        self.input(now, ClientInput::GoOffline)
    }

    /// Effects queued by document operations since the last call.
    #[wasm_bindgen(js_name = takeEffects)]
    pub fn take_effects(&mut self) -> Array {
        effects_to_js(self.driver.take_effects())
    }

    /// When to call `tick` next, at the latest (milliseconds), or `undefined`.
    #[wasm_bindgen(js_name = nextWake)]
    pub fn next_wake(&self) -> Option<f64> {
        self.driver.next_wake().map(|t| t as f64)
    }

    /// The connection as JSON: `{state, retry_at?, server?}`; `state` is one of
    /// `offline`, `waiting`, `connecting`, `joining`, `ready`.
    pub fn connection(&self) -> Result<String, JsError> {
        let value = match self.driver.connection() {
            ConnectionState::Offline => serde_json::json!({ "state": "offline" }),
            ConnectionState::Waiting { retry_at_ms } => {
                serde_json::json!({ "state": "waiting", "retry_at": retry_at_ms })
            }
            ConnectionState::Connecting { .. } => serde_json::json!({ "state": "connecting" }),
            ConnectionState::Joining { .. } => serde_json::json!({ "state": "joining" }),
            ConnectionState::Ready { server, .. } => {
                serde_json::json!({ "state": "ready", "server": server.to_string() })
            }
        };
        to_json(&value)
    }
}

impl WishClient {
    fn input(&mut self, now: f64, input: ClientInput) -> Array {
        effects_to_js(self.driver.handle(ms(now), input))
    }
}
