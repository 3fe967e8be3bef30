//! The engine's abuse limits, fed the traffic a hostile device would send: messages that
//! are valid at the protocol level but would make the server hold or do without bound.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::io::Write;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use wish_client_core::proto::{DocumentId, PeerId, StorageId, WireMessage};
use wish_server::access::{Principal, Role};
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, EngineLimits, Input};

fn principal(id: &str, role: Role) -> Principal {
    Principal {
        device_id: id.into(),
        role,
        person: format!("p-{id}"),
        community: Some("c1".into()),
        stations: BTreeSet::from(["A".to_owned()]),
        covers: Default::default(),
    }
}

/// An engine whose loads find nothing stored, driven like the engine thread drives it.
struct Harness {
    engine: Engine,
    now: u64,
}

impl Harness {
    fn new(limits: EngineLimits) -> Self {
        let config = EngineConfig {
            limits,
            ..EngineConfig::default()
        };
        let engine = Engine::new(PeerId::new("server"), StorageId::new("s"), config);
        Self { engine, now: 1 }
    }

    fn feed(&mut self, input: Input) -> Vec<Effect> {
        self.now += 1;
        let mut effects = self.engine.handle(self.now, input);
        let loads: Vec<DocumentId> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Load(doc) => Some(*doc),
                _ => None,
            })
            .collect();
        for doc in loads {
            let entries = Vec::new();
            effects.extend(self.feed(Input::Loaded { doc, entries }));
        }
        effects
    }

    fn connect(&mut self, conn: u64, who: Principal) {
        let conn = ConnId(conn);
        self.feed(Input::Connected {
            conn,
            principal: who,
        });
        let join = WireMessage::Join {
            sender_id: peer(conn.0),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: None,
        };
        self.feed(Input::Message {
            conn,
            message: join,
        });
    }

    fn sync(&mut self, conn: u64, doc: DocumentId, data: Vec<u8>) -> Vec<Effect> {
        let message = WireMessage::Sync {
            sender_id: peer(conn),
            target_id: PeerId::new("server"),
            document_id: doc,
            data,
        };
        self.feed(Input::Message {
            conn: ConnId(conn),
            message,
        })
    }

    fn ephemeral(&mut self, conn: u64, doc: DocumentId, data: Vec<u8>) -> Vec<Effect> {
        let message = WireMessage::Ephemeral {
            sender_id: peer(conn),
            target_id: PeerId::new("server"),
            document_id: doc,
            session_id: format!("session-{conn}"),
            count: 1,
            data,
        };
        self.feed(Input::Message {
            conn: ConnId(conn),
            message,
        })
    }

    /// Syncs `local` with the server over `conn` until neither side has more to say;
    /// returns every effect on the way.
    fn sync_fully(&mut self, conn: u64, doc: DocumentId, local: &mut AutoCommit) -> Vec<Effect> {
        let mut state = sync::State::new();
        let mut all = Vec::new();
        for _ in 0..10 {
            let Some(message) = local.sync().generate_sync_message(&mut state) else {
                break;
            };
            let effects = self.sync(conn, doc, message.encode());
            let replies = sync_replies(&effects, conn);
            all.extend(effects);
            for reply in replies {
                let decoded = sync::Message::decode(&reply).unwrap();
                local
                    .sync()
                    .receive_sync_message(&mut state, decoded)
                    .unwrap();
            }
        }
        all
    }

    fn heads(&mut self, conn: u64, doc: DocumentId) -> Vec<automerge::ChangeHash> {
        let mut probe = AutoCommit::new();
        self.sync_fully(conn, doc, &mut probe);
        probe.get_heads()
    }
}

fn peer(conn: u64) -> PeerId {
    PeerId::new(format!("peer-{conn}"))
}

fn doc_id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn closed(effects: &[Effect], conn: u64) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Close { conn: c, reason } if *c == ConnId(conn) => Some(reason.clone()),
        _ => None,
    })
}

fn sync_replies(effects: &[Effect], conn: u64) -> Vec<Vec<u8>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send {
                conn: c,
                message: WireMessage::Sync { data, .. },
            } if *c == ConnId(conn) => Some(data.clone()),
            _ => None,
        })
        .collect()
}

fn ephemerals_to(effects: &[Effect], conn: u64) -> usize {
    effects
        .iter()
        .filter(|e| {
            matches!(e, Effect::Send { conn: c, message: WireMessage::Ephemeral { .. } } if *c == ConnId(conn))
        })
        .count()
}

fn document_with(key: &str) -> AutoCommit {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, key, "value").unwrap();
    doc
}

/// A sync message carrying exactly these chunks.
fn message_with_chunks(chunks: Vec<Vec<u8>>) -> Vec<u8> {
    let mut carrier = document_with("carrier");
    let mut message = carrier
        .sync()
        .generate_sync_message(&mut sync::State::new())
        .unwrap();
    message.changes = chunks.into();
    message.encode()
}

