//! The one simulation harness of the server's tests: the sans-IO engine and sans-IO client
//! drivers wired together in memory, with a virtual clock, a store (redb in memory or on a
//! crashing disk, or PostgreSQL: [`Backend`]) and a seeded network that can reset connections, deliver connections'
//! frames in any interleaving, and cut clients off (partition).
//!
//! Like the runtime (`runtime/engine_thread.rs`), the messages of one engine input go out
//! only after that input's writes were committed; a failed commit kills the server (the
//! test restarts it with [`Sim::restart`]).

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use std::collections::VecDeque;
use std::sync::Arc;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wish_client_core::proto::{decode, encode, DocumentId, PeerId, StorageId};
use wish_client_core::sync::{ClientConfig, ClientDriver, ClientEffect, ClientInput};
use wish_server::access::Principal;
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, Input};
use wish_server::storage::{PostgresStore, RedbStore, Storage, WriteBatch};

/// What the network does wrong, each a probability per delivered frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// The frame's connection resets: this frame and every later one in flight on it are
    /// lost, both ends see the socket close (a WebSocket never loses a frame otherwise).
    pub reset: f64,
    /// Frames of different connections arrive in a random interleaving (each connection
    /// stays in order, as TCP keeps it).
    pub interleave: bool,
}

/// A frame in flight: which client's connection, which way, the bytes.
struct Frame {
    client: usize,
    conn: ConnId,
    to_server: bool,
    bytes: Vec<u8>,
}

/// The storage backend a case runs on: each engine suite runs its main cases on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Redb,
    Postgres,
}

impl Backend {
    /// A fresh, empty store: redb in memory, or a new database on the test binary's
    /// throwaway PostgreSQL cluster. `None` when `WISH_SKIP_POSTGRES=1` skips PostgreSQL.
    pub fn store(self) -> Option<Arc<dyn Storage>> {
        match self {
            Self::Redb => Some(Arc::new(RedbStore::in_memory().unwrap())),
            Self::Postgres => {
                let url = wish_pg_cluster::test_database()?;
                Some(Arc::new(PostgresStore::open(&url).unwrap()))
            }
        }
    }
}

pub struct Sim {
    pub engine: Engine,
    pub store: Option<Arc<dyn Storage>>,
    pub clients: Vec<ClientDriver>,
    pub online: Vec<Option<ConnId>>,
    /// Clients cut off: their connection attempts fail until healed.
    pub partitioned: Vec<bool>,
    pub server_dead: bool,
    pub now: u64,
    pub faults: Faults,
    rng: StdRng,
    next_conn: u64,
    in_flight: VecDeque<Frame>,
}

pub fn new_engine() -> Engine {
    Engine::new(
        PeerId::new("server"),
        StorageId::new("server-storage"),
        EngineConfig::default(),
    )
}

impl Sim {
    /// `clients` administrator clients, an in-memory store, a perfect network.
    pub fn new(clients: usize) -> Self {
        Self::on(Backend::Redb, clients).unwrap()
    }

    /// Like [`Sim::new`] on `backend`; `None` when that backend's tests are skipped.
    pub fn on(backend: Backend, clients: usize) -> Option<Self> {
        Some(Self::with_store(clients, backend.store()?, 0))
    }

    pub fn with_store(clients: usize, store: Arc<dyn Storage>, seed: u64) -> Self {
        let clients: Vec<ClientDriver> = (0..clients)
            .map(|i| {
                ClientDriver::new(ClientConfig::new(
                    PeerId::new(format!("c{i}")),
                    Some(StorageId::new(format!("s{i}"))),
                    i as u64 ^ seed.rotate_left(17),
                ))
            })
            .collect();
        Self {
            engine: new_engine(),
            store: Some(store),
            online: vec![None; clients.len()],
            partitioned: vec![false; clients.len()],
            clients,
            server_dead: false,
            now: 1_000,
            faults: Faults::default(),
            rng: StdRng::seed_from_u64(seed),
            next_conn: 1,
            in_flight: VecDeque::new(),
        }
    }

    pub fn connect(&mut self, i: usize) {
        let effects = self.clients[i].handle(self.now, ClientInput::Start);
        self.client_effects(i, effects);
    }

    pub fn disconnect(&mut self, i: usize) {
        let effects = self.clients[i].handle(self.now, ClientInput::GoOffline);
        self.client_effects(i, effects);
    }

