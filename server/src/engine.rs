//! The sans-IO sync engine: peers, documents and their sync sessions.
//!
//! The engine never touches sockets, disks or clocks. The runtime feeds it [`Input`]s with
//! the current time and carries out the [`Effect`]s it returns, **in order**:
//!
//! ```text
//! Input::Frame(conn, sync for doc D)
//!   -> Effect::Load(D)                  (runtime loads D's chunks, feeds Input::Loaded)
//!   -> Effect::Persist(batch)           (new changes of D, sync state)
//!   -> Effect::Send(conn, sync reply)   (held by the runtime until the batch is durable)
//!   -> Effect::Send(other, sync)        (fan-out to the other peers of D)
//! ```
//!
//! The durability rule lives in that contract: a `Send` is never carried out before every
//! `Persist` that precedes it has been committed. The engine emits the persist of a change
//! before any message that could reveal the change.

mod access_check;
mod arbiter;
mod audit;
mod authorship;
mod connection;
mod counters;
mod deletion;
mod document;
mod fan_out;
mod follow_up;
mod hook;
mod inflation;
mod limits;
mod loading;
mod review;
mod server_write;
mod session;
mod store_notice;
mod sync_memo;

use std::collections::HashMap;

use wish_client_core::proto::{DocumentId, PeerId, StorageId, WireMessage};

use crate::access::Principal;
use crate::storage::{Key, StoreNotice, WriteBatch};
pub use arbiter::PENDING_PREFIX;
pub use audit::{audit_key, AuditRecord};
pub use authorship::{ActorBindings, ACTOR_PREFIX};
pub use connection::ConnId;
use connection::Connections;
pub use counters::{EngineCounters, Refusal};
pub use document::tombstone_key;
pub use hook::{aux_key, DocHook, FollowUp, HookContext};
pub use inflation::{inflated_size, InflationError};
pub use limits::EngineLimits;
use loading::DocSlot;
pub use server_write::{DocWrite, EditFn, ServerWrite, WriteError};
pub use store_notice::{ReadRequest, SWEEP_EVERY_MS};

/// Limits and timings of the engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// A document with no peers is unloaded after this many milliseconds of inactivity.
    pub idle_unload_ms: u64,
    /// Incremental chunks on disk before the document is compacted into one snapshot.
    pub compact_after_chunks: usize,
    /// Abuse limits: what one device or connection may make the engine hold.
    pub limits: EngineLimits,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            idle_unload_ms: 60_000,
            compact_after_chunks: 32,
            limits: EngineLimits::default(),
        }
    }
}

/// Something that happened, fed to [`Engine::handle`].
#[derive(Debug)]
pub enum Input {
    /// An authenticated socket opened.
    Connected { conn: ConnId, principal: Principal },
    /// A device's role or stations changed (`Some`), or it was revoked (`None`): applied
    /// to its live connections at once.
    PrincipalChanged {
        device_id: String,
        principal: Option<Principal>,
    },
    /// Delete a resident's contact document: its data is removed, a tombstone refuses
    /// re-uploads, holders are told it is unavailable, and its wish is unlinked. Only a
    /// `contact` the caller has scope over is deleted (`scope::may_delete_contact`); the
    /// outcome comes back as [`Effect::DeleteAnswered`] with the same `request`.
    DeleteDocument(DeleteRequest),
    /// Create or edit documents on behalf of a REST caller (setup, imports): all or
    /// none, audited, answered by [`Effect::WriteAnswered`] (see `server_write.rs`).
    ServerWrite(ServerWrite),
    /// A decoded message arrived on a socket.
    Message { conn: ConnId, message: WireMessage },
    /// The socket closed (by the peer, the network or the runtime).
    Disconnected { conn: ConnId },
    /// The result of an [`Effect::Load`]: every stored key under `[doc]`.
    Loaded {
        doc: DocumentId,
        entries: Vec<(Key, Vec<u8>)>,
    },
    /// Loading `[doc]` failed; messages waiting for it are refused.
    LoadFailed { doc: DocumentId },
    /// Committing the changes of these documents failed: their in-memory state is ahead
    /// of the disk, so it is discarded and their peers are disconnected to resync.
    CommitFailed { docs: Vec<DocumentId> },
    /// Time passed; unload idle documents.
    Tick,
    /// The runtime's batch of inputs is complete (before its commit): offer what changed
    /// to the documents' peers, once per peer and document. Only needed after
    /// [`Engine::coalesce_batches`]; otherwise each input's fan-out follows it at once.
    EndOfBatch,
    /// The server is shutting down: persist every sync state.
    Shutdown,
    /// Another process committed to the store this one shares (PostgreSQL): held
    /// documents catch up (see `store_notice.rs`).
    StoreNotice(StoreNotice),
    /// The answer to [`Effect::Read`].
    ReadDone {
        request: ReadRequest,
        entries: Vec<(Key, Vec<u8>)>,
    },
    /// The answer to [`Effect::ScanPendingArbitrations`]: every key under
    /// `["arbitration-pending"]`.
    PendingArbitrations(Vec<Key>),
    /// Another process bound an Automerge actor to a device (`["actor", hex]`): this
    /// engine's authorship checks follow the stored binding.
    ActorBound { actor: String, device: String },
    /// This process became (`true`) or stopped being the claim arbiter (see
    /// `arbiter.rs`). Alone on its store, the engine is always the arbiter.
    ArbiterChanged(bool),
}

