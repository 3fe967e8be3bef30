//! Coalesced fan-out: the engine driven as the runtime drives it, a batch of inputs then
//! `Input::EndOfBatch` then one commit, with real client drivers and an in-memory redb.
//! Each batch must give each peer at most one sync message per document, no
//! `remote-heads-changed` that a sync message of the batch already carried, and still
//! leave every client converged and "saved on server".

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use std::collections::{HashMap, VecDeque};

use crate::sim::append_item;
use automerge::{ReadDoc, ROOT};
use wish_client_core::proto::{decode, encode, DocumentId, PeerId, StorageId, WireMessage};
use wish_client_core::sync::{ClientConfig, ClientDriver, ClientEffect, ClientInput};
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, Input};
use wish_server::storage::{RedbStore, Storage, WriteBatch};

/// Frames of one kind the server sent to one client in one batch.
type Sent = HashMap<(usize, &'static str), usize>;

struct Batched {
    engine: Engine,
    store: RedbStore,
    clients: Vec<ClientDriver>,
    conns: Vec<ConnId>,
    now: u64,
    to_server: VecDeque<(usize, Vec<u8>)>,
}

impl Batched {
    /// `clients` connected and joined (all subscribed to the server's heads).
    fn new(clients: usize) -> Self {
        let engine = Engine::new(
            PeerId::new("server"),
            StorageId::new("server-storage"),
            EngineConfig::default(),
        )
        .coalesce_batches();
        let mut sim = Self {
            engine,
            store: RedbStore::in_memory().unwrap(),
            clients: Vec::new(),
            conns: Vec::new(),
            now: 1_000,
            to_server: VecDeque::new(),
        };
        for i in 0..clients {
            let config = ClientConfig::new(
                PeerId::new(format!("c{i}")),
                Some(StorageId::new(format!("s{i}"))),
                i as u64,
            );
            sim.clients.push(ClientDriver::new(config));
            let conn = ConnId(i as u64 + 1);
            sim.conns.push(conn);
            let principal = wish_server::access::Principal::administrator();
            sim.engine
                .handle(sim.now, Input::Connected { conn, principal });
            sim.client(i, ClientInput::Start);
            sim.client(i, ClientInput::Connected);
        }
        sim.run_until_quiet();
        sim
    }

    fn client(&mut self, i: usize, input: ClientInput) {
        let effects = self.clients[i].handle(self.now, input);
        self.queue(i, effects);
    }

    fn queue(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            if let ClientEffect::Send(bytes) = effect {
                self.to_server.push_back((i, bytes));
            }
        }
    }

    /// One engine batch over every frame waiting for the server; then the commit; then
    /// the batch's frames to the clients. Returns what each client was sent.
    fn batch(&mut self) -> Sent {
        self.now += 1;
        let mut pending = WriteBatch::default();
        let mut held = Vec::new();
        let mut persisted = false;
        let frames: Vec<_> = self.to_server.drain(..).collect();
        for (i, bytes) in frames {
            let message = decode(&bytes).unwrap();
            let conn = self.conns[i];
            self.server(
                Input::Message { conn, message },
                &mut pending,
                &mut held,
                &mut persisted,
            );
        }
        self.server(Input::EndOfBatch, &mut pending, &mut held, &mut persisted);
        self.store.commit(pending).unwrap();
        let mut sent = Sent::new();
        for (conn, message) in held {
            let i = self.conns.iter().position(|c| *c == conn).unwrap();
            *sent.entry((i, message.type_name())).or_default() += 1;
            self.client(i, ClientInput::Frame(encode(&message)));
        }
        sent
    }

    fn server(
        &mut self,
        input: Input,
        pending: &mut WriteBatch,
        held: &mut Vec<(ConnId, WireMessage)>,
        persisted: &mut bool,
    ) {
        for effect in self.engine.handle(self.now, input) {
            match effect {
                Effect::Load(doc) => {
                    self.store.commit(std::mem::take(pending)).unwrap();
                    let entries = self.store.load_range(&[doc.to_string()]).unwrap();
                    self.server(Input::Loaded { doc, entries }, pending, held, persisted);
                }
                Effect::Persist(batch) => {
                    *persisted = true;
                    pending.extend(batch);
                }
                Effect::Send { conn, message } => {
                    if let WireMessage::Sync {
                        document_id, data, ..
                    } = &message
                    {
                        let revealed = !automerge::sync::Message::decode(data)
                            .unwrap()
                            .changes
                            .is_empty();
                        assert!(
                            !revealed || *persisted || self.committed(*document_id),
                            "a sync message carried changes neither committed nor persisted first"
                        );
                    }
                    held.push((conn, message));
                }
                _ => {}
            }
        }
    }

    /// Whether the store holds the document at the engine's heads (nothing unsaved).
    fn committed(&self, doc: DocumentId) -> bool {
        let mut stored = automerge::Automerge::new();
        for (key, bytes) in self.store.load_range(&[doc.to_string()]).unwrap() {
            if matches!(key[1].as_str(), "snapshot" | "incremental") {
                stored.load_incremental(&bytes).unwrap();
            }
        }
        let mut client_view = automerge::Automerge::new();
        // Every client's replica is at most what the server revealed; the server's heads
        // are not visible here, so the check is that the store holds all any client has.
        for c in &self.clients {
            if let Some(d) = c.document(&doc) {
                client_view.merge(&mut d.clone()).unwrap();
            }
        }
        client_view
            .get_heads()
            .iter()
            .all(|h| stored.get_change_by_hash(h).is_some())
    }

    fn run_until_quiet(&mut self) {
        for _ in 0..1_000 {
            if self.to_server.is_empty() {
                return;
            }
            self.batch();
        }
        panic!("the simulated network never went quiet");
    }

    fn push(&mut self, i: usize, doc: DocumentId, item: &str) {
        let item = item.to_owned();
        self.clients[i]
            .change(doc, move |d| append_item(d, &item))
            .unwrap();
        let effects = self.clients[i].take_effects();
        self.queue(i, effects);
    }

    /// A document made by client 0 and opened by every other client.
    fn shared_document(&mut self) -> DocumentId {
        let doc = self.clients[0].create_document([7; 16]).unwrap();
        self.push(0, doc, "first");
        self.run_until_quiet();
        for i in 1..self.clients.len() {
            self.clients[i].open_document(doc);
            let effects = self.clients[i].take_effects();
            self.queue(i, effects);
        }
        self.run_until_quiet();
        doc
    }

    fn items(&self, i: usize, doc: DocumentId) -> usize {
        let d = self.clients[i].document(&doc).unwrap();
        let (_, list) = d.get(ROOT, "items").unwrap().unwrap();
        d.length(&list)
    }

    fn assert_converged_and_saved(&self, doc: DocumentId, items: usize) {
        let heads = self.clients[0].document(&doc).unwrap().get_heads();
        for i in 0..self.clients.len() {
            assert_eq!(self.items(i, doc), items, "client {i} items");
            let d = self.clients[i].document(&doc).unwrap();
            assert_eq!(d.get_heads(), heads, "client {i} heads");
            assert!(self.clients[i].is_saved_on_server(&doc), "client {i} saved");
        }
    }
}

