//! `GET /api/v1/office/roster-coverage`: the duty roster coverage report
//! (`aggregate/reports/roster.rs`) over the stations' summary rows; this module only
//! reads the parameters and the rows.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::params::Params;
use super::{rows, scope};
use crate::aggregate::format_local;
use crate::aggregate::{coverage_of, CoverageReport};
use crate::domain::office_rows::{StationSummary, STATION_PREFIX};
use crate::http::api::ApiError;
use crate::http::AppState;

/// A date parameter: `YYYY-MM-DD`, or milliseconds since the epoch (its local date).
fn date(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    let Some(value) = params.one(name) else {
        return Ok(None);
    };
    if let Ok(ms) = value.parse::<u64>() {
        return Ok(Some(format_local(ms)[..10].to_owned()));
    }
    if crate::aggregate::parse_local_date(value).is_some() {
        return Ok(Some(value.to_owned()));
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("{name} must be YYYY-MM-DD or milliseconds since the epoch"),
    ))
}

/// `GET /api/v1/office/roster-coverage?from=&to=&now=`
#[utoipa::path(
    get,
    path = "/api/v1/office/roster-coverage",
    summary = "Duty roster coverage per station: shifts in the date range, uncovered shifts (no assignees) and past shifts without any check-in",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::ShiftDates, crate::http::office::openapi::Now),
    responses((status = 200, description = "OK", body = CoverageReport), crate::http::office::openapi::Refusals)
)]
pub async fn coverage(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<CoverageReport>, ApiError> {
    let params = Params(query);
    let community = scope(&state, &headers, params.one("community"))?;
    let (from, to) = (date(&params, "from")?, date(&params, "to")?);
    let now_ms = params
        .time("now", false)?
        .unwrap_or_else(crate::clock::now_ms);
    let stations: Vec<(String, StationSummary)> = rows::load(&state, STATION_PREFIX).await?;
    Ok(Json(coverage_of(stations, community, from, to, now_ms)))
}
