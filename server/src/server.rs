//! Assembling a running server from a data directory: storage, identity, engine thread,
//! HTTP router, graceful shutdown.

mod people_backfill;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use wish_client_core::proto::{PeerId, StorageId};

use crate::aggregate::{self, OfficeIndex};
use crate::directory::Directory;
use crate::domain::{server_actor, DomainHook};
use crate::engine::{ActorBindings, Engine, EngineConfig, ACTOR_PREFIX};
use crate::http::{app, AppState, Limits};
use crate::runtime::IndexSource;
use crate::runtime::SummaryFeed;
use crate::runtime::{spawn_engine_thread, Hub, HubInput};
use crate::storage::{key, PostgresStore, RedbStore, Storage, StorageError, WriteBatch};

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub bootstrap_token: String,
    pub limits: Limits,
    pub engine: EngineConfig,
    /// The built tablet app to serve at `/`.
    pub app_dir: PathBuf,
    /// Bytes redb may cache in memory.
    pub storage_cache_bytes: usize,
    /// Where the store is: the data directory's redb file, or a PostgreSQL database.
    pub storage: StoreLocation,
}

/// Where a server keeps its store: the redb file in a data directory (the default, one
/// process), or a PostgreSQL database that several processes may share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    DataDir(PathBuf),
    Postgres(String),
}

impl StoreLocation {
    /// A `postgres://` or `postgresql://` URL is a database; anything else a data directory.
    pub fn parse(text: &str) -> Self {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Self::Postgres(text.to_owned())
        } else {
            Self::DataDir(PathBuf::from(text))
        }
    }

    /// Opens (creating if needed) the store; redb caches up to `cache_bytes`.
    pub fn open(&self, cache_bytes: usize) -> anyhow::Result<Arc<dyn Storage>> {
        Ok(match self {
            Self::DataDir(dir) => open_store_with_cache(dir, cache_bytes)?,
            Self::Postgres(url) => Arc::new(
                PostgresStore::open(url)
                    .map_err(|e| anyhow::anyhow!("opening {}: {e}", self.describe()))?,
            ),
        })
    }

    /// For logs and messages: a database URL without its user and password.
    pub fn describe(&self) -> String {
        match self {
            Self::DataDir(dir) => database_path(dir).display().to_string(),
            Self::Postgres(url) => match url.split_once("://").zip(url.rsplit_once('@')) {
                Some(((scheme, _), (_, host))) => format!("{scheme}://…@{host}"),
                None => url.clone(),
            },
        }
    }
}

/// The redb file inside a data directory.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("wish-station.redb")
}

/// Opens (creating if needed) the store of a data directory.
pub fn open_store(data_dir: &Path) -> anyhow::Result<Arc<RedbStore>> {
    open_store_with_cache(data_dir, crate::storage::DEFAULT_CACHE_BYTES)
}

/// Opens the store of a data directory with a page cache of `cache_bytes`.
pub fn open_store_with_cache(
    data_dir: &Path,
    cache_bytes: usize,
) -> anyhow::Result<Arc<RedbStore>> {
    std::fs::create_dir_all(data_dir)?;
    Ok(Arc::new(RedbStore::open_with_cache(
        &database_path(data_dir),
        cache_bytes,
    )?))
}

/// The server's storage id, created once and kept at `["storage-adapter-id"]` as
/// automerge-repo does.
pub fn storage_id(storage: &dyn Storage) -> Result<StorageId, StorageError> {
    let k = key(["storage-adapter-id"]);
    if let Some(bytes) = storage.load(&k)? {
        return String::from_utf8(bytes)
            .map(StorageId::new)
            .map_err(|_| StorageError::Corrupt("storage id is not UTF-8".into()));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let mut batch = WriteBatch::default();
    batch.create(k.clone(), id.clone().into_bytes());
    match storage.commit(batch) {
        Ok(()) => Ok(StorageId::new(id)),
        // Another process sharing the store created it first: use theirs.
        Err(StorageError::Conflict(_)) => match storage.load(&k)? {
            Some(bytes) => String::from_utf8(bytes)
                .map(StorageId::new)
                .map_err(|_| StorageError::Corrupt("storage id is not UTF-8".into())),
            None => Err(StorageError::Corrupt("storage id vanished".into())),
        },
        Err(error) => Err(error),
    }
}

/// Every stored actor binding (see `engine::ACTOR_PREFIX`).
fn actor_bindings(storage: &dyn Storage) -> Result<ActorBindings, StorageError> {
    let rows = storage.load_range(&key([ACTOR_PREFIX]))?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, v)| Some((k.get(1)?.clone(), String::from_utf8(v).ok()?)))
        .collect())
}

