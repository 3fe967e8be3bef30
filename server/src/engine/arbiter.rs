//! One claim arbiter at a time, for stores several processes share (`docs/scale-out.md`).
//!
//! The process whose store session holds the arbiter lock (`Storage::is_arbiter`; the
//! runtime tells the engine with [`super::Input::ArbiterChanged`]) assigns claims; its
//! commits that carry assignments are fenced (`WriteBatch::require_arbiter`), so a
//! process that lost the lock cannot commit them. Any other process that commits a wish
//! with pending claims and free capacity writes `["arbitration-pending", W, token]` in
//! the same batch: a durable queue. The arbiter, on a notice naming such a key, catches W
//! up (pending keys first, then W's chunks, so every claim a key stands for is read),
//! arbitrates, and deletes exactly the keys it read in the fenced commit. On becoming
//! arbiter it re-reads the documents it holds (an earlier arbiter's assignments may still
//! be on their way as notices) and scans every pending key. With one process (redb) the
//! engine is always the arbiter and none of this happens.

use std::collections::BTreeSet;

use wish_client_core::proto::DocumentId;

use super::hook::HookContext;
use super::loading::{ready_in, Deferred, DocSlot};
use super::store_notice::ReadRequest;
use super::{Effect, Engine};
use crate::storage::{Key, WriteBatch};

/// The first key part of the arbitration queue: `["arbitration-pending", W, token]`.
pub const PENDING_PREFIX: &str = "arbitration-pending";

/// The queue range of one wish.
fn pending_range(wish: &DocumentId) -> Key {
    vec![PENDING_PREFIX.to_owned(), wish.to_string()]
}

/// The wish a queue key names.
fn pending_wish(key: &[String]) -> Option<DocumentId> {
    match key {
        [prefix, wish, _token] if prefix == PENDING_PREFIX => wish.parse().ok(),
        _ => None,
    }
}

/// The queue keys read for a catch-up, if `request` was one.
pub(super) fn pending_keys_of(
    request: &ReadRequest,
    read: Vec<(Key, Vec<u8>)>,
) -> Option<Vec<Key>> {
    let range = pending_range(&request.doc);
    request
        .ranges
        .contains(&range)
        .then(|| read.into_iter().map(|(k, _)| k).collect())
}

/// Arbiter state kept by the engine.
pub(super) struct ArbiterState {
    /// Whether this process arbitrates claims now.
    pub is_arbiter: bool,
    /// Wishes named by queue keys in notices, waiting for a catch-up.
    noticed: BTreeSet<DocumentId>,
}

impl Default for ArbiterState {
    fn default() -> Self {
        // Alone on its store (redb) the engine always arbitrates.
        Self {
            is_arbiter: true,
            noticed: BTreeSet::new(),
        }
    }
}

impl Engine {
    /// Whether this engine arbitrates claims now.
    pub fn is_arbiter(&self) -> bool {
        self.arbiter.is_arbiter
    }

    pub(super) fn on_arbiter_changed(&mut self, is_arbiter: bool) {
        if self.arbiter.is_arbiter == is_arbiter {
            return;
        }
        tracing::info!(is_arbiter, "claim arbiter role changed");
        self.arbiter.is_arbiter = is_arbiter;
        self.counters.arbiter_changes += 1;
        if let Some(hook) = self.hook.as_mut() {
            hook.set_arbiter(is_arbiter);
        }
        if is_arbiter {
            self.catch_up_held();
            self.effects.push(Effect::ScanPendingArbitrations);
        }
    }

    /// Re-reads every held document, so inline arbitration sees every assignment an
    /// earlier arbiter committed.
    fn catch_up_held(&mut self) {
        let docs: Vec<DocumentId> = self
            .docs
            .iter()
            .filter(|(_, slot)| matches!(slot, DocSlot::Ready(_)))
            .map(|(doc, _)| *doc)
            .collect();
        for doc in docs {
            self.effects.push(Effect::Read(ReadRequest {
                doc,
                ranges: vec![vec![doc.to_string()]],
                keys: Vec::new(),
            }));
        }
    }

    /// Remembers the wish a queue key in a notice names.
    pub(super) fn note_pending_arbitration(&mut self, key: &[String]) {
        if let Some(wish) = pending_wish(key) {
            self.arbiter.noticed.insert(wish);
        }
    }

    /// The answer to [`Effect::ScanPendingArbitrations`]: every queue key in storage.
    pub(super) fn on_pending_arbitrations(&mut self, keys: Vec<Key>) {
        for key in keys {
            self.note_pending_arbitration(&key);
        }
        self.arbitrate_noticed();
    }

    /// Asks for the periodic scan of the queue (arbiter only).
    pub(super) fn scan_pending_arbitrations(&mut self) {
        if self.arbiter.is_arbiter {
            self.effects.push(Effect::ScanPendingArbitrations);
        }
    }

    /// Catches up and arbitrates every noticed wish (arbiter only; the others leave the
    /// queue to the arbiter).
    pub(super) fn arbitrate_noticed(&mut self) {
        let noticed = std::mem::take(&mut self.arbiter.noticed);
        if !self.arbiter.is_arbiter {
            return;
        }
        for wish in noticed {
            if self
                .ready_or_defer(wish, Deferred::CatchUpArbitration)
                .is_some()
            {
                self.request_catch_up(wish);
            }
        }
    }

    /// Reads W's queue keys, then W's keys (answered by `Input::ReadDone`).
    pub(super) fn request_catch_up(&mut self, wish: DocumentId) {
        self.effects.push(Effect::Read(ReadRequest {
            doc: wish,
            ranges: vec![pending_range(&wish), vec![wish.to_string()]],
            keys: Vec::new(),
        }));
    }

    /// Arbitrates a caught-up wish with the domain hook and deletes the queue keys read,
    /// in one fenced commit.
    pub(super) fn arbitrate_caught_up(&mut self, wish: DocumentId, pending: Vec<Key>) {
        // Not held (discarded meanwhile): the keys stay for the next scan.
        let held = ready_in(&mut self.docs, &wish).is_some();
        if !self.arbiter.is_arbiter || pending.is_empty() || !held {
            return;
        }
        let mut batch = WriteBatch::default();
        for key in pending {
            batch.delete(key);
        }
        batch.require_arbiter();
        self.counters.arbitration_catch_ups += 1;
        let changed = self.run_hook_on(wish, &mut batch);
        self.persist(batch);
        if changed {
            self.effects.push(Effect::DocChanged(wish));
            self.fan_out_all(wish);
        }
    }

    /// Runs the domain hook on a held document as if it had just changed; writes what it
    /// changed into `batch`. Returns whether the document changed.
    fn run_hook_on(&mut self, doc_id: DocumentId, batch: &mut WriteBatch) -> bool {
        let compact_after = self.config.compact_after_chunks;
        let now_ms = self.now_ms;
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return false;
        };
        let (Some(hook), false) = (self.hook.as_mut(), state.is_empty() || state.meta.deleted)
        else {
            return false;
        };
        let before = state.doc.get_heads();
        let mut follow_ups = Vec::new();
        hook.after_change(HookContext {
            doc_id,
            doc: &mut state.doc,
            aux: &mut state.aux,
            writes: batch,
            now_ms,
            wish: None,
            follow_ups: &mut follow_ups,
        });
        let changed = state.doc.get_heads() != before;
        if changed {
            self.counters.arbitration_decisions += 1;
            state.persist_changes(&before, compact_after, batch);
            state.refresh_meta();
        }
        self.run_follow_ups(follow_ups);
        changed
    }
}
