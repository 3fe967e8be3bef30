//! The driver and the server's refusals, discarding a refused copy, and deleting contacts
//! the server deleted or unlinked: a `ClientDriver` against a hand-driven server.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, ScalarValue, ROOT};
use ciborium::Value;
use wish_client_core::proto::{
    decode, encode, DocumentId, PeerId, PeerMetadata, StorageId, WireMessage,
};
use wish_client_core::sync::{
    ClientConfig, ClientDriver, ClientEffect, ClientEvent, ClientInput, Refusal, StoreOp,
};

const SERVER: &str = "storage-server-wish";

fn server() -> PeerId {
    PeerId::new(SERVER)
}

/// A driver with local storage, connected to the server.
fn connected() -> ClientDriver {
    let config = ClientConfig::new(
        PeerId::new("tablet"),
        Some(StorageId::new("tablet-store")),
        3,
    );
    let mut driver = ClientDriver::new(config);
    driver.handle(0, ClientInput::Start);
    driver.handle(1, ClientInput::Connected);
    let peer = WireMessage::Peer {
        sender_id: server(),
        target_id: PeerId::new("tablet"),
        selected_protocol_version: "1".into(),
        peer_metadata: Some(PeerMetadata {
            storage_id: Some(StorageId::new("server-store")),
            is_ephemeral: false,
        }),
    };
    driver.handle(2, ClientInput::Frame(encode(&peer)));
    driver
}

fn doc_with(fields: &[(&str, &str)]) -> Automerge {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    for (key, value) in fields {
        tx.put(ROOT, *key, *value).unwrap();
    }
    tx.commit();
    doc
}

fn events(effects: &[ClientEffect]) -> Vec<&ClientEvent> {
    effects
        .iter()
        .filter_map(|e| match e {
            ClientEffect::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

fn sends_for(effects: &[ClientEffect], id: DocumentId) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, ClientEffect::Send(bytes) if decode(bytes).ok().and_then(|m| m.document_id()) == Some(id)))
        .count()
}

fn deletes_document(effects: &[ClientEffect], id: DocumentId) -> bool {
    effects.contains(&ClientEffect::Store(StoreOp::DeleteDocument(id)))
}

fn payload(entries: Vec<(&str, Value)>) -> Vec<u8> {
    let map = entries
        .into_iter()
        .map(|(k, v)| (Value::Text(k.into()), v))
        .collect();
    let mut out = Vec::new();
    ciborium::ser::into_writer(&Value::Map(map), &mut out).unwrap();
    out
}

fn refusal_payload(hash: &str) -> Vec<u8> {
    payload(vec![
        ("type", Value::Text("wish-station/refused".into())),
        ("id", Value::Text("r-1".into())),
        ("rule", Value::Text("wish.assigned".into())),
        (
            "reason",
            Value::Text("只有服务器可以分配 / only the server assigns".into()),
        ),
        ("changes", Value::Array(vec![Value::Text(hash.into())])),
    ])
}

fn ephemeral(sender: &str, id: DocumentId, data: Vec<u8>) -> ClientInput {
    ClientInput::Frame(encode(&WireMessage::Ephemeral {
        sender_id: PeerId::new(sender),
        target_id: PeerId::new("tablet"),
        document_id: id,
        session_id: "s".into(),
        count: 1,
        data,
    }))
}

/// A held document with one local change the server will refuse; its hash.
fn forged(driver: &mut ClientDriver) -> (DocumentId, String) {
    let id = DocumentId::from_bytes([1; 16]);
    driver
        .import_document(id, &doc_with(&[("title", "修灯")]).save())
        .unwrap();
    let hash = driver
        .change(id, |doc| {
            let mut tx = doc.transaction();
            tx.put(ROOT, "by_server", true).unwrap();
            tx.commit().0.unwrap()
        })
        .unwrap();
    driver.take_effects();
    (id, hash.to_string())
}

#[test]
fn a_refusal_from_the_server_is_reported_and_holds_the_document_back() {
    let mut driver = connected();
    let (id, hash) = forged(&mut driver);
    let effects = driver.handle(10, ephemeral(SERVER, id, refusal_payload(&hash)));
    let [ClientEvent::Refused(refusal)] = events(&effects)[..] else {
        panic!("no refusal event: {effects:?}")
    };
    assert_eq!(refusal.rule, "wish.assigned");
    assert_eq!(refusal.reason_zh(), "只有服务器可以分配");
    assert_eq!(refusal.reason_en(), "only the server assigns");
    assert_eq!(driver.refusal(&id).map(|r| r.id.as_str()), Some("r-1"));
    // The same refusal again is not news, and the refused copy is not offered again.
    assert!(events(&driver.handle(11, ephemeral(SERVER, id, refusal_payload(&hash)))).is_empty());
    driver
        .change(id, |doc| {
            let mut tx = doc.transaction();
            tx.put(ROOT, "note", "再试").unwrap();
            tx.commit();
        })
        .unwrap();
    assert_eq!(sends_for(&driver.take_effects(), id), 0);
}

#[test]
fn other_ephemerals_and_refusals_from_other_peers_are_ignored() {
    let mut driver = connected();
    let (id, hash) = forged(&mut driver);
    let presence = payload(vec![("__presence", Value::Map(Vec::new()))]);
    for input in [
        ephemeral(SERVER, id, presence),
        ephemeral(SERVER, id, vec![0xff, 0x00]),
        ephemeral("peer-evil", id, refusal_payload(&hash)),
    ] {
        assert!(events(&driver.handle(10, input)).is_empty());
    }
    assert!(driver.refusal(&id).is_none());
    let bad = refusal_payload("not-a-hash");
    let effects = driver.handle(11, ephemeral(SERVER, id, bad));
    assert!(
        matches!(events(&effects)[..], [ClientEvent::Problem(_)]),
        "{effects:?}"
    );
}

