//! Several server engines over ONE redb store, as several `serve` processes over one
//! PostgreSQL: each engine has its own peers and its own memory; they learn of each
//! other's commits only through [`StoreNotice`]s, which this harness plays the transport
//! of (after an engine's commit, each other engine is handed a `Committed` notice naming
//! the batch's keys, delivered later, interleaved with the network's frames by a seeded
//! RNG). Real redb, real automerge, the real domain hook; the claim arbiter role is given
//! with `Input::ArbiterChanged` as the runtime's poll would.

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wish_client_core::proto::{decode, encode, DocumentId, PeerId, StorageId};
use wish_client_core::sync::{ClientConfig, ClientDriver, ClientEffect, ClientEvent, ClientInput};
use wish_server::access::Principal;
use wish_server::domain::{process_actor, DomainHook, Read};
use wish_server::engine::PENDING_PREFIX;
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, Input, ReadRequest};
use wish_server::storage::{RedbStore, Storage, StoreNotice, WriteBatch, WriteOp};

const STORAGE: &str = "shared-store";

/// One server process: an engine, alive or killed.
pub struct Node {
    pub engine: Engine,
    pub alive: bool,
}

struct Frame {
    client: usize,
    conn: ConnId,
    to_server: bool,
    bytes: Vec<u8>,
}

pub struct MultiSim {
    pub store: RedbStore,
    pub nodes: Vec<Node>,
    pub clients: Vec<ClientDriver>,
    /// The node each client connects to while it is alive (else the first alive one).
    pub home: Vec<usize>,
    /// `(node, conn)` of each connected client.
    online: Vec<Option<(usize, ConnId)>>,
    /// Documents each client was told are unavailable.
    pub unavailable: Vec<Vec<DocumentId>>,
    pub now: u64,
    rng: StdRng,
    next_conn: u64,
    frames: VecDeque<Frame>,
    notices: VecDeque<(usize, StoreNotice)>,
}

/// A process's engine as `serve` builds it on a shared store: the domain hook, an actor
/// of its own, periodic sweeps; node 0 starts as the arbiter, the others not.
pub fn node_engine(n: usize) -> Engine {
    let actor = process_actor(STORAGE, [n as u8 + 1; 8]);
    let hook = DomainHook::new(actor.clone());
    let mut engine = Engine::new(
        PeerId::new("server"),
        StorageId::new(STORAGE),
        EngineConfig::default(),
    )
    .with_server_actor(actor)
    .with_hook(Box::new(hook))
    .with_shared_store();
    if n > 0 {
        let _ = engine.handle(0, Input::ArbiterChanged(false));
    }
    engine
}

impl MultiSim {
    /// `nodes` engines, `clients` administrator clients spread over them round-robin.
    pub fn new(nodes: usize, clients: usize, seed: u64) -> Self {
        Self {
            store: RedbStore::in_memory().unwrap(),
            nodes: (0..nodes)
                .map(|n| Node {
                    engine: node_engine(n),
                    alive: true,
                })
                .collect(),
            clients: (0..clients)
                .map(|i| {
                    ClientDriver::new(ClientConfig::new(
                        PeerId::new(format!("c{i}")),
                        Some(StorageId::new(format!("s{i}"))),
                        i as u64 ^ seed.rotate_left(17),
                    ))
                })
                .collect(),
            home: (0..clients).map(|i| i % nodes).collect(),
            online: vec![None; clients],
            unavailable: vec![Vec::new(); clients],
            now: 1_000,
            rng: StdRng::seed_from_u64(seed),
            next_conn: 1,
            frames: VecDeque::new(),
            notices: VecDeque::new(),
        }
    }

    pub fn connect_all(&mut self) {
        for i in 0..self.clients.len() {
            let effects = self.clients[i].handle(self.now, ClientInput::Start);
            self.client_effects(i, effects);
        }
        self.run_until_quiet();
    }

