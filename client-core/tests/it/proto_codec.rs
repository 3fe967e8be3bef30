//! Property tests of the protocol codec: every message round-trips, and no input, however
//! broken, makes `decode` panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ciborium::Value;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use wish_client_core::proto::{
    decode, encode, DocumentId, HeadsAtStorage, PeerId, PeerMetadata, StorageId, WireMessage,
};

// ---- strategies for valid messages ----

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn peer_id() -> impl Strategy<Value = PeerId> {
    text().prop_map(PeerId::new)
}

fn storage_id() -> impl Strategy<Value = StorageId> {
    text().prop_map(StorageId::new)
}

fn document_id() -> impl Strategy<Value = DocumentId> {
    any::<[u8; 16]>().prop_map(DocumentId::from_bytes)
}

/// `data` may not be empty on the wire.
fn data() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 1..64)
}

fn peer_metadata() -> impl Strategy<Value = Option<PeerMetadata>> {
    option::of((option::of(storage_id()), any::<bool>())).prop_map(|metadata| {
        metadata.map(|(storage_id, is_ephemeral)| PeerMetadata {
            storage_id,
            is_ephemeral,
        })
    })
}

fn new_heads() -> impl Strategy<Value = BTreeMap<StorageId, HeadsAtStorage>> {
    let at = (vec(text(), 0..3), any::<u64>())
        .prop_map(|(heads, timestamp)| HeadsAtStorage { heads, timestamp });
    btree_map(storage_id(), at, 0..4)
}

fn handshake() -> impl Strategy<Value = WireMessage> {
    prop_oneof![
        (peer_id(), vec(text(), 0..3), peer_metadata()).prop_map(|(s, v, m)| {
            WireMessage::Join {
                sender_id: s,
                supported_protocol_versions: v,
                peer_metadata: m,
            }
        }),
        (peer_id(), peer_id(), text(), peer_metadata()).prop_map(|(s, t, v, m)| {
            WireMessage::Peer {
                sender_id: s,
                target_id: t,
                selected_protocol_version: v,
                peer_metadata: m,
            }
        }),
        (text(), option::of(peer_id()), option::of(peer_id())).prop_map(|(message, s, t)| {
            WireMessage::Error {
                message,
                sender_id: s,
                target_id: t,
            }
        }),
        peer_id().prop_map(|sender_id| WireMessage::Leave { sender_id }),
    ]
}

fn document_message() -> impl Strategy<Value = WireMessage> {
    let routed = || (peer_id(), peer_id(), document_id());
    prop_oneof![
        (routed(), data()).prop_map(|((s, t, d), data)| WireMessage::Request {
            sender_id: s,
            target_id: t,
            document_id: d,
            data,
        }),
        (routed(), data()).prop_map(|((s, t, d), data)| WireMessage::Sync {
            sender_id: s,
            target_id: t,
            document_id: d,
            data,
        }),
        routed().prop_map(|(s, t, d)| WireMessage::DocUnavailable {
            sender_id: s,
            target_id: t,
            document_id: d,
        }),
        (routed(), text(), any::<u64>(), data()).prop_map(
            |((s, t, d), session_id, count, data)| {
                WireMessage::Ephemeral {
                    sender_id: s,
                    target_id: t,
                    document_id: d,
                    session_id,
                    count,
                    data,
                }
            }
        ),
    ]
}

fn gossip() -> impl Strategy<Value = WireMessage> {
    let ids = || option::of(vec(storage_id(), 0..3));
    prop_oneof![
        (peer_id(), peer_id(), ids(), ids()).prop_map(|(s, t, add, remove)| {
            WireMessage::RemoteSubscriptionChange {
                sender_id: s,
                target_id: t,
                add,
                remove,
            }
        }),
        (peer_id(), peer_id(), document_id(), new_heads()).prop_map(|(s, t, d, new_heads)| {
            WireMessage::RemoteHeadsChanged {
                sender_id: s,
                target_id: t,
                document_id: d,
                new_heads,
            }
        }),
    ]
}

fn message() -> impl Strategy<Value = WireMessage> {
    prop_oneof![handshake(), document_message(), gossip()]
}

// ---- strategies for broken or odd input ----

/// Keys a real message might have, so random maps often get past the `type` check.
const KEYS: [&str; 17] = [
    "type",
    "senderId",
    "targetId",
    "documentId",
    "data",
    "count",
    "sessionId",
    "message",
    "supportedProtocolVersions",
    "selectedProtocolVersion",
    "peerMetadata",
    "storageId",
    "isEphemeral",
    "add",
    "remove",
    "newHeads",
    "timestamp",
];

const TYPES: [&str; 10] = [
    "join",
    "peer",
    "error",
    "leave",
    "request",
    "sync",
    "doc-unavailable",
    "ephemeral",
    "remote-subscription-change",
    "remote-heads-changed",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(|n| Value::Integer(n.into())),
        any::<i64>().prop_map(|n| Value::Integer(n.into())),
        any::<f64>().prop_map(Value::Float),
        vec(any::<u8>(), 0..20).prop_map(Value::Bytes),
        prop::sample::select(&TYPES[..]).prop_map(|t| Value::Text(t.into())),
        text().prop_map(Value::Text),
    ]
}

/// Arbitrary CBOR values whose maps use protocol keys.
fn cbor_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 6, |inner| {
        let key = prop::sample::select(&KEYS[..]).prop_map(|k| Value::Text(k.into()));
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((key, inner.clone()), 0..8).prop_map(Value::Map),
            (any::<u64>(), inner).prop_map(|(tag, v)| Value::Tag(tag, Box::new(v))),
        ]
    })
}