/// The actor this process writes its own changes with: the stable one of the storage id
/// alone on its store, one of its own on a store several processes share (two processes
/// must never write with one actor).
fn actor_of_process(storage_id: &StorageId, shared: bool) -> automerge::ActorId {
    if !shared {
        return server_actor(storage_id.as_str());
    }
    crate::domain::process_actor(storage_id.as_str(), rand::random())
}

/// A stable peer id derived from the storage id, so it survives restarts.
pub fn server_peer_id(storage_id: &StorageId) -> PeerId {
    let short: String = storage_id
        .as_str()
        .chars()
        .filter(|c| *c != '-')
        .take(12)
        .collect();
    PeerId::new(format!("wish-station-{short}"))
}

/// Runs the server until SIGINT or SIGTERM. Prints `listening on ADDR` on stdout once the
/// socket is bound (tests and scripts read it).
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    let storage = config.storage.open(config.storage_cache_bytes)?;
    let storage_id = storage_id(storage.as_ref())?;
    people_backfill::fill_person_ids(storage.as_ref())?;
    let ledgers = crate::domain::earn_repair::LedgerIndex::load(storage.as_ref())?;
    // Notices of other processes' commits: `Some` only on a store several share.
    let notices = storage.subscribe()?;
    let actor = actor_of_process(&storage_id, notices.is_some());
    let hook = DomainHook::new(actor.clone()).with_ledgers(ledgers);
    let mut engine = Engine::new(
        server_peer_id(&storage_id),
        storage_id.clone(),
        config.engine.clone(),
    )
    .with_server_actor(actor.clone())
    .with_hook(Box::new(hook))
    .with_actor_bindings(actor_bindings(storage.as_ref())?);
    if notices.is_some() {
        engine = engine.with_shared_store();
    }
    let aggregates = aggregate::shared(OfficeIndex::load(storage.as_ref())?);
    let feed = SummaryFeed::spawn(aggregates.clone())?;
    let (hub, engine_thread) =
        spawn_engine_thread(engine, storage.clone(), 4096, Some(feed.clone()))?;
    let directory = Arc::new(Directory::load(&config.bootstrap_token, storage.clone())?);
    if let Some(notices) = notices {
        let targets = crate::runtime::shared_store::NoticeTargets {
            hub: hub.clone(),
            storage: storage.clone(),
            directory: directory.clone(),
            feed,
            office: aggregates.clone(),
        };
        crate::runtime::shared_store::start(notices, targets)?;
    }
    let setup = crate::setup::SetupGate::open(storage.as_ref(), &config.data_dir)?;
    let (gate, setup_code) = setup.map_or((None, None), |(g, c)| (Some(g), Some(c)));
    if let Some(gate) = &gate {
        tracing::info!(file = %gate.file().display(), "no community yet: setup is open");
    }
    let state = AppState::new(
        hub.clone(),
        directory,
        storage.clone(),
        config.limits.clone(),
    )
    .with_office(IndexSource::live(aggregates))
    .with_app_dir(config.app_dir.clone())
    .with_server_actor(actor);
    let announce_setup = gate.as_ref().map(|g| g.file().to_owned());
    let state = Arc::new(state.with_setup(gate));
    tokio::spawn(tick(hub.clone()));

    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    announce(addr);
    if let (Some(file), Some(code)) = (announce_setup, setup_code) {
        crate::setup::code::announce(&file, &code, addr);
    }
    tracing::info!(
        %addr,
        storage_id = %storage_id,
        data = %config.data_dir.display(),
        store = %config.storage.describe(),
        "serving"
    );
    let shutdown_hub = hub.clone();
    let header_timeout = Duration::from_millis(config.limits.header_read_timeout_ms.max(1));
    crate::http::serve(listener, app(state), header_timeout, async move {
        shutdown_signal().await;
        tracing::info!("shutting down: flushing storage and closing connections");
        shutdown_hub.shutdown().await;
    })
    .await?;
    tokio::task::spawn_blocking(move || engine_thread.join())
        .await
        .ok();
    tracing::info!("stopped");
    Ok(())
}

#[allow(clippy::print_stdout)] // the one line scripts and tests read to find the port
fn announce(addr: SocketAddr) {
    use std::io::Write;
    println!("listening on {addr}");
    let _ = std::io::stdout().flush();
}

async fn tick(hub: Hub) {
    let mut every = tokio::time::interval(Duration::from_secs(1));
    loop {
        every.tick().await;
        if hub.send(HubInput::Tick).await.is_err() {
            return;
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
