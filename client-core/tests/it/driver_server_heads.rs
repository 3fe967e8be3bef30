//! The saved-on-server state of a client (restored after a restart, or reported by the
//! server), and a client without local storage.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use wish_client_core::proto::{DocumentId, PeerId};
use wish_client_core::sync::{ClientConfig, ClientDriver, ClientEffect};

fn driver_with_doc() -> (ClientDriver, DocumentId, Automerge) {
    let mut driver = ClientDriver::new(ClientConfig::new(PeerId::new("tablet"), None, 7));
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put(ROOT, "title", "修理楼道灯").unwrap();
    tx.commit();
    let id = DocumentId::from_bytes([3; 16]);
    driver.import_document(id, &doc.save()).unwrap();
    (driver, id, doc)
}

#[test]
fn remembered_heads_that_cover_the_replica_show_it_saved() {
    let (mut driver, id, doc) = driver_with_doc();
    assert!(!driver.is_saved_on_server(&id));
    driver.remember_server_heads(&id, doc.get_heads());
    assert!(driver.is_saved_on_server(&id));
}

#[test]
fn a_local_change_after_the_remembered_heads_is_not_saved() {
    let (mut driver, id, doc) = driver_with_doc();
    driver.remember_server_heads(&id, doc.get_heads());
    driver
        .change(id, |d| {
            let mut tx = d.transaction();
            tx.put(ROOT, "urgency", "high").unwrap();
            tx.commit();
        })
        .unwrap();
    assert!(!driver.is_saved_on_server(&id));
}

#[test]
fn unknown_documents_and_stale_heads_are_ignored() {
    let (mut driver, id, doc) = driver_with_doc();
    driver.remember_server_heads(&DocumentId::from_bytes([9; 16]), doc.get_heads());
    driver.remember_server_heads(&id, Vec::new());
    // The first remembered heads stay until the server reports newer ones.
    driver.remember_server_heads(&id, doc.get_heads());
    assert!(!driver.is_saved_on_server(&id));
}

#[test]
fn server_heads_ahead_of_the_replica_are_not_yet_known_to_cover_it() {
    let (mut driver, id, doc) = driver_with_doc();
    let mut ahead = doc.fork();
    let mut tx = ahead.transaction();
    tx.put(ROOT, "urgency", "high").unwrap();
    tx.commit();
    // The replica cannot walk the server's newer history until it receives it.
    driver.remember_server_heads(&id, ahead.get_heads());
    assert!(!driver.is_saved_on_server(&id));
}

fn store_effects(local_storage: bool) -> usize {
    let mut config = ClientConfig::new(PeerId::new("bench"), None, 7);
    config.local_storage = local_storage;
    let mut driver = ClientDriver::new(config);
    let id = driver.create_document([4; 16]).unwrap();
    driver
        .change(id, |d| {
            let mut tx = d.transaction();
            tx.put(ROOT, "n", 1).unwrap();
            tx.commit();
        })
        .unwrap();
    driver
        .take_effects()
        .iter()
        .filter(|e| matches!(e, ClientEffect::Store(_)))
        .count()
}

#[test]
fn a_peer_without_local_storage_asks_for_no_writes() {
    assert!(store_effects(true) > 0);
    assert_eq!(store_effects(false), 0);
}

/// A driver holding one document, connected to a server that advertises `storage`.
fn connected_driver(storage: Option<&str>) -> (ClientDriver, DocumentId, Automerge) {
    use wish_client_core::proto::{encode, PeerMetadata, StorageId, WireMessage};
    use wish_client_core::sync::ClientInput;
    let (mut driver, id, doc) = driver_with_doc();
    driver.handle(1, ClientInput::Start);
    driver.handle(2, ClientInput::Connected);
    let peer = WireMessage::Peer {
        sender_id: PeerId::new("server"),
        target_id: PeerId::new("tablet"),
        selected_protocol_version: "1".into(),
        peer_metadata: Some(PeerMetadata {
            storage_id: storage.map(StorageId::new),
            is_ephemeral: false,
        }),
    };
    driver.handle(3, ClientInput::Frame(encode(&peer)));
    (driver, id, doc)
}

/// The server's answer to the driver's sync message about `id`, from a replica `server`.
fn server_sync(id: DocumentId, server: &Automerge) -> Vec<u8> {
    use automerge::sync::{State, SyncDoc};
    use wish_client_core::proto::{encode, WireMessage};
    let mut state = State::new();
    let message = server.generate_sync_message(&mut state).unwrap();
    encode(&WireMessage::Sync {
        sender_id: PeerId::new("server"),
        target_id: PeerId::new("tablet"),
        document_id: id,
        data: message.encode(),
    })
}

#[test]
fn heads_in_a_storing_servers_sync_message_show_it_saved() {
    use wish_client_core::sync::ClientInput;
    let (mut driver, id, doc) = connected_driver(Some("server-storage"));
    assert!(!driver.is_saved_on_server(&id));
    // No `remote-heads-changed`: the heads of the server's sync message are enough.
    driver.handle(4, ClientInput::Frame(server_sync(id, &doc)));
    assert!(driver.is_saved_on_server(&id));
    assert_eq!(driver.server_heads(&id), Some(doc.get_heads().as_slice()));
}

#[test]
fn a_server_without_storage_is_not_taken_to_have_saved() {
    use wish_client_core::sync::ClientInput;
    let (mut driver, id, doc) = connected_driver(None);
    driver.handle(4, ClientInput::Frame(server_sync(id, &doc)));
    assert!(!driver.is_saved_on_server(&id));
}

#[test]
fn a_sync_message_without_the_local_change_is_not_saved() {
    use wish_client_core::sync::ClientInput;
    let (mut driver, id, doc) = connected_driver(Some("server-storage"));
    driver
        .change(id, |d| {
            let mut tx = d.transaction();
            tx.put(ROOT, "urgency", "high").unwrap();
            tx.commit();
        })
        .unwrap();
    driver.handle(4, ClientInput::Frame(server_sync(id, &doc)));
    assert!(!driver.is_saved_on_server(&id));
}