fn to_cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// Whatever `decode` accepts must survive a re-encode unchanged.
fn assert_stable(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(message) = decode(bytes) {
        prop_assert_eq!(decode(&encode(&message)), Ok(message));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_message_round_trips(message in message()) {
        prop_assert_eq!(decode(&encode(&message)), Ok(message));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        assert_stable(&bytes)?;
    }

    #[test]
    fn arbitrary_cbor_never_panics(value in cbor_value()) {
        assert_stable(&to_cbor(&value))?;
    }

    #[test]
    fn protocol_shaped_maps_never_panic(
        kind in prop::sample::select(&TYPES[..]),
        value in cbor_value(),
    ) {
        // Merge a real `type` into a random map so the per-type field readers run.
        let mut entries = vec![(Value::Text("type".into()), Value::Text(kind.into()))];
        if let Value::Map(more) = value {
            entries.extend(more.into_iter().filter(|(k, _)| k.as_text() != Some("type")));
        }
        assert_stable(&to_cbor(&Value::Map(entries)))?;
    }

    #[test]
    fn edited_fields_never_panic(
        message in message(),
        at in any::<prop::sample::Index>(),
        edit in option::of(cbor_value()),
    ) {
        // Replace one field of a real message with a random value, or drop it.
        let Value::Map(mut entries) = ciborium::de::from_reader(&encode(&message)[..])
            .expect("encode writes valid CBOR")
        else {
            panic!("encode writes a map");
        };
        let at = at.index(entries.len());
        match edit {
            Some(value) => entries[at].1 = value,
            None => drop(entries.remove(at)),
        }
        assert_stable(&to_cbor(&Value::Map(entries)))?;
    }

    #[test]
    fn every_truncation_is_an_error(message in message(), cut in any::<prop::sample::Index>()) {
        let bytes = encode(&message);
        let cut = cut.index(bytes.len());
        prop_assert!(decode(&bytes[..cut]).is_err());
    }

    #[test]
    fn byte_flips_never_panic(
        message in message(),
        flips in vec((any::<prop::sample::Index>(), 1..=255u8), 1..4),
    ) {
        let mut bytes = encode(&message);
        for (at, mask) in flips {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
        }
        assert_stable(&bytes)?;
    }
}

// ---- the fuzz seed corpus ----

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/decode")
}

/// Real messages for the fuzzer to start from, including the cbor-x quirks.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let doc = DocumentId::from_bytes([0x5a; 16]);
    let (a, b) = (
        PeerId::new("peer-x7f3k2"),
        PeerId::new("storage-server-wish"),
    );
    let join = WireMessage::Join {
        sender_id: a.clone(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: Some(PeerMetadata {
            storage_id: Some(StorageId::new("3760df37-a4c6-4f66-9ecd-732039a9385d")),
            is_ephemeral: false,
        }),
    };
    let sync = WireMessage::Sync {
        sender_id: a.clone(),
        target_id: b.clone(),
        document_id: doc,
        data: vec![0x42, 0x00, 0x00, 0x00, 0x00],
    };
    let ephemeral = WireMessage::Ephemeral {
        sender_id: a.clone(),
        target_id: b.clone(),
        document_id: doc,
        session_id: "k3j4h5".into(),
        count: 3,
        data: vec![0xa1, 0x61, 0x78, 0x01],
    };
    let heads = WireMessage::RemoteHeadsChanged {
        sender_id: b,
        target_id: a,
        document_id: doc,
        new_heads: BTreeMap::from([(
            StorageId::new("3760df37-a4c6-4f66-9ecd-732039a9385d"),
            HeadsAtStorage {
                heads: vec!["2R6zSWqTfK1bL3s6nUy5sXzcSb1jzKz4pyLKHtZZ8nYcNamkRD".into()],
                timestamp: 1_733_000_000_123,
            },
        )]),
    };
    vec![
        ("join.cbor", encode(&join)),
        ("sync.cbor", encode(&sync)),
        ("ephemeral.cbor", encode(&ephemeral)),
        ("remote-heads-changed.cbor", encode(&heads)),
        ("cbor-x-join-undefined.cbor", cbor_x_join()),
    ]
}

/// `{type:"join", senderId:"p", peerMetadata:{storageId: undefined, isEphemeral: true},
/// supportedProtocolVersions:["1"], extra: 1.0}`, with `undefined` and a float64 as cbor-x
/// writes them.
fn cbor_x_join() -> Vec<u8> {
    let mut frame = vec![0xa5, 0x64];
    frame.extend(b"type\x64join\x68senderId\x61p");
    frame.extend(b"\x6cpeerMetadata\xa2\x69storageId\xf7\x6bisEphemeral\xf5");
    frame.extend(b"\x78\x19supportedProtocolVersions\x81\x611");
    frame.extend(b"\x65extra\xfb\x3f\xf0\0\0\0\0\0\0");
    frame
}

#[test]
fn seeds_decode() {
    for (name, bytes) in seeds() {
        assert!(decode(&bytes).is_ok(), "{name}");
    }
}

#[test]
fn seed_files_decode() {
    let files = std::fs::read_dir(seed_dir()).expect("fuzz/seeds/decode exists");
    for file in files {
        let path = file.expect("readable seed dir").path();
        let bytes = std::fs::read(&path).expect("readable seed");
        assert!(decode(&bytes).is_ok(), "{}", path.display());
    }
}

/// Regenerates the seed corpus: `cargo test -p wish-client-core --test it
/// -- --ignored proto_codec::write_fuzz_seeds`.
#[test]
#[ignore = "writes files; run by hand after a wire format change"]
fn write_fuzz_seeds() {
    std::fs::create_dir_all(seed_dir()).expect("create seed dir");
    for (name, bytes) in seeds() {
        std::fs::write(seed_dir().join(name), bytes).expect("write seed");
    }
}
