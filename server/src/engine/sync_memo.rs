//! Sharing sync work among the peers of one document that are in the same sync state.
//!
//! `generate_sync_message` and `receive_sync_message` are deterministic in the document,
//! the peer's sync state (and the message received). Readers that follow a document are
//! all in one state: after a change each is offered the same message and each answers
//! with the same acknowledgement. The memo keeps the last call of each and replays it for
//! the next peer whose state equals the one it started from, while the document is the
//! same, instead of computing it again per reader.
//!
//! "The same document": the heads are equal and nothing else changed it. Received
//! changes that wait for dependencies change a document without changing its heads, and a
//! rebuilt document may come back to older heads: both [`SyncMemo::forget`] the memo.

use automerge::sync::{self, Message};
use automerge::ChangeHash;

/// Messages larger than this (whole documents for fresh peers) are not kept.
const MAX_KEPT_BYTES: usize = 64 * 1024;

#[derive(Default)]
pub(super) struct SyncMemo {
    generated: Option<Generated>,
    received: Option<Received>,
}

/// One `generate_sync_message`: the state before and after, and the encoded message with
/// its heads, if there was one.
struct Generated {
    heads: Vec<ChangeHash>,
    before: sync::State,
    after: sync::State,
    message: Option<(Vec<u8>, Vec<ChangeHash>)>,
}

/// One `receive_sync_message` of a message without changes (it left the document as it
/// was): the state before and after.
struct Received {
    heads: Vec<ChangeHash>,
    before: sync::State,
    message: Message,
    after: sync::State,
}

/// What a replayed generation gives.
pub(super) type GeneratedMessage = Option<(Vec<u8>, Vec<ChangeHash>)>;

impl SyncMemo {
    pub fn forget(&mut self) {
        self.generated = None;
        self.received = None;
    }

    /// Replays a generation from `state` at `heads`, if one was kept: the state moves on
    /// and the message is returned.
    pub fn replay_generate(
        &self,
        heads: &[ChangeHash],
        state: &mut sync::State,
    ) -> Option<GeneratedMessage> {
        let memo = self.generated.as_ref()?;
        if memo.heads != heads || memo.before != *state {
            return None;
        }
        state.clone_from(&memo.after);
        Some(memo.message.clone())
    }

    pub fn keep_generated(
        &mut self,
        heads: Vec<ChangeHash>,
        before: sync::State,
        after: &sync::State,
        message: &GeneratedMessage,
    ) {
        let small = message
            .as_ref()
            .is_none_or(|(bytes, _)| bytes.len() <= MAX_KEPT_BYTES);
        self.generated = small.then(|| Generated {
            heads,
            before,
            after: after.clone(),
            message: message.clone(),
        });
    }

    /// Replays the receipt of `message` (which carries no changes) into `state` at
    /// `heads`, if the same receipt was kept. True if it was.
    pub fn replay_receive(
        &self,
        heads: &[ChangeHash],
        state: &mut sync::State,
        message: &Message,
    ) -> bool {
        let Some(memo) = self.received.as_ref() else {
            return false;
        };
        if memo.heads != heads || memo.before != *state || memo.message != *message {
            return false;
        }
        state.clone_from(&memo.after);
        true
    }

    pub fn keep_received(
        &mut self,
        heads: Vec<ChangeHash>,
        before: sync::State,
        message: Message,
        after: &sync::State,
    ) {
        self.received = Some(Received {
            heads,
            before,
            message,
            after: after.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
