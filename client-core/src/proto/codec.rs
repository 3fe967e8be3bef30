//! CBOR codec for [`WireMessage`]. See the module docs of `proto` for the interop rules.
//!
//! Decoding goes through [`ciborium::Value`] so that the lenient rules (floats for integers,
//! `undefined` for absent fields, byte-string document ids, unknown keys) live in one small
//! set of field readers. Encoding writes CBOR by hand: the subset we emit (unsigned ints,
//! byte and text strings, arrays, maps, booleans) is tiny, and writing it directly makes
//! definite lengths, minimal integer heads and key order explicit and infallible.

use std::collections::BTreeMap;
use std::str::FromStr;

use ciborium::Value;

use super::ids::{DocumentId, PeerId, StorageId, MAX_ID_BYTES};
use super::message::{HeadsAtStorage, PeerMetadata, WireMessage};

/// Why a frame could not be decoded into a [`WireMessage`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("frame is not valid CBOR: {0}")]
    Cbor(String),
    #[error("frame has {0} bytes after the message")]
    TrailingBytes(usize),
    #[error("message is not a CBOR map")]
    NotAMap,
    #[error("message map has a key that is not text")]
    NonTextKey,
    #[error("message has no text field \"type\"")]
    MissingType,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("field {field:?} of {message} is missing or has the wrong type")]
    Field {
        message: &'static str,
        field: &'static str,
    },
    #[error("invalid document id: {0}")]
    DocumentId(#[from] super::ids::DocumentIdError),
    #[error("field \"data\" must not be empty")]
    EmptyData,
    #[error("{field:?} of {message} is {len} bytes, more than {MAX_ID_BYTES}")]
    IdTooLong {
        message: &'static str,
        field: &'static str,
        len: usize,
    },
}

/// Decodes one frame. Never panics.
///
/// The frame must hold exactly one CBOR map with text keys. ciborium reads from the slice,
/// so a length header larger than the input fails at end of input instead of allocating,
/// and its recursion limit bounds nesting.
pub fn decode(bytes: &[u8]) -> Result<WireMessage, DecodeError> {
    let Value::Map(entries) = read_value(bytes)? else {
        return Err(DecodeError::NotAMap);
    };
    let mut fields = Fields::new(text_keys(entries).ok_or(DecodeError::NonTextKey)?);
    let Some(Value::Text(type_name)) = fields.take("type") else {
        return Err(DecodeError::MissingType);
    };
    let (name, decode_fields) = DECODERS
        .iter()
        .find(|(name, _)| *name == type_name)
        .ok_or(DecodeError::UnknownType(type_name))?;
    fields.message = name;
    decode_fields(&mut fields)
}

fn read_value(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut rest = bytes;
    let value: Value =
        ciborium::de::from_reader(&mut rest).map_err(|e| DecodeError::Cbor(e.to_string()))?;
    // One frame is one message: anything after it means the sender framed wrongly.
    match rest.len() {
        0 => Ok(value),
        n => Err(DecodeError::TrailingBytes(n)),
    }
}

/// The entries of a CBOR map, or `None` if the value is not a map with text keys.
fn map_entries(value: Value) -> Option<Vec<(String, Value)>> {
    match value {
        Value::Map(entries) => text_keys(entries),
        _ => None,
    }
}

fn text_keys(entries: Vec<(Value, Value)>) -> Option<Vec<(String, Value)>> {
    entries
        .into_iter()
        .map(|(key, value)| match key {
            Value::Text(key) => Some((key, value)),
            _ => None,
        })
        .collect()
}

type FieldsDecoder = fn(&mut Fields) -> Result<WireMessage, DecodeError>;

const DECODERS: [(&str, FieldsDecoder); 10] = [
    ("join", join),
    ("peer", peer),
    ("error", error),
    ("leave", leave),
    ("request", request),
    ("sync", sync),
    ("doc-unavailable", doc_unavailable),
    ("ephemeral", ephemeral),
    ("remote-subscription-change", remote_subscription_change),
    ("remote-heads-changed", remote_heads_changed),
];

fn join(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Join {
        sender_id: f.peer("senderId")?,
        // Absent means "1" to the JS server; the caller reads an empty list that way.
        supported_protocol_versions: f
            .text_list("supportedProtocolVersions")?
            .unwrap_or_default(),
        peer_metadata: f.peer_metadata()?,
    })
}

fn peer(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Peer {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        selected_protocol_version: f.text("selectedProtocolVersion")?,
        peer_metadata: f.peer_metadata()?,
    })
}

fn error(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Error {
        message: f.text("message")?,
        sender_id: f.peer_opt("senderId")?,
        target_id: f.peer_opt("targetId")?,
    })
}

