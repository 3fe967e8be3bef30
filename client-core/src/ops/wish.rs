//! Operations on wish documents, one per lifecycle step.
//!
//! Order of a wish's life: [`collect_wish`] → [`verify`] (or [`reject`]) → [`triage`] →
//! [`publish`] → [`claim`] (many, offline; [`claim_as`] for a 帮帮团) or [`dispatch`]
//! (派单: a coordinator's claim on someone's behalf, assigned at once) → [`assign`] (the server's arbitration, or a
//! coordinator) → [`start`] → [`resolve`] → [`confirm`] (returns the ledger entry to
//! write with [`crate::ops::ledger::record_earn`]) → [`rate`] → [`close`]. [`release`]
//! withdraws a claim; [`record_visit`] (回访) and [`mark_story`] (微故事) come after; [`edit_details`] corrects the title, urgency or area. Each step checks the derived status first and returns a
//! [`DomainError`](crate::ops::DomainError) when the step does not apply.
//!
//! Decisions where the schema is silent:
//! * A claim is accepted while every place is assigned: it stays pending (a waiting list)
//!   and is assigned when a place frees up. Offline devices cannot know the final count.
//! * Claims and assignments are recorded in `claims` and `assigned` only; these ops write
//!   no `claimed` or `assigned` events (readers accept them from other clients).
//! * `resolved` events carry the `claim` they resolve, so hours are confirmed per claim.
//! * Ratings and confirmations are accepted after a wish is closed.

mod append;
mod arbitrate;
mod claims;
mod collect;
mod confirm;
mod dispatch;
mod edit;
mod feedback;
mod guard;
mod project;
mod review;
mod supervise;
mod visit;
mod work;

pub use arbitrate::{arbitrate, assign, SERVER};
pub use claims::{claim, claim_as, release, NewClaim};
pub use collect::{collect_wish, CollectWish, NewContact};

pub use confirm::{confirm, confirmed_earn_entries, earn_entry};
pub use dispatch::{book_offer, dispatch};
pub use edit::{edit_details, WishEdit};
pub use feedback::{close, rate};
pub use project::link_project;
pub use review::{publish, reject, triage, verify};
pub use supervise::supervise;
pub use visit::{mark_story, record_visit, STORY_MAX_CHARS};
pub use work::{resolve, start};
