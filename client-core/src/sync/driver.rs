//! The client driver: the whole sync client as a state machine with no I/O.
//!
//! The caller owns the socket, the clock, the randomness and local storage. It feeds
//! [`ClientInput`]s and carries out the [`ClientEffect`]s in order:
//!
//! * `Connect`: open a WebSocket to the server, then feed `Connected` (or `Disconnected`);
//! * `Send(bytes)`: send one binary frame;
//! * `CloseSocket`: close the socket, then feed `Disconnected`;
//! * `Store(op)`: write to local storage (before sending anything that follows);
//! * `Event(e)`: tell the application (document changed, saved on server, ...).
//!
//! Call [`ClientDriver::handle`] with `Tick` at [`ClientDriver::next_wake`] at the latest.

mod local_copies;

use std::collections::{BTreeMap, HashMap};

use automerge::{Automerge, ChangeHash};

use super::backoff::Backoff;
use super::doc_session::{ChunkWrite, DocSession};
use super::refusal::Refusal;
use crate::proto::{
    decode, decode_heads, encode, DocumentId, PeerId, PeerMetadata, StorageId, WireMessage,
    PROTOCOL_VERSION,
};
use crate::storage_keys::{chunk_kind, sync_state_key, ChunkKind, Key};

/// How long a connection attempt may take before it is abandoned, in milliseconds.
const HANDSHAKE_TIMEOUT_MS: u64 = 10_000;

/// Settings of a client. `seed` is the caller's randomness for reconnect jitter.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub peer_id: PeerId,
    /// The storage id of this client's local storage; `None` for an ephemeral client.
    pub storage_id: Option<StorageId>,
    pub seed: u64,
    pub backoff_min_ms: u64,
    pub backoff_max_ms: u64,
    /// Emit `Store` effects. A peer without local storage (the load generator) turns
    /// this off so it does not encode chunks and sync states only to throw them away.
    pub local_storage: bool,
}

impl ClientConfig {
    pub fn new(peer_id: PeerId, storage_id: Option<StorageId>, seed: u64) -> Self {
        Self {
            peer_id,
            storage_id,
            seed,
            backoff_min_ms: 500,
            backoff_max_ms: 30_000,
            local_storage: true,
        }
    }
}

/// What happened, fed to [`ClientDriver::handle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientInput {
    /// Start connecting (and keep reconnecting).
    Start,
    /// The socket asked for by `Connect` is open.
    Connected,
    /// The socket closed or could not be opened.
    Disconnected { reason: String },
    /// A binary frame arrived.
    Frame(Vec<u8>),
    /// Time passed.
    Tick,
    /// Stop connecting and close the socket (airplane mode, tests).
    GoOffline,
}

/// A write to local storage, in the automerge-repo key layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOp {
    Put(Key, Vec<u8>),
    Delete(Key),
    /// Delete every key under `[doc]` (chunks and sync states).
    DeleteDocument(DocumentId),
}

/// Something the application may want to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    Connected {
        server: PeerId,
    },
    Disconnected {
        reason: String,
        retry_at_ms: Option<u64>,
    },
    /// A document changed because of the server's changes.
    DocChanged(DocumentId),
    /// The server durably holds every change of this replica of the document.
    SavedOnServer {
        doc: DocumentId,
        heads: Vec<ChangeHash>,
    },
    /// The server has no such document, or may not show it to us.
    DocUnavailable(DocumentId),
    /// The server refused a local change to a document (see [`Refusal`]).
    Refused(Refusal),
    /// A document was dropped from memory and local storage (a deleted or unlinked
    /// contact, or a refused copy discarded to fetch it again).
    DocForgotten(DocumentId),
    /// The server or a sync message misbehaved; the session was reset.
    Problem(String),
}

/// What the caller must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEffect {
    Connect,
    Send(Vec<u8>),
    CloseSocket,
    Store(StoreOp),
    Event(ClientEvent),
}

