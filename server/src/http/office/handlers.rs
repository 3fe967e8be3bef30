//! The JSON endpoints of the office API.

use std::sync::{Arc, PoisonError};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};

use super::names;
use super::params::Params;
use super::{caller, scope, targets};
use crate::access::Role;
use crate::aggregate::{
    CommunitySet, DurationReport, OfficeIndex, OverdueQuery, OverdueReport, SatisfactionReport,
    SharedIndex, SummaryReport, VolunteerReport, WishPage,
};
use crate::domain::SummaryCounts;
use crate::http::api::{blocking, require, ApiError};
use crate::http::AppState;
use crate::runtime::IndexSource;

/// A request's parts every handler needs.
type Args = (
    State<Arc<AppState>>,
    Extension<IndexSource>,
    HeaderMap,
    Query<Vec<(String, String)>>,
);

/// Runs `work` on the index under its read lock, off the async threads.
pub async fn with_index<T: Send + 'static>(
    index: &IndexSource,
    state: &AppState,
    work: impl FnOnce(&OfficeIndex) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let shared = shared_index(index, state).await?;
    blocking(move || {
        let guard = shared.read().unwrap_or_else(PoisonError::into_inner);
        Ok(work(&guard))
    })
    .await
}

/// The index, loaded or refreshed as needed.
pub async fn shared_index(index: &IndexSource, state: &AppState) -> Result<SharedIndex, ApiError> {
    index.get(&state.storage).await.map_err(|error| {
        tracing::error!(%error, "loading the office index failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
    })
}

/// The caller's community scope and the parsed parameters.
fn prepare(
    state: &AppState,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<(CommunitySet, Params), ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    Ok((community, params))
}

/// `GET /api/v1/office/summary[?from&to]`: over a window, the wishes created in it.
#[utoipa::path(
    get,
    path = "/api/v1/office/summary",
    summary = "Counts by status, module, channel, urgency, close reason, station, community and ISO week",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::SummaryReport), crate::http::office::openapi::Refusals)
)]
pub async fn summary(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<SummaryReport>, ApiError> {
    let (community, params) = prepare(&state, &headers, query)?;
    let window = params.window()?;
    let report = with_index(&index, &state, move |a| a.summary_in(&community, window)).await?;
    Ok(Json(report))
}

/// `GET /api/v1/office/wishes`
#[utoipa::path(
    get,
    path = "/api/v1/office/wishes",
    summary = "Wishes, newest first, filtered and paged, with the total",
    params(crate::http::office::openapi::Filters, crate::http::office::openapi::Paged),
    responses((status = 200, description = "OK", body = crate::aggregate::WishPage), crate::http::office::openapi::Refusals)
)]
pub async fn wishes(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<WishPage>, ApiError> {
    let (community, params) = prepare(&state, &headers, query)?;
    let names = names::load(&state, &community).await?;
    let (filter, paging) = (params.filter(community)?, params.paging()?);
    let mut page = with_index(&index, &state, move |a| a.list(&filter, paging)).await?;
    page.items.iter_mut().for_each(|w| names.name_item(w));
    Ok(Json(page))
}

/// `GET /api/v1/office/durations[?module&from&to]`: over a window, the wishes created in it.
#[utoipa::path(
    get,
    path = "/api/v1/office/durations",
    summary = "Time to claim and time to resolve: percentiles and hour buckets",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::ModuleParam, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::DurationReport), crate::http::office::openapi::Refusals)
)]
pub async fn durations(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<DurationReport>, ApiError> {
    let (community, params) = prepare(&state, &headers, query)?;
    let module = params.one("module").map(str::to_owned);
    let window = params.window()?;
    let report = with_index(&index, &state, move |a| {
        a.durations_in(&community, module.as_deref(), window)
    })
    .await?;
    Ok(Json(report))
}

/// `GET /api/v1/office/satisfaction[?from&to]`: over a window, the wishes created in it.
#[utoipa::path(
    get,
    path = "/api/v1/office/satisfaction",
    summary = "Ratings: average, distribution 1–5, by module and station",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::SatisfactionReport), crate::http::office::openapi::Refusals)
)]
pub async fn satisfaction(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<SatisfactionReport>, ApiError> {
    let (community, params) = prepare(&state, &headers, query)?;
    let window = params.window()?;
    let report = with_index(&index, &state, move |a| {
        a.satisfaction_in(&community, window)
    })
    .await?;
    Ok(Json(report))
}

/// `GET /api/v1/office/overdue[?from&to]`: under the caller's office targets; over a
/// window, the overdue wishes created in it.
#[utoipa::path(
    get,
    path = "/api/v1/office/overdue",
    summary = "Open wishes past their resolution target (default: urgent 2 days, high 7, normal 14, low 30, from publication)",
    params(crate::http::office::openapi::Filters, crate::http::office::openapi::Now, crate::http::office::openapi::Paged),
    responses((status = 200, description = "OK", body = crate::aggregate::OverdueReport), crate::http::office::openapi::Refusals)
)]
pub async fn overdue(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<OverdueReport>, ApiError> {
    let params = Params(query);
    let (who, community) = caller(&state, &headers, params.one("community"))?;
    let query = OverdueQuery {
        targets: targets::load(&state, &who).await?,
        now: params
            .time("now", false)?
            .unwrap_or_else(crate::clock::now_ms),
        filter: params.filter(community)?,
        paging: params.paging()?,
    };
    let names = names::load(&state, &query.filter.community).await?;
    let mut report = with_index(&index, &state, move |a| a.overdue(&query)).await?;
    for item in &mut report.items {
        names.name_item(&mut item.wish);
    }
    Ok(Json(report))
}

/// `GET /api/v1/office/volunteers[?from&to]`: over a window, the claims on the wishes
/// created in it.
#[utoipa::path(
    get,
    path = "/api/v1/office/volunteers",
    summary = "Hours per claimant, most first (a wish's hours are split equally among its claimants)",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Paged, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::VolunteerReport), crate::http::office::openapi::Refusals)
)]
pub async fn volunteers(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<VolunteerReport>, ApiError> {
    let (community, params) = prepare(&state, &headers, query)?;
    let (paging, window) = (params.paging()?, params.window()?);
    let names = names::load(&state, &community).await?;
    let mut report = with_index(&index, &state, move |a| {
        a.volunteers_in(&community, paging, window)
    })
    .await?;
    for row in &mut report.leaderboard {
        row.name = match report.community.as_deref() {
            Some(c) => names.member(c, &row.claimant),
            None => names.member_anywhere(&row.claimant),
        };
    }
    Ok(Json(report))
}

/// `GET /api/v1/summary`: wish counts in total and by status, module and station of the
/// caller's communities (every community for the administrator), from the office index.
pub async fn counts(
    (State(state), Extension(index), headers, _): Args,
) -> Result<Json<SummaryCounts>, ApiError> {
    let who = require(&state, &headers, &[Role::Office, Role::Coordinator])?;
    let community = crate::scope::community_scope(&who);
    let report = with_index(&index, &state, move |a| a.summary(&community)).await?;
    Ok(Json(counts_of(&report)))
}

/// The counts `/api/v1/summary` has always answered, read off the office summary: keys
/// only where there are wishes, stations by id across communities.
fn counts_of(report: &SummaryReport) -> SummaryCounts {
    let present = |map: &std::collections::BTreeMap<String, u64>| {
        map.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect()
    };
    let mut by_station = std::collections::BTreeMap::new();
    for row in report.by_station.iter().filter(|r| r.count > 0) {
        *by_station.entry(row.station.clone()).or_default() += row.count;
    }
    SummaryCounts {
        total: report.total,
        by_status: present(&report.by_status),
        by_module: present(&report.by_module),
        by_station,
    }
}
