//! Claim arbitration: a wish with more pending claims than free capacity gets assignments
//! in the order the server received the claims.
//!
//! The order is kept in the wish's auxiliary record `claim-order` (a JSON list of claim
//! ids): claims not seen before are appended, those first seen in the same change ordered
//! by `(at, id)`. A crash cannot reorder them: the record is committed together with the
//! change that carried the claims.
//!
//! On a store several processes share only the arbiter assigns (`engine/arbiter.rs`); its
//! assigning commits are fenced with `require_arbiter`. Another process that commits a
//! wish with pending claims and free places writes a queue key
//! `["arbitration-pending", W, token]` instead, and the arbiter arbitrates W once the
//! key's notice (or its scan) reaches it. The received order is then the order in which
//! the arbiter first saw the claims.

use automerge::ActorId;
use wish_client_core::model::wish::WishView;
use wish_client_core::ops;

use crate::engine::{HookContext, PENDING_PREFIX};

const CLAIM_ORDER: &str = "claim-order";

/// Whether this process arbitrates, and how it names the queue keys it writes otherwise.
pub struct Role {
    pub is_arbiter: bool,
    /// Makes queue keys unique: the process's actor (one per process on a shared store)
    /// and a sequence number.
    token_prefix: String,
    queued: u64,
}

impl Role {
    /// The arbiter (alone on its store, a process always is).
    pub fn arbiter(actor: &ActorId) -> Self {
        Self {
            is_arbiter: true,
            token_prefix: actor.to_hex_string(),
            queued: 0,
        }
    }

    fn next_token(&mut self, now_ms: u64) -> String {
        self.queued += 1;
        format!("{}-{now_ms}-{}", self.token_prefix, self.queued)
    }
}

/// Assigns pending claims up to the wish's capacity (the arbiter), or queues the wish for
/// the arbiter when there is something to assign.
pub fn arbitrate(ctx: &mut HookContext<'_>, actor: &ActorId, role: &mut Role) {
    let read = ctx
        .wish
        .take()
        .map(Ok)
        .unwrap_or_else(|| WishView::read(ctx.doc));
    let view = match read {
        Ok(view) => view,
        Err(error) => {
            tracing::warn!(doc = %ctx.doc_id, %error, "wish does not follow the schema; not arbitrated");
            return;
        }
    };
    if !role.is_arbiter {
        return queue_for_arbiter(ctx, view, role);
    }
    let order = updated_order(ctx, &view);
    let free = (view.capacity as usize).saturating_sub(view.active_assignments());
    let pending: Vec<&str> = view
        .pending_claims()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let winners: Vec<String> = order
        .into_iter()
        .filter(|id| pending.contains(&id.as_str()))
        .take(free)
        .collect();
    if winners.is_empty() {
        ctx.wish = Some(view);
        return;
    }
    // Fenced: a process that lost the arbiter lock cannot commit these assignments.
    ctx.writes.require_arbiter();
    ctx.doc.set_actor(actor.clone());
    for claim in winners {
        match ops::wish::assign(ctx.doc, &claim, "server", true, ctx.now_ms) {
            Ok(()) => tracing::info!(doc = %ctx.doc_id, %claim, "claim assigned by arbitration"),
            Err(error) => {
                tracing::warn!(doc = %ctx.doc_id, %claim, %error, "arbitration could not assign")
            }
        }
    }
}

/// Writes a queue key for the arbiter if the wish has pending claims and free places.
fn queue_for_arbiter(ctx: &mut HookContext<'_>, view: WishView, role: &mut Role) {
    let free = (view.capacity as usize).saturating_sub(view.active_assignments());
    if free > 0 && !view.pending_claims().is_empty() {
        let token = role.next_token(ctx.now_ms);
        let key = vec![PENDING_PREFIX.to_owned(), ctx.doc_id.to_string(), token];
        ctx.writes.put(key, Vec::new());
    }
    ctx.wish = Some(view);
}

/// The received order of claims, with claims seen for the first time appended.
fn updated_order(ctx: &mut HookContext<'_>, view: &WishView) -> Vec<String> {
    let mut order: Vec<String> = ctx
        .aux
        .get(CLAIM_ORDER)
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .unwrap_or_default();
    let mut new: Vec<_> = view
        .claims
        .iter()
        .filter(|c| !order.contains(&c.id))
        .collect();
    if new.is_empty() {
        return order;
    }
    new.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    order.extend(new.into_iter().map(|c| c.id.clone()));
    if let Ok(bytes) = serde_json::to_vec(&order) {
        ctx.set_aux(CLAIM_ORDER, bytes);
    }
    order
}