/// Errors of the document API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("unknown document {0}")]
    UnknownDocument(DocumentId),
    #[error("document {0} already exists")]
    DocumentExists(DocumentId),
    #[error("not a valid Automerge document: {0}")]
    InvalidDocument(String),
}

/// The connection as the driver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    Offline,
    Waiting {
        retry_at_ms: u64,
    },
    Connecting {
        since_ms: u64,
    },
    Joining {
        since_ms: u64,
    },
    Ready {
        server: PeerId,
        server_storage: Option<StorageId>,
    },
}

struct Tracked {
    session: DocSession,
    /// Persisted sync states by the peer's storage id.
    sync_states: HashMap<String, Vec<u8>>,
    /// The server's heads from its last `remote-heads-changed` or sync message.
    server_heads: Option<Vec<ChangeHash>>,
}

impl Tracked {
    fn new(session: DocSession) -> Self {
        Self {
            session,
            sync_states: HashMap::new(),
            server_heads: None,
        }
    }
}

/// The sans-IO sync client. See the module docs.
pub struct ClientDriver {
    config: ClientConfig,
    state: ConnectionState,
    backoff: Backoff,
    docs: BTreeMap<DocumentId, Tracked>,
    /// The server's refusals of local changes, by document.
    refusals: BTreeMap<DocumentId, Vec<Refusal>>,
    effects: Vec<ClientEffect>,
    now_ms: u64,
}

impl ClientDriver {
    pub fn new(config: ClientConfig) -> Self {
        let backoff = Backoff::new(config.backoff_min_ms, config.backoff_max_ms, config.seed);
        Self {
            config,
            state: ConnectionState::Offline,
            backoff,
            docs: BTreeMap::new(),
            refusals: BTreeMap::new(),
            effects: Vec::new(),
            now_ms: 0,
        }
    }

    /// Handles one input at `now_ms`; returns the effects to carry out.
    pub fn handle(&mut self, now_ms: u64, input: ClientInput) -> Vec<ClientEffect> {
        self.now_ms = now_ms;
        match input {
            ClientInput::Start => self.start_connecting(),
            ClientInput::Connected => self.on_connected(),
            ClientInput::Disconnected { reason } => self.on_disconnected(reason),
            ClientInput::Frame(bytes) => self.on_frame(&bytes),
            ClientInput::Tick => self.on_tick(),
            ClientInput::GoOffline => self.go_offline(),
        }
        self.take_effects()
    }

    /// Puts effects back at the front of the queue, for a runtime that took them inside a
    /// command and wants the usual loop to carry them out.
    pub fn requeue(&mut self, mut effects: Vec<ClientEffect>) {
        effects.append(&mut self.effects);
        self.effects = effects;
    }

    /// Effects queued by the document API since the last call.
    pub fn take_effects(&mut self) -> Vec<ClientEffect> {
        std::mem::take(&mut self.effects)
    }

    pub fn connection(&self) -> &ConnectionState {
        &self.state
    }

    /// When to call `handle(Tick)` next, at the latest.
    pub fn next_wake(&self) -> Option<u64> {
        match self.state {
            ConnectionState::Waiting { retry_at_ms } => Some(retry_at_ms),
            ConnectionState::Connecting { since_ms } | ConnectionState::Joining { since_ms } => {
                Some(since_ms + HANDSHAKE_TIMEOUT_MS)
            }
            _ => None,
        }
    }

    // ---- documents ----

    /// Restores a document from local storage: every key under `[doc]`.
    pub fn load_document(&mut self, id: DocumentId, entries: Vec<(Key, Vec<u8>)>) {
        let mut sync_states = HashMap::new();
        let mut chunks = Vec::new();
        for (key, bytes) in entries {
            match (chunk_kind(&key), key.get(2)) {
                (Some(ChunkKind::SyncState), Some(storage)) => {
                    sync_states.insert(storage.clone(), bytes);
                }
                _ => chunks.push((key, bytes)),
            }
        }
        let session = DocSession::from_chunks(id, chunks);
        self.docs.insert(
            id,
            Tracked {
                session,
                sync_states,
                server_heads: None,
            },
        );
    }

