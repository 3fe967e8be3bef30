//! Applying what another server process committed to a store several processes share
//! (PostgreSQL; see `docs/scale-out.md`).
//!
//! The other process reviewed and committed its changes; this engine only catches up the
//! documents it holds and offers them to its own peers:
//!
//! ```text
//! Input::StoreNotice(Committed { puts: [[D, "incremental", H]], .. })
//!   -> Effect::Read(ReadRequest { doc: D, keys: [[D, "incremental", H]], .. })
//! Input::ReadDone { request, entries }
//!   -> chunk applied with load_incremental (no review, never written again)
//!   -> Effect::Send(peer of D, sync)   (the change is durable: the other process committed)
//! ```
//!
//! Documents not held are not read (their next load reads storage). A deleted contact
//! (`delete_prefixes: [[D]]`) is unloaded and answered `doc-unavailable`. `Resync` (the
//! notice stream lost messages) re-reads every held document; [`SWEEP_EVERY_MS`] re-reads
//! the held documents that have peers, so a lost notice costs latency, never a change.

use wish_client_core::proto::DocumentId;

use super::document::{tombstone_key, Absorbed, DocState};
use super::loading::{ready_in, DocSlot};
use super::{Effect, Engine};
use crate::storage::{Key, StoreNotice, WriteBatch};

/// How often held documents with peers are re-read from a shared store.
pub const SWEEP_EVERY_MS: u64 = SWEEP_SLOTS * SWEEP_SLOT_MS;
const SWEEP_SLOTS: u64 = 30;
const SWEEP_SLOT_MS: u64 = 1_000;

/// Keys to read for one document, answered with [`super::Input::ReadDone`]: every key
/// under each of `ranges` (in this order), then each of `keys` that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRequest {
    pub doc: DocumentId,
    pub ranges: Vec<Key>,
    pub keys: Vec<Key>,
}

impl ReadRequest {
    /// Every key under `[doc]`.
    fn whole(doc: DocumentId) -> Self {
        Self {
            doc,
            ranges: vec![vec![doc.to_string()]],
            keys: Vec::new(),
        }
    }

    /// Whether every key under `[doc]` was asked for.
    pub fn is_whole(&self) -> bool {
        self.ranges.iter().any(|r| *r == [self.doc.to_string()])
    }
}

impl Engine {
    /// Stores several processes share: sweep held documents every [`SWEEP_EVERY_MS`].
    pub fn with_shared_store(mut self) -> Self {
        self.shared_store = true;
        self
    }

    pub(super) fn on_store_notice(&mut self, notice: StoreNotice) {
        match notice {
            StoreNotice::Resync => self.reread_held(),
            StoreNotice::Committed {
                puts,
                deletes,
                delete_prefixes,
            } => {
                self.apply_deleted_documents(&delete_prefixes);
                self.forget_deleted_chunks(&deletes);
                self.read_new_keys(puts);
            }
        }
    }

    /// Asks to read the keys under held documents that the notice names (ready ones;
    /// a loading document reads storage anyway).
    fn read_new_keys(&mut self, puts: Vec<Key>) {
        let mut by_doc: std::collections::BTreeMap<DocumentId, Vec<Key>> = Default::default();
        for key in puts {
            self.note_pending_arbitration(&key);
            let Some(doc) = document_of_content(&key) else {
                continue;
            };
            if ready_in(&mut self.docs, &doc).is_some() {
                by_doc.entry(doc).or_default().push(key);
            }
        }
        for (doc, keys) in by_doc {
            self.effects.push(Effect::Read(ReadRequest {
                doc,
                ranges: Vec::new(),
                keys,
            }));
        }
        self.arbitrate_noticed();
    }

    fn forget_deleted_chunks(&mut self, deletes: &[Key]) {
        for key in deletes {
            let Some(doc) = key.first().and_then(|d| d.parse::<DocumentId>().ok()) else {
                continue;
            };
            if let Some(state) = ready_in(&mut self.docs, &doc) {
                state.forget_chunks(std::slice::from_ref(key));
            }
        }
    }

    /// Re-reads every held document (after lost notices).
    fn reread_held(&mut self) {
        self.reread_where(|_, _| true);
        self.scan_pending_arbitrations();
    }

    /// Re-reads the held documents `pick` selects.
    fn reread_where(&mut self, pick: impl Fn(&DocumentId, &DocState) -> bool) {
        let docs: Vec<DocumentId> = self
            .docs
            .iter()
            .filter_map(|(doc, slot)| match slot {
                DocSlot::Ready(state) if pick(doc, state) => Some(*doc),
                _ => None,
            })
            .collect();
        for doc in docs {
            self.effects.push(Effect::Read(ReadRequest::whole(doc)));
        }
    }

