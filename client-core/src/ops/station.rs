//! Operations on station documents: the profile, the index of wish documents and the
//! duty roster (轮值).
//!
//! Roster rules: a shift's `date` is `YYYY-MM-DD`, `start` and `end` are `HH:MM` with
//! `start < end`; assignees are people or units; [`swap`] replaces one assignee with
//! another in one change; only an assignee checks in, once per shift, and checks out after.

mod clock;
mod create;
mod duty;
mod shifts;

pub use create::{create_station, index_wish, NewStation};
pub use duty::{check_in, check_out};
pub use shifts::{add_shift, cover, swap, NewShift};