    /// Creates an empty document with an id made of the caller's 16 random bytes.
    pub fn create_document(&mut self, id_bytes: [u8; 16]) -> Result<DocumentId, ClientError> {
        let id = DocumentId::from_bytes(id_bytes);
        if self.docs.contains_key(&id) {
            return Err(ClientError::DocumentExists(id));
        }
        self.docs.insert(id, Tracked::new(DocSession::new(id)));
        Ok(id)
    }

    /// Adds a document built elsewhere (saved Automerge bytes, e.g. from the domain
    /// operations or a backup): it is stored locally and sent when online.
    pub fn import_document(&mut self, id: DocumentId, saved: &[u8]) -> Result<(), ClientError> {
        if self.docs.contains_key(&id) {
            return Err(ClientError::DocumentExists(id));
        }
        let mut session = DocSession::new(id);
        let (loaded, writes) = session.edit(|doc| doc.load_incremental(saved));
        loaded.map_err(|e| ClientError::InvalidDocument(e.to_string()))?;
        self.docs.insert(id, Tracked::new(session));
        self.store_chunks(writes);
        self.announce(id);
        Ok(())
    }

    /// Starts following a document that only the server has (asks it with `request`).
    pub fn open_document(&mut self, id: DocumentId) {
        if let std::collections::btree_map::Entry::Vacant(slot) = self.docs.entry(id) {
            slot.insert(Tracked::new(DocSession::new(id)));
            self.announce(id);
        }
    }

