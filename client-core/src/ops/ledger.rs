//! Operations on the ledger document: every movement is a new entry whose postings sum
//! to zero in points and in hours; balances are derived, never stored.
//!
//! * [`record_earn`]: write the entry [`crate::ops::wish::confirm`] returned.
//! * [`award`]: points (and hours) from `community:pool` to a person, with a reason.
//! * [`redeem`]: points from a person to `community:redeemed` for a catalogue item.
//! * [`reverse`]: negate an entry (id `reversal-<entryId>`).
//! * [`record_duty`]: a completed duty's hours, when the community counts duty
//!   ([`set_duty_hours`], [`duty_credits`]).

mod duty;
mod entry;
mod moves;

pub use duty::{duty_credits, duty_earn_id, record_duty, set_duty_hours, DutyCredit};
pub use entry::create_ledger;
pub use moves::{award, record_earn, redeem, reverse, Award, Redeem};