fn count(sent: &Sent, client: usize, kind: &str) -> usize {
    sent.iter()
        .filter(|((i, k), _)| *i == client && *k == kind)
        .map(|(_, n)| n)
        .sum()
}

#[test]
fn changes_of_two_writers_in_one_batch_reach_each_reader_in_one_sync_message() {
    let mut sim = Batched::new(5);
    let doc = sim.shared_document();
    sim.push(0, doc, "from-0");
    sim.push(1, doc, "from-1");
    let sent = sim.batch();
    for reader in 2..5 {
        assert_eq!(count(&sent, reader, "sync"), 1, "reader {reader}: {sent:?}");
        assert_eq!(
            count(&sent, reader, "remote-heads-changed"),
            0,
            "reader {reader}: its sync message carried the heads: {sent:?}"
        );
    }
    for writer in 0..2 {
        // The reply to its change, then the other writer's change (coalesced).
        assert!(
            count(&sent, writer, "sync") <= 2,
            "writer {writer}: {sent:?}"
        );
        assert_eq!(count(&sent, writer, "remote-heads-changed"), 0, "{sent:?}");
    }
    sim.run_until_quiet();
    sim.assert_converged_and_saved(doc, 3);
}

#[test]
fn a_writer_and_its_followers_are_saved_without_remote_heads_changed() {
    let mut sim = Batched::new(4);
    let doc = sim.shared_document();
    let mut heads_frames = 0;
    for k in 0..20 {
        sim.push(0, doc, &format!("n{k}"));
        while !sim.to_server.is_empty() {
            let sent = sim.batch();
            for i in 0..4 {
                assert!(count(&sent, i, "sync") <= 1, "client {i}: {sent:?}");
                heads_frames += count(&sent, i, "remote-heads-changed");
            }
        }
        sim.assert_converged_and_saved(doc, k + 2);
    }
    assert_eq!(
        heads_frames, 0,
        "every head set travelled in a sync message"
    );
}

#[test]
fn a_subscriber_told_nothing_by_sync_still_gets_the_heads() {
    let mut sim = Batched::new(2);
    let doc = sim.shared_document();
    // Client 1 leaves the document's session quiet (it is in sync); a server-side change
    // of the heads it has not been told about must still reach it: here, a change by
    // client 0 while client 1 is offline, then client 1 back.
    sim.client(1, ClientInput::GoOffline);
    sim.engine
        .handle(sim.now, Input::Disconnected { conn: sim.conns[1] });
    sim.push(0, doc, "while-away");
    sim.run_until_quiet();
    let conn = ConnId(99);
    sim.conns[1] = conn;
    let principal = wish_server::access::Principal::administrator();
    sim.engine
        .handle(sim.now, Input::Connected { conn, principal });
    sim.client(1, ClientInput::Connected);
    sim.run_until_quiet();
    sim.assert_converged_and_saved(doc, 2);
}