/// Something the runtime must do, in the order given.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Load every stored key under `[doc]` and answer with [`Input::Loaded`].
    Load(DocumentId),
    /// Write durably. Later `Send`s wait until this is committed.
    Persist(WriteBatch),
    /// Send a message on a connection.
    Send { conn: ConnId, message: WireMessage },
    /// Close a connection, after sending what precedes this effect.
    Close { conn: ConnId, reason: String },
    /// A document's heads changed durably (once the preceding persist commits).
    DocChanged(DocumentId),
    /// The outcome of [`Input::DeleteDocument`] (once the preceding persist commits).
    DeleteAnswered {
        request: u64,
        outcome: Result<(), crate::scope::ScopeError>,
    },
    /// The outcome of [`Input::ServerWrite`] (once the preceding persist commits).
    WriteAnswered {
        request: u64,
        outcome: Result<(), WriteError>,
    },
    /// Read keys another process committed (with this batch's uncommitted writes laid
    /// over them) and answer with [`Input::ReadDone`].
    Read(ReadRequest),
    /// Read every key under `["arbitration-pending"]` and answer with
    /// [`Input::PendingArbitrations`].
    ScanPendingArbitrations,
}

/// A request to delete a contact document.
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    pub doc: DocumentId,
    /// Who asks; the deletion is refused outside their contact scope.
    pub by: Principal,
    /// Chosen by the caller; echoed in [`Effect::DeleteAnswered`].
    pub request: u64,
}

/// The engine state. Create one per server; see the module docs for the contract.
pub struct Engine {
    server_peer: PeerId,
    storage_id: StorageId,
    config: EngineConfig,
    conns: Connections,
    docs: HashMap<DocumentId, DocSlot>,
    effects: Vec<Effect>,
    now_ms: u64,
    hook: Option<Box<dyn DocHook>>,
    /// Distinguishes audit records written in the same millisecond.
    audit_seq: u64,
    /// Which device each Automerge actor belongs to.
    actors: authorship::ActorBindings,
    /// The server's own actor, reserved: no device may upload a change by it.
    server_actor: automerge::ActorId,
    /// Distinguishes refusal records and signals.
    refusal_seq: u64,
    /// Refused changes recorded per device in the current hour.
    refusal_budgets: limits::RefusalBudgets,
    counters: EngineCounters,
    /// Documents changed since the last fan-out.
    fan_out: fan_out::FanOut,
    /// Fan-out waits for [`Input::EndOfBatch`] instead of ending each input.
    coalesce: bool,
    /// Other processes write the same store: held documents are swept periodically.
    shared_store: bool,
    /// The last second whose share of held documents the sweep re-read.
    last_sweep_slot: u64,
    arbiter: arbiter::ArbiterState,
}

