//! The engine never panics, whatever peers send and whatever is stored: random message
//! sequences (valid handshakes, random and mutated sync payloads, unknown documents,
//! disconnects) and random stored chunks. These are the fuzz targets of the engine and
//! of loading stored bytes, run as property tests so CI exercises them on stable Rust.

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use proptest::prelude::*;
use wish_client_core::proto::{DocumentId, PeerId, WireMessage};
use wish_server::engine::Input;
use wish_server::storage::{Storage, WriteBatch};

use crate::engine_harness::{doc, peer, Harness};

#[derive(Debug, Clone)]
enum Step {
    Connect(u8),
    Join(u8),
    Sync {
        conn: u8,
        doc: u8,
        data: Vec<u8>,
        request: bool,
    },
    ValidSync {
        conn: u8,
        doc: u8,
        flip: Option<usize>,
    },
    Ephemeral {
        conn: u8,
        doc: u8,
    },
    Disconnect(u8),
    Tick,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..4).prop_map(Step::Connect),
        (0u8..4).prop_map(Step::Join),
        (
            0u8..4,
            0u8..3,
            prop::collection::vec(any::<u8>(), 1..64),
            any::<bool>()
        )
            .prop_map(|(conn, doc, data, request)| Step::Sync {
                conn,
                doc,
                data,
                request
            }),
        (0u8..4, 0u8..3, prop::option::of(0usize..400))
            .prop_map(|(conn, doc, flip)| Step::ValidSync { conn, doc, flip }),
        (0u8..4, 0u8..3).prop_map(|(conn, doc)| Step::Ephemeral { conn, doc }),
        (0u8..4).prop_map(Step::Disconnect),
        Just(Step::Tick),
    ]
}

/// Plays one step on the shared harness (`engine_harness.rs`, also the fuzzers').
fn run(h: &mut Harness, step: Step) {
    match step {
        Step::Connect(c) => h.connect(c),
        Step::Join(c) => h.join(c),
        Step::Sync {
            conn,
            doc,
            data,
            request,
        } => h.sync(conn, doc, data, request),
        Step::ValidSync { conn, doc, flip } => {
            let mut data = valid_sync_message(doc);
            if let Some(i) = flip {
                let len = data.len();
                data[i % len] ^= 0x5a;
            }
            h.sync(conn, doc, data, false);
        }
        Step::Ephemeral { conn, doc: d } => h.message(
            conn,
            WireMessage::Ephemeral {
                sender_id: peer(conn),
                target_id: PeerId::new("server"),
                document_id: doc(d),
                session_id: "s".into(),
                count: 1,
                data: vec![0xa0],
            },
        ),
        Step::Disconnect(c) => h.disconnect(c),
        Step::Tick => h.tick(),
    }
}

/// The first sync message of a peer that holds a small document with changes.
fn valid_sync_message(seed: u8) -> Vec<u8> {
    let mut doc = automerge::Automerge::new();
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "n", i64::from(seed)).unwrap();
    tx.commit();
    let mut state = automerge::sync::State::new();
    let first = doc.generate_sync_message(&mut state).unwrap();
    // Pretend the server answered "I have nothing" so the next message carries changes.
    let mut server = automerge::Automerge::new();
    let mut server_state = automerge::sync::State::new();
    server
        .receive_sync_message(&mut server_state, first)
        .unwrap();
    let reply = server.generate_sync_message(&mut server_state).unwrap();
    doc.receive_sync_message(&mut state, reply).unwrap();
    doc.generate_sync_message(&mut state).unwrap().encode()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn no_sequence_of_peer_messages_panics_the_engine(steps in prop::collection::vec(step(), 1..40)) {
        let mut harness = Harness::new();
        for step in steps {
            run(&mut harness, step);
        }
        harness.feed(Input::Shutdown);
    }

    #[test]
    fn loading_arbitrary_stored_bytes_never_panics(chunks in prop::collection::vec((0u8..3, prop::collection::vec(any::<u8>(), 0..200)), 0..6)) {
        let mut harness = Harness::new();
        let doc = DocumentId::from_bytes([7; 16]);
        let mut batch = WriteBatch::default();
        for (i, (kind, bytes)) in chunks.into_iter().enumerate() {
            let kind = ["snapshot", "incremental", "sync-state"][kind as usize];
            batch.put(vec![doc.to_string(), kind.into(), format!("k{i}")], bytes);
        }
        harness.store.commit(batch).unwrap();
        run(&mut harness, Step::Connect(1));
        run(&mut harness, Step::Join(1));
        run(&mut harness, Step::ValidSync { conn: 1, doc: 7, flip: None });
        // Whatever was stored, a valid change still lands, durably.
        let stored = harness.store.load_range(&[doc.to_string()]).unwrap();
        let persisted = stored.iter().any(|(k, _)| k[1] != "sync-state" && !k[2].starts_with('k'));
        prop_assert!(persisted, "a valid change was not persisted next to garbage chunks");
        run(&mut harness, Step::Sync { conn: 1, doc: 7, data: vec![0x42, 0x00], request: true });
    }
}
