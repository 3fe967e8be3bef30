//! Deterministic simulated-network tests: the sans-IO engine and sans-IO client drivers,
//! wired together in memory with a virtual clock and a store (`sim.rs`): the cases that
//! touch storage run on redb and on PostgreSQL.

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use wish_client_core::proto::{decode, DocumentId, PeerId};
use wish_server::engine::{ConnId, Effect, EngineConfig, Input};

use crate::sim::{Backend, Sim};

on_both_backends!(
    offline_edits_converge_after_reconnect_with_persisted_sync_states,
    idle_documents_are_unloaded_and_reload_from_storage,
    every_change_is_persisted_before_any_message_that_reveals_it,
    a_denied_peer_cannot_tell_an_existing_document_from_an_absent_one,
);

fn offline_edits_converge_after_reconnect_with_persisted_sync_states(backend: Backend) {
    let Some(mut sim) = Sim::on(backend, 3) else {
        return;
    };
    for i in 0..3 {
        sim.connect(i);
    }
    sim.run_until_quiet();
    let doc = sim.clients[0].create_document([9; 16]).unwrap();
    sim.push(0, doc, "first");
    sim.run_until_quiet();
    for i in 1..3 {
        sim.open(i, doc);
    }
    sim.run_until_quiet();
    for i in 0..3 {
        assert_eq!(sim.items(i, doc), vec!["first"]);
        sim.disconnect(i);
    }
    for i in 0..3 {
        sim.push(i, doc, &format!("offline-{i}"));
    }
    for i in [2, 0, 1] {
        sim.connect(i);
        sim.run_until_quiet();
    }
    let expected = vec!["first", "offline-0", "offline-1", "offline-2"];
    for i in 0..3 {
        assert_eq!(sim.items(i, doc), expected, "client {i}");
        assert!(sim.clients[i].is_saved_on_server(&doc), "client {i} saved");
    }
}

fn idle_documents_are_unloaded_and_reload_from_storage(backend: Backend) {
    let Some(mut sim) = Sim::on(backend, 2) else {
        return;
    };
    sim.connect(0);
    sim.run_until_quiet();
    let doc = sim.clients[0].create_document([3; 16]).unwrap();
    sim.push(0, doc, "kept");
    sim.run_until_quiet();
    assert_eq!(sim.engine.loaded_documents(), 1);
    sim.disconnect(0);
    sim.now += EngineConfig::default().idle_unload_ms + 1;
    sim.server_input(Input::Tick);
    assert_eq!(sim.engine.loaded_documents(), 0, "idle document unloaded");
    sim.connect(1);
    sim.open(1, doc);
    sim.run_until_quiet();
    assert_eq!(sim.items(1, doc), vec!["kept"]);
}

fn every_change_is_persisted_before_any_message_that_reveals_it(backend: Backend) {
    let Some(mut sim) = Sim::on(backend, 2) else {
        return;
    };
    for i in 0..2 {
        sim.connect(i);
    }
    sim.run_until_quiet();
    let doc = sim.clients[0].create_document([4; 16]).unwrap();
    sim.push(0, doc, "a");
    sim.run_until_quiet();
    sim.open(1, doc);
    sim.run_until_quiet();
    sim.push(0, doc, "b");
    // Drive the engine by hand and look at the order of its effects.
    let mut saw_persist = false;
    for (conn, bytes) in sim.take_to_server() {
        let message = decode(&bytes).unwrap();
        for effect in sim.engine.handle(sim.now, Input::Message { conn, message }) {
            match effect {
                Effect::Persist(_) => saw_persist = true,
                Effect::Send {
                    message: wish_client_core::proto::WireMessage::Sync { data, .. },
                    ..
                } => {
                    let decoded = automerge::sync::Message::decode(&data).unwrap();
                    if !decoded.changes.is_empty() {
                        assert!(
                            saw_persist,
                            "a sync message carried changes before they were persisted"
                        );
                    }
                }
                _ => {}
            }
        }
    }
    assert!(saw_persist);
}

