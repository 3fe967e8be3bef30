//! Peer ids and storage ids longer than `MAX_ID_BYTES` are a decode error wherever they
//! appear; ids of exactly the cap still decode.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use std::collections::BTreeMap;

use wish_client_core::proto::{
    decode, encode, DecodeError, DocumentId, HeadsAtStorage, PeerId, PeerMetadata, StorageId,
    WireMessage, MAX_ID_BYTES,
};

fn doc() -> DocumentId {
    DocumentId::from_bytes([5; 16])
}

/// An id of `len` bytes (multi-byte characters, so bytes and not characters are counted).
fn id(len: usize) -> String {
    let mut id = "界".repeat(len / 3);
    id.push_str(&"x".repeat(len % 3));
    assert_eq!(id.len(), len);
    id
}

fn sync(sender: &str, target: &str) -> WireMessage {
    WireMessage::Sync {
        sender_id: PeerId::new(sender),
        target_id: PeerId::new(target),
        document_id: doc(),
        data: vec![0x42],
    }
}

fn join(storage: &str) -> WireMessage {
    WireMessage::Join {
        sender_id: PeerId::new("tablet"),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: Some(PeerMetadata {
            storage_id: Some(StorageId::new(storage)),
            is_ephemeral: false,
        }),
    }
}

fn subscribe(storage: &str) -> WireMessage {
    WireMessage::RemoteSubscriptionChange {
        sender_id: PeerId::new("a"),
        target_id: PeerId::new("b"),
        add: Some(vec![StorageId::new("ok"), StorageId::new(storage)]),
        remove: None,
    }
}

fn heads_changed(storage: &str) -> WireMessage {
    let at = HeadsAtStorage {
        heads: Vec::new(),
        timestamp: 1,
    };
    WireMessage::RemoteHeadsChanged {
        sender_id: PeerId::new("a"),
        target_id: PeerId::new("b"),
        document_id: doc(),
        new_heads: BTreeMap::from([(StorageId::new(storage), at)]),
    }
}

fn error_message(sender: &str) -> WireMessage {
    WireMessage::Error {
        message: "bye".into(),
        sender_id: Some(PeerId::new(sender)),
        target_id: None,
    }
}

fn too_long(message: &'static str, field: &'static str) -> DecodeError {
    DecodeError::IdTooLong {
        message,
        field,
        len: MAX_ID_BYTES + 1,
    }
}

#[test]
fn ids_of_exactly_the_cap_decode() {
    let max = id(MAX_ID_BYTES);
    for message in [
        sync(&max, &max),
        join(&max),
        subscribe(&max),
        heads_changed(&max),
        error_message(&max),
    ] {
        assert_eq!(
            decode(&encode(&message)),
            Ok(message.clone()),
            "{message:?}"
        );
    }
}

#[test]
fn long_peer_ids_are_refused() {
    let long = id(MAX_ID_BYTES + 1);
    assert_eq!(
        decode(&encode(&sync(&long, "b"))),
        Err(too_long("sync", "senderId"))
    );
    assert_eq!(
        decode(&encode(&sync("a", &long))),
        Err(too_long("sync", "targetId"))
    );
    assert_eq!(
        decode(&encode(&error_message(&long))),
        Err(too_long("error", "senderId"))
    );
}

#[test]
fn long_storage_ids_are_refused_in_metadata_lists_and_heads() {
    let long = id(MAX_ID_BYTES + 1);
    assert_eq!(
        decode(&encode(&join(&long))),
        Err(too_long("join", "peerMetadata"))
    );
    assert_eq!(
        decode(&encode(&subscribe(&long))),
        Err(too_long("remote-subscription-change", "add"))
    );
    assert_eq!(
        decode(&encode(&heads_changed(&long))),
        Err(too_long("remote-heads-changed", "newHeads"))
    );
}

#[test]
fn a_huge_peer_id_is_refused_without_echoing_it() {
    let huge = "p".repeat(1 << 20);
    let error = decode(&encode(&sync(&huge, "b"))).unwrap_err();
    assert!(error.to_string().len() < 200, "{error}");
}
