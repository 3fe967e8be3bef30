//! The loop of the engine thread: batch inputs, group-commit, then deliver.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tokio::sync::mpsc;
use wish_client_core::proto::{DocumentId, WireMessage};

use super::conn_handle::QueueError;
use super::{ConnHandle, Hub, HubInput};
use crate::clock::now_ms;
use crate::engine::{ConnId, DeleteRequest, Effect, Engine, Input, ReadRequest, PENDING_PREFIX};
use crate::metrics;
use crate::runtime::{summary_puts, SummaryFeed};
use crate::storage::{Key, Storage, StorageError, WriteBatch, WriteOp};

/// Inputs handled before one group commit, at most.
const MAX_BATCH: usize = 512;

/// Counters reported by the engine thread.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EngineStats {
    pub connections: usize,
    pub peers: usize,
    pub loaded_documents: usize,
    pub commits: u64,
    pub slow_peers_closed: u64,
}

/// Starts the engine thread; returns the handle connection tasks use to reach it.
/// `feed`, if given, receives the summary rows of every successful commit (the office
/// index).
pub fn spawn_engine_thread(
    engine: Engine,
    storage: Arc<dyn Storage>,
    queue: usize,
    feed: Option<SummaryFeed>,
) -> std::io::Result<(Hub, std::thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel(queue.max(1));
    let thread = std::thread::Builder::new()
        .name("wish-engine".into())
        .spawn(move || {
            // This loop ends every batch with `Input::EndOfBatch` (`end_batch`).
            let mut engine_thread = EngineThread::new(engine.coalesce_batches(), storage);
            engine_thread.feed = feed;
            engine_thread.run(rx)
        })?;
    Ok((Hub { tx }, thread))
}

/// What one batch of inputs produced, waiting for the group commit.
#[derive(Default)]
struct Pending {
    batch: WriteBatch,
    outgoing: Vec<Effect>,
    changed: Vec<DocumentId>,
    /// When each peer message of the batch was taken from the queue (relay latency).
    arrived: Vec<Instant>,
}

struct EngineThread {
    engine: Engine,
    storage: Arc<dyn Storage>,
    conns: HashMap<ConnId, ConnHandle>,
    stats: EngineStats,
    /// Connections found too slow while delivering; disconnected in the next batch.
    slow: Vec<ConnId>,
    /// Where committed summary rows go (the office index).
    feed: Option<SummaryFeed>,
    /// Callers waiting for the outcome of a deletion, by request number.
    answers: HashMap<u64, DeleteReply>,
    /// Callers waiting for the outcome of a server write, by request number.
    write_answers: HashMap<u64, WriteReply>,
    next_request: u64,
}

type DeleteReply = tokio::sync::oneshot::Sender<Result<(), crate::scope::ScopeError>>;
type WriteReply = tokio::sync::oneshot::Sender<Result<(), crate::engine::WriteError>>;

impl EngineThread {
    fn new(engine: Engine, storage: Arc<dyn Storage>) -> Self {
        Self {
            engine,
            storage,
            conns: HashMap::new(),
            stats: EngineStats::default(),
            slow: Vec::new(),
            feed: None,
            answers: HashMap::new(),
            write_answers: HashMap::new(),
            next_request: 0,
        }
    }

    fn run(mut self, mut rx: mpsc::Receiver<HubInput>) {
        while let Some(first) = rx.blocking_recv() {
            let mut pending = Pending::default();
            let mut stop = self.accept(first, &mut pending);
            let mut taken = 1;
            while stop.is_none() && taken < MAX_BATCH {
                let Ok(next) = rx.try_recv() else { break };
                stop = self.accept(next, &mut pending);
                taken += 1;
            }
            self.end_batch(&mut pending);
            self.finish_batch(pending);
            if let Some(done) = stop {
                self.close_all("server shutting down");
                let _ = done.send(());
                return;
            }
        }
    }

