//! The domain model: typed readers of Wish Station's Automerge documents.
//!
//! `docs/schema.md` is the contract; this module reads documents that follow it into plain
//! Rust values ("views") and derives what is never stored (a wish's status, balances, star
//! levels, the wish wall, matches, conflicts). Every derivation is a pure function of the
//! document's current state, so every replica that holds the same changes derives the same
//! values whatever order the changes arrived in.
//!
//! Call a view's `read` after every local change or merge; views are cheap to rebuild.
//! Readers keep unknown fields untouched, default missing optional fields and return a
//! [`ModelError`] for a wrong `@type` or a missing required field. Where Automerge keeps
//! concurrent values of a scalar, readers show the deterministic winner (the value
//! `ReadDoc::get` returns on every replica) and [`conflicts`] lists the field.
//!
//! Writing goes through [`crate::ops`], which validates before it writes.

pub mod community;
mod conflicts;
pub mod contact;
pub(crate) mod doc_type;
pub mod due;
mod enums;
mod error;
pub(crate) mod fields;
pub mod ledger;
pub mod matching;
mod order;
pub(crate) mod read;
pub mod station;
pub mod tasks;
pub mod wall;
pub mod wish;

pub use community::CommunityView;
pub use conflicts::{conflicts, render_scalar, FieldConflict};
pub use contact::ContactView;
pub use doc_type::{doc_type, schema_version, DocType, SCHEMA_VERSION};
pub use enums::{
    Channel, ClaimKind, CloseReason, EventKind, LedgerKind, MemberKind, Module, ProjectStatus,
    Role, StationKind, UnknownValue, Urgency,
};
pub use error::ModelError;
pub use ledger::LedgerView;
pub use matching::{match_offers, suggest_claimants, Match, Suggestion};
pub use station::StationView;
pub use tasks::{my_tasks, NextStep, Task};
pub use wall::{on_wall, wall, wall_compounds, WallFilter, WallItem};
pub use wish::{WishStatus, WishSummary, WishView};
