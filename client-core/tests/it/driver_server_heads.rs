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
