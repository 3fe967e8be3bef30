//! When a wish should be resolved: the resolution targets per urgency (the office's
//! overdue report uses the same defaults, `server/src/aggregate/overdue.rs`).
//!
//! A wish goes on the clock when it is published (when it was collected, while not yet
//! published); its due date is that moment plus the target of its urgency.

use super::{EventKind, Urgency, WishView};

/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Default days from going on the clock to resolution: urgent 2, high 7, normal 14,
/// low 30.
pub fn target_days(urgency: Urgency) -> u64 {
    match urgency {
        Urgency::Urgent => 2,
        Urgency::High => 7,
        Urgency::Normal => 14,
        Urgency::Low => 30,
    }
}

/// When the wish went on the clock: its first `published` event, else its collection.
pub fn clock_start(wish: &WishView) -> u64 {
    wish.events_of(EventKind::Published)
        .map(|e| e.at)
        .min()
        .unwrap_or(wish.created_at)
}

/// The wish's due date (milliseconds since the epoch) under the default targets.
pub fn due_at(wish: &WishView) -> u64 {
    clock_start(wish).saturating_add(target_days(wish.urgency).saturating_mul(DAY_MS))
}
