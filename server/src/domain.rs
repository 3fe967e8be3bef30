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

pub mod arbitration;
pub mod earn_repair;
pub mod office_rows;
mod summary;

use automerge::{ActorId, Automerge};
use wish_client_core::model::ledger::LedgerView;
use wish_client_core::model::{doc_type, DocType, WishView};
use wish_client_core::proto::DocumentId;

pub use summary::{summary_key, SummaryCounts, SUMMARY_PREFIX};

use crate::engine::{DocHook, HookContext};
use crate::storage::WriteBatch;

/// The domain hook installed in the engine.
pub struct DomainHook {
    actor: ActorId,
    ledgers: earn_repair::LedgerIndex,
    /// Whether this process assigns claims, or only queues them for the arbiter.
    arbiter: arbitration::Role,
}

impl DomainHook {
    /// `actor` is the server's Automerge actor id, stable across restarts. Without
    /// [`DomainHook::with_ledgers`] the hook learns ledgers as they change.
    pub fn new(actor: ActorId) -> Self {
        let arbiter = arbitration::Role::arbiter(&actor);
        Self {
            actor,
            ledgers: Default::default(),
            arbiter,
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
        let read = match type_of(&ctx) {
            Some(DocType::Wish) => {
                arbitration::arbitrate(&mut ctx, &self.actor, &mut self.arbiter);
                let wish = wish_view(&mut ctx);
                if let Some(wish) = &wish {
                    earn_repair::repair_earns(&mut ctx, &self.ledgers, wish);
                }
                wish.map_or(Read::Nothing, Read::Wish)
            }
            Some(DocType::Ledger) => match LedgerView::read(ctx.doc) {
                Ok(ledger) => {
                    self.ledgers.learn(ctx.doc_id, &ledger);
                    Read::Ledger(ledger)
                }
                Err(_) => Read::Nothing,
            },
            _ => Read::Nothing,
        };
        write_derived_rows(&ctx.doc_id, ctx.doc, read, ctx.writes);
    }

    fn set_arbiter(&mut self, is_arbiter: bool) {
        self.arbiter.is_arbiter = is_arbiter;
    }

    fn observe(
        &mut self,
        doc_id: DocumentId,
        doc: &Automerge,
        concurrent: bool,
        writes: &mut WriteBatch,
    ) {
        if matches!(doc_type(doc), Some(DocType::Ledger)) {
            if let Ok(ledger) = LedgerView::read(doc) {
                self.ledgers.learn(doc_id, &ledger);
            }
        }
        if concurrent {
            write_derived_rows(&doc_id, doc, Read::Nothing, writes);
        }
    }
}

/// What a caller of [`write_derived_rows`] already read of the document, so that it is
/// not read twice.
#[allow(clippy::large_enum_variant)] // one per change, moved straight in: boxing buys nothing
pub enum Read {
    Nothing,
    Wish(WishView),
    Ledger(LedgerView),
}

impl Read {
    /// The type a view proves (each view's `read` checks `@type`), so that it is not
    /// sought in the document again.
    fn doc_type(&self) -> Option<DocType> {
        match self {
            Read::Nothing => None,
            Read::Wish(_) => Some(DocType::Wish),
            Read::Ledger(_) => Some(DocType::Ledger),
        }
    }
}

/// The document's type: a wish when the review read one (`WishView::read` checks `@type`;
/// no hook changes it), else read from the document.
fn type_of(ctx: &HookContext<'_>) -> Option<DocType> {
    match ctx.wish {
        Some(_) => Some(DocType::Wish),
        None => doc_type(ctx.doc),
    }
}

/// Writes the rows the server keeps beside a document so that no query loads documents:
/// a wish's summary, a ledger's overdraft flags, and the office row of a station,
/// community or ledger. The domain hook writes them after every change, and offline
/// commands that write whole documents (`DocBatch::add`) write the same.
pub fn write_derived_rows(id: &DocumentId, doc: &Automerge, read: Read, writes: &mut WriteBatch) {
    match (read.doc_type().or_else(|| doc_type(doc)), read) {
        (Some(DocType::Wish), Read::Wish(wish)) => {
            summary::write_wish_summary(id, doc, Some(wish), writes)
        }
        (Some(DocType::Wish), _) => summary::write_wish_summary(id, doc, None, writes),
        (Some(DocType::Ledger), read) => {
            let ledger = match read {
                Read::Ledger(ledger) => Some(ledger),
                _ => LedgerView::read(doc).ok(),
            };
            if let Some(ledger) = ledger {
                summary::write_overdraft_flags(id, &ledger, writes);
            }
            write_office_row(id, doc, writes);
        }
        (Some(DocType::Station | DocType::Community), _) => write_office_row(id, doc, writes),
        _ => {}
    }
}

/// The wish as read after the change (the review's read, unless arbitration changed it).
fn wish_view(ctx: &mut HookContext<'_>) -> Option<WishView> {
    ctx.wish.take().or_else(|| WishView::read(ctx.doc).ok())
}

fn write_office_row(id: &DocumentId, doc: &Automerge, writes: &mut WriteBatch) {
    if let Some((key, bytes)) = office_rows::office_row(&id.to_string(), doc) {
        writes.put(key, bytes);
    }
}

/// The server's actor on a store several processes share: the first 8 bytes of
/// [`server_actor`] (devices still cannot write as the server: see [`is_server_actor`])
/// and 8 bytes unique to this process start. Two processes writing with one actor would
/// give Automerge two different changes with the same sequence number.
pub fn process_actor(storage_id: &str, nonce: [u8; 8]) -> ActorId {
    let stable = server_actor(storage_id);
    let mut bytes = stable.to_bytes()[..8].to_vec();
    bytes.extend_from_slice(&nonce);
    ActorId::from(bytes)
}

/// Whether `actor` (hex) is one of the server's actors: [`server_actor`] or any
/// [`process_actor`] of the same store, which share its first 8 bytes.
pub fn is_server_actor(server: &ActorId, actor: &str) -> bool {
    let server = server.to_hex_string();
    actor.len() == server.len() && actor.get(..16) == server.get(..16)
}

/// The server's actor id, derived from its storage id so it survives restarts.
pub fn server_actor(storage_id: &str) -> ActorId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("wish-station-server:{storage_id}").as_bytes());
    ActorId::from(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_process_actor_of_a_store_is_reserved_and_distinct() {
        let stable = server_actor("store");
        let a = process_actor("store", [1; 8]);
        let b = process_actor("store", [2; 8]);
        assert_ne!(a, b, "two processes never share an actor");
        for actor in [&stable, &a, &b] {
            assert!(is_server_actor(&stable, &actor.to_hex_string()));
            assert!(is_server_actor(&a, &actor.to_hex_string()));
        }
        let other_store = process_actor("another store", [1; 8]);
        assert!(!is_server_actor(&stable, &other_store.to_hex_string()));
        let device = ActorId::from(&[9u8; 16][..]);
        assert!(!is_server_actor(&a, &device.to_hex_string()));
    }
}
