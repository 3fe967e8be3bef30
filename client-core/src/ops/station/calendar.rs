//! Calendar arithmetic on `YYYY-MM-DD` dates (proleptic Gregorian), for building a week's
//! roster. No clock: the caller passes today's date.

use super::clock::check_date;
use crate::calendar::{civil_from_days, days_from_civil};
use crate::ops::DomainError;

/// Days since 1970-01-01 of a checked `YYYY-MM-DD` date.
pub(crate) fn days(date: &str) -> Result<i64, DomainError> {
    check_date(date)?;
    let invalid = || DomainError::InvalidDate(date.to_owned());
    let number = |range: std::ops::Range<usize>| -> Result<i64, DomainError> {
        date.get(range)
            .and_then(|s| s.parse().ok())
            .ok_or_else(invalid)
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if day > days_in_month(year, month) {
        return Err(invalid());
    }
    Ok(days_from_civil(year, month, day))
}

/// The `YYYY-MM-DD` date of a day count since 1970-01-01.
pub(crate) fn date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// ISO weekday of a day count: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
pub(crate) fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The Monday after `today` (a week's roster is built for the coming week).
pub fn next_monday(today: &str) -> Result<String, DomainError> {
    let today = days(today)?;
    Ok(date(today + 8 - weekday(today)))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_weekdays_are_iso() -> Result<(), DomainError> {
        for text in ["1970-01-01", "2000-02-29", "2026-11-30", "2027-01-03"] {
            assert_eq!(date(days(text)?), text);
        }
        assert_eq!(weekday(days("2026-11-30")?), 1, "a Monday");
        assert_eq!(weekday(days("2026-12-06")?), 7, "a Sunday");
        Ok(())
    }

    #[test]
    fn next_monday_is_after_today_even_on_a_monday() -> Result<(), DomainError> {
        assert_eq!(next_monday("2026-11-29")?, "2026-11-30");
        assert_eq!(next_monday("2026-11-30")?, "2026-12-07");
        assert_eq!(next_monday("2026-12-31")?, "2027-01-04");
        Ok(())
    }

    #[test]
    fn impossible_days_are_refused() {
        assert!(days("2026-02-30").is_err());
        assert!(days("2025-02-29").is_err());
        assert!(days("2026-13-01").is_err());
    }
}