fn leave(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Leave {
        sender_id: f.peer("senderId")?,
    })
}

fn request(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Request {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        document_id: f.document_id()?,
        data: f.data()?,
    })
}

fn sync(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Sync {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        document_id: f.document_id()?,
        data: f.data()?,
    })
}

fn doc_unavailable(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::DocUnavailable {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        document_id: f.document_id()?,
    })
}

fn ephemeral(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::Ephemeral {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        document_id: f.document_id()?,
        session_id: f.text("sessionId")?,
        count: f.uint("count")?,
        data: f.data()?,
    })
}

fn remote_subscription_change(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::RemoteSubscriptionChange {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        add: f.storage_ids("add")?,
        remove: f.storage_ids("remove")?,
    })
}

fn remote_heads_changed(f: &mut Fields) -> Result<WireMessage, DecodeError> {
    Ok(WireMessage::RemoteHeadsChanged {
        sender_id: f.peer("senderId")?,
        target_id: f.peer("targetId")?,
        document_id: f.document_id()?,
        new_heads: f.new_heads()?,
    })
}

/// The text-keyed entries of one decoded map, consumed field by field.
struct Fields {
    /// The message type, for error reports.
    message: &'static str,
    /// Set for a nested map, whose errors are reported against its parent field.
    parent: Option<&'static str>,
    entries: Vec<(String, Value)>,
}

impl Fields {
    fn new(entries: Vec<(String, Value)>) -> Self {
        Self {
            message: "message",
            parent: None,
            entries,
        }
    }

    fn error(&self, field: &'static str) -> DecodeError {
        DecodeError::Field {
            message: self.message,
            field: self.parent.unwrap_or(field),
        }
    }

    /// Takes a field out of the map. The last duplicate wins, as in a JS object, and
    /// null/undefined count as absent (ciborium reads both as `Value::Null`).
    fn take(&mut self, key: &str) -> Option<Value> {
        let (_, value) = self.entries.iter_mut().rev().find(|(k, _)| k == key)?;
        match std::mem::replace(value, Value::Null) {
            Value::Null => None,
            value => Some(value),
        }
    }

    fn required(&mut self, key: &'static str) -> Result<Value, DecodeError> {
        self.take(key).ok_or_else(|| self.error(key))
    }

    /// Reads an optional field with `convert`, which returns `None` for a wrong type.
    fn optional<T>(
        &mut self,
        key: &'static str,
        convert: impl FnOnce(Value) -> Option<T>,
    ) -> Result<Option<T>, DecodeError> {
        match self.take(key) {
            None => Ok(None),
            Some(value) => convert(value).map(Some).ok_or_else(|| self.error(key)),
        }
    }

    fn text_opt(&mut self, key: &'static str) -> Result<Option<String>, DecodeError> {
        self.optional(key, into_text)
    }

    fn text(&mut self, key: &'static str) -> Result<String, DecodeError> {
        self.text_opt(key)?.ok_or_else(|| self.error(key))
    }

    fn peer(&mut self, key: &'static str) -> Result<PeerId, DecodeError> {
        self.peer_opt(key)?.ok_or_else(|| self.error(key))
    }

    fn peer_opt(&mut self, key: &'static str) -> Result<Option<PeerId>, DecodeError> {
        let id = self.text_opt(key)?;
        id.map(|id| self.capped(key, id).map(PeerId::new))
            .transpose()
    }

    /// An id no longer than [`MAX_ID_BYTES`], reported against `key` (or the parent field).
    fn capped(&self, key: &'static str, id: String) -> Result<String, DecodeError> {
        if id.len() <= MAX_ID_BYTES {
            return Ok(id);
        }
        Err(DecodeError::IdTooLong {
            message: self.message,
            field: self.parent.unwrap_or(key),
            len: id.len(),
        })
    }

    fn uint(&mut self, key: &'static str) -> Result<u64, DecodeError> {
        self.optional(key, |v| as_u64(&v))?
            .ok_or_else(|| self.error(key))
    }

    fn text_list(&mut self, key: &'static str) -> Result<Option<Vec<String>>, DecodeError> {
        self.optional(key, into_text_list)
    }

    fn storage_ids(&mut self, key: &'static str) -> Result<Option<Vec<StorageId>>, DecodeError> {
        let Some(ids) = self.text_list(key)? else {
            return Ok(None);
        };
        let capped = ids
            .into_iter()
            .map(|id| self.capped(key, id).map(StorageId::new));
        capped.collect::<Result<_, _>>().map(Some)
    }

    fn storage_id_opt(&mut self, key: &'static str) -> Result<Option<StorageId>, DecodeError> {
        let id = self.text_opt(key)?;
        id.map(|id| self.capped(key, id).map(StorageId::new))
            .transpose()
    }

