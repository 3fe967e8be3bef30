//! Server-side domain logic, run by the engine after every change a peer makes
//! (see [`crate::engine::DocHook`]):
//!
//! * wishes: claims are arbitrated in the order the server received them, and a summary
//!   row per wish is kept for office queries;
//! * ledgers: redemptions that overdraw a balance are flagged for coordinators;
//! * confirmations whose `earn` entry the ledger lacks: the server writes it
//!   ([`earn_repair`], a follow-up edit of the ledger);
//! * stations, communities and ledgers: an office row each (roster, offers and projects,
//!   earn entries; see [`office_rows`]).
//!
//! Decisions are written with the server's own actor and committed together with the
//! change that caused them.

mod arbitration;
pub mod earn_repair;
pub mod office_rows;
mod summary;

use automerge::ActorId;
use wish_client_core::model::ledger::LedgerView;
use wish_client_core::model::{doc_type, DocType, WishView};

pub use summary::{summary_key, SummaryCounts, SUMMARY_PREFIX};

use crate::engine::{DocHook, HookContext};

/// The domain hook installed in the engine.
pub struct DomainHook {
    actor: ActorId,
    ledgers: earn_repair::LedgerIndex,
}

impl DomainHook {
    /// `actor` is the server's Automerge actor id, stable across restarts. Without
    /// [`DomainHook::with_ledgers`] the hook learns ledgers as they change.
    pub fn new(actor: ActorId) -> Self {
        Self {
            actor,
            ledgers: Default::default(),
        }
    }

    /// The community ledgers the server holds (from storage at start), so confirmations
    /// are checked against them from the first change on.
    pub fn with_ledgers(mut self, ledgers: earn_repair::LedgerIndex) -> Self {
        self.ledgers = ledgers;
        self
    }
}

impl DocHook for DomainHook {
    fn after_change(&mut self, mut ctx: HookContext<'_>) {
        match doc_type(ctx.doc) {
            Some(DocType::Wish) => {
                arbitration::arbitrate(&mut ctx, &self.actor);
                if let Some(wish) = wish_view(&mut ctx) {
                    earn_repair::repair_earns(&mut ctx, &self.ledgers, &wish);
                    ctx.wish = Some(wish);
                }
                summary::write_wish_summary(&mut ctx);
            }
            Some(DocType::Ledger) => {
                if let Ok(ledger) = LedgerView::read(ctx.doc) {
                    self.ledgers.learn(ctx.doc_id, &ledger);
                    summary::write_overdraft_flags(&mut ctx, &ledger);
                }
                write_office_row(&mut ctx);
            }
            Some(DocType::Station | DocType::Community) => write_office_row(&mut ctx),
            _ => {}
        }
    }
}

/// The wish as read after the change (the review's read, unless arbitration changed it).
fn wish_view(ctx: &mut HookContext<'_>) -> Option<WishView> {
    ctx.wish.take().or_else(|| WishView::read(ctx.doc).ok())
}

fn write_office_row(ctx: &mut HookContext<'_>) {
    if let Some((key, bytes)) = office_rows::office_row(&ctx.doc_id.to_string(), ctx.doc) {
        ctx.writes.put(key, bytes);
    }
}

/// The server's actor id, derived from its storage id so it survives restarts.
pub fn server_actor(storage_id: &str) -> ActorId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("wish-station-server:{storage_id}").as_bytes());
    ActorId::from(&digest[..16])
}
