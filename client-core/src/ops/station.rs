//! Operations on station documents: the profile, the index of wish documents and the
//! duty roster (轮值).
//!
//! Roster rules: a shift's `date` is `YYYY-MM-DD`, `start` and `end` are `HH:MM` with
//! `start < end`; assignees are people or units; [`swap`] replaces one assignee with
//! another in one change; only an assignee checks in, once per shift, and checks out after.
//! The week's shifts are built from the station's template (weekday × time slot); a
//! station's shared tablet checks in whoever is on duty, naming itself as the device.

mod calendar;
mod clock;
mod create;
mod duty;
mod shifts;
mod staffing;
mod template;

pub use calendar::next_monday;
pub use create::{create_station, index_wish, NewStation};
pub use duty::{check_in, check_in_on_duty, check_out};
pub use shifts::{add_shift, cover, swap, NewShift};
pub use staffing::{assign_to_shift, exchange, hand_over};
pub use template::{build_rest_of_week, build_week, remove_template_slot, set_template_slot};
