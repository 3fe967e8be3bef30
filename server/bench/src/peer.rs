//! One simulated client: a [`ClientDriver`] over tokio-tungstenite, in its own task, with
//! no local storage. A [`Behaviour`] sees every message and event inside the task, so
//! timestamps are taken where the driver applies a change, not after a channel hop.

use std::sync::Arc;
use std::time::Duration;

use crate::counters::Counters;
use anyhow::{anyhow, bail};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
pub use wish_client_core::native::now_ms;
use wish_client_core::native::{carry_out, Effects, Incoming, Link};
use wish_client_core::proto::{decode, PeerId, StorageId, WireMessage};
use wish_client_core::sync::{
    ClientConfig, ClientDriver, ClientEffect, ClientEvent, ClientInput, ConnectionState, StoreOp,
};

type Job<B> = Box<dyn FnOnce(&mut ClientDriver, &mut B) + Send>;

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest sleep between two ticks of the driver.
const MAX_TICK: Duration = Duration::from_millis(500);

/// What a workload does inside a peer's task.
pub trait Behaviour: Send + 'static {
    /// A decoded frame from the server, before the driver handles it.
    fn on_message(&mut self, _message: &WireMessage, _at: Instant) {}
    /// An event of the driver, right after the driver produced it.
    fn on_event(&mut self, _driver: &ClientDriver, _event: &ClientEvent, _at: Instant) {}
    /// Called after every handled input; may edit documents (their effects are carried out).
    fn poll(&mut self, _driver: &mut ClientDriver) {}
}

/// A peer that only follows documents.
impl Behaviour for () {}

/// How to start a peer.
#[derive(Clone)]
pub struct PeerConfig {
    pub url: String,
    pub name: String,
    /// Advertise a storage id (like a tablet with IndexedDB) instead of being ephemeral.
    pub with_storage_id: bool,
    pub counters: Arc<Counters>,
}

/// Handle of a running peer task. Dropping it stops the task.
pub struct Peer<B> {
    jobs: mpsc::Sender<Job<B>>,
    frames_handled: watch::Receiver<u64>,
    name: String,
}

impl<B: Behaviour> Peer<B> {
    /// Starts the task and begins connecting.
    pub fn start(config: PeerConfig, behaviour: B) -> Self {
        let storage_id = config
            .with_storage_id
            .then(|| StorageId::new(uuid::Uuid::new_v4().to_string()));
        let mut client_config =
            ClientConfig::new(PeerId::new(config.name.clone()), storage_id, rand::random());
        // No local storage: the bench measures the server.
        client_config.local_storage = false;
        let driver = ClientDriver::new(client_config);
        let (jobs, rx) = mpsc::channel(64);
        let (handled, frames_handled) = watch::channel(0);
        let task = Task {
            driver,
            behaviour,
            url: config.url,
            name: config.name.clone(),
            link: Link::default(),
            handled,
            counters: config.counters,
        };
        tokio::spawn(task.run(rx));
        Self {
            jobs,
            frames_handled,
            name: config.name,
        }
    }

    /// Runs `f` inside the task and carries out the effects it queued.
    pub async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut ClientDriver, &mut B) -> R + Send + 'static,
    ) -> anyhow::Result<R> {
        let (tx, rx) = oneshot::channel();
        let job: Job<B> = Box::new(move |driver, behaviour| {
            let _ = tx.send(f(driver, behaviour));
        });
        let stopped = || anyhow!("peer {} stopped", self.name);
        self.jobs.send(job).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())
    }

    /// Waits until `condition` holds, re-checking after every frame or tick the peer
    /// handles (jobs do not count, so checking does not wake the waiter again).
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        condition: impl Fn(&ClientDriver, &B) -> bool + Send + Clone + 'static,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut handled = self.frames_handled.clone();
        loop {
            handled.mark_unchanged();
            let check = condition.clone();
            if self.call(move |driver, b| check(driver, b)).await? {
                return Ok(());
            }
            match tokio::time::timeout_at(deadline, handled.changed()).await {
                Err(_) => bail!(
                    "{}: timed out after {timeout:?} waiting for {what}",
                    self.name
                ),
                Ok(Err(_)) => bail!("peer {} stopped while waiting for {what}", self.name),
                Ok(Ok(())) => {}
            }
        }
    }

    /// Waits until the handshake with the server is done.
    pub async fn wait_ready(&self, timeout: Duration) -> anyhow::Result<()> {
        self.wait_until("the handshake", timeout, |driver, _| {
            matches!(driver.connection(), ConnectionState::Ready { .. })
        })
        .await
    }

    /// Closes the socket and ends the task.
    pub async fn stop(self) {
        let _ = self
            .call(|driver, _| {
                let effects = driver.handle(now_ms(), ClientInput::GoOffline);
                driver.requeue(effects);
            })
            .await;
    }
}

