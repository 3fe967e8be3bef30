//! The axum router: `/sync` (WebSocket), `/healthz`, `/metrics`, `/api/v1`, the office
//! dashboard at `/office` and the tablet app at `/`.

mod api;
mod client_addr;
mod dashboard;
mod device_conns;
mod layers;
mod office;
mod rate_limit;
mod serve;
mod sync_socket;
mod tablet_app;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use axum::routing::{delete, get, patch, post};
use axum::Router;

use crate::directory::Directory;
use crate::runtime::Hub;
use crate::storage::Storage;
pub use client_addr::ClientAddr;
pub use rate_limit::RateLimiter;
pub use serve::serve;
pub use tablet_app::default_app_dir;

/// Limits applied to every WebSocket connection.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted message (and frame), in bytes.
    pub max_message_bytes: usize,
    /// Bytes queued for one peer before it is disconnected as too slow.
    pub outbound_queue_bytes: usize,
    /// Interval between keepalive pings, in milliseconds; a peer silent for two intervals
    /// is disconnected.
    pub ping_interval_ms: u64,
    /// Time a socket may stay open without sending `join`, in milliseconds.
    pub join_timeout_ms: u64,
    /// WebSocket upgrades allowed per minute per device; an address (a whole community
    /// may sit behind one NAT) gets ten times as many.
    pub upgrades_per_minute: u32,
    /// Messages accepted per second per device (a burst of ten seconds' worth is allowed).
    pub messages_per_second: u32,
    /// Browser origins allowed to open `/sync`; empty allows any. Requests without an
    /// `Origin` header (native clients) are always allowed.
    pub allowed_origins: Vec<String>,
    /// Open `/sync` connections allowed per device (the administrator's tools excepted).
    pub max_connections_per_device: usize,
    /// Time a client has to send a request's head, in milliseconds (slowloris).
    pub header_read_timeout_ms: u64,
    /// Failed authentications (401) allowed per minute per client address on `/api` and
    /// `/sync`; twice as many at once. Past that the address gets 429 for a while.
    pub auth_failures_per_minute: u32,
    /// The header a reverse proxy puts the client's address in (e.g. `X-Forwarded-For`;
    /// its last entry is used). `None`: the socket's address, and such headers are
    /// ignored, since any client can send them.
    pub trusted_proxy_header: Option<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 * 1024 * 1024,
            // A fresh tablet opening a whole station queues two messages per document
            // (a sync reply and the server's heads): 32 MiB takes ~5 000 wishes of a few
            // KiB in one burst, and bounds what a peer that stopped reading can pin.
            outbound_queue_bytes: 32 * 1024 * 1024,
            ping_interval_ms: 5_000,
            join_timeout_ms: 30_000,
            upgrades_per_minute: 120,
            messages_per_second: 500,
            allowed_origins: Vec::new(),
            max_connections_per_device: 8,
            header_read_timeout_ms: 10_000,
            auth_failures_per_minute: 10,
            trusted_proxy_header: None,
        }
    }
}

/// Shared state of the HTTP handlers.
pub struct AppState {
    pub hub: Hub,
    /// Shared with the thread that refreshes it from other processes' commits.
    pub directory: Arc<Directory>,
    /// Read-only use from the API (summaries); documents are written only by the engine.
    pub storage: Arc<dyn Storage>,
    pub limits: Limits,
    /// The office index kept current by the engine thread (`None`: reloaded on demand).
    pub office: Option<crate::runtime::IndexSource>,
    /// The built tablet app served at `/` (`None`: a page says how to build it).
    pub app_dir: Option<std::path::PathBuf>,
    /// Upgrades, by device.
    pub upgrade_limiter: RateLimiter,
    /// Upgrades and enrollment attempts, by address.
    pub address_limiter: RateLimiter,
    /// Messages, by device.
    pub message_limiter: Arc<RateLimiter>,
    /// Failed authentications, by client address.
    pub auth_failures: RateLimiter,
    /// Open `/sync` connections, by device.
    pub device_conns: device_conns::DeviceConns,
    /// The actor the server writes documents with (setup, imports): documents it creates
    /// are built with it (`engine/server_write.rs`).
    pub server_actor: automerge::ActorId,
    /// The open setup of a server without a community (`None` once set up); held while a
    /// setup runs, so two cannot race.
    pub setup: tokio::sync::Mutex<Option<crate::setup::SetupGate>>,
    next_conn: AtomicU64,
}

