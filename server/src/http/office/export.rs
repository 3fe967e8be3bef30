//! `GET /api/v1/office/export/wishes.csv` and `.xlsx`: the filtered list (same parameters
//! as `/office/wishes`, without paging), newest first, with Chinese headers and labels.
//! Summaries hold no personal data of residents, so neither do these exports; the one
//! export with contact details is `contacts.csv` (see [`personal`]), explicit and audited.

mod columns;
mod csv_out;
mod ledger;
mod personal;
pub(super) mod records;
mod xlsx;

use std::convert::Infallible;
use std::sync::{Arc, PoisonError};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::handlers::{shared_index, with_index};
use super::names::{self, Names};
use super::params::Params;
use super::scope;
use crate::aggregate::SharedIndex;
use crate::http::api::ApiError;
use crate::http::AppState;
use crate::runtime::IndexSource;

use self::columns::{Cell, HEADERS};
use self::csv_out::CsvOut;
pub use self::ledger::{__path_csv as __path_ledger_csv, __path_xlsx as __path_ledger_xlsx};
pub use self::ledger::{csv as ledger_csv, xlsx as ledger_xlsx};
pub use self::personal::{__path_contacts_csv, contacts_csv};
pub use self::records::{
    __path_csv as __path_service_records, __path_xlsx as __path_service_records_xlsx,
};
pub use self::records::{csv as service_records, xlsx as service_records_xlsx};

/// Rows rendered per read-lock hold.
const CHUNK: usize = 4096;

/// The UTF-8 byte order mark: Excel reads the file as UTF-8 only with it.
const BOM: &str = "\u{feff}";

/// The matching rows, the index they come from and the names of the caller's scope.
async fn selection(
    state: &AppState,
    index: &IndexSource,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<(SharedIndex, Vec<u32>, Arc<Names>), ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    let names = Arc::new(names::load(state, &community).await?);
    let filter = params.filter(community)?;
    let rows = with_index(index, state, move |a| a.select(&filter)).await?;
    Ok((shared_index(index, state).await?, rows, names))
}

/// `GET /api/v1/office/export/wishes.csv`: UTF-8 with BOM, CRLF line ends, streamed.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/wishes.csv",
    operation_id = "wishes_csv",
    summary = "The filtered wishes as CSV (UTF-8 with BOM, Chinese headers)",
    params(crate::http::office::openapi::Filters),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "text/csv"), crate::http::office::openapi::Refusals)
)]
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (shared, rows, names) = selection(&state, &index, &headers, query).await?;
    let head = format!("{BOM}{}\r\n", HEADERS.join(","));
    let first = futures_util::stream::once(async move { Ok::<_, Infallible>(head.into_bytes()) });
    let chunks = futures_util::stream::unfold((shared, rows, 0), move |(shared, rows, at)| {
        let names = names.clone();
        async move {
            if at >= rows.len() {
                return None;
            }
            let end = (at + CHUNK).min(rows.len());
            let rendered = tokio::task::spawn_blocking(move || {
                let bytes = csv_chunk(&shared, &rows[at..end], &names);
                (bytes, shared, rows)
            })
            .await
            .ok()?;
            let (bytes, shared, rows) = rendered;
            Some((Ok::<_, Infallible>(bytes), (shared, rows, end)))
        }
    });
    let body = Body::from_stream(futures_util::StreamExt::chain(first, chunks));
    Ok(download(body, "text/csv; charset=utf-8", "wishes.csv"))
}

fn csv_chunk(shared: &SharedIndex, rows: &[u32], names: &Names) -> Vec<u8> {
    let items = shared
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .items(rows);
    let mut out = CsvOut::with_capacity(items.len() * 200);
    for item in &items {
        out.record(&columns::cells(item, names));
    }
    out.into_bytes()
}

/// A whole CSV file (BOM, header, CRLF rows) of rows already built.
fn csv_file(headers: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = CsvOut::with_header(headers, rows.len() * 100);
    rows.iter().for_each(|cells| out.record(cells));
    out.into_bytes()
}

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One table as a CSV download (BOM, CRLF line ends).
fn table_csv(headers: &[&str], rows: &[Vec<Cell>], name: &'static str) -> Response {
    let body = Body::from(csv_file(headers, rows));
    download(body, "text/csv; charset=utf-8", name)
}

/// One table as an XLSX download: a single worksheet, written off the async threads.
async fn table_xlsx(
    sheet: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
    name: &'static str,
) -> Result<Response, ApiError> {
    let bytes = crate::http::api::blocking(move || xlsx::table(sheet, headers, &rows)).await?;
    Ok(download(Body::from(bytes), XLSX, name))
}

/// `GET /api/v1/office/export/wishes.xlsx`: one sheet, at most Excel's 1,048,575 rows.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/wishes.xlsx",
    operation_id = "wishes_xlsx",
    summary = "The filtered wishes as an Excel workbook (Chinese headers)",
    params(crate::http::office::openapi::Filters),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), crate::http::office::openapi::Refusals)
)]
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (shared, rows, names) = selection(&state, &index, &headers, query).await?;
    let bytes = crate::http::api::blocking(move || xlsx::workbook(&shared, &rows, &names)).await?;
    Ok(download(Body::from(bytes), XLSX, "wishes.xlsx"))
}

fn download(body: Body, content_type: &'static str, name: &'static str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
