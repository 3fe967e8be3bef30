//! Formats of roster dates (`YYYY-MM-DD`) and clock times (`HH:MM`).

use crate::ops::DomainError;

/// Checks a `YYYY-MM-DD` date with month 01–12 and day 01–31.
pub(crate) fn check_date(date: &str) -> Result<(), DomainError> {
    let invalid = || DomainError::InvalidDate(date.to_owned());
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(invalid());
    };
    let ok = digits(year, 4)
        && digits(month, 2)
        && digits(day, 2)
        && in_range(month, 1, 12)
        && in_range(day, 1, 31);
    ok.then_some(()).ok_or_else(invalid)
}

/// Checks an `HH:MM` time with hours 00–23 and minutes 00–59.
pub(crate) fn check_time(time: &str) -> Result<(), DomainError> {
    let invalid = || DomainError::InvalidTime(time.to_owned());
    let (hours, minutes) = time.split_once(':').ok_or_else(invalid)?;
    let ok = digits(hours, 2)
        && digits(minutes, 2)
        && in_range(hours, 0, 23)
        && in_range(minutes, 0, 59);
    ok.then_some(()).ok_or_else(invalid)
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn in_range(s: &str, min: u32, max: u32) -> bool {
    s.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n))
}
