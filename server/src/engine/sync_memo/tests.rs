//! The memo must give each peer exactly what automerge would have computed for it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT};
use wish_client_core::proto::{DocumentId, PeerId};

use crate::engine::connection::ConnId;
use crate::engine::document::{DocState, Session};

fn session() -> Session {
    Session {
        conn: ConnId(1),
        storage_id: None,
        state: sync::State::new(),
        heads_announced: Vec::new(),
        refused_read_only: Vec::new(),
    }
}

/// A loaded document with `edits` changes and `peers` sessions in the initial state.
fn loaded(edits: i64, peers: usize) -> (DocState, AutoCommit) {
    let mut author = AutoCommit::new();
    for n in 0..edits {
        author.put(ROOT, "n", n).unwrap();
        author.commit();
    }
    let mut state = DocState::from_entries(DocumentId::from_bytes([7; 16]), Vec::new(), 0);
    state.doc = Automerge::load(&author.save()).unwrap();
    for p in 0..peers {
        state.sessions.insert(peer(p), session());
    }
    (state, author)
}

fn peer(p: usize) -> PeerId {
    PeerId::new(format!("reader-{p}"))
}

/// What automerge itself generates for `state`, and the state after.
fn direct(doc: &Automerge, state: &sync::State) -> (Option<Vec<u8>>, sync::State) {
    let mut state = state.clone();
    let message = doc.generate_sync_message(&mut state).map(|m| m.encode());
    (message, state)
}

#[test]
fn peers_in_one_state_get_what_automerge_would_generate_for_each() {
    let (mut doc, _) = loaded(5, 3);
    let expected = direct(&doc.doc, &sync::State::new());
    for p in 0..3 {
        let message = doc.generate(&peer(p));
        assert_eq!(message, expected.0, "reader {p}'s message");
        assert_eq!(
            doc.sessions[&peer(p)].state,
            expected.1,
            "reader {p}'s state"
        );
    }
    // The next round: every state is now "in flight", nothing more to say.
    let after = direct(&doc.doc, &expected.1);
    assert_eq!(after.0, None);
    for p in 0..3 {
        assert_eq!(doc.generate(&peer(p)), None);
        assert_eq!(doc.sessions[&peer(p)].state, after.1);
    }
}

#[test]
fn a_peer_in_another_state_is_not_given_the_kept_message() {
    let (mut doc, _) = loaded(5, 2);
    let first = doc.generate(&peer(0));
    assert!(first.is_some());
    // Reader 1 already holds everything: its state differs from reader 0's.
    let mut known = sync::State::new();
    known.their_heads = Some(doc.doc.get_heads());
    known.shared_heads = doc.doc.get_heads();
    doc.sessions.get_mut(&peer(1)).unwrap().state = known.clone();
    let expected = direct(&doc.doc, &known);
    assert_eq!(doc.generate(&peer(1)), expected.0);
    assert_eq!(doc.sessions[&peer(1)].state, expected.1);
}

#[test]
fn changes_waiting_for_dependencies_are_not_hidden_by_the_memo() {
    // Changes the server holds back change the document but not its heads: the next
    // message must ask for what is missing, not replay the one kept from before.
    let (mut doc, mut author) = loaded(3, 2);
    let server_heads = doc.doc.get_heads();
    author.put(ROOT, "n", 100).unwrap();
    author.commit();
    author.put(ROOT, "n", 101).unwrap();
    author.commit();
    let newest = author.get_last_local_change().unwrap().raw_bytes().to_vec();
    // Reader 1 said it has the author's heads: the server asks for what it lacks.
    let mut told = sync::State::new();
    told.their_heads = Some(author.get_heads());
    doc.sessions.get_mut(&peer(1)).unwrap().state = told.clone();
    let kept = doc.generate(&peer(1));
    assert!(kept.is_some());
    // Reader 0 sends only the newest change: its dependency is missing.
    let message = sync::Message {
        heads: author.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: vec![newest].into(),
        flags: None,
        version: sync::MessageVersion::V1,
    };
    doc.apply_logged(&peer(0), message, false).unwrap();
    assert_eq!(doc.doc.get_heads(), server_heads, "the change waits");
    // Reader 1 is back in the state the kept message was generated from.
    doc.sessions.get_mut(&peer(1)).unwrap().state = told.clone();
    let expected = direct(&doc.doc, &told);
    assert_ne!(expected.0, kept, "automerge's answer changed");
    assert_eq!(doc.generate(&peer(1)), expected.0);
}

#[test]
fn acknowledgements_in_one_state_leave_each_state_as_automerge_would() {
    let (mut doc, _) = loaded(4, 3);
    for p in 0..3 {
        doc.generate(&peer(p));
    }
    // Every reader applied the offer and acknowledges it with the same message.
    let mut reader = Automerge::new();
    let mut reader_state = sync::State::new();
    let mut server_state = sync::State::new();
    let offer = doc.doc.generate_sync_message(&mut server_state).unwrap();
    reader
        .receive_sync_message(&mut reader_state, offer)
        .unwrap();
    let ack = reader.generate_sync_message(&mut reader_state).unwrap();
    assert!(ack.changes.is_empty());
    let mut expected = doc.sessions[&peer(0)].state.clone();
    doc.doc
        .clone()
        .receive_sync_message(&mut expected, ack.clone())
        .unwrap();
    for p in 0..3 {
        let patches = doc.apply_logged(&peer(p), ack.clone(), true).unwrap();
        assert!(patches.is_empty());
        assert_eq!(doc.sessions[&peer(p)].state, expected, "reader {p}'s state");
    }
}