    /// Feeds a client's effects back into the simulation.
    pub fn client_effects(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Connect => self.open_socket(i),
                ClientEffect::Send(bytes) => {
                    if let Some(conn) = self.online[i] {
                        self.in_flight.push_back(Frame {
                            client: i,
                            conn,
                            to_server: true,
                            bytes,
                        });
                    }
                }
                ClientEffect::CloseSocket => {
                    if let Some(conn) = self.online[i].take() {
                        self.server_input(Input::Disconnected { conn });
                    }
                }
                ClientEffect::Store(_) | ClientEffect::Event(_) => {}
            }
        }
    }

    fn open_socket(&mut self, i: usize) {
        if self.server_dead || self.partitioned[i] {
            let reason = "server unreachable".to_owned();
            let more = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
            return self.client_effects(i, more);
        }
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        self.online[i] = Some(conn);
        let principal = Principal::administrator();
        self.server_input(Input::Connected { conn, principal });
        let more = self.clients[i].handle(self.now, ClientInput::Connected);
        self.client_effects(i, more);
    }

    /// The client's socket closes under it (network reset, server gone).
    pub fn drop_connection(&mut self, i: usize, reason: &str) {
        if let Some(conn) = self.online[i].take() {
            self.in_flight.retain(|f| f.conn != conn);
            self.server_input(Input::Disconnected { conn });
            let reason = reason.to_owned();
            let more = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
            self.client_effects(i, more);
        }
    }

    /// Cuts client `i` off (`true`) or lets it reach the server again.
    pub fn partition(&mut self, i: usize, cut: bool) {
        self.partitioned[i] = cut;
        if cut {
            self.drop_connection(i, "network partition");
        }
    }

    /// Commits; a failed commit kills the server.
    fn commit(&mut self, batch: WriteBatch) -> bool {
        let committed = self.store.as_ref().is_some_and(|s| s.commit(batch).is_ok());
        if !committed {
            self.server_dead = true;
        }
        committed
    }

    /// One engine input; like the runtime, messages go out only after the commit.
    pub fn server_input(&mut self, input: Input) {
        if self.server_dead {
            return;
        }
        let effects = self.engine.handle(self.now, input);
        let mut pending = WriteBatch::default();
        let mut outgoing = Vec::new();
        for effect in effects {
            match effect {
                Effect::Load(doc) => {
                    if !self.commit(std::mem::take(&mut pending)) || !self.load(doc) {
                        return;
                    }
                }
                Effect::Persist(batch) => pending.extend(batch),
                Effect::Send { conn, message } => outgoing.push((conn, message)),
                Effect::Close { conn, .. } => {
                    if let Some(i) = self.online.iter().position(|c| *c == Some(conn)) {
                        self.drop_connection(i, "closed");
                    }
                }
                Effect::DocChanged(_)
                | Effect::DeleteAnswered { .. }
                | Effect::WriteAnswered { .. } => {}
            }
        }
        if !self.commit(pending) {
            return;
        }
        for (conn, message) in outgoing {
            if let Some(i) = self.online.iter().position(|c| *c == Some(conn)) {
                let bytes = encode(&message);
                let frame = Frame {
                    client: i,
                    conn,
                    to_server: false,
                    bytes,
                };
                self.in_flight.push_back(frame);
            }
        }
    }

    fn load(&mut self, doc: DocumentId) -> bool {
        let loaded = self
            .store
            .as_ref()
            .map(|s| s.load_range(&[doc.to_string()]));
        let Some(Ok(entries)) = loaded else {
            self.server_dead = true;
            return false;
        };
        self.server_input(Input::Loaded { doc, entries });
        !self.server_dead
    }

    /// Delivers frames until nothing is in flight or the server died.
    pub fn run_until_quiet(&mut self) {
        for _ in 0..50_000 {
            self.now += 1;
            let Some(frame) = self.next_frame() else {
                return;
            };
            self.deliver(frame);
        }
        panic!("the simulated network never went quiet");
    }

    /// Delivers at most `n` frames (a network caught mid-flight).
    pub fn deliver_some(&mut self, n: usize) {
        for _ in 0..n {
            self.now += 1;
            let Some(frame) = self.next_frame() else {
                return;
            };
            self.deliver(frame);
        }
    }

    /// The next frame: the oldest, or (interleaving) the oldest of a random connection.
    fn next_frame(&mut self) -> Option<Frame> {
        if self.server_dead {
            self.in_flight.retain(|f| !f.to_server);
        }
        if !self.faults.interleave || self.in_flight.len() < 2 {
            return self.in_flight.pop_front();
        }
        let pick = self.rng.random_range(0..self.in_flight.len());
        let (conn, to_server) = (self.in_flight[pick].conn, self.in_flight[pick].to_server);
        let first = self
            .in_flight
            .iter()
            .position(|f| f.conn == conn && f.to_server == to_server)?;
        self.in_flight.remove(first)
    }

    fn deliver(&mut self, frame: Frame) {
        if self.online[frame.client] != Some(frame.conn) {
            return; // that socket is gone
        }
        if self.faults.reset > 0.0 && self.rng.random_bool(self.faults.reset) {
            return self.drop_connection(frame.client, "connection reset");
        }
        if frame.to_server {
            let message = decode(&frame.bytes).unwrap();
            let conn = frame.conn;
            self.server_input(Input::Message { conn, message });
        } else {
            let input = ClientInput::Frame(frame.bytes);
            let effects = self.clients[frame.client].handle(self.now, input);
            self.client_effects(frame.client, effects);
        }
    }

    /// Takes the frames on their way to the server, for a test that drives the engine by
    /// hand and looks at its effects.
    pub fn take_to_server(&mut self) -> Vec<(ConnId, Vec<u8>)> {
        let (to_server, rest) = std::mem::take(&mut self.in_flight)
            .into_iter()
            .partition(|f: &Frame| f.to_server);
        self.in_flight = rest;
        to_server.into_iter().map(|f| (f.conn, f.bytes)).collect()
    }

    /// Lets time pass (reconnect backoffs, idle unloading) and ticks everyone.
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        for i in 0..self.clients.len() {
            let effects = self.clients[i].handle(self.now, ClientInput::Tick);
            self.client_effects(i, effects);
        }
        self.server_input(Input::Tick);
    }

    /// Client `i` follows `doc` (opens it and starts syncing it).
    pub fn open(&mut self, i: usize, doc: DocumentId) {
        self.clients[i].open_document(doc);
        let effects = self.clients[i].take_effects();
        self.client_effects(i, effects);
    }

    /// Client `i` appends `item` to the document's `items` list.
    pub fn push(&mut self, i: usize, doc: DocumentId, item: &str) {
        let item = item.to_owned();
        self.clients[i]
            .change(doc, move |d| append_item(d, &item))
            .unwrap();
        let effects = self.clients[i].take_effects();
        self.client_effects(i, effects);
    }

    /// How many items a document holds.
    pub fn items_in(doc: &Automerge) -> usize {
        doc.get(ROOT, "items")
            .unwrap()
            .map_or(0, |(_, list)| doc.length(&list))
    }

    /// The items client `i` sees, sorted.
    pub fn items(&self, i: usize, doc: DocumentId) -> Vec<String> {
        let Some(d) = self.clients[i].document(&doc) else {
            return Vec::new();
        };
        let Some((_, list)) = d.get(ROOT, "items").unwrap() else {
            return Vec::new();
        };
        let mut items: Vec<String> = (0..d.length(&list))
            .map(|k| d.get(&list, k).unwrap().unwrap().0.into_string().unwrap())
            .collect();
        items.sort();
        items
    }

    /// The server process dies: sockets close, frames in flight are lost (those already
    /// on their way to a client still arrive, their replies go nowhere).
    pub fn kill_server(&mut self) {
        for frame in std::mem::take(&mut self.in_flight) {
            if !frame.to_server && self.online[frame.client] == Some(frame.conn) {
                let _ =
                    self.clients[frame.client].handle(self.now, ClientInput::Frame(frame.bytes));
            }
        }
        self.server_dead = true;
        for i in 0..self.clients.len() {
            if self.online[i].take().is_some() {
                let reason = "server crashed".to_owned();
                let _ = self.clients[i].handle(self.now, ClientInput::Disconnected { reason });
            }
        }
        self.store = None;
    }

    /// A fresh server process on `store`.
    pub fn restart(&mut self, store: Arc<dyn Storage>) {
        self.store = Some(store);
        self.engine = new_engine();
        self.server_dead = false;
    }

    /// The document as the server's storage holds it.
    pub fn stored(&self, doc: DocumentId) -> Automerge {
        let entries = self
            .store
            .as_ref()
            .unwrap()
            .load_range(&[doc.to_string()])
            .unwrap();
        let mut bytes = Vec::new();
        for (k, v) in entries {
            if k.get(1)
                .is_some_and(|p| p == "snapshot" || p == "incremental")
            {
                bytes.extend(v);
            }
        }
        Automerge::load(&bytes).unwrap()
    }

    /// Every head a client was told is saved on the server is in the server's storage.
    pub fn assert_promises_kept(&self, docs: &[DocumentId], context: &str) {
        for (i, client) in self.clients.iter().enumerate() {
            for doc in docs {
                let Some(copy) = client.document(doc) else {
                    continue;
                };
                if !client.is_saved_on_server(doc) {
                    continue;
                }
                let stored = self.stored(*doc);
                for head in copy.get_heads() {
                    assert!(
                        stored.get_change_by_hash(&head).is_some(),
                        "{context}: client {i} was told {head} of {doc} was saved, \
                         but the server's storage lacks it"
                    );
                }
            }
        }
    }
}

/// Appends `item` to the document's `items` list (made on first use), in one change.
pub fn append_item(d: &mut Automerge, item: &str) {
    let mut tx = d.transaction();
    let list = match tx.get(ROOT, "items").unwrap() {
        Some((_, id)) => id,
        None => tx.put_object(ROOT, "items", ObjType::List).unwrap(),
    };
    let len = tx.length(&list);
    tx.insert(&list, len, item).unwrap();
    tx.commit();
}