#[test]
fn a_connection_may_follow_only_so_many_documents() {
    let limits = EngineLimits {
        max_documents_per_connection: 3,
        ..EngineLimits::default()
    };
    let mut h = Harness::new(limits);
    h.connect(1, principal("admin", Role::Administrator));
    for n in 0..3 {
        let mut local = document_with("k");
        h.sync_fully(1, doc_id(n), &mut local);
    }
    let mut fourth = document_with("k");
    let message = fourth
        .sync()
        .generate_sync_message(&mut sync::State::new())
        .unwrap();
    let effects = h.sync(1, doc_id(9), message.encode());
    let reason = closed(&effects, 1).expect("the fourth document closes the connection");
    assert!(reason.contains("more than 3 documents"), "{reason}");
}

#[test]
fn a_deflate_bomb_is_refused_before_automerge_inflates_it() {
    let mut h = Harness::new(EngineLimits::default());
    h.connect(1, principal("admin", Role::Administrator));
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; 256 << 20]).unwrap();
    let deflated = encoder.finish().unwrap();
    let mut bomb = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    leb128::write::unsigned(&mut bomb, deflated.len() as u64).unwrap();
    bomb.extend(deflated);
    assert!(bomb.len() < 1 << 20, "a frame the socket accepts");
    let effects = h.sync(1, doc_id(1), message_with_chunks(vec![bomb]));
    let reason = closed(&effects, 1).expect("the bomb closes the connection");
    assert!(reason.contains("inflate beyond"), "{reason}");
    h.connect(2, principal("admin2", Role::Administrator));
    assert!(h.heads(2, doc_id(1)).is_empty(), "nothing of it was kept");
}

#[test]
fn changes_waiting_for_missing_dependencies_are_bounded_per_document() {
    let limits = EngineLimits {
        max_waiting_change_bytes: 400,
        ..EngineLimits::default()
    };
    let mut h = Harness::new(limits);
    h.connect(1, principal("admin", Role::Administrator));
    let mut local = document_with("base");
    h.sync_fully(1, doc_id(1), &mut local);
    let base = local.get_heads();
    local.put(ROOT, "first", "x").unwrap();
    local.commit();
    let mut orphans = Vec::new();
    for i in 0..10 {
        local
            .put(ROOT, format!("orphan-{i}"), "y".repeat(40))
            .unwrap();
        local.commit();
        orphans.push(local.get_last_local_change().unwrap().raw_bytes().to_vec());
    }
    let mut reason = None;
    for orphan in &orphans {
        let effects = h.sync(1, doc_id(1), message_with_chunks(vec![orphan.clone()]));
        reason = closed(&effects, 1);
        if reason.is_some() {
            break;
        }
    }
    let reason = reason.expect("orphans past the bound close the connection");
    assert!(reason.contains("wait for dependencies"), "{reason}");
    h.connect(2, principal("admin2", Role::Administrator));
    assert_eq!(h.heads(2, doc_id(1)), base, "the server kept what it had");
    h.connect(3, principal("admin", Role::Administrator));
    h.sync_fully(3, doc_id(1), &mut local);
    h.connect(4, principal("admin3", Role::Administrator));
    assert_eq!(
        h.heads(4, doc_id(1)),
        local.get_heads(),
        "an honest resync delivers every change, the dropped ones included"
    );
}

#[test]
fn ephemeral_messages_are_relayed_only_from_peers_syncing_the_document_and_capped() {
    let limits = EngineLimits {
        max_ephemeral_bytes: 1024,
        ..EngineLimits::default()
    };
    let mut h = Harness::new(limits);
    h.connect(1, principal("admin", Role::Administrator));
    h.connect(2, principal("admin2", Role::Administrator));
    h.connect(3, principal("stranger", Role::Administrator));
    let mut local = document_with("k");
    h.sync_fully(1, doc_id(1), &mut local);
    let mut follower = AutoCommit::new();
    h.sync_fully(2, doc_id(1), &mut follower);

    let from_stranger = h.ephemeral(3, doc_id(1), vec![1; 10]);
    assert_eq!(ephemerals_to(&from_stranger, 1), 0, "no session, no relay");
    let from_member = h.ephemeral(2, doc_id(1), vec![1; 10]);
    assert_eq!(ephemerals_to(&from_member, 1), 1);
    let too_big = h.ephemeral(2, doc_id(1), vec![1; 2048]);
    assert_eq!(ephemerals_to(&too_big, 1), 0);
    let reason = closed(&too_big, 2).expect("an oversized ephemeral closes the sender");
    assert!(reason.contains("over 1024 bytes"), "{reason}");
}

#[test]
fn a_device_past_its_hourly_refusals_is_disconnected_and_nothing_more_is_stored() {
    let limits = EngineLimits {
        refusals_per_device_hour: 2,
        ..EngineLimits::default()
    };
    let mut h = Harness::new(limits);
    h.connect(1, principal("v1", Role::Volunteer));
    let mut persisted = Vec::new();
    let mut reason = None;
    for n in 0..3 {
        let mut local = document_with("untyped");
        let effects = h.sync_fully(1, doc_id(n), &mut local);
        persisted.push(effects.iter().any(|e| matches!(e, Effect::Persist(_))));
        reason = closed(&effects, 1);
    }
    assert_eq!(
        persisted,
        [true, true, false],
        "two refusals recorded, the third not"
    );
    let reason = reason.expect("the third refusal closes the connection");
    assert!(reason.contains("too many refused changes"), "{reason}");
}