impl Engine {
    pub fn new(server_peer: PeerId, storage_id: StorageId, config: EngineConfig) -> Self {
        let server_actor = crate::domain::server_actor(storage_id.as_str());
        Self {
            server_peer,
            storage_id,
            config,
            conns: Connections::default(),
            docs: HashMap::new(),
            effects: Vec::new(),
            now_ms: 0,
            hook: None,
            audit_seq: 0,
            actors: Default::default(),
            server_actor,
            refusal_seq: 0,
            refusal_budgets: Default::default(),
            counters: EngineCounters::default(),
            fan_out: Default::default(),
            coalesce: false,
            shared_store: false,
            last_sweep_slot: 0,
            arbiter: Default::default(),
        }
    }

    /// The runtime batches inputs and ends each batch with [`Input::EndOfBatch`]: every
    /// document changed in the batch is then offered once to each of its peers.
    pub fn coalesce_batches(mut self) -> Self {
        self.coalesce = true;
        self
    }

    /// Writes the server's own changes with `actor` instead of the one derived from the
    /// storage id (`domain::process_actor`: one per process on a shared store).
    pub fn with_server_actor(mut self, actor: automerge::ActorId) -> Self {
        self.server_actor = actor;
        self
    }

    /// Installs the domain logic run after every change a peer makes.
    pub fn with_hook(mut self, hook: Box<dyn DocHook>) -> Self {
        self.hook = Some(hook);
        self
    }

    /// Handles one input at time `now_ms` (milliseconds since the Unix epoch) and returns
    /// what the runtime must do, in order.
    pub fn handle(&mut self, now_ms: u64, input: Input) -> Vec<Effect> {
        self.now_ms = now_ms;
        let end_of_batch = matches!(input, Input::EndOfBatch);
        match input {
            Input::Connected { conn, principal } => self.conns.open(conn, principal),
            Input::PrincipalChanged {
                device_id,
                principal,
            } => self.on_principal_changed(&device_id, principal),
            Input::DeleteDocument(request) => self.on_delete(request),
            Input::ServerWrite(write) => self.on_server_write(write),
            Input::Message { conn, message } => self.on_message(conn, message),
            Input::Disconnected { conn } => self.on_disconnected(conn),
            Input::Loaded { doc, entries } => self.on_loaded(doc, entries),
            Input::LoadFailed { doc } => self.on_load_failed(doc),
            Input::CommitFailed { docs } => self.on_commit_failed(docs),
            Input::Tick => self.on_tick(),
            Input::Shutdown => self.persist_all_sync_states(),
            Input::EndOfBatch => {}
            Input::StoreNotice(notice) => self.on_store_notice(notice),
            Input::ReadDone { request, entries } => self.on_read_done(request, entries),
            Input::PendingArbitrations(keys) => self.on_pending_arbitrations(keys),
            Input::ArbiterChanged(is_arbiter) => self.on_arbiter_changed(is_arbiter),
            Input::ActorBound { actor, device } => {
                self.actors.insert(actor, device);
            }
        }
        if !self.coalesce || end_of_batch {
            self.flush_fan_out();
        }
        std::mem::take(&mut self.effects)
    }

    fn on_tick(&mut self) {
        self.unload_idle_documents();
        self.sweep_if_due();
    }

    /// Number of documents held in memory.
    pub fn loaded_documents(&self) -> usize {
        self.docs.len()
    }

    /// Totals since the engine started (loads, unloads, refusals, arbitration).
    pub fn counters(&self) -> &EngineCounters {
        &self.counters
    }

    /// Number of joined peers.
    pub fn joined_peers(&self) -> usize {
        self.conns.joined_count()
    }

    pub fn storage_id(&self) -> &StorageId {
        &self.storage_id
    }

    pub fn server_peer(&self) -> &PeerId {
        &self.server_peer
    }

    fn send(&mut self, conn: ConnId, message: WireMessage) {
        self.effects.push(Effect::Send { conn, message });
    }

    fn close(&mut self, conn: ConnId, reason: impl Into<String>) {
        let reason = reason.into();
        tracing::info!(conn = conn.0, %reason, "closing connection");
        self.effects.push(Effect::Close { conn, reason });
    }
}
