//! Query-string parameters of the office API. Filters take several values either
//! repeated (`status=a&status=b`) or comma-separated (`status=a,b`); times are
//! milliseconds since the epoch or local dates `YYYY-MM-DD` (UTC+8).

use std::str::FromStr;

use axum::http::StatusCode;

use crate::aggregate::{parse_local_date, CommunitySet, Paging, Window, WishFilter};
use crate::http::api::ApiError;

const DAY_MS: u64 = 86_400_000;

/// The raw pairs of a query string.
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, split at commas.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn number<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.one(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(format!("{name} must be a number")))
            })
            .transpose()
    }

    /// A time; a date means its start, or with `end_of_day` the start of the next day.
    pub fn time(&self, name: &str, end_of_day: bool) -> Result<Option<u64>, ApiError> {
        let Some(value) = self.one(name) else {
            return Ok(None);
        };
        if let Ok(ms) = value.parse::<u64>() {
            return Ok(Some(ms));
        }
        let start = parse_local_date(value).ok_or_else(|| {
            bad(format!(
                "{name} must be milliseconds since the epoch or YYYY-MM-DD"
            ))
        })?;
        Ok(Some(if end_of_day { start + DAY_MS } else { start }))
    }

    /// The creation-time window of `from`/`to` (dates inclusive); open when absent.
    pub fn window(&self) -> Result<Window, ApiError> {
        let window = Window::new(self.time("from", false)?, self.time("to", true)?);
        match (window.from, window.to) {
            (Some(from), Some(to)) if from >= to => Err(bad("from must be before to".into())),
            _ => Ok(window),
        }
    }

    pub fn paging(&self) -> Result<Paging, ApiError> {
        Ok(Paging::new(self.number("page")?, self.number("per_page")?))
    }

    /// The list filters, within `community` (the caller's scope).
    pub fn filter(&self, community: CommunitySet) -> Result<WishFilter, ApiError> {
        Ok(WishFilter {
            community,
            statuses: self.list("status"),
            modules: self.list("module"),
            stations: self.list("station"),
            channels: self.list("channel"),
            urgencies: self.list("urgency"),
            from: self.time("from", false)?,
            to: self.time("to", true)?,
        })
    }
}

fn bad(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}