    /// Feeds one input to the engine. Returns the shutdown reply channel when asked to stop.
    fn accept(
        &mut self,
        input: HubInput,
        pending: &mut Pending,
    ) -> Option<tokio::sync::oneshot::Sender<()>> {
        for conn in std::mem::take(&mut self.slow) {
            self.conns.remove(&conn);
            self.feed(Input::Disconnected { conn }, pending);
        }
        match input {
            HubInput::Connected {
                conn,
                handle,
                principal,
            } => {
                self.conns.insert(conn, handle);
                self.feed(Input::Connected { conn, principal }, pending);
            }
            HubInput::Engine(input) => self.feed(input, pending),
            HubInput::DeleteContact {
                doc,
                principal,
                reply,
            } => {
                self.next_request += 1;
                let request = self.next_request;
                self.answers.insert(request, reply);
                let by = principal;
                self.feed(
                    Input::DeleteDocument(DeleteRequest { doc, by, request }),
                    pending,
                );
            }
            HubInput::ServerWrite { mut write, reply } => {
                self.next_request += 1;
                write.request = self.next_request;
                self.write_answers.insert(write.request, reply);
                self.feed(Input::ServerWrite(write), pending);
            }
            HubInput::Message { conn, message } => {
                pending.arrived.push(Instant::now());
                self.feed(Input::Message { conn, message }, pending)
            }
            HubInput::Disconnected { conn } => {
                self.conns.remove(&conn);
                self.feed(Input::Disconnected { conn }, pending);
            }
            HubInput::Tick => self.feed(Input::Tick, pending),
            HubInput::Stats(reply) => {
                let _ = reply.send(self.current_stats());
            }
            HubInput::Shutdown(done) => {
                self.feed(Input::Shutdown, pending);
                return Some(done);
            }
        }
        None
    }

    /// Lets the engine fan out what the batch changed: one sync round per peer and
    /// document, held with the rest until the batch is committed.
    fn end_batch(&mut self, pending: &mut Pending) {
        self.feed(Input::EndOfBatch, pending);
    }

    fn feed(&mut self, input: Input, pending: &mut Pending) {
        let effects = self.engine.handle(now_ms(), input);
        for effect in effects {
            match effect {
                Effect::Load(doc) => {
                    let input = self.load(doc, &pending.batch);
                    self.feed(input, pending);
                }
                Effect::Read(request) => {
                    if let Some(input) = self.read(request, &pending.batch) {
                        self.feed(input, pending);
                    }
                }
                Effect::ScanPendingArbitrations => {
                    if let Some(input) = self.scan_pending_arbitrations() {
                        self.feed(input, pending);
                    }
                }
                Effect::Persist(batch) => pending.batch.extend(batch),
                Effect::DocChanged(doc) => pending.changed.push(doc),
                other => pending.outgoing.push(other),
            }
        }
    }

    /// Loads a document's keys as the engine would see them after the pending commit.
    fn load(&self, doc: DocumentId, uncommitted: &WriteBatch) -> Input {
        let prefix = vec![doc.to_string()];
        match self.storage.load_range(&prefix) {
            Ok(entries) => Input::Loaded {
                doc,
                entries: overlay(entries, &prefix, uncommitted),
            },
            Err(error) => {
                tracing::error!(%doc, %error, "loading a document failed");
                Input::LoadFailed { doc }
            }
        }
    }

    /// Reads what another process committed (see `engine/store_notice.rs`), as the engine
    /// would see it after the pending commit. `None` after an error: the document stays
    /// behind until the next sweep.
    fn read(&self, request: ReadRequest, uncommitted: &WriteBatch) -> Option<Input> {
        let mut entries = Vec::new();
        for range in &request.ranges {
            let found = self.storage.load_range(range).map_err(read_failed).ok()?;
            entries.extend(overlay(found, range, uncommitted));
        }
        for key in &request.keys {
            let found = self.storage.load(key).map_err(read_failed).ok()?;
            let found = found.map(|v| (key.clone(), v)).into_iter().collect();
            entries.extend(overlay(found, key, uncommitted));
        }
        Some(Input::ReadDone { request, entries })
    }

    /// Every queued arbitration key (the arbiter's scan).
    fn scan_pending_arbitrations(&self) -> Option<Input> {
        let prefix = vec![PENDING_PREFIX.to_owned()];
        let found = self.storage.load_range(&prefix).map_err(read_failed).ok()?;
        Some(Input::PendingArbitrations(
            found.into_iter().map(|(k, _)| k).collect(),
        ))
    }

    fn finish_batch(&mut self, mut pending: Pending) {
        if !pending.batch.is_empty() {
            let batch = std::mem::take(&mut pending.batch);
            let summaries = self.feed.as_ref().map(|_| summary_puts(&batch));
            let started = Instant::now();
            if let Err(error) = self.storage.commit(batch) {
                tracing::error!(%error, "commit failed; affected peers are disconnected");
                let lost_arbiter = matches!(error, StorageError::NotArbiter);
                self.abandon(pending);
                if lost_arbiter {
                    // Fenced: stop arbitrating now rather than at the next poll.
                    let is_arbiter = self.storage.is_arbiter();
                    let mut after = Pending::default();
                    self.feed(Input::ArbiterChanged(is_arbiter), &mut after);
                    self.finish_batch(after);
                }
                return;
            }
            metrics::global().commit_seconds.observe(started.elapsed());
            metrics::global().commits.inc();
            self.stats.commits += 1;
            if let (Some(feed), Some(rows)) = (&self.feed, summaries) {
                feed.send(rows);
            }
        }
        self.publish();
        self.deliver(pending.outgoing);
        for at in &pending.arrived {
            metrics::global().relay_seconds.observe(at.elapsed());
        }
    }

