//! The native client task: owns the driver, the socket and the local store.

use std::path::PathBuf;
use std::time::Duration;

use automerge::Automerge;
use tokio::sync::{broadcast, mpsc, oneshot};

use super::effects::{carry_out, Effects};
use super::fs_store::FsStore;
use super::link::{now_ms, Incoming, Link};
use crate::proto::{DocumentId, PeerId, StorageId};
use crate::sync::{
    ClientConfig, ClientDriver, ClientEffect, ClientError, ClientEvent, ClientInput, StoreOp,
};

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

type DriverFn = Box<dyn FnOnce(&mut ClientDriver) + Send>;

/// How to start a [`NativeClient`].
#[derive(Debug, Clone)]
pub struct NativeConfig {
    /// `ws://host:port/sync?token=TOKEN`.
    pub url: String,
    /// Local storage; `None` keeps everything in memory (an ephemeral peer).
    pub data_dir: Option<PathBuf>,
    /// Peer id; a random one when `None`.
    pub peer_id: Option<String>,
    /// Start offline (call [`NativeClient::go_online`] later).
    pub start_offline: bool,
}

impl NativeConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            data_dir: None,
            peer_id: None,
            start_offline: false,
        }
    }
}

/// Errors of the native client API.
#[derive(Debug, thiserror::Error)]
pub enum NativeError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("local storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("the client task has stopped")]
    Stopped,
    #[error("timed out waiting for {0}")]
    Timeout(String),
}

/// A running native client. Cheap to clone; the task stops when every clone is dropped.
#[derive(Clone)]
pub struct NativeClient {
    commands: mpsc::Sender<DriverFn>,
    events: broadcast::Sender<ClientEvent>,
}

impl NativeClient {
    /// Loads local documents and starts the client task (connecting unless told not to).
    pub async fn start(config: NativeConfig) -> Result<Self, NativeError> {
        let store = config.data_dir.as_ref().map(FsStore::new).transpose()?;
        let storage_id = store
            .as_ref()
            .map(FsStore::storage_id)
            .transpose()?
            .map(StorageId::new);
        let peer_id = config
            .peer_id
            .clone()
            .unwrap_or_else(|| format!("native-{:016x}", rand::random::<u64>()));
        let mut driver = ClientDriver::new(ClientConfig::new(
            PeerId::new(peer_id),
            storage_id,
            rand::random(),
        ));
        if let Some(store) = &store {
            for (id, entries) in store.load_all()? {
                driver.load_document(id, entries);
            }
        }
        let (commands, rx) = mpsc::channel(256);
        let (events, _) = broadcast::channel(4096);
        let task = Task {
            driver,
            store,
            url: config.url,
            link: Link::default(),
            events: events.clone(),
        };
        tokio::spawn(task.run(rx, !config.start_offline));
        Ok(Self { commands, events })
    }

