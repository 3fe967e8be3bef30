//! Calendar arithmetic on millisecond times, in China Standard Time (UTC+8, no daylight
//! saving), the stations' local time: ISO weeks for the weekly counts and the display
//! format of exports.

/// The stations' offset from UTC, in milliseconds.
pub const LOCAL_OFFSET_MS: u64 = 8 * 3_600_000;
pub const MINUTE_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 3_600_000;
pub const DAY_MS: u64 = 86_400_000;

/// An ISO week as a sortable number: `year * 100 + week`, e.g. 202647.
pub type WeekKey = u32;

use crate::calendar::{civil_from_days, days_from_civil, local_day, parse_date};

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
    let day = local_day(ms);
    let (y, m, d) = civil_from_days(day);
    let minutes = ((ms + LOCAL_OFFSET_MS) % DAY_MS) / MINUTE_MS;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
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
}