    fn document_id(&mut self) -> Result<DocumentId, DecodeError> {
        match self.required("documentId")? {
            Value::Text(text) => Ok(DocumentId::from_str(&text)?),
            // Legacy peers send the 16 raw bytes.
            Value::Bytes(bytes) => Ok(DocumentId::from_slice(&bytes)?),
            _ => Err(self.error("documentId")),
        }
    }

    fn data(&mut self) -> Result<Vec<u8>, DecodeError> {
        let data = self
            .optional("data", into_bytes)?
            .ok_or_else(|| self.error("data"))?;
        if data.is_empty() {
            return Err(DecodeError::EmptyData);
        }
        Ok(data)
    }

    /// `peerMetadata`, or `metadata`, which samod also reads in its place.
    fn peer_metadata(&mut self) -> Result<Option<PeerMetadata>, DecodeError> {
        let Some(value) = self.take("peerMetadata").or_else(|| self.take("metadata")) else {
            return Ok(None);
        };
        let mut inner = self.nested("peerMetadata", value)?;
        Ok(Some(PeerMetadata {
            storage_id: inner.storage_id_opt("storageId")?,
            is_ephemeral: inner.optional("isEphemeral", into_bool)?.unwrap_or(false),
        }))
    }

    fn new_heads(&mut self) -> Result<BTreeMap<StorageId, HeadsAtStorage>, DecodeError> {
        let value = self.required("newHeads")?;
        let entries = map_entries(value).ok_or_else(|| self.error("newHeads"))?;
        entries
            .into_iter()
            .map(|(storage_id, heads)| {
                let storage_id = StorageId::new(self.capped("newHeads", storage_id)?);
                Ok((storage_id, self.heads_at(heads)?))
            })
            .collect()
    }

    fn heads_at(&self, value: Value) -> Result<HeadsAtStorage, DecodeError> {
        let mut inner = self.nested("newHeads", value)?;
        let heads = inner.text_list("heads")?;
        Ok(HeadsAtStorage {
            heads: heads.ok_or_else(|| inner.error("heads"))?,
            timestamp: inner.uint("timestamp")?,
        })
    }

    fn nested(&self, field: &'static str, value: Value) -> Result<Fields, DecodeError> {
        let entries = map_entries(value).ok_or_else(|| self.error(field))?;
        Ok(Fields {
            message: self.message,
            parent: Some(self.parent.unwrap_or(field)),
            entries,
        })
    }
}

fn into_text(value: Value) -> Option<String> {
    match value {
        Value::Text(text) => Some(text),
        _ => None,
    }
}

fn into_bool(value: Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

fn into_text_list(value: Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items.into_iter().map(into_text).collect(),
        _ => None,
    }
}

fn into_bytes(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::Bytes(bytes) => Some(bytes),
        // cbor-x tags Uint8Array with 64 unless `tagUint8Array: false`; accept both.
        Value::Tag(64, inner) => match *inner {
            Value::Bytes(bytes) => Some(bytes),
            _ => None,
        },
        _ => None,
    }
}

/// A count or timestamp: cbor-x may write integral JS numbers as floats.
fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Integer(int) => u64::try_from(*int).ok(),
        Value::Float(float) => float_to_u64(*float),
        _ => None,
    }
}

fn float_to_u64(float: f64) -> Option<u64> {
    // 2^64 is exactly representable; every integral f64 below it converts to u64 exactly.
    const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
    let integral = float.is_finite() && float.trunc() == float;
    (integral && (0.0..TWO_POW_64).contains(&float)).then_some(float as u64)
}

/// Encodes one message as a definite-length CBOR map with text keys.
///
/// Keys come in samod's order: `type`, `senderId`, `targetId`, then the message's own
/// fields; `None` fields are omitted. Writing to a `Vec` cannot fail, so neither can this.
pub fn encode(message: &WireMessage) -> Vec<u8> {
    let mut out = Vec::new();
    write_item(&mut out, &Item::Map(entries(message)));
    out
}

/// One CBOR value to write; borrowed from the message so encoding copies each byte once.
enum Item<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Uint(u64),
    Bool(bool),
    DocumentId(DocumentId),
    TextList(Vec<&'a str>),
    Map(Vec<(&'a str, Item<'a>)>),
}

fn entries(message: &WireMessage) -> Vec<(&str, Item<'_>)> {
    let mut entries = vec![("type", Item::Text(message.type_name()))];
    if let Some(sender) = message.sender_id() {
        entries.push(("senderId", Item::Text(sender.as_str())));
    }
    if let Some(target) = target_id(message) {
        entries.push(("targetId", Item::Text(target.as_str())));
    }
    entries.extend(body(message));
    entries
}