#[test]
fn ephemeral_messages_are_relayed_unchanged_except_the_target() {
    use wish_client_core::proto::WireMessage;
    let mut sim = Sim::new(2);
    for i in 0..2 {
        sim.connect(i);
    }
    sim.run_until_quiet();
    let doc = sim.clients[0].create_document([5; 16]).unwrap();
    sim.push(0, doc, "x");
    sim.run_until_quiet();
    sim.open(1, doc);
    sim.run_until_quiet();
    let presence = WireMessage::Ephemeral {
        sender_id: PeerId::new("c0"),
        target_id: PeerId::new("server"),
        document_id: doc,
        session_id: "session-1".into(),
        count: 7,
        data: vec![0xa0],
    };
    let conn0 = sim.online[0].unwrap();
    let conn1 = sim.online[1].unwrap();
    let effects = sim.engine.handle(
        sim.now,
        Input::Message {
            conn: conn0,
            message: presence,
        },
    );
    let relayed: Vec<_> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Send { conn, message } => Some((conn, message)),
            _ => None,
        })
        .collect();
    assert_eq!(relayed.len(), 1);
    let (conn, message) = &relayed[0];
    assert_eq!(*conn, conn1);
    assert_eq!(
        *message,
        WireMessage::Ephemeral {
            sender_id: PeerId::new("c0"),
            target_id: PeerId::new("c1"),
            document_id: doc,
            session_id: "session-1".into(),
            count: 7,
            data: vec![0xa0],
        }
    );
}

fn a_denied_peer_cannot_tell_an_existing_document_from_an_absent_one(backend: Backend) {
    use std::collections::BTreeSet;
    use wish_client_core::proto::WireMessage;
    use wish_server::access::{Principal, Role};
    let Some(mut sim) = Sim::on(backend, 1) else {
        return;
    };
    sim.connect(0);
    sim.run_until_quiet();
    // A document only the administrator may see (it has no @type).
    let existing = sim.clients[0].create_document([6; 16]).unwrap();
    sim.push(0, existing, "secret");
    sim.run_until_quiet();
    let partner = Principal {
        device_id: "d-p".into(),
        role: Role::Partner,
        person: "p".into(),
        community: Some("c1".into()),
        stations: BTreeSet::new(),
        covers: Default::default(),
    };
    let conn = ConnId(999);
    sim.server_input(Input::Connected {
        conn,
        principal: partner,
    });
    let join = WireMessage::Join {
        sender_id: PeerId::new("partner"),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    };
    let _ = sim.engine.handle(
        sim.now,
        Input::Message {
            conn,
            message: join,
        },
    );
    // The partner holds a copy (say, from a backup) and sends its first sync message.
    let copy = sim.clients[0].document(&existing).unwrap().save();
    let mut replies = Vec::new();
    for doc in [existing, DocumentId::from_bytes([77; 16])] {
        let partner_doc = automerge::Automerge::load(&copy).unwrap();
        let mut state = automerge::sync::State::new();
        let first =
            automerge::sync::SyncDoc::generate_sync_message(&partner_doc, &mut state).unwrap();
        let message = WireMessage::Sync {
            sender_id: PeerId::new("partner"),
            target_id: PeerId::new("server"),
            document_id: doc,
            data: first.encode(),
        };
        sim.now += 1;
        let effects = sim.engine.handle(sim.now, Input::Message { conn, message });
        let mut kinds = Vec::new();
        for effect in effects {
            match effect {
                Effect::Load(d) => {
                    let entries = sim
                        .store
                        .as_ref()
                        .unwrap()
                        .load_range(&[d.to_string()])
                        .unwrap();
                    for e in sim
                        .engine
                        .handle(sim.now, Input::Loaded { doc: d, entries })
                    {
                        if let Effect::Send { message, .. } = e {
                            kinds.push(strip_doc(message));
                        }
                    }
                }
                Effect::Send { message, .. } => kinds.push(strip_doc(message)),
                _ => {}
            }
        }
        replies.push(kinds);
    }
    assert_eq!(
        replies[0], replies[1],
        "the replies reveal which document exists"
    );
}

/// A reply with its document id blanked, for comparing replies about different ids.
fn strip_doc(
    message: wish_client_core::proto::WireMessage,
) -> wish_client_core::proto::WireMessage {
    use wish_client_core::proto::WireMessage;
    let blank = DocumentId::from_bytes([0; 16]);
    match message {
        WireMessage::Sync {
            sender_id,
            target_id,
            data,
            ..
        } => WireMessage::Sync {
            sender_id,
            target_id,
            document_id: blank,
            data,
        },
        WireMessage::DocUnavailable {
            sender_id,
            target_id,
            ..
        } => WireMessage::DocUnavailable {
            sender_id,
            target_id,
            document_id: blank,
        },
        other => other,
    }
}