    /// Runs `f` on the driver inside the client task and carries out its effects.
    pub async fn with_driver<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut ClientDriver) -> R + Send + 'static,
    ) -> Result<R, NativeError> {
        let (tx, rx) = oneshot::channel();
        let job: DriverFn = Box::new(move |driver| {
            let _ = tx.send(f(driver));
        });
        self.commands
            .send(job)
            .await
            .map_err(|_| NativeError::Stopped)?;
        rx.await.map_err(|_| NativeError::Stopped)
    }

    /// Creates a document, initialised by `init`.
    pub async fn create(
        &self,
        init: impl FnOnce(&mut Automerge) + Send + 'static,
    ) -> Result<DocumentId, NativeError> {
        let id_bytes: [u8; 16] = rand::random();
        self.with_driver(move |driver| {
            let id = driver.create_document(id_bytes)?;
            driver.change(id, init)?;
            Ok::<_, ClientError>(id)
        })
        .await?
        .map_err(NativeError::from)
    }

    /// Edits a document.
    pub async fn change<R: Send + 'static>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R + Send + 'static,
    ) -> Result<R, NativeError> {
        Ok(self
            .with_driver(move |driver| driver.change(id, f))
            .await??)
    }

    /// Reads a document; `None` if this client does not hold it.
    pub async fn read<R: Send + 'static>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&Automerge) -> R + Send + 'static,
    ) -> Result<Option<R>, NativeError> {
        self.with_driver(move |driver| driver.document(&id).map(f))
            .await
    }

    /// Starts following a document held by the server.
    pub async fn open(&self, id: DocumentId) -> Result<(), NativeError> {
        self.with_driver(move |driver| driver.open_document(id))
            .await
    }

    pub async fn is_saved_on_server(&self, id: DocumentId) -> Result<bool, NativeError> {
        self.with_driver(move |driver| driver.is_saved_on_server(&id))
            .await
    }

    /// Waits until the server reports holding every local change of the document.
    pub async fn wait_saved(&self, id: DocumentId, timeout: Duration) -> Result<(), NativeError> {
        self.wait_until(id, timeout, "saved on server", move |driver| {
            driver.is_saved_on_server(&id)
        })
        .await
    }

    /// Waits until `condition` holds, re-checking after every event.
    pub async fn wait_until(
        &self,
        id: DocumentId,
        timeout: Duration,
        what: &str,
        condition: impl Fn(&ClientDriver) -> bool + Send + Sync + Clone + 'static,
    ) -> Result<(), NativeError> {
        let mut events = self.events.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let check = condition.clone();
            if self.with_driver(move |driver| check(driver)).await? {
                return Ok(());
            }
            match tokio::time::timeout_at(deadline, events.recv()).await {
                Err(_) => return Err(NativeError::Timeout(format!("{what} of {id}"))),
                Ok(Err(broadcast::error::RecvError::Closed)) => return Err(NativeError::Stopped),
                Ok(_) => {}
            }
        }
    }

    /// Closes the socket and stays offline until [`NativeClient::go_online`].
    pub async fn go_offline(&self) -> Result<(), NativeError> {
        self.send_input(ClientInput::GoOffline).await
    }

    pub async fn go_online(&self) -> Result<(), NativeError> {
        self.send_input(ClientInput::Start).await
    }

    async fn send_input(&self, input: ClientInput) -> Result<(), NativeError> {
        self.with_driver(move |driver| {
            let effects = driver.handle(now_ms(), input);
            driver_requeue(driver, effects);
        })
        .await
    }

    pub fn events(&self) -> broadcast::Receiver<ClientEvent> {
        self.events.subscribe()
    }
}

/// Puts effects produced inside a command back so the task carries them out.
fn driver_requeue(driver: &mut ClientDriver, effects: Vec<ClientEffect>) {
    driver.requeue(effects);
}

struct Task {
    driver: ClientDriver,
    store: Option<FsStore>,
    url: String,
    link: Link,
    events: broadcast::Sender<ClientEvent>,
}

impl Task {
    async fn run(mut self, mut commands: mpsc::Receiver<DriverFn>, online: bool) {
        if online {
            self.input(ClientInput::Start).await;
        }
        loop {
            let wake = self
                .driver
                .next_wake()
                .map(|at| at.saturating_sub(now_ms()))
                .unwrap_or(1_000);
            tokio::select! {
                command = commands.recv() => match command {
                    Some(job) => {
                        job(&mut self.driver);
                        let effects = self.driver.take_effects();
                        self.execute(effects).await;
                    }
                    None => break,
                },
                incoming = self.link.next() => self.on_incoming(incoming).await,
                _ = tokio::time::sleep(Duration::from_millis(wake.clamp(1, 1_000))) => self.input(ClientInput::Tick).await,
            }
        }
        self.link.close().await;
    }

    async fn on_incoming(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Frame(bytes) => self.input(ClientInput::Frame(bytes)).await,
            Incoming::Lost(reason) => self.input(ClientInput::Disconnected { reason }).await,
            Incoming::Ignored => {}
        }
    }

    async fn input(&mut self, input: ClientInput) {
        let effects = self.driver.handle(now_ms(), input);
        self.execute(effects).await;
    }

    async fn execute(&mut self, effects: Vec<ClientEffect>) {
        carry_out(self, effects).await;
    }
}

impl Effects for Task {
    async fn connect(&mut self) -> Vec<ClientEffect> {
        let input = self.link.connect(&self.url, CONNECT_TIMEOUT).await;
        self.driver.handle(now_ms(), input)
    }

    async fn send(&mut self, bytes: Vec<u8>) -> Vec<ClientEffect> {
        match self.link.send(bytes).await {
            Some(lost) => self.driver.handle(now_ms(), lost),
            None => Vec::new(),
        }
    }

    async fn close_socket(&mut self) {
        self.link.close().await;
    }

    fn store(&mut self, op: StoreOp) {
        if let Some(store) = &self.store {
            if let Err(e) = store.apply(&op) {
                tracing::error!(error = %e, "local storage write failed");
            }
        }
    }

    fn event(&mut self, event: ClientEvent) {
        let _ = self.events.send(event);
    }
}