fn target_id(message: &WireMessage) -> Option<&PeerId> {
    match message {
        WireMessage::Join { .. } | WireMessage::Leave { .. } => None,
        WireMessage::Error { target_id, .. } => target_id.as_ref(),
        WireMessage::Peer { target_id, .. }
        | WireMessage::Request { target_id, .. }
        | WireMessage::Sync { target_id, .. }
        | WireMessage::DocUnavailable { target_id, .. }
        | WireMessage::Ephemeral { target_id, .. }
        | WireMessage::RemoteSubscriptionChange { target_id, .. }
        | WireMessage::RemoteHeadsChanged { target_id, .. } => Some(target_id),
    }
}

/// The fields after `type`, `senderId` and `targetId`.
fn body(message: &WireMessage) -> Vec<(&'static str, Item<'_>)> {
    match message {
        WireMessage::Join {
            supported_protocol_versions: versions,
            peer_metadata,
            ..
        } => with_metadata(
            ("supportedProtocolVersions", text_list(versions)),
            peer_metadata,
        ),
        WireMessage::Peer {
            selected_protocol_version: version,
            peer_metadata,
            ..
        } => with_metadata(
            ("selectedProtocolVersion", Item::Text(version)),
            peer_metadata,
        ),
        WireMessage::Error { message, .. } => vec![("message", Item::Text(message))],
        WireMessage::Leave { .. } => Vec::new(),
        WireMessage::Request {
            document_id, data, ..
        }
        | WireMessage::Sync {
            document_id, data, ..
        } => vec![doc_entry(document_id), ("data", Item::Bytes(data))],
        WireMessage::DocUnavailable { document_id, .. } => vec![doc_entry(document_id)],
        WireMessage::Ephemeral {
            document_id,
            session_id,
            count,
            data,
            ..
        } => ephemeral_body(document_id, session_id, *count, data),
        WireMessage::RemoteSubscriptionChange { add, remove, .. } => {
            [("add", add), ("remove", remove)]
                .into_iter()
                .filter_map(|(key, ids)| Some((key, storage_list(ids.as_ref()?))))
                .collect()
        }
        WireMessage::RemoteHeadsChanged {
            document_id,
            new_heads,
            ..
        } => vec![doc_entry(document_id), ("newHeads", heads_map(new_heads))],
    }
}

fn ephemeral_body<'a>(
    document_id: &DocumentId,
    session_id: &'a str,
    count: u64,
    data: &'a [u8],
) -> Vec<(&'static str, Item<'a>)> {
    vec![
        ("count", Item::Uint(count)),
        ("sessionId", Item::Text(session_id)),
        doc_entry(document_id),
        ("data", Item::Bytes(data)),
    ]
}

fn with_metadata<'a>(
    first: (&'static str, Item<'a>),
    metadata: &'a Option<PeerMetadata>,
) -> Vec<(&'static str, Item<'a>)> {
    let mut body = vec![first];
    if let Some(metadata) = metadata {
        body.push(("peerMetadata", metadata_map(metadata)));
    }
    body
}

fn metadata_map(metadata: &PeerMetadata) -> Item<'_> {
    let mut entries = Vec::new();
    if let Some(storage_id) = &metadata.storage_id {
        entries.push(("storageId", Item::Text(storage_id.as_str())));
    }
    entries.push(("isEphemeral", Item::Bool(metadata.is_ephemeral)));
    Item::Map(entries)
}

/// Document ids are always written as base58check text, never as legacy bytes.
fn doc_entry(document_id: &DocumentId) -> (&'static str, Item<'static>) {
    ("documentId", Item::DocumentId(*document_id))
}

fn text_list(items: &[String]) -> Item<'_> {
    Item::TextList(items.iter().map(String::as_str).collect())
}

fn storage_list(ids: &[StorageId]) -> Item<'_> {
    Item::TextList(ids.iter().map(StorageId::as_str).collect())
}

fn heads_map(new_heads: &BTreeMap<StorageId, HeadsAtStorage>) -> Item<'_> {
    let entries = new_heads.iter().map(|(storage_id, at)| {
        let heads = vec![
            ("heads", text_list(&at.heads)),
            ("timestamp", Item::Uint(at.timestamp)),
        ];
        (storage_id.as_str(), Item::Map(heads))
    });
    Item::Map(entries.collect())
}

fn write_item(out: &mut Vec<u8>, item: &Item<'_>) {
    match item {
        Item::Text(text) => write_text(out, text),
        Item::Bytes(bytes) => {
            write_head(out, MAJOR_BYTES, bytes.len() as u64);
            out.extend_from_slice(bytes);
        }
        Item::Uint(n) => write_head(out, MAJOR_UINT, *n),
        Item::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        Item::DocumentId(id) => write_text(out, &id.to_string()),
        Item::TextList(items) => {
            write_head(out, MAJOR_ARRAY, items.len() as u64);
            items.iter().for_each(|text| write_text(out, text));
        }
        Item::Map(entries) => {
            write_head(out, MAJOR_MAP, entries.len() as u64);
            for (key, value) in entries {
                write_text(out, key);
                write_item(out, value);
            }
        }
    }
}

