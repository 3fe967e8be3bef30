//! The central office's API under `/api/v1/office` (JSON, `Authorization: Bearer`):
//! counts, the wish list, durations, satisfaction, overdue wishes, volunteers, CSV and
//! XLSX exports, roster coverage, the three lists (needs, offers, projects), volunteer
//! service records, and the OpenAPI document at `/api/v1/openapi.json`.
//!
//! Every answer comes from the in-memory [`OfficeIndex`](crate::aggregate::OfficeIndex)
//! index or from the office rows of stations, communities and ledgers
//! ([`crate::domain::office_rows`]), never from documents. Coordinators see their own community, office devices the
//! communities they cover (a 街道 or a district), the administrator every community; each
//! may pass `community=` to pick one of them.

mod detail;
mod export;
mod follow;
mod handlers;
mod insight;
mod lists;
mod names;
pub(crate) mod openapi;
mod params;
mod report;
mod roster;
pub(crate) mod rows;
mod supervise;
mod targets;

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::api::{require, ApiError};
use super::AppState;
use crate::access::{Principal, Role};
use crate::aggregate::{CommunitySet, OverdueTargets};
use crate::runtime::IndexSource;

/// The office routes, with an index loaded on first use from the summary rows and
/// reloaded in the background while no engine feed keeps it current (see
/// [`IndexSource::snapshot`]).
pub fn routes() -> Router<Arc<AppState>> {
    routes_with(IndexSource::snapshot(OverdueTargets::default()))
}

/// The office routes over a given index (e.g. [`IndexSource::live`]).
pub fn routes_with(index: IndexSource) -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/documents", get(follow::documents))
        .route("/api/v1/summary", get(handlers::counts))
        .route("/api/v1/office/summary", get(handlers::summary))
        .route("/api/v1/office/wishes", get(handlers::wishes))
        .route("/api/v1/office/durations", get(handlers::durations))
        .route("/api/v1/office/satisfaction", get(handlers::satisfaction))
        .route("/api/v1/office/overdue", get(handlers::overdue))
        .route("/api/v1/office/volunteers", get(handlers::volunteers))
        .route("/api/v1/office/communities", get(insight::communities))
        .route("/api/v1/office/participation", get(insight::participation))
        .route("/api/v1/office/ratings", get(insight::ratings))
        .route("/api/v1/office/wishes/{doc}", get(detail::wish))
        .route(
            "/api/v1/office/wishes/{doc}/supervise",
            post(supervise::supervise),
        )
        .route(
            "/api/v1/office/overdue-targets",
            get(targets::get).put(targets::put),
        )
        .route("/api/v1/office/names", get(names::names))
        .route("/api/v1/office/report", get(report::json))
        .route("/api/v1/office/report.xlsx", get(report::xlsx))
        .route("/api/v1/office/export/wishes.csv", get(export::csv))
        .route("/api/v1/office/export/wishes.xlsx", get(export::xlsx))
        .route("/api/v1/office/roster-coverage", get(roster::coverage))
        .route("/api/v1/office/lists", get(lists::lists))
        .route("/api/v1/office/export/ledger.csv", get(export::ledger_csv))
        .route(
            "/api/v1/office/export/ledger.xlsx",
            get(export::ledger_xlsx),
        )
        .route(
            "/api/v1/office/export/service-records.xlsx",
            get(export::service_records_xlsx),
        )
        .route(
            "/api/v1/office/export/contacts.csv",
            get(export::contacts_csv),
        )
        .route(
            "/api/v1/office/export/service-records.csv",
            get(export::service_records),
        )
        .layer(Extension(index))
}

/// The communities a request may see: those its device covers (its own for a
/// coordinator, its own and the 街道's or district's others for an office device, every
/// community for the administrator), or the one of them it asks for with `community=`.
fn scope(
    state: &AppState,
    headers: &HeaderMap,
    requested: Option<&str>,
) -> Result<CommunitySet, ApiError> {
    caller(state, headers, requested).map(|(_, scope)| scope)
}

/// Like [`scope`], with the caller.
fn caller(
    state: &AppState,
    headers: &HeaderMap,
    requested: Option<&str>,
) -> Result<(Principal, CommunitySet), ApiError> {
    let who = require(state, headers, &[Role::Office, Role::Coordinator])?;
    let covered = crate::scope::community_scope(&who);
    let scope = match requested {
        None => covered,
        Some(community) => covered.narrow(community).ok_or_else(outside)?,
    };
    Ok((who, scope))
}

/// The answer to a request about a community the caller does not cover.
fn outside() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "不在本设备的管辖范围内 (this device may only see the communities it covers)",
    )
}
