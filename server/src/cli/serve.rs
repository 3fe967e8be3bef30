//! `wish-station serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::engine::{EngineConfig, EngineLimits};
use crate::http::Limits;
use crate::server::{serve, ServerConfig, StoreLocation};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Data directory (holds the redb database unless --storage names another store, and
    /// the files: bootstrap token, setup code).
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// The store, when not the data directory's redb file: a PostgreSQL database URL,
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (several processes may share it).
    #[arg(long, env = "WISH_STATION_STORAGE", hide_env_values = true)]
    storage: Option<String>,
    /// Administrator token (at least 16 characters); clients connect to /sync?token=TOKEN.
    /// Without it, the token in DATA/bootstrap-token is used, generated on first start.
    #[arg(long, env = "WISH_STATION_BOOTSTRAP_TOKEN", hide_env_values = true)]
    bootstrap_token: Option<String>,
    /// Largest accepted WebSocket message, in bytes.
    #[arg(long, default_value_t = Limits::default().max_message_bytes)]
    max_message_bytes: usize,
    /// MiB queued for one peer before it is disconnected as too slow.
    #[arg(long, default_value_t = Limits::default().outbound_queue_bytes / (1024 * 1024))]
    outbound_queue_mib: usize,
    /// Browser origin allowed to open /sync (repeat for several); none allows any.
    /// Native clients send no Origin and are always allowed.
    #[arg(long = "allowed-origin")]
    allowed_origins: Vec<String>,
    /// WebSocket upgrades allowed per minute per device (ten times as many per address).
    #[arg(long, default_value_t = Limits::default().upgrades_per_minute)]
    upgrades_per_minute: u32,
    /// Messages accepted per second per device.
    #[arg(long, default_value_t = Limits::default().messages_per_second)]
    messages_per_second: u32,
    /// Seconds a document with no peers stays in memory.
    #[arg(long, default_value_t = EngineConfig::default().idle_unload_ms / 1000)]
    idle_unload_secs: u64,
    /// Documents one /sync connection may follow; the next one closes the connection.
    #[arg(long, default_value_t = EngineLimits::default().max_documents_per_connection)]
    max_documents_per_connection: usize,
    /// MiB of database pages redb may cache in memory.
    #[arg(long, default_value_t = crate::storage::DEFAULT_CACHE_BYTES / (1024 * 1024))]
    storage_cache_mib: usize,
    /// The built tablet app served at / (scripts/build-app.sh writes wasm/app/dist).
    #[arg(long)]
    app_dir: Option<PathBuf>,
    /// Open /sync connections allowed per device.
    #[arg(long, default_value_t = Limits::default().max_connections_per_device)]
    max_connections_per_device: usize,
    /// Seconds a client has to send a request's headers before the connection closes.
    #[arg(long, default_value_t = Limits::default().header_read_timeout_ms / 1000)]
    header_read_timeout_secs: u64,
    /// Failed authentications allowed per minute per client address (twice as many at
    /// once); past that the address is answered 429 for a while.
    #[arg(long, default_value_t = Limits::default().auth_failures_per_minute)]
    auth_failures_per_minute: u32,
    /// Header holding the client's address when behind a reverse proxy, e.g.
    /// X-Forwarded-For (its last entry is used). Only set this behind a proxy that sets
    /// the header: otherwise clients could choose their own address.
    #[arg(long)]
    trusted_proxy_header: Option<String>,
    /// Start on the demo community (幸福社区, 400 wishes), seeded into the data directory
    /// if it holds no community yet; prints enrollment codes to look around with.
    #[arg(long)]
    demo: bool,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let storage = store_location(args.storage.as_deref(), &args.data)?;
    if args.demo && storage != StoreLocation::DataDir(args.data.clone()) {
        anyhow::bail!(
            "--demo seeds the data directory's own store: seed one with `wish-station demo`, \
             then copy it with `wish-station migrate --from DIR --to URL`"
        );
    }
    if args.demo {
        super::demo::seed_for_serve(&args.data)?;
    }
    let bootstrap_token = super::bootstrap_token::resolve(args.bootstrap_token, &args.data)?;
    let limits = Limits {
        max_message_bytes: args.max_message_bytes,
        outbound_queue_bytes: args.outbound_queue_mib.saturating_mul(1024 * 1024),
        allowed_origins: args.allowed_origins,
        upgrades_per_minute: args.upgrades_per_minute,
        messages_per_second: args.messages_per_second,
        max_connections_per_device: args.max_connections_per_device,
        header_read_timeout_ms: args.header_read_timeout_secs.max(1).saturating_mul(1000),
        auth_failures_per_minute: args.auth_failures_per_minute,
        trusted_proxy_header: args.trusted_proxy_header,
        ..Limits::default()
    };
    let engine = EngineConfig {
        idle_unload_ms: args.idle_unload_secs * 1000,
        limits: EngineLimits {
            max_documents_per_connection: args.max_documents_per_connection,
            ..EngineLimits::default()
        },
        ..EngineConfig::default()
    };
    let config = ServerConfig {
        listen: args.listen,
        data_dir: args.data,
        bootstrap_token,
        limits,
        engine,
        app_dir: args.app_dir.unwrap_or_else(crate::http::default_app_dir),
        storage_cache_bytes: args.storage_cache_mib.saturating_mul(1024 * 1024),
        storage,
    };
    super::tokio_runtime()?.block_on(serve(config))
}

/// The data directory's redb file, or the PostgreSQL database `--storage` names.
fn store_location(storage: Option<&str>, data: &std::path::Path) -> anyhow::Result<StoreLocation> {
    match storage.map(StoreLocation::parse) {
        None => Ok(StoreLocation::DataDir(data.to_owned())),
        Some(location @ StoreLocation::Postgres(_)) => Ok(location),
        Some(StoreLocation::DataDir(_)) => anyhow::bail!(
            "--storage takes a PostgreSQL URL (postgres://…); a redb store is the --data directory"
        ),
    }
}
