//! Account names of the ledger and the points rule for earned hours.

/// Where earned and awarded points come from.
pub const POOL: &str = "community:pool";

/// Where redeemed points go.
pub const REDEEMED: &str = "community:redeemed";

/// The account of a person: `person:<id>`.
pub fn person(id: &str) -> String {
    format!("person:{id}")
}

/// The account of a partner unit: `unit:<id>`.
pub fn unit(id: &str) -> String {
    format!("unit:{id}")
}

/// Points earned for confirmed hours: one point per hour, rounded to the nearest whole
/// point (halves up), as in common time-bank practice (1 h = 1 point).
pub fn points_for_hours(hours: f64) -> i64 {
    if hours.is_finite() && hours > 0.0 {
        hours.round() as i64
    } else {
        0
    }
}
