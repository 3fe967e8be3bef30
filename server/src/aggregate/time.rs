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

/// The local day number (days since 1970-01-01) of a time.
fn local_day(ms: u64) -> i64 {
    i64::try_from((ms + LOCAL_OFFSET_MS) / DAY_MS).unwrap_or(i64::MAX / 2)
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
    let mut parts = text.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    (days * DAY_MS).checked_sub(LOCAL_OFFSET_MS)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