#[test]
fn refetching_discards_the_local_copy_and_asks_the_server_again() {
    let mut driver = connected();
    let (id, hash) = forged(&mut driver);
    driver.handle(10, ephemeral(SERVER, id, refusal_payload(&hash)));
    driver.refetch_document(id);
    let effects = driver.take_effects();
    assert!(deletes_document(&effects, id), "{effects:?}");
    assert!(events(&effects).contains(&&ClientEvent::DocForgotten(id)));
    let request = effects.iter().any(|e| matches!(e, ClientEffect::Send(b) if matches!(decode(b), Ok(WireMessage::Request { document_id, .. }) if document_id == id)));
    assert!(request, "{effects:?}");
    assert!(driver.refusal(&id).is_none());
    assert!(driver
        .document(&id)
        .is_some_and(|d| d.get_heads().is_empty()));
}

#[test]
fn a_refusal_applies_only_while_the_copy_holds_a_refused_change() {
    let mut driver = connected();
    let (id, _) = forged(&mut driver);
    let other = "0".repeat(64);
    let refusal = Refusal::new(
        "r-2".into(),
        id,
        "x".into(),
        "不行".into(),
        &[other],
        Some(5),
    )
    .unwrap();
    assert!(driver.record_refusal(refusal));
    assert!(driver.refusal(&id).is_none());
    let unknown = DocumentId::from_bytes([8; 16]);
    let elsewhere =
        Refusal::new("r-3".into(), unknown, "x".into(), String::new(), &[], None).unwrap();
    assert!(
        !driver.record_refusal(elsewhere),
        "a refusal of a document not held was kept"
    );
}

const WISH: [u8; 16] = [2; 16];
const CONTACT: [u8; 16] = [3; 16];

/// A driver holding a wish that links a contact, and the server's copy of the wish.
fn wish_and_contact() -> (ClientDriver, Automerge) {
    let mut driver = connected();
    let (wish, contact) = (
        DocumentId::from_bytes(WISH),
        DocumentId::from_bytes(CONTACT),
    );
    let wish_doc = doc_with(&[("@type", "wish"), ("contact", &contact.to_string())]);
    let contact_doc = doc_with(&[
        ("@type", "contact"),
        ("wish", &wish.to_string()),
        ("name", "王秀兰"),
    ]);
    driver.import_document(wish, &wish_doc.save()).unwrap();
    driver
        .import_document(contact, &contact_doc.save())
        .unwrap();
    driver.take_effects();
    (driver, wish_doc)
}

/// Syncs the server's copy of a document to the driver until neither has more to say;
/// returns every effect of the driver.
fn sync_from_server(
    driver: &mut ClientDriver,
    id: DocumentId,
    server_doc: &mut Automerge,
) -> Vec<ClientEffect> {
    let mut state = sync::State::new();
    let mut all = Vec::new();
    for _ in 0..10 {
        let Some(message) = server_doc.generate_sync_message(&mut state) else {
            break;
        };
        let frame = encode(&WireMessage::Sync {
            sender_id: server(),
            target_id: PeerId::new("tablet"),
            document_id: id,
            data: message.encode(),
        });
        let effects = driver.handle(20, ClientInput::Frame(frame));
        for effect in &effects {
            if let ClientEffect::Send(bytes) = effect {
                if let Ok(WireMessage::Sync {
                    data, document_id, ..
                }) = decode(bytes)
                {
                    if document_id == id {
                        let reply = sync::Message::decode(&data).unwrap();
                        server_doc.receive_sync_message(&mut state, reply).unwrap();
                    }
                }
            }
        }
        all.extend(effects);
    }
    all
}

#[test]
fn a_contact_its_wish_no_longer_links_is_deleted() {
    let (mut driver, mut server_wish) = wish_and_contact();
    let mut tx = server_wish.transaction();
    tx.put(ROOT, "contact", ScalarValue::Null).unwrap();
    tx.commit();
    let contact = DocumentId::from_bytes(CONTACT);
    let effects = sync_from_server(&mut driver, DocumentId::from_bytes(WISH), &mut server_wish);
    assert!(deletes_document(&effects, contact), "{effects:?}");
    assert!(driver.document(&contact).is_none());
}

#[test]
fn a_contact_the_server_calls_unavailable_is_deleted_and_a_wish_is_kept() {
    let (mut driver, _) = wish_and_contact();
    let unavailable = |id: [u8; 16]| {
        ClientInput::Frame(encode(&WireMessage::DocUnavailable {
            sender_id: server(),
            target_id: PeerId::new("tablet"),
            document_id: DocumentId::from_bytes(id),
        }))
    };
    let effects = driver.handle(30, unavailable(WISH));
    assert!(!deletes_document(&effects, DocumentId::from_bytes(WISH)));
    let effects = driver.handle(31, unavailable(CONTACT));
    assert!(
        deletes_document(&effects, DocumentId::from_bytes(CONTACT)),
        "{effects:?}"
    );
    assert!(driver.document(&DocumentId::from_bytes(CONTACT)).is_none());
    assert!(driver.document(&DocumentId::from_bytes(WISH)).is_some());
}