    /// Edits a document locally; the change is stored and sent when online.
    pub fn change<R>(
        &mut self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, ClientError> {
        let tracked = self
            .docs
            .get_mut(&id)
            .ok_or(ClientError::UnknownDocument(id))?;
        let (result, writes) = tracked.session.edit(f);
        let changed = !writes.is_empty();
        self.store_chunks(writes);
        if changed {
            self.announce(id);
        }
        Ok(result)
    }

    pub fn document(&self, id: &DocumentId) -> Option<&Automerge> {
        self.docs.get(id).map(|t| t.session.doc())
    }

    pub fn document_ids(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs.keys()
    }

    /// Whether the server reported holding every change of this replica.
    pub fn is_saved_on_server(&self, id: &DocumentId) -> bool {
        self.docs
            .get(id)
            .and_then(|t| t.server_heads.as_ref().map(|h| t.session.is_covered_by(h)))
            .unwrap_or(false)
    }

    /// The heads the server last reported holding for a document, if it reported any.
    pub fn server_heads(&self, id: &DocumentId) -> Option<&[ChangeHash]> {
        self.docs.get(id)?.server_heads.as_deref()
    }

    /// Restores the server heads last reported for a document (the caller keeps them from
    /// `SavedOnServer` across restarts), so records saved before a reload still show as
    /// saved while offline. A later report from the server replaces them.
    pub fn remember_server_heads(&mut self, id: &DocumentId, heads: Vec<ChangeHash>) {
        if let Some(tracked) = self.docs.get_mut(id) {
            tracked.server_heads.get_or_insert(heads);
        }
    }

    // ---- connection ----

    fn start_connecting(&mut self) {
        if matches!(
            self.state,
            ConnectionState::Offline | ConnectionState::Waiting { .. }
        ) {
            self.state = ConnectionState::Connecting {
                since_ms: self.now_ms,
            };
            self.effects.push(ClientEffect::Connect);
        }
    }

    fn on_connected(&mut self) {
        self.state = ConnectionState::Joining {
            since_ms: self.now_ms,
        };
        let join = WireMessage::Join {
            sender_id: self.config.peer_id.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
            peer_metadata: Some(PeerMetadata {
                storage_id: self.config.storage_id.clone(),
                is_ephemeral: self.config.storage_id.is_none(),
            }),
        };
        self.send(&join);
    }

    fn on_disconnected(&mut self, reason: String) {
        if self.state == ConnectionState::Offline {
            return;
        }
        let retry_at_ms = self.now_ms + self.backoff.next_delay();
        self.state = ConnectionState::Waiting { retry_at_ms };
        self.event(ClientEvent::Disconnected {
            reason,
            retry_at_ms: Some(retry_at_ms),
        });
    }

    fn go_offline(&mut self) {
        if matches!(
            self.state,
            ConnectionState::Connecting { .. }
                | ConnectionState::Joining { .. }
                | ConnectionState::Ready { .. }
        ) {
            self.effects.push(ClientEffect::CloseSocket);
        }
        self.state = ConnectionState::Offline;
        self.event(ClientEvent::Disconnected {
            reason: "offline".into(),
            retry_at_ms: None,
        });
    }

    fn on_tick(&mut self) {
        match self.state {
            ConnectionState::Waiting { retry_at_ms } if self.now_ms >= retry_at_ms => {
                self.start_connecting()
            }
            ConnectionState::Connecting { since_ms } | ConnectionState::Joining { since_ms }
                if self.now_ms >= since_ms + HANDSHAKE_TIMEOUT_MS =>
            {
                self.effects.push(ClientEffect::CloseSocket);
                self.on_disconnected("handshake timed out".into());
            }
            _ => {}
        }
    }

    fn on_frame(&mut self, bytes: &[u8]) {
        match decode(bytes) {
            Ok(message) => self.on_message(message),
            Err(e) => self.event(ClientEvent::Problem(format!(
                "undecodable frame from server: {e}"
            ))),
        }
    }

    fn on_message(&mut self, message: WireMessage) {
        match message {
            WireMessage::Peer {
                sender_id,
                peer_metadata,
                ..
            } => self.on_peer(sender_id, peer_metadata),
            WireMessage::Sync {
                document_id, data, ..
            }
            | WireMessage::Request {
                document_id, data, ..
            } => self.on_sync(document_id, &data),
            WireMessage::DocUnavailable { document_id, .. } => self.on_doc_unavailable(document_id),
            WireMessage::Ephemeral {
                sender_id,
                document_id,
                data,
                ..
            } => self.on_ephemeral(&sender_id, document_id, &data),
            WireMessage::RemoteHeadsChanged {
                document_id,
                new_heads,
                ..
            } => self.on_remote_heads(document_id, new_heads),
            WireMessage::Error { message, .. } => {
                self.event(ClientEvent::Problem(format!("server error: {message}")))
            }
            _ => {}
        }
    }

    fn on_peer(&mut self, server: PeerId, metadata: Option<PeerMetadata>) {
        let server_storage = metadata.and_then(|m| m.storage_id);
        self.backoff.reset();
        self.state = ConnectionState::Ready {
            server: server.clone(),
            server_storage: server_storage.clone(),
        };
        self.event(ClientEvent::Connected {
            server: server.clone(),
        });
        if let Some(storage) = &server_storage {
            let subscribe = WireMessage::RemoteSubscriptionChange {
                sender_id: self.config.peer_id.clone(),
                target_id: server,
                add: Some(vec![storage.clone()]),
                remove: None,
            };
            self.send(&subscribe);
        }
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            self.resume_sync(id, server_storage.as_ref());
            self.announce(id);
        }
    }

    fn resume_sync(&mut self, id: DocumentId, server_storage: Option<&StorageId>) {
        if let Some(tracked) = self.docs.get_mut(&id) {
            let persisted = server_storage.and_then(|s| tracked.sync_states.get(s.as_str()));
            tracked.session.reset_sync(persisted.map(Vec::as_slice));
        }
    }

