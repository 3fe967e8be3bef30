//! The engine as the engine thread drives it, over an in-memory redb store: loads are
//! served from the store and persists committed at once; one peer's inputs by number.
//! Shared by `engine_robustness.rs` and the fuzz targets (`server/fuzz`, which include
//! this file by path), so the property tests and the fuzzers drive the same harness.

use wish_client_core::proto::{DocumentId, PeerId, StorageId, WireMessage};
use wish_server::access::Principal;
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, Input};
use wish_server::storage::{RedbStore, Storage};

pub struct Harness {
    engine: Engine,
    pub store: RedbStore,
    now: u64,
}

impl Harness {
    pub fn new() -> Self {
        let config = EngineConfig {
            idle_unload_ms: 5,
            compact_after_chunks: 3,
            ..EngineConfig::default()
        };
        Self {
            engine: Engine::new(PeerId::new("server"), StorageId::new("s"), config),
            store: RedbStore::in_memory().expect("an in-memory store opens"),
            now: 1,
        }
    }

    pub fn feed(&mut self, input: Input) {
        self.now += 1;
        for effect in self.engine.handle(self.now, input) {
            match effect {
                Effect::Load(doc) => {
                    let entries = self
                        .store
                        .load_range(&[doc.to_string()])
                        .unwrap_or_default();
                    self.feed(Input::Loaded { doc, entries });
                }
                // An in-memory commit cannot fail but by a bug: a failure is a finding.
                Effect::Persist(batch) => self.store.commit(batch).expect("in-memory commit"),
                Effect::Send { .. }
                | Effect::Close { .. }
                | Effect::DocChanged(_)
                | Effect::DeleteAnswered { .. }
                | Effect::WriteAnswered { .. }
                // Only engines on a store other processes share read these.
                | Effect::Read(_)
                | Effect::ScanPendingArbitrations => {}
            }
        }
    }

    pub fn connect(&mut self, conn: u8) {
        self.feed(Input::Connected {
            conn: ConnId(u64::from(conn)),
            principal: Principal::administrator(),
        });
    }

    pub fn join(&mut self, conn: u8) {
        self.message(
            conn,
            WireMessage::Join {
                sender_id: peer(conn),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: None,
            },
        );
    }

    pub fn message(&mut self, conn: u8, message: WireMessage) {
        self.feed(Input::Message {
            conn: ConnId(u64::from(conn)),
            message,
        });
    }

    /// A sync (or request) message with an arbitrary payload for document `d`.
    pub fn sync(&mut self, conn: u8, d: u8, data: Vec<u8>, request: bool) {
        let (sender_id, target_id, document_id) = (peer(conn), PeerId::new("server"), doc(d));
        let message = if request {
            WireMessage::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
        } else {
            WireMessage::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            }
        };
        self.message(conn, message);
    }

    pub fn disconnect(&mut self, conn: u8) {
        self.feed(Input::Disconnected {
            conn: ConnId(u64::from(conn)),
        });
    }

    pub fn tick(&mut self) {
        self.now += 10;
        self.feed(Input::Tick);
    }
}

pub fn peer(conn: u8) -> PeerId {
    PeerId::new(format!("p{conn}"))
}

pub fn doc(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}
