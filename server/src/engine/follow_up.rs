//! Edits the domain hook asks for after a change, on another document: today the
//! server writing a confirmation's missing `earn` entry into the community ledger.
//!
//! ```text
//! peer: confirmed event on wish W ─► review ─► hook: ledger L lacks earn-W-c
//!        ─► persist W, fan out ─► follow_up(L): load L if needed ─► edit a fork with the
//!        server's actor ─► commit_one(L): hook, persist, fan out (same group commit
//!        when L was loaded)
//! ```
//!
//! The edit runs on a fork and is merged only if it succeeded, like a server write; it
//! is exempt from the write rules (the server's actor), so only the hook asks for one.

use super::hook::FollowUp;
use super::loading::{ready_in, Deferred};
use super::Engine;

impl Engine {
    pub(super) fn run_follow_ups(&mut self, follow_ups: Vec<FollowUp>) {
        for follow_up in follow_ups {
            self.follow_up(follow_up);
        }
    }

    /// Runs `follow_up` now if its document is ready, else once it has loaded.
    pub(super) fn follow_up(&mut self, follow_up: FollowUp) {
        let doc_id = follow_up.doc;
        if ready_in(&mut self.docs, &doc_id).is_none() {
            let _ = self.ready_or_defer(doc_id, Deferred::FollowUp(follow_up));
            return;
        }
        let server_actor = self.server_actor.clone();
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        if state.is_empty() || state.meta.deleted {
            tracing::warn!(doc = %doc_id, what = %follow_up.what, "follow-up for a document the server does not hold");
            return;
        }
        let before = state.doc.get_heads();
        let mut next = state.doc.fork().with_actor(server_actor);
        if let Err(error) = (follow_up.edit)(&mut next) {
            tracing::warn!(doc = %doc_id, what = %follow_up.what, %error, "follow-up not applied");
            return;
        }
        if next.get_heads() == before {
            return;
        }
        self.commit_one(doc_id, &mut next);
        self.audit(
            "server-repair",
            "server",
            &format!("{doc_id}: {}", follow_up.what),
        );
    }
}
