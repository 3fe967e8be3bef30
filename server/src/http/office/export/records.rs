//! `GET /api/v1/office/export/service-records.csv`: volunteer service records
//! (志愿服务记录), one row per confirmed `earn` entry of the ledgers in scope that no
//! `reversal` negates, from the `["ledger-summary", ledgerDocId]` rows. Wish titles,
//! resolution times and ratings are joined from the office index by wish id.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use super::super::super::api::ApiError;
use super::super::handlers::with_index;
use super::super::params::Params;
use super::super::{rows, scope};
use super::columns::Cell;
use super::{table_csv, table_xlsx};
use crate::aggregate::{format_local, OfficeIndex, WishFilter};
use crate::domain::office_rows::{EarnSummary, LedgerSummary, LEDGER_PREFIX};
use crate::http::AppState;

/// The columns the civil-affairs volunteer record rules ask for, plus ids to trace a row.
pub const HEADERS: [&str; 9] = [
    "记录编号",
    "志愿者",
    "服务内容",
    "服务时间",
    "服务时长（小时）",
    "服务评价",
    "记录人",
    "记录时间",
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
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<OfficeIndex>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &index, &headers, query).await?;
    Ok(table_csv(&HEADERS, &rows, "service-records.csv"))
}

/// `GET /api/v1/office/export/service-records.xlsx`: the same rows as one worksheet.
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<OfficeIndex>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &index, &headers, query).await?;
    table_xlsx("志愿服务记录", &HEADERS, rows, "service-records.xlsx").await
}

/// The records in scope, oldest first, as export cells.
async fn rows_of(
    state: &Arc<AppState>,
    index: &OfficeIndex,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<Vec<Vec<Cell>>, ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    let ledgers: Vec<(String, LedgerSummary)> = rows::load(state, LEDGER_PREFIX).await?;
    let mut earns: Vec<EarnSummary> = ledgers
        .into_iter()
        .filter(|(_, l)| rows::in_scope(community.as_deref(), &l.community))
        .flat_map(|(_, l)| l.earns)
        .filter(|e| !e.reversed)
        .collect();
    earns.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let wanted: HashSet<String> = earns.iter().filter_map(|e| e.wish.clone()).collect();
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
    Ok(earns
        .iter()
        .map(|earn| {
            let facts = earn.wish.as_ref().and_then(|w| wishes.get(w));
            Vec::from(record(earn, facts))
        })
        .collect())
}

fn record(earn: &EarnSummary, wish: Option<&WishFacts>) -> [Cell; 9] {
    let text = |s: &str| Cell::Text(s.to_owned());
    let time = |ms: u64| Cell::Text(format_local(ms));
    [
        text(&earn.id),
        text(&earn.person),
        wish.map_or(Cell::Empty, |w| text(&w.title)),
        time(wish.and_then(|w| w.resolved_at).unwrap_or(earn.at)),
        Cell::Number(earn.hours),
        wish.and_then(|w| w.rating)
            .map_or(Cell::Empty, |r| Cell::Number(f64::from(r))),
        text(&earn.by),
        time(earn.at),
        earn.wish.as_deref().map_or(Cell::Empty, text),
    ]
}
