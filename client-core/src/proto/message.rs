//! The messages of protocol "1" as Rust values.

use std::collections::BTreeMap;

use super::ids::{DocumentId, PeerId, StorageId};

/// The only protocol version that exists.
pub const PROTOCOL_VERSION: &str = "1";

/// What a peer says about its storage in `join` and `peer`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeerMetadata {
    pub storage_id: Option<StorageId>,
    pub is_ephemeral: bool,
}

/// The heads of a document at one storage, as gossiped in `remote-heads-changed`.
///
/// `heads` are bs58check-encoded change hashes (see [`super::encode_heads`]);
/// `timestamp` is milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadsAtStorage {
    pub heads: Vec<String>,
    pub timestamp: u64,
}

/// One message of protocol "1".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireMessage {
    Join {
        sender_id: PeerId,
        supported_protocol_versions: Vec<String>,
        peer_metadata: Option<PeerMetadata>,
    },
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        selected_protocol_version: String,
        peer_metadata: Option<PeerMetadata>,
    },
    Error {
        message: String,
        sender_id: Option<PeerId>,
        target_id: Option<PeerId>,
    },
    /// Legacy; decoded so it can be ignored.
    Leave { sender_id: PeerId },
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        session_id: String,
        count: u64,
        data: Vec<u8>,
    },
    RemoteSubscriptionChange {
        sender_id: PeerId,
        target_id: PeerId,
        add: Option<Vec<StorageId>>,
        remove: Option<Vec<StorageId>>,
    },
    RemoteHeadsChanged {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        new_heads: BTreeMap<StorageId, HeadsAtStorage>,
    },
}

impl WireMessage {
    /// The wire name of the message, as in its `type` field.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Join { .. } => "join",
            Self::Peer { .. } => "peer",
            Self::Error { .. } => "error",
            Self::Leave { .. } => "leave",
            Self::Request { .. } => "request",
            Self::Sync { .. } => "sync",
            Self::DocUnavailable { .. } => "doc-unavailable",
            Self::Ephemeral { .. } => "ephemeral",
            Self::RemoteSubscriptionChange { .. } => "remote-subscription-change",
            Self::RemoteHeadsChanged { .. } => "remote-heads-changed",
        }
    }

    /// The sender, for every message that names one.
    pub fn sender_id(&self) -> Option<&PeerId> {
        match self {
            Self::Join { sender_id, .. }
            | Self::Peer { sender_id, .. }
            | Self::Leave { sender_id }
            | Self::Request { sender_id, .. }
            | Self::Sync { sender_id, .. }
            | Self::DocUnavailable { sender_id, .. }
            | Self::Ephemeral { sender_id, .. }
            | Self::RemoteSubscriptionChange { sender_id, .. }
            | Self::RemoteHeadsChanged { sender_id, .. } => Some(sender_id),
            Self::Error { sender_id, .. } => sender_id.as_ref(),
        }
    }

    /// The document the message is about, if any.
    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Self::Request { document_id, .. }
            | Self::Sync { document_id, .. }
            | Self::DocUnavailable { document_id, .. }
            | Self::Ephemeral { document_id, .. }
            | Self::RemoteHeadsChanged { document_id, .. } => Some(*document_id),
            _ => None,
        }
    }
}