    /// Updates the process's metrics after a batch (before peers can see its results).
    fn publish(&self) {
        let m = metrics::global();
        m.peers.set(self.engine.joined_peers() as i64);
        m.documents_loaded
            .set(self.engine.loaded_documents() as i64);
        m.publish_engine(self.engine.counters());
        m.arbiter.set(i64::from(self.engine.is_arbiter()));
    }

    /// A failed commit: nothing of this batch may reach a peer.
    fn abandon(&mut self, pending: Pending) {
        for effect in &pending.outgoing {
            if let Effect::DeleteAnswered { request, .. } = effect {
                // Dropping the reply tells the caller the deletion did not happen.
                self.answers.remove(request);
            }
            if let Effect::WriteAnswered { request, .. } = effect {
                self.write_answers.remove(request);
            }
            if let Effect::Send { conn, .. } | Effect::Close { conn, .. } = effect {
                if let Some(handle) = self.conns.remove(conn) {
                    handle.close("storage error; reconnect to resync".into());
                }
            }
        }
        let mut after = Pending::default();
        self.feed(
            Input::CommitFailed {
                docs: pending.changed,
            },
            &mut after,
        );
        self.end_batch(&mut after);
        self.deliver(after.outgoing);
    }

    fn deliver(&mut self, outgoing: Vec<Effect>) {
        for effect in outgoing {
            match effect {
                Effect::Send { conn, message } => self.send(conn, message),
                Effect::Close { conn, reason } => {
                    if let Some(handle) = self.conns.remove(&conn) {
                        handle.close(reason);
                    }
                }
                Effect::DeleteAnswered { request, outcome } => {
                    if let Some(reply) = self.answers.remove(&request) {
                        let _ = reply.send(outcome);
                    }
                }
                Effect::WriteAnswered { request, outcome } => {
                    if let Some(reply) = self.write_answers.remove(&request) {
                        let _ = reply.send(outcome);
                    }
                }
                _ => {}
            }
        }
    }

    fn send(&mut self, conn: ConnId, message: WireMessage) {
        let Some(handle) = self.conns.get(&conn) else {
            return;
        };
        match handle.try_send(message) {
            Ok(()) => {}
            Err(QueueError::Full) => {
                tracing::warn!(conn = conn.0, "peer cannot keep up; disconnecting it");
                handle.close("outbound queue full: peer too slow".into());
                self.conns.remove(&conn);
                self.slow.push(conn);
                self.stats.slow_peers_closed += 1;
                metrics::global().slow_peers_closed.inc();
            }
            Err(QueueError::Gone) => {}
        }
    }

    fn close_all(&mut self, reason: &str) {
        for (_, handle) in self.conns.drain() {
            handle.close(reason.to_owned());
        }
    }

    fn current_stats(&self) -> EngineStats {
        EngineStats {
            connections: self.conns.len(),
            peers: self.engine.joined_peers(),
            loaded_documents: self.engine.loaded_documents(),
            ..self.stats.clone()
        }
    }
}

fn read_failed(error: StorageError) {
    tracing::error!(%error, "reading what another process committed failed; the sweep retries");
}

/// Applies uncommitted writes under `prefix` on top of what storage returned.
fn overlay(
    entries: Vec<(Key, Vec<u8>)>,
    prefix: &[String],
    uncommitted: &WriteBatch,
) -> Vec<(Key, Vec<u8>)> {
    let mut merged: std::collections::BTreeMap<Key, Vec<u8>> = entries.into_iter().collect();
    for op in &uncommitted.ops {
        match op {
            WriteOp::Put { key, value } | WriteOp::Create { key, value }
                if key.starts_with(prefix) =>
            {
                merged.insert(key.clone(), value.clone());
            }
            WriteOp::Delete { key } | WriteOp::Take { key } if key.starts_with(prefix) => {
                merged.remove(key);
            }
            WriteOp::DeletePrefix { prefix: gone }
                if gone.starts_with(prefix) || prefix.starts_with(gone) =>
            {
                merged.retain(|k, _| !k.starts_with(gone));
            }
            _ => {}
        }
    }
    merged.into_iter().collect()
}
