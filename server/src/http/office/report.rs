//! The monthly report (月度工作报告): `GET /api/v1/office/report?month=YYYY-MM` (JSON, laid
//! out by the printable page `/office/report`) and `GET /api/v1/office/report.xlsx`
//! (one sheet per table, [`workbook`]).
//!
//! Every figure comes from what the other office endpoints read: the office index (the
//! wish list's rows, the overdue index), the ledger rows (service records), the community
//! rows (the three lists, names) and the station rows (roster coverage), each narrowed to
//! the month (UTC+8). Wishes count in the month of each step: collected by creation,
//! claimed by the first claim, resolved by the first resolution, closed by closing.

mod figures;
mod month;
mod workbook;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use super::params::Params;
use super::scope;
use crate::http::api::{blocking, ApiError};
use crate::http::AppState;
use crate::runtime::IndexSource;

pub use self::figures::MonthReport;
use self::month::Month;

/// `GET /api/v1/office/report?month=YYYY-MM[&community=]`
#[utoipa::path(
    get,
    path = "/api/v1/office/report",
    operation_id = "month_report",
    summary = "The monthly report (月度工作报告): the month's key figures (collected, claimed, resolved, closed, overdue, the three lists, service hours, party members, ratings, roster coverage) and its tables, by name",
    params(crate::http::office::openapi::MonthParam, crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = MonthReport), crate::http::office::openapi::Refusals)
)]
pub async fn json(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<MonthReport>, ApiError> {
    Ok(Json(report(&state, &index, &headers, query).await?))
}

/// `GET /api/v1/office/report.xlsx?month=YYYY-MM[&community=]`
#[utoipa::path(
    get,
    path = "/api/v1/office/report.xlsx",
    operation_id = "month_report_xlsx",
    summary = "The monthly report as an Excel workbook, one sheet per table (概况, 按服务模块, 按驿站, 志愿服务)",
    params(crate::http::office::openapi::MonthParam, crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), crate::http::office::openapi::Refusals)
)]
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let report = report(&state, &index, &headers, query).await?;
    let name = format!("attachment; filename=\"report-{}.xlsx\"", report.month);
    let bytes = blocking(move || workbook::build(&report)).await?;
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(super::export::XLSX),
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn report(
    state: &Arc<AppState>,
    index: &IndexSource,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<MonthReport, ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    let month = Month::parse(params.one("month"))?;
    figures::gather(state, index, community, month).await
}
