//! Validated domain operations: the only way this crate writes documents.
//!
//! Every operation reads the document, checks the request against the schema's rules
//! (`docs/schema.md`) and the derived state, and only then writes, in one Automerge
//! transaction, so a refused request leaves the document untouched. Lifecycle changes are
//! appended (events, claims, assignments, ledger entries keyed by id); derived values are
//! never stored.
//!
//! Operations are sans-IO: the caller passes the time (`now_ms`, milliseconds since the
//! Unix epoch) and every new entity id (a [`Stamp`] bundles the id, author, device and
//! time of an appended entry). After an operation, sync the document as usual.
//!
//! * [`wish`]: collect, verify, reject, triage, publish, claim, release, assign, start,
//!   resolve, confirm, rate, close; [`resolve_conflict`] for any document.
//! * [`station`]: create, index wishes, roster shifts, swaps, check-in and check-out.
//! * [`community`]: create, directory entries, offers, projects, catalogue.
//! * [`ledger`]: create, earn, award, redeem, reverse.

pub mod community;
mod conflict;
mod error;
pub mod ledger;
mod stamp;
pub mod station;
pub mod wish;
mod write;

pub use conflict::resolve_conflict;
pub use error::DomainError;
pub use stamp::Stamp;
