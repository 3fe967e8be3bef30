//! The `wish` document: one wish card's public part, its events, claims and assignments.
//!
//! Read it with [`WishView::read`] after every change or merge; ask the view for the
//! derived [`WishStatus`], its active and pending claims and its [`WishSummary`].

mod claims;
mod event;
mod status;
mod summary;
mod timeline;
mod view;
mod visits;

pub use event::{Assignment, Claim, Event};
pub use status::{status, WishStatus};
pub use summary::WishSummary;
pub use timeline::TimelineStep;
pub use view::{WishRoot, WishView};