    /// The periodic sweep, from [`super::Input::Tick`]: each second re-reads its share
    /// of the held documents that have peers, so each is re-read every
    /// [`SWEEP_EVERY_MS`] without a burst of reads; the arbiter scans its queue once a
    /// round.
    pub(super) fn sweep_if_due(&mut self) {
        let slot = self.now_ms / SWEEP_SLOT_MS;
        let from = self.last_sweep_slot.max(slot.saturating_sub(SWEEP_SLOTS));
        if !self.shared_store || slot <= from {
            return;
        }
        self.last_sweep_slot = slot;
        let due: Vec<u64> = (from + 1..=slot).map(|s| s % SWEEP_SLOTS).collect();
        self.reread_where(|doc, state| {
            !state.sessions.is_empty() && due.contains(&sweep_slot_of(doc))
        });
        if due.contains(&0) {
            self.scan_pending_arbitrations();
        }
    }

    /// Applies what was read for a held document, then arbitrates it if asked.
    pub(super) fn on_read_done(&mut self, request: ReadRequest, entries: Vec<(Key, Vec<u8>)>) {
        let doc = request.doc;
        let (doc_entries, pending): (Vec<_>, Vec<_>) = entries
            .into_iter()
            .partition(|(k, _)| k.first().is_some_and(|d| *d == doc.to_string()));
        self.absorb(doc, doc_entries, request.is_whole());
        if let Some(pending) = super::arbiter::pending_keys_of(&request, pending) {
            self.arbitrate_caught_up(doc, pending);
        }
    }

    /// Applies committed entries to a held document and offers the new state to its
    /// peers (or, for a deleted contact, tells them it is gone).
    fn absorb(&mut self, doc: DocumentId, entries: Vec<(Key, Vec<u8>)>, whole: bool) {
        let Some(state) = ready_in(&mut self.docs, &doc) else {
            return;
        };
        let was_deleted = state.meta.deleted;
        let absorbed = state.absorb_committed(entries, whole);
        if state.meta.deleted && !was_deleted {
            return self.unload_deleted(doc, false);
        }
        if absorbed == Absorbed::Unchanged {
            return;
        }
        self.counters.committed_elsewhere_applied += 1;
        state.last_active_ms = self.now_ms;
        let mut rows = WriteBatch::default();
        if let Some(hook) = self.hook.as_mut() {
            let concurrent = absorbed == Absorbed::Concurrent;
            hook.observe(doc, &state.doc, concurrent, &mut rows);
        }
        self.persist(rows);
        self.fan_out_all(doc);
    }

    /// Another process deleted these documents (contacts): every held one is unloaded
    /// and its holders told it is unavailable.
    fn apply_deleted_documents(&mut self, delete_prefixes: &[Key]) {
        for prefix in delete_prefixes {
            let [doc] = prefix.as_slice() else { continue };
            let Ok(doc) = doc.parse::<DocumentId>() else {
                continue;
            };
            if ready_in(&mut self.docs, &doc).is_some_and(|s| !s.meta.deleted) {
                self.unload_deleted(doc, true);
            }
        }
    }

    /// Replaces a held document with its tombstone and ends its sessions. When this
    /// process held its data (`erase`), it deletes the keys again: a change one of its
    /// peers uploaded just before the notice arrived would otherwise outlive the deletion.
    fn unload_deleted(&mut self, doc: DocumentId, erase: bool) {
        let Some(DocSlot::Ready(state)) = self.docs.remove(&doc) else {
            return;
        };
        if erase {
            let mut batch = WriteBatch::default();
            batch.delete_prefix(vec![doc.to_string()]);
            batch.put(tombstone_key(&doc), self.now_ms.to_string().into_bytes());
            self.persist(batch);
        }
        let mut tombstoned = DocState::from_entries(doc, Vec::new(), self.now_ms);
        tombstoned.meta.deleted = true;
        self.docs.insert(doc, DocSlot::Ready(Box::new(tombstoned)));
        for session in state.sessions.values() {
            if let Some(peer) = self.conns.peer_mut(session.conn) {
                peer.docs.remove(&doc);
            }
            self.counters.refuse(super::Refusal::Unavailable);
            self.unavailable(session.conn, doc);
        }
        tracing::info!(%doc, "document deleted by another process: unloaded");
    }
}

/// The second of the sweep's round in which `doc` is re-read.
fn sweep_slot_of(doc: &DocumentId) -> u64 {
    doc.as_bytes().iter().map(|b| u64::from(*b)).sum::<u64>() % SWEEP_SLOTS
}

/// The document whose contents `key` is part of: chunks, auxiliary records, tombstone
/// (not sync states, which only the process serving that peer reads).
fn document_of_content(key: &[String]) -> Option<DocumentId> {
    match key {
        [doc, kind, _] if CONTENT_KINDS.contains(&kind.as_str()) => doc.parse().ok(),
        _ => None,
    }
}

const CONTENT_KINDS: [&str; 4] = ["snapshot", "incremental", "aux", "tombstone"];