struct Task<B> {
    driver: ClientDriver,
    behaviour: B,
    url: String,
    name: String,
    link: Link,
    /// Bumped after every frame or tick, for [`Peer::wait_until`].
    handled: watch::Sender<u64>,
    counters: Arc<Counters>,
}

impl<B: Behaviour> Task<B> {
    async fn run(mut self, mut jobs: mpsc::Receiver<Job<B>>) {
        self.input(ClientInput::Start).await;
        // One timer for the task's life, moved at every turn: a new `sleep` per frame
        // registered and removed a timer in tokio's shared wheel each time (500 readers
        // contend for it); moving a registered timer later does not touch the wheel.
        let tick = tokio::time::sleep(MAX_TICK);
        tokio::pin!(tick);
        loop {
            let wake = self
                .driver
                .next_wake()
                .map(|at| Duration::from_millis(at.saturating_sub(now_ms())))
                .unwrap_or(MAX_TICK)
                .clamp(Duration::from_millis(1), MAX_TICK);
            tick.as_mut().reset(Instant::now() + wake);
            tokio::select! {
                job = jobs.recv() => match job {
                    Some(job) => {
                        job(&mut self.driver, &mut self.behaviour);
                        let effects = self.driver.take_effects();
                        self.execute(effects).await;
                    }
                    None => break,
                },
                incoming = self.link.next() => {
                    self.on_incoming(incoming).await;
                    self.handled.send_modify(|n| *n += 1);
                }
                _ = &mut tick => {
                    self.input(ClientInput::Tick).await;
                    self.handled.send_modify(|n| *n += 1);
                }
            }
        }
        self.link.close().await;
    }

    async fn on_incoming(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Frame(bytes) => {
                let message = decode(&bytes).ok();
                self.counters.received(message.as_ref());
                if let Some(message) = &message {
                    self.behaviour.on_message(message, Instant::now());
                }
                self.input(ClientInput::Frame(bytes)).await;
            }
            Incoming::Lost(reason) => self.input(ClientInput::Disconnected { reason }).await,
            Incoming::Ignored => {}
        }
    }

    async fn input(&mut self, input: ClientInput) {
        let effects = self.driver.handle(now_ms(), input);
        self.execute(effects).await;
    }

    /// Carries out effects, then lets the behaviour act and carries out what it queued.
    async fn execute(&mut self, effects: Vec<ClientEffect>) {
        self.drain(effects).await;
        self.behaviour.poll(&mut self.driver);
        let queued = self.driver.take_effects();
        self.drain(queued).await;
    }

    async fn drain(&mut self, effects: Vec<ClientEffect>) {
        carry_out(self, effects).await;
    }

    fn note_trouble(&self, event: &ClientEvent) {
        match event {
            ClientEvent::Disconnected {
                reason,
                retry_at_ms: Some(_),
            } => self
                .counters
                .disconnected(format!("{} disconnected: {reason}", self.name)),
            ClientEvent::Problem(problem) => {
                self.counters.problem(format!("{}: {problem}", self.name))
            }
            _ => {}
        }
    }
}

impl<B: Behaviour> Effects for Task<B> {
    async fn connect(&mut self) -> Vec<ClientEffect> {
        let input = self.link.connect(&self.url, CONNECT_TIMEOUT).await;
        self.driver.handle(now_ms(), input)
    }

    async fn send(&mut self, bytes: Vec<u8>) -> Vec<ClientEffect> {
        if !self.link.is_connected() {
            return Vec::new();
        }
        self.counters.sent();
        match self.link.send(bytes).await {
            Some(lost) => self.driver.handle(now_ms(), lost),
            None => Vec::new(),
        }
    }

    async fn close_socket(&mut self) {
        self.link.close().await;
    }

    // The load generator keeps nothing on disk.
    fn store(&mut self, _op: StoreOp) {}

    fn event(&mut self, event: ClientEvent) {
        self.note_trouble(&event);
        self.behaviour
            .on_event(&self.driver, &event, Instant::now());
    }
}