const MAJOR_UINT: u8 = 0;
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const FALSE: u8 = 0xf4;
const TRUE: u8 = 0xf5;

fn write_text(out: &mut Vec<u8>, text: &str) {
    write_head(out, MAJOR_TEXT, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Writes a CBOR head with the shortest argument encoding (RFC 8949 §3, §4.2.1).
/// The `as` casts cannot truncate: each arm's range fits the target type.
fn write_head(out: &mut Vec<u8>, major: u8, argument: u64) {
    let major = major << 5;
    match argument {
        0..=23 => out.push(major | argument as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, argument as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(argument as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(argument as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&argument.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::proto::DocumentIdError;

    fn peer(id: &str) -> PeerId {
        PeerId::new(id)
    }

    fn doc() -> DocumentId {
        DocumentId::from_bytes([9; 16])
    }

    fn one_of_each() -> Vec<WireMessage> {
        let metadata = PeerMetadata {
            storage_id: Some(StorageId::new("3760df37-a4c6-4f66-9ecd-732039a9385d")),
            is_ephemeral: false,
        };
        let heads = HeadsAtStorage {
            heads: vec!["2R6zSWqTfK1bL3s6nUy5sXzcSb1jzKz4pyLKHtZZ8nYcNamkRD".into()],
            timestamp: 1_733_000_000_123,
        };
        vec![
            WireMessage::Join {
                sender_id: peer("peer-x7f3k2"),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: Some(metadata.clone()),
            },
            WireMessage::Join {
                sender_id: peer("peer-anon"),
                supported_protocol_versions: Vec::new(),
                peer_metadata: None,
            },
            WireMessage::Peer {
                sender_id: peer("storage-server-wish"),
                target_id: peer("peer-x7f3k2"),
                selected_protocol_version: "1".into(),
                peer_metadata: Some(PeerMetadata {
                    storage_id: None,
                    is_ephemeral: true,
                }),
            },
            WireMessage::Peer {
                sender_id: peer("a"),
                target_id: peer("b"),
                selected_protocol_version: "1".into(),
                peer_metadata: None,
            },
            WireMessage::Error {
                message: "unsupported protocol version".into(),
                sender_id: Some(peer("server")),
                target_id: Some(peer("client")),
            },
            WireMessage::Error {
                message: String::new(),
                sender_id: None,
                target_id: None,
            },
            WireMessage::Leave {
                sender_id: peer("gone"),
            },
            WireMessage::Request {
                sender_id: peer("a"),
                target_id: peer("b"),
                document_id: doc(),
                data: vec![0x42, 0, 0],
            },
            WireMessage::Sync {
                sender_id: peer("a"),
                target_id: peer("b"),
                document_id: doc(),
                data: vec![0x43; 300],
            },
            WireMessage::DocUnavailable {
                sender_id: peer("a"),
                target_id: peer("b"),
                document_id: doc(),
            },
            WireMessage::Ephemeral {
                sender_id: peer("a"),
                target_id: peer("b"),
                document_id: doc(),
                session_id: "k3j4h5".into(),
                count: u64::MAX,
                data: vec![0xa0],
            },
            WireMessage::RemoteSubscriptionChange {
                sender_id: peer("a"),
                target_id: peer("b"),
                add: Some(vec![StorageId::new("s1"), StorageId::new("s2")]),
                remove: None,
            },
            WireMessage::RemoteSubscriptionChange {
                sender_id: peer("a"),
                target_id: peer("b"),
                add: None,
                remove: Some(Vec::new()),
            },
            WireMessage::RemoteHeadsChanged {
                sender_id: peer("a"),
                target_id: peer("b"),
                document_id: doc(),
                new_heads: BTreeMap::from([
                    (StorageId::new("s1"), heads.clone()),
                    (
                        StorageId::new("s2"),
                        HeadsAtStorage {
                            heads: Vec::new(),
                            timestamp: 0,
                        },
                    ),
                ]),
            },
        ]
    }

    // ---- helpers for hand-built frames ----

    fn cbor(value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::ser::into_writer(value, &mut out).unwrap();
        out
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
    }

    /// A short CBOR text string (< 24 bytes), written by hand.
    fn raw_text(s: &str) -> Vec<u8> {
        assert!(s.len() < 24);
        let mut out = vec![0x60 | s.len() as u8];
        out.extend_from_slice(s.as_bytes());
        out
    }

    /// A CBOR float64 (major 7, 0xfb), which ciborium would shrink if asked to encode it.
    fn raw_f64(x: f64) -> Vec<u8> {
        let mut out = vec![0xfb];
        out.extend_from_slice(&x.to_be_bytes());
        out
    }

    const UNDEFINED: u8 = 0xf7;

    fn field_error(message: &'static str, field: &'static str) -> DecodeError {
        DecodeError::Field { message, field }
    }

    // ---- round trips and encoding shape ----

    #[test]
    fn every_variant_round_trips() {
        for message in one_of_each() {
            assert_eq!(
                decode(&encode(&message)),
                Ok(message.clone()),
                "{message:?}"
            );
        }
    }

    #[test]
    fn encoding_is_canonical_for_a_small_message() {
        let leave = WireMessage::Leave {
            sender_id: peer("p"),
        };
        let mut expected = vec![0xa2];
        for part in ["type", "leave", "senderId", "p"] {
            expected.extend(raw_text(part));
        }
        assert_eq!(encode(&leave), expected);
    }

    #[test]
    fn keys_come_in_samod_order() {
        for message in one_of_each() {
            let Value::Map(entries) = ciborium::de::from_reader(&encode(&message)[..]).unwrap()
            else {
                panic!("not a map")
            };
            let keys: Vec<_> = entries.iter().map(|(k, _)| k.as_text().unwrap()).collect();
            let routing: Vec<_> = ["type", "senderId", "targetId"]
                .into_iter()
                .filter(|k| keys.contains(k))
                .collect();
            assert_eq!(keys[..routing.len()], routing[..], "{keys:?}");
        }
    }

    #[test]
    fn data_is_an_untagged_byte_string_and_count_an_unsigned_int() {
        let message = WireMessage::Ephemeral {
            sender_id: peer("a"),
            target_id: peer("b"),
            document_id: doc(),
            session_id: "s".into(),
            count: 500,
            data: vec![1, 2, 3],
        };
        let bytes = encode(&message);
        let tail = [raw_text("data"), vec![0x43, 1, 2, 3]].concat();
        assert!(bytes.ends_with(&tail));
        let count = [raw_text("count"), vec![0x19, 0x01, 0xf4]].concat();
        assert!(bytes.windows(count.len()).any(|w| w == count));
    }

    #[test]
    fn write_head_uses_the_shortest_form() {
        let cases: [(u64, &[u8]); 6] = [
            (23, &[0x17]),
            (24, &[0x18, 24]),
            (256, &[0x19, 1, 0]),
            (65_536, &[0x1a, 0, 1, 0, 0]),
            (1 << 32, &[0x1b, 0, 0, 0, 1, 0, 0, 0, 0]),
            (
                u64::MAX,
                &[0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ),
        ];
        for (n, expected) in cases {
            let mut out = Vec::new();
            write_head(&mut out, MAJOR_UINT, n);
            assert_eq!(out, expected, "{n}");
        }
    }

    // ---- what cbor-x really sends ----

    #[test]
    fn decodes_cbor_x_ephemeral_with_float_count_and_byte_document_id() {
        // Keys in an unusual order, an unknown key, count as float64, documentId as bytes.
        let mut frame = vec![0xa8];
        frame.extend(raw_text("data"));
        frame.extend([0x42, 0xa1, 0x00]);
        frame.extend(raw_text("count"));
        frame.extend(raw_f64(7.0));
        frame.extend(raw_text("documentId"));
        frame.push(0x50);
        frame.extend([9; 16]);
        frame.extend(raw_text("futureField"));
        frame.push(UNDEFINED);
        frame.extend(raw_text("sessionId"));
        frame.extend(raw_text("k3j4h5"));
        frame.extend(raw_text("targetId"));
        frame.extend(raw_text("b"));
        frame.extend(raw_text("senderId"));
        frame.extend(raw_text("a"));
        frame.extend(raw_text("type"));
        frame.extend(raw_text("ephemeral"));
        let expected = WireMessage::Ephemeral {
            sender_id: peer("a"),
            target_id: peer("b"),
            document_id: doc(),
            session_id: "k3j4h5".into(),
            count: 7,
            data: vec![0xa1, 0x00],
        };
        assert_eq!(decode(&frame), Ok(expected));
    }

    #[test]
    fn decodes_join_with_undefined_storage_id_and_no_versions() {
        // {type:"join", senderId:"p", peerMetadata:{storageId: undefined}}
        let mut frame = vec![0xa3];
        frame.extend(raw_text("type"));
        frame.extend(raw_text("join"));
        frame.extend(raw_text("senderId"));
        frame.extend(raw_text("p"));
        frame.extend(raw_text("peerMetadata"));
        frame.push(0xa1);
        frame.extend(raw_text("storageId"));
        frame.push(UNDEFINED);
        let expected = WireMessage::Join {
            sender_id: peer("p"),
            supported_protocol_versions: Vec::new(),
            peer_metadata: Some(PeerMetadata::default()),
        };
        assert_eq!(decode(&frame), Ok(expected));
    }

    #[test]
    fn decodes_subscription_change_with_remove_undefined() {
        let mut frame = vec![0xa5];
        for part in ["type", "remote-subscription-change", "senderId", "a"] {
            frame.extend(if part.len() < 24 {
                raw_text(part)
            } else {
                cbor(&text(part))
            });
        }
        for part in ["targetId", "b", "add"] {
            frame.extend(raw_text(part));
        }
        frame.push(0x81);
        frame.extend(raw_text("s1"));
        frame.extend(raw_text("remove"));
        frame.push(UNDEFINED);
        let expected = WireMessage::RemoteSubscriptionChange {
            sender_id: peer("a"),
            target_id: peer("b"),
            add: Some(vec![StorageId::new("s1")]),
            remove: None,
        };
        assert_eq!(decode(&frame), Ok(expected));
    }

    #[test]
    fn decodes_remote_heads_with_float_timestamps() {
        let at = |timestamp: Value| {
            map(vec![
                ("heads", Value::Array(vec![text("h")])),
                ("timestamp", timestamp),
            ])
        };
        let frame = cbor(&map(vec![
            ("type", text("remote-heads-changed")),
            ("senderId", text("a")),
            ("targetId", text("b")),
            ("documentId", text(&doc().to_string())),
            (
                "newHeads",
                map(vec![
                    ("s1", at(Value::Float(1_733_000_000_123.0))),
                    ("s2", at(Value::Float(2.0))),
                ]),
            ),
        ]));
        let heads = |timestamp| HeadsAtStorage {
            heads: vec!["h".into()],
            timestamp,
        };
        let expected = WireMessage::RemoteHeadsChanged {
            sender_id: peer("a"),
            target_id: peer("b"),
            document_id: doc(),
            new_heads: BTreeMap::from([
                (StorageId::new("s1"), heads(1_733_000_000_123)),
                (StorageId::new("s2"), heads(2)),
            ]),
        };
        assert_eq!(decode(&frame), Ok(expected));
    }

    #[test]
    fn decodes_error_with_only_a_message_and_null_ids() {
        let frame = cbor(&map(vec![
            ("type", text("error")),
            ("message", text("unsupported protocol version")),
            ("senderId", Value::Null),
        ]));
        let expected = WireMessage::Error {
            message: "unsupported protocol version".into(),
            sender_id: None,
            target_id: None,
        };
        assert_eq!(decode(&frame), Ok(expected));
    }

    #[test]
    fn accepts_tagged_data_and_the_legacy_metadata_key() {
        let frame = cbor(&map(vec![
            ("type", text("peer")),
            ("senderId", text("s")),
            ("targetId", text("c")),
            ("selectedProtocolVersion", text("1")),
            ("metadata", map(vec![("isEphemeral", Value::Bool(true))])),
        ]));
        let Ok(WireMessage::Peer { peer_metadata, .. }) = decode(&frame) else {
            panic!("peer did not decode")
        };
        assert_eq!(peer_metadata.map(|m| m.is_ephemeral), Some(true));

        let tagged = Value::Tag(64, Box::new(Value::Bytes(vec![0x42])));
        assert!(matches!(
            decode(&sync_frame("data", tagged)),
            Ok(WireMessage::Sync { .. })
        ));
    }

    #[test]
    fn float_counts_must_be_non_negative_integers() {
        for bad in [
            -1.0,
            1.5,
            f64::NAN,
            f64::INFINITY,
            18_446_744_073_709_551_616.0,
        ] {
            assert_eq!(float_to_u64(bad), None, "{bad}");
        }
        assert_eq!(float_to_u64(-0.0), Some(0));
        assert_eq!(
            float_to_u64(9_007_199_254_740_993.0),
            Some(9_007_199_254_740_992)
        );
        assert_eq!(as_u64(&Value::Integer((-1).into())), None);
    }

    // ---- errors ----

    /// A valid sync frame with `key` set to `value` (replacing the field if it exists).
    fn sync_frame(key: &str, value: Value) -> Vec<u8> {
        let mut entries = vec![
            ("type", text("sync")),
            ("senderId", text("a")),
            ("targetId", text("b")),
            ("documentId", text(&doc().to_string())),
            ("data", Value::Bytes(vec![0x42])),
        ];
        entries.retain(|(k, _)| *k != key);
        entries.push((key, value));
        cbor(&map(entries))
    }

    #[test]
    fn rejects_garbage_and_truncated_cbor() {
        for garbage in [&[][..], &[0xff], &[0x1c], &[0xa1, 0x64, b't']] {
            assert!(
                matches!(decode(garbage), Err(DecodeError::Cbor(_))),
                "{garbage:?}"
            );
        }
        let frame = encode(&one_of_each()[0]);
        for cut in 0..frame.len() {
            assert!(
                matches!(decode(&frame[..cut]), Err(DecodeError::Cbor(_))),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn rejects_trailing_bytes() {
        let mut frame = encode(&one_of_each()[0]);
        frame.push(0x00);
        assert_eq!(decode(&frame), Err(DecodeError::TrailingBytes(1)));
    }

    #[test]
    fn rejects_non_maps_and_non_text_keys() {
        let array = cbor(&Value::Array(vec![text("type"), text("join")]));
        assert_eq!(decode(&array), Err(DecodeError::NotAMap));
        let int_key = cbor(&Value::Map(vec![(Value::Integer(1.into()), text("x"))]));
        assert_eq!(decode(&int_key), Err(DecodeError::NonTextKey));
    }

    #[test]
    fn rejects_missing_and_unknown_types() {
        let no_type = cbor(&map(vec![("senderId", text("a"))]));
        assert_eq!(decode(&no_type), Err(DecodeError::MissingType));
        let int_type = cbor(&map(vec![("type", Value::Integer(3.into()))]));
        assert_eq!(decode(&int_type), Err(DecodeError::MissingType));
        let unknown = cbor(&map(vec![("type", text("shout"))]));
        assert_eq!(
            decode(&unknown),
            Err(DecodeError::UnknownType("shout".into()))
        );
    }

    #[test]
    fn rejects_wrong_field_types() {
        let cases = [
            ("senderId", Value::Integer(1.into())),
            ("targetId", Value::Null),
            ("documentId", Value::Bool(true)),
            ("data", text("not bytes")),
        ];
        for (key, value) in cases {
            assert_eq!(
                decode(&sync_frame(key, value)),
                Err(field_error("sync", key))
            );
        }
    }

    #[test]
    fn nested_errors_name_the_parent_field() {
        let join = |metadata: Value| {
            cbor(&map(vec![
                ("type", text("join")),
                ("senderId", text("a")),
                ("peerMetadata", metadata),
            ]))
        };
        let bad_flag = map(vec![("isEphemeral", text("yes"))]);
        assert_eq!(
            decode(&join(bad_flag)),
            Err(field_error("join", "peerMetadata"))
        );
        assert_eq!(
            decode(&join(text("x"))),
            Err(field_error("join", "peerMetadata"))
        );
        let heads = map(vec![("s", map(vec![("heads", Value::Array(Vec::new()))]))]);
        let frame = cbor(&map(vec![
            ("type", text("remote-heads-changed")),
            ("senderId", text("a")),
            ("targetId", text("b")),
            ("documentId", text(&doc().to_string())),
            ("newHeads", heads),
        ]));
        assert_eq!(
            decode(&frame),
            Err(field_error("remote-heads-changed", "newHeads"))
        );
    }

    #[test]
    fn rejects_empty_data() {
        assert_eq!(
            decode(&sync_frame("data", Value::Bytes(Vec::new()))),
            Err(DecodeError::EmptyData)
        );
    }

    #[test]
    fn rejects_bad_document_ids() {
        let bad_checksum = text("4NMNnkMhL8jXrdJ9jamS58PAVdXv");
        assert_eq!(
            decode(&sync_frame("documentId", bad_checksum)),
            Err(DecodeError::DocumentId(DocumentIdError::NotBase58Check))
        );
        let short = Value::Bytes(vec![1; 15]);
        assert_eq!(
            decode(&sync_frame("documentId", short)),
            Err(DecodeError::DocumentId(DocumentIdError::WrongLength(15)))
        );
    }

    #[test]
    fn huge_claimed_lengths_fail_fast_without_allocating() {
        let huge = (1u64 << 60).to_be_bytes();
        for major in [0x5b, 0x7b, 0x9b, 0xbb] {
            let mut frame = vec![0xa1];
            frame.extend(raw_text("data"));
            frame.push(major);
            frame.extend(huge);
            // Allocating the claimed 2^60 bytes would abort the test process.
            assert!(
                matches!(decode(&frame), Err(DecodeError::Cbor(_))),
                "{major:#x}"
            );
        }
    }

    #[test]
    fn deep_nesting_hits_the_recursion_limit() {
        let frame = [vec![0x81; 100_000], vec![0x00]].concat();
        assert!(matches!(decode(&frame), Err(DecodeError::Cbor(_))));
    }
}
