//! Calendar dates without a date library: `YYYY-MM-DD` in station local time (China
//! Standard Time, UTC+8, no daylight saving) to and from milliseconds since the epoch.
//! The one calendar of the server: imports, the demo and the office index use it.

/// Station local time is UTC+8.
const LOCAL_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// The day-number algorithms live in `client-core` (the roster operations use them too).
pub use wish_client_core::calendar::{civil_from_days, days_from_civil};

/// The local day number of a `YYYY-MM-DD` date; `None` if malformed or not a real date
/// (e.g. `2024-02-30`).
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// Milliseconds since the epoch of local `hour:00` on local day `days`.
pub fn local_ms(days: i64, hour: i64) -> u64 {
    let ms = days * DAY_MS + hour * 3_600_000 - LOCAL_OFFSET_MS;
    u64::try_from(ms).unwrap_or(0)
}

/// The local day number of a time.
pub fn local_day(ms: u64) -> i64 {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX - LOCAL_OFFSET_MS);
    (ms + LOCAL_OFFSET_MS).div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` of a local day number.
pub fn date_string(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_invalid_dates_are_refused() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2024-02-29").map(date_string).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-1-01"), None);
        assert_eq!(parse_date("昨天"), None);
    }

    #[test]
    fn local_time_is_utc_plus_eight() {
        let day = parse_date("2024-05-01").unwrap();
        // 2024-05-01 08:00 local is 2024-05-01 00:00 UTC.
        assert_eq!(local_ms(day, 8), 1_714_521_600_000);
        assert_eq!(local_day(local_ms(day, 0)), day);
        assert_eq!(local_day(local_ms(day, 23)), day);
    }
}
