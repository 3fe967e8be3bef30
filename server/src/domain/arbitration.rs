//! Claim arbitration: a wish with more pending claims than free capacity gets assignments
//! in the order the server received the claims.
//!
//! The order is kept in the wish's auxiliary record `claim-order` (a JSON list of claim
//! ids): claims not seen before are appended, those first seen in the same change ordered
//! by `(at, id)`. A crash cannot reorder them: the record is committed together with the
//! change that carried the claims.

use automerge::ActorId;
use wish_client_core::model::wish::WishView;
use wish_client_core::ops;

use crate::engine::HookContext;

const CLAIM_ORDER: &str = "claim-order";

/// Assigns pending claims up to the wish's capacity.
pub fn arbitrate(ctx: &mut HookContext<'_>, actor: &ActorId) {
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
