//! Calendar dates without a date library: `YYYY-MM-DD` in station local time (China
//! Standard Time, UTC+8, no daylight saving) to and from milliseconds since the epoch,
//! ISO weeks for the office's weekly counts and the display format of exports. The one
//! calendar of the server: imports, the demo and the office index use it.

/// The stations' offset from UTC (UTC+8), in milliseconds.
pub const LOCAL_OFFSET_MS: u64 = 8 * HOUR_MS;
pub const MINUTE_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 3_600_000;
pub const DAY_MS: u64 = 86_400_000;

/// An ISO week as a sortable number: `year * 100 + week`, e.g. 202647.
pub type WeekKey = u32;

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
    let ms = days * DAY_MS as i64 + hour * HOUR_MS as i64 - LOCAL_OFFSET_MS as i64;
    u64::try_from(ms).unwrap_or(0)
}

/// The local day number of a time.
pub fn local_day(ms: u64) -> i64 {
    let offset = LOCAL_OFFSET_MS as i64;
    let ms = i64::try_from(ms).unwrap_or(i64::MAX - offset);
    (ms + offset).div_euclid(DAY_MS as i64)
}

/// `YYYY-MM-DD` of a local day number.
pub fn date_string(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The ISO week (Monday to Sunday; week 1 holds the year's first Thursday) of a time.
pub fn iso_week(ms: u64) -> WeekKey {
    let day = local_day(ms);
    let weekday = (day + 3).rem_euclid(7); // Monday = 0; 1970-01-01 was a Thursday
    let thursday = day - weekday + 3;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    u32::try_from(year * 100 + week).unwrap_or(0)
}

/// `202647` → `"2026-W47"`.
pub fn week_label(week: WeekKey) -> String {
    format!("{}-W{:02}", week / 100, week % 100)
}

/// `"YYYY-MM-DD HH:MM"` in local time.
pub fn format_local(ms: u64) -> String {
    let minutes = ((ms + LOCAL_OFFSET_MS) % DAY_MS) / MINUTE_MS;
    format!(
        "{} {:02}:{:02}",
        date_string(local_day(ms)),
        minutes / 60,
        minutes % 60
    )
}

/// The start (UTC ms) of a local date `"YYYY-MM-DD"`; `None` if it is not one.
pub fn parse_local_date(text: &str) -> Option<u64> {
    let days = u64::try_from(parse_date(text)?).ok()?;
    (days * DAY_MS).checked_sub(LOCAL_OFFSET_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn local(days: u64, hours: u64) -> u64 {
        days * DAY_MS + hours * HOUR_MS - LOCAL_OFFSET_MS
    }

    #[test]
    fn iso_weeks_match_the_calendar() {
        // 2021-01-03 (Sunday) is in 2020-W53; 2021-01-04 (Monday) starts 2021-W01.
        let jan3 = days_from_civil(2021, 1, 3) as u64;
        assert_eq!(iso_week(local(jan3, 23)), 202053);
        assert_eq!(iso_week(local(jan3 + 1, 0)), 202101);
        // 2026-11-26 is a Thursday in week 48.
        let nov26 = days_from_civil(2026, 11, 26) as u64;
        assert_eq!(iso_week(local(nov26, 12)), 202648);
        assert_eq!(week_label(202648), "2026-W48");
    }

    #[test]
    fn local_dates_round_trip() {
        let start = parse_local_date("2026-11-26").expect("a date");
        assert_eq!(format_local(start), "2026-11-26 00:00");
        assert_eq!(format_local(start + 90 * MINUTE_MS), "2026-11-26 01:30");
        assert_eq!(parse_local_date("2026-13-01"), None);
        assert_eq!(parse_local_date("soon"), None);
    }

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