    fn on_sync(&mut self, id: DocumentId, data: &[u8]) {
        let contact_before = self.linked_contact(&id);
        // A server with a storage id sends its sync messages only once the heads in them
        // are durable (automerge-repo reads them the same way), so they say "saved" too;
        // the server then skips `remote-heads-changed` with the same heads.
        let server_stores = matches!(
            self.state,
            ConnectionState::Ready {
                server_storage: Some(_),
                ..
            }
        );
        let Some(tracked) = self.docs.get_mut(&id) else {
            return;
        };
        let before = tracked.session.heads();
        match tracked.session.receive(data) {
            Ok(changed) => {
                if server_stores {
                    if let Some(heads) = tracked.session.their_heads() {
                        tracked.server_heads = Some(heads.to_vec());
                    }
                }
                let writes = if changed && self.config.local_storage {
                    tracked.session.chunks_since(&before)
                } else {
                    Vec::new()
                };
                self.store_chunks(writes);
                self.store_sync_state(id);
                if changed {
                    self.event(ClientEvent::DocChanged(id));
                }
                if let Some(contact) = contact_before.filter(|_| changed) {
                    self.drop_unlinked_contact(id, contact);
                }
                self.announce(id);
                self.report_saved(id);
            }
            Err(e) => {
                tracked.session.reset_sync(None);
                self.event(ClientEvent::Problem(format!("sync of {id} failed: {e}")));
            }
        }
    }

    fn on_remote_heads(
        &mut self,
        id: DocumentId,
        new_heads: BTreeMap<StorageId, crate::proto::HeadsAtStorage>,
    ) {
        let ConnectionState::Ready {
            server_storage: Some(storage),
            ..
        } = &self.state
        else {
            return;
        };
        let Some(entry) = new_heads.get(storage) else {
            return;
        };
        let Ok(heads) = decode_heads(&entry.heads) else {
            return self.event(ClientEvent::Problem(format!(
                "bad heads for {id} from server"
            )));
        };
        if let Some(tracked) = self.docs.get_mut(&id) {
            tracked.server_heads = Some(heads);
            self.report_saved(id);
        }
    }

    fn report_saved(&mut self, id: DocumentId) {
        if self.is_saved_on_server(&id) {
            if let Some(tracked) = self.docs.get(&id) {
                let heads = tracked.session.heads();
                self.event(ClientEvent::SavedOnServer { doc: id, heads });
            }
        }
    }

    /// Sends the next sync message for a document, if online and there is something to say.
    fn announce(&mut self, id: DocumentId) {
        let ConnectionState::Ready { server, .. } = &self.state else {
            return;
        };
        if self.refusal(&id).is_some() {
            return;
        }
        let server = server.clone();
        let Some(tracked) = self.docs.get_mut(&id) else {
            return;
        };
        let Some(data) = tracked.session.generate() else {
            return;
        };
        let sender_id = self.config.peer_id.clone();
        let message = if tracked.session.is_empty() {
            WireMessage::Request {
                sender_id,
                target_id: server,
                document_id: id,
                data,
            }
        } else {
            WireMessage::Sync {
                sender_id,
                target_id: server,
                document_id: id,
                data,
            }
        };
        self.send(&message);
    }

    fn store_sync_state(&mut self, id: DocumentId) {
        if !self.config.local_storage {
            return;
        }
        let ConnectionState::Ready {
            server_storage: Some(storage),
            ..
        } = &self.state
        else {
            return;
        };
        let Some(key) = sync_state_key(&id, storage) else {
            return;
        };
        let storage = storage.as_str().to_owned();
        if let Some(tracked) = self.docs.get_mut(&id) {
            let bytes = tracked.session.encoded_sync_state();
            tracked.sync_states.insert(storage, bytes.clone());
            self.effects
                .push(ClientEffect::Store(StoreOp::Put(key, bytes)));
        }
    }

    fn store_chunks(&mut self, writes: Vec<ChunkWrite>) {
        if !self.config.local_storage {
            return;
        }
        for write in writes {
            let op = match write {
                ChunkWrite::Put(k, v) => StoreOp::Put(k, v),
                ChunkWrite::Delete(k) => StoreOp::Delete(k),
            };
            self.effects.push(ClientEffect::Store(op));
        }
    }

    fn send(&mut self, message: &WireMessage) {
        self.effects.push(ClientEffect::Send(encode(message)));
    }

    fn event(&mut self, event: ClientEvent) {
        self.effects.push(ClientEffect::Event(event));
    }
}