impl AppState {
    pub fn new(
        hub: Hub,
        directory: impl Into<Arc<Directory>>,
        storage: Arc<dyn Storage>,
        limits: Limits,
    ) -> Self {
        Self {
            hub,
            directory: directory.into(),
            storage,
            address_limiter: RateLimiter::new(
                f64::from(limits.upgrades_per_minute) / 6.0,
                f64::from(limits.upgrades_per_minute) * 10.0,
            ),
            upgrade_limiter: RateLimiter::new(
                f64::from(limits.upgrades_per_minute) / 60.0,
                f64::from(limits.upgrades_per_minute),
            ),
            message_limiter: Arc::new(RateLimiter::new(
                f64::from(limits.messages_per_second),
                f64::from(limits.messages_per_second) * 10.0,
            )),
            auth_failures: RateLimiter::new(
                f64::from(limits.auth_failures_per_minute) / 60.0,
                f64::from(limits.auth_failures_per_minute) * 2.0,
            ),
            device_conns: device_conns::DeviceConns::default(),
            limits,
            next_conn: AtomicU64::new(1),
            office: None,
            app_dir: None,
            // Replaced by `with_server_actor`; documents built with this one are refused
            // by the engine, which is the safe failure.
            server_actor: automerge::ActorId::from(&[0u8; 16][..]),
            setup: tokio::sync::Mutex::new(None),
        }
    }

    /// The server's actor (`domain::server_actor` of the storage id).
    pub fn with_server_actor(mut self, actor: automerge::ActorId) -> Self {
        self.server_actor = actor;
        self
    }

    /// Opens setup with the code of a server that has no community yet.
    pub fn with_setup(mut self, gate: Option<crate::setup::SetupGate>) -> Self {
        self.setup = tokio::sync::Mutex::new(gate);
        self
    }

    /// Serves the tablet app from `dir` (see [`default_app_dir`]).
    pub fn with_app_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.app_dir = Some(dir);
        self
    }

    /// Serves the office API from an index the engine thread keeps current.
    pub fn with_office(mut self, office: crate::runtime::IndexSource) -> Self {
        self.office = Some(office);
        self
    }
}

/// Builds the router; tests call this directly.
pub fn app(state: Arc<AppState>) -> Router {
    let routes = Router::new()
        .route("/sync", get(sync_socket::upgrade))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(crate::metrics::handler))
        .merge(dashboard::routes())
        .merge(match &state.office {
            Some(index) => office::routes_with(index.clone()),
            None => office::routes(),
        })
        .route("/api/v1/enrollments", post(api::devices::create_enrollment))
        .route("/api/v1/enrollments/qr.svg", get(api::devices::qr_svg))
        .route("/api/v1/enrollments/qr.png", get(api::devices::qr_png))
        .route("/api/v1/enrollments/bulk", post(api::bulk_codes::create))
        .route("/api/v1/enroll", post(api::devices::redeem))
        .route(
            "/api/v1/setup",
            get(api::setup::status).post(api::setup::create),
        )
        .route("/api/v1/communities", post(api::communities::create))
        .merge(api::import::routes())
        .route("/api/v1/devices", get(api::devices::list))
        .route("/api/v1/devices/{id}/revoke", post(api::devices::revoke))
        .route("/api/v1/devices/{id}", patch(api::devices::reassign))
        .route("/api/v1/contacts/{doc}", delete(api::admin::delete_contact))
        .route("/api/v1/audit", get(api::admin::audit))
        .route("/api/v1/refusals", get(api::refusals::list))
        .fallback(tablet_app::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_addr::throttle_failed_auth,
        ));
    layers::around(routes).with_state(state)
}