    fn client_effects(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Connect => self.open_socket(i),
                ClientEffect::Send(bytes) => {
                    if let Some((_, conn)) = self.online[i] {
                        let to_server = true;
                        self.frames.push_back(Frame {
                            client: i,
                            conn,
                            to_server,
                            bytes,
                        });
                    }
                }
                ClientEffect::CloseSocket => {
                    if let Some((node, conn)) = self.online[i].take() {
                        self.server_input(node, Input::Disconnected { conn });
                    }
                }
                ClientEffect::Event(ClientEvent::DocUnavailable(doc)) => {
                    self.unavailable[i].push(doc)
                }
                ClientEffect::Store(_) | ClientEffect::Event(_) => {}
            }
        }
    }

    /// The node a client reaches: its home, or (a load balancer) the first alive one.
    fn node_for(&self, i: usize) -> Option<usize> {
        let home = self.home[i];
        if self.nodes[home].alive {
            return Some(home);
        }
        self.nodes.iter().position(|n| n.alive)
    }

    fn open_socket(&mut self, i: usize) {
        let Some(node) = self.node_for(i) else {
            let reason = "no server".to_owned();
            let more = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
            return self.client_effects(i, more);
        };
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        self.online[i] = Some((node, conn));
        let principal = Principal::administrator();
        self.server_input(node, Input::Connected { conn, principal });
        let more = self.clients[i].handle(self.now, ClientInput::Connected);
        self.client_effects(i, more);
    }

    fn drop_connection(&mut self, i: usize, reason: &str) {
        if let Some((node, conn)) = self.online[i].take() {
            self.frames.retain(|f| f.conn != conn);
            self.server_input(node, Input::Disconnected { conn });
            let reason = reason.to_owned();
            let more = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
            self.client_effects(i, more);
        }
    }

    /// One input to one node; its messages go out after its writes are committed, and
    /// every other live node is then sent a notice of the commit.
    pub fn server_input(&mut self, node: usize, input: Input) {
        if !self.nodes[node].alive {
            return;
        }
        let effects = self.nodes[node].engine.handle(self.now, input);
        let mut pending = WriteBatch::default();
        let mut outgoing = Vec::new();
        for effect in effects {
            match effect {
                Effect::Persist(batch) => pending.extend(batch),
                Effect::Send { conn, message } => outgoing.push((conn, message)),
                Effect::Close { conn, .. } => {
                    if let Some(i) = self.client_on(node, conn) {
                        self.drop_connection(i, "closed");
                    }
                }
                Effect::Load(doc) => {
                    self.commit(node, std::mem::take(&mut pending));
                    let entries = self.store.load_range(&[doc.to_string()]).unwrap();
                    self.server_input(node, Input::Loaded { doc, entries });
                }
                Effect::Read(request) => {
                    self.commit(node, std::mem::take(&mut pending));
                    let entries = self.read(&request);
                    self.server_input(node, Input::ReadDone { request, entries });
                }
                Effect::ScanPendingArbitrations => {
                    self.commit(node, std::mem::take(&mut pending));
                    let keys = self.pending_keys();
                    self.server_input(node, Input::PendingArbitrations(keys));
                }
                Effect::DocChanged(_)
                | Effect::DeleteAnswered { .. }
                | Effect::WriteAnswered { .. } => {}
            }
        }
        self.commit(node, pending);
        for (conn, message) in outgoing {
            if let Some(client) = self.client_on(node, conn) {
                let bytes = encode(&message);
                let to_server = false;
                self.frames.push_back(Frame {
                    client,
                    conn,
                    to_server,
                    bytes,
                });
            }
        }
    }

    fn client_on(&self, node: usize, conn: ConnId) -> Option<usize> {
        self.online.iter().position(|c| *c == Some((node, conn)))
    }

    fn commit(&mut self, node: usize, batch: WriteBatch) {
        if batch.is_empty() {
            return;
        }
        let notice = notice_of(&batch);
        self.store.commit(batch).unwrap();
        for other in 0..self.nodes.len() {
            if other != node && self.nodes[other].alive {
                self.notices.push_back((other, notice.clone()));
            }
        }
    }

    fn read(&self, request: &ReadRequest) -> Vec<(Vec<String>, Vec<u8>)> {
        let mut entries = Vec::new();
        for range in &request.ranges {
            entries.extend(self.store.load_range(range).unwrap());
        }
        for key in &request.keys {
            if let Some(value) = self.store.load(key).unwrap() {
                entries.push((key.clone(), value));
            }
        }
        entries
    }

    /// Every arbitration queue key in the store.
    pub fn pending_keys(&self) -> Vec<Vec<String>> {
        let prefix = [PENDING_PREFIX.to_owned()];
        let rows = self.store.load_range(&prefix).unwrap();
        rows.into_iter().map(|(k, _)| k).collect()
    }

    /// Delivers frames and notices, in a seeded interleaving, until none are left.
    pub fn run_until_quiet(&mut self) {
        for _ in 0..100_000 {
            self.now += 1;
            let take_notice =
                !self.notices.is_empty() && (self.frames.is_empty() || self.rng.random_bool(0.5));
            if take_notice {
                let (node, notice) = self.notices.pop_front().unwrap();
                self.server_input(node, Input::StoreNotice(notice));
            } else if let Some(frame) = self.frames.pop_front() {
                self.deliver(frame);
            } else {
                return;
            }
        }
        panic!("the simulated processes never went quiet");
    }

    /// The notice stream loses every notice now on its way.
    pub fn lose_notices(&mut self) {
        self.notices.clear();
    }

    /// Delivers frames until none are left; notices wait.
    pub fn run_frames_only(&mut self) {
        while !self.frames.is_empty() {
            self.run_one_frame();
        }
    }

    /// Delivers the next frame only (notices wait).
    pub fn run_one_frame(&mut self) {
        self.now += 1;
        if let Some(frame) = self.frames.pop_front() {
            self.deliver(frame);
        }
    }

    fn deliver(&mut self, frame: Frame) {
        let Some((node, conn)) = self.online[frame.client] else {
            return;
        };
        if conn != frame.conn {
            return;
        }
        if frame.to_server {
            let message = decode(&frame.bytes).unwrap();
            self.server_input(node, Input::Message { conn, message });
        } else {
            let effects =
                self.clients[frame.client].handle(self.now, ClientInput::Frame(frame.bytes));
            self.client_effects(frame.client, effects);
        }
    }

    /// Lets time pass (reconnects, the sweep) and ticks every client and node.
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        for i in 0..self.clients.len() {
            let effects = self.clients[i].handle(self.now, ClientInput::Tick);
            self.client_effects(i, effects);
        }
        for node in 0..self.nodes.len() {
            self.server_input(node, Input::Tick);
        }
    }

    /// The process dies (SIGKILL): its sockets close, notices to it are lost.
    pub fn kill(&mut self, node: usize) {
        self.nodes[node].alive = false;
        self.notices.retain(|(n, _)| *n != node);
        for i in 0..self.clients.len() {
            if matches!(self.online[i], Some((n, _)) if n == node) {
                let (_, conn) = self.online[i].take().unwrap();
                self.frames.retain(|f| f.conn != conn);
                let reason = "server gone".to_owned();
                let more = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
                self.client_effects(i, more);
            }
        }
    }

    /// Client `i` edits a document (and sends the change when online).
    pub fn change<R>(
        &mut self,
        i: usize,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::Automerge) -> R,
    ) -> R {
        let result = self.clients[i].change(doc, f).unwrap();
        let effects = self.clients[i].take_effects();
        self.client_effects(i, effects);
        result
    }

    /// Client `i` follows a document the server has.
    pub fn open(&mut self, i: usize, doc: DocumentId) {
        self.clients[i].open_document(doc);
        let effects = self.clients[i].take_effects();
        self.client_effects(i, effects);
    }

    /// The summary row stored for a wish, and the one derived from the stored wish now.
    pub fn summary_rows(&self, wish: DocumentId) -> (Option<String>, Option<String>) {
        let key = wish_server::domain::summary_key(&wish.to_string());
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        let stored = self.store.load(&key).unwrap().map(text);
        let mut batch = WriteBatch::default();
        let doc = self.stored(wish);
        wish_server::domain::write_derived_rows(&wish, &doc, Read::Nothing, &mut batch);
        let derived = batch.ops.into_iter().find_map(|op| match op {
            WriteOp::Put { key: k, value } if k == key => Some(text(value)),
            _ => None,
        });
        (stored, derived)
    }

    /// The document as the shared store holds it.
    pub fn stored(&self, doc: DocumentId) -> automerge::Automerge {
        let mut stored = automerge::Automerge::new();
        for (k, v) in self.store.load_range(&[doc.to_string()]).unwrap() {
            if k.get(1)
                .is_some_and(|p| p == "snapshot" || p == "incremental")
            {
                stored.load_incremental(&v).unwrap();
            }
        }
        stored
    }
}

/// The notice PostgreSQL would send for a committed batch.
fn notice_of(batch: &WriteBatch) -> StoreNotice {
    let (mut puts, mut deletes, mut delete_prefixes) = (Vec::new(), Vec::new(), Vec::new());
    for op in &batch.ops {
        match op {
            WriteOp::Put { key, .. } | WriteOp::Create { key, .. } => puts.push(key.clone()),
            WriteOp::Delete { key } | WriteOp::Take { key } => deletes.push(key.clone()),
            WriteOp::DeletePrefix { prefix } => delete_prefixes.push(prefix.clone()),
        }
    }
    StoreNotice::Committed {
        puts,
        deletes,
        delete_prefixes,
    }
}
