//! `GET /api/v1/office/export/service-records.csv`: volunteer service records
//! (志愿服务记录), one row per confirmed `earn` entry of the ledgers in scope that no
//! `reversal` negates, from the `["ledger-summary", ledgerDocId]` rows. Wish titles,
//! resolution times and ratings are joined from the office index by wish id; volunteers
//! and recorders are named from the community directory (see [`Names`]), ids last.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use super::columns::Cell;
use super::{table_csv, table_xlsx};
use crate::aggregate::{format_local, CommunitySet, WishFilter};
use crate::domain::office_rows::{EarnSummary, LedgerSummary, LEDGER_PREFIX};
use crate::http::api::ApiError;
use crate::http::office::handlers::with_index;
use crate::http::office::names::{self, NameCache};
use crate::http::office::params::Params;
use crate::http::office::{rows, scope};
use crate::http::AppState;
use crate::runtime::IndexSource;

/// The columns the civil-affairs volunteer record rules ask for, plus ids to trace a row.
pub const HEADERS: [&str; 12] = [
    "志愿者姓名",
    "服务内容",
    "服务时间",
    "服务时长（小时）",
    "服务评价",
    "记录人姓名",
    "记录时间",
    "社区",
    "记录编号",
    "志愿者编号",
    "记录人编号",
    "心愿编号",
];

/// What a record takes from the wish it served.
#[derive(Debug, Clone)]
struct WishFacts {
    title: String,
    resolved_at: Option<u64>,
    rating: Option<u8>,
}

/// Rows of the index joined per read-lock hold.
const CHUNK: usize = 4096;

/// `GET /api/v1/office/export/service-records.csv`: UTF-8 with BOM, CRLF line ends.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/service-records.csv",
    operation_id = "service_records_csv",
    summary = "Volunteer service records (志愿服务记录) as CSV (UTF-8 with BOM, Chinese headers): one row per confirmed earn entry not reversed",
    params(crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "text/csv"), crate::http::office::openapi::Refusals)
)]
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &index, &headers, query).await?;
    Ok(table_csv(&HEADERS, &rows, "service-records.csv"))
}

/// `GET /api/v1/office/export/service-records.xlsx`: the same rows as one worksheet.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/service-records.xlsx",
    operation_id = "service_records_xlsx",
    summary = "Volunteer service records (志愿服务记录) as an Excel workbook, the rows of service-records.csv",
    params(crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), crate::http::office::openapi::Refusals)
)]
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &index, &headers, query).await?;
    table_xlsx("志愿服务记录", &HEADERS, rows, "service-records.xlsx").await
}

/// The records in scope, oldest first, as export cells.
async fn rows_of(
    state: &Arc<AppState>,
    index: &IndexSource,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<Vec<Vec<Cell>>, ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    let names = names::load(state, &community).await?;
    let earns = earns_in_scope(state, &community).await?;
    let wanted: HashSet<String> = earns.iter().filter_map(|(_, e)| e.wish.clone()).collect();
    let wishes = with_index(index, state, move |a| {
        let filter = WishFilter {
            community,
            ..WishFilter::default()
        };
        let mut found = HashMap::new();
        if wanted.is_empty() {
            return found;
        }
        for chunk in a.select(&filter).chunks(CHUNK) {
            for item in a.items(chunk) {
                if wanted.contains(&item.id) {
                    let facts = WishFacts {
                        title: item.title,
                        resolved_at: item.resolved_at,
                        rating: item.rating,
                    };
                    found.insert(item.id, facts);
                }
            }
        }
        found
    })
    .await?;
    let mut cache = NameCache::default();
    Ok(earns
        .iter()
        .map(|(community, earn)| {
            let facts = earn.wish.as_ref().and_then(|w| wishes.get(w));
            let named = Named {
                volunteer: cache.member(&names, community, &earn.person),
                recorder: cache.member(&names, community, &earn.by),
                community: names.community(community),
            };
            Vec::from(record(earn, facts, named))
        })
        .collect())
}

/// The unreversed `earn` entries of the ledgers in `scope`, oldest first, each with its
/// community (the monthly report counts them too).
pub async fn earns_in_scope(
    state: &AppState,
    scope: &CommunitySet,
) -> Result<Vec<(String, EarnSummary)>, ApiError> {
    let ledgers: Vec<(String, LedgerSummary)> = rows::load(state, LEDGER_PREFIX).await?;
    let mut earns: Vec<(String, EarnSummary)> = ledgers
        .into_iter()
        .filter(|(_, l)| rows::in_scope(scope, &l.community))
        .flat_map(|(_, l)| {
            let community = l.community;
            l.earns.into_iter().map(move |e| (community.clone(), e))
        })
        .filter(|(_, e)| !e.reversed)
        .collect();
    earns.sort_by(|(_, a), (_, b)| (a.at, &a.id).cmp(&(b.at, &b.id)));
    Ok(earns)
}

/// The names a record shows.
struct Named {
    volunteer: String,
    recorder: String,
    community: String,
}

fn record(earn: &EarnSummary, wish: Option<&WishFacts>, named: Named) -> [Cell; 12] {
    let text = |s: &str| Cell::Text(s.to_owned());
    let time = |ms: u64| Cell::Text(format_local(ms));
    [
        Cell::Text(named.volunteer),
        wish.map_or(Cell::Empty, |w| text(&w.title)),
        time(wish.and_then(|w| w.resolved_at).unwrap_or(earn.at)),
        Cell::Number(earn.hours),
        wish.and_then(|w| w.rating)
            .map_or(Cell::Empty, |r| Cell::Number(f64::from(r))),
        Cell::Text(named.recorder),
        time(earn.at),
        Cell::Text(named.community),
        text(&earn.id),
        text(&earn.person),
        text(&earn.by),
        earn.wish.as_deref().map_or(Cell::Empty, text),
    ]
}
