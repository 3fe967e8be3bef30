//! A calendar month in local time (UTC+8), as the report's `month=YYYY-MM` names it.

use axum::http::StatusCode;

use crate::aggregate::{format_local, parse_local_date};
use crate::http::api::ApiError;

/// A month: its `YYYY-MM` and its bounds in milliseconds (`from` inclusive, `to`
/// exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub year: u32,
    pub month: u32,
    pub from: u64,
    pub to: u64,
}

impl Month {
    /// `YYYY-MM`, or the current month when absent.
    pub fn parse(value: Option<&str>) -> Result<Self, ApiError> {
        let text = match value {
            Some(text) => text.to_owned(),
            None => format_local(crate::clock::now_ms())[..7].to_owned(),
        };
        Self::from_text(&text).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "month must be YYYY-MM, e.g. 2026-11",
            )
        })
    }

    fn from_text(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let (year, month): (u32, u32) = (year.parse().ok()?, month.parse().ok()?);
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let from = parse_local_date(&format!("{year:04}-{month:02}-01"))?;
        let to = parse_local_date(&format!("{next_year:04}-{next_month:02}-01"))?;
        Some(Self {
            year,
            month,
            from,
            to,
        })
    }

    /// `YYYY-MM`.
    pub fn key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `2026年11月`.
    pub fn label(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    pub fn contains(&self, ms: u64) -> bool {
        (self.from..self.to).contains(&ms)
    }

    /// The first and last dates, `YYYY-MM-DD` (shift dates compare with them as text).
    pub fn dates(&self) -> (String, String) {
        let last = format_local(self.to - 1)[..10].to_owned();
        (format!("{}-01", self.key()), last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_with_their_bounds() {
        let december = Month::from_text("2026-12").expect("valid month");
        assert_eq!(december.key(), "2026-12");
        assert_eq!(december.label(), "2026年12月");
        assert_eq!(
            december.dates(),
            ("2026-12-01".to_owned(), "2026-12-31".to_owned())
        );
        assert!(december.contains(december.from) && !december.contains(december.to));
        let february = Month::from_text("2028-02").expect("valid month");
        assert_eq!(february.dates().1, "2028-02-29");
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", "x"] {
            assert!(Month::from_text(bad).is_none(), "{bad}");
        }
    }
}
