//! The saved-on-server state a client restores after a restart, before it reconnects.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use wish_client_core::proto::{DocumentId, PeerId};
use wish_client_core::sync::{ClientConfig, ClientDriver};

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
