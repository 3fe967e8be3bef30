//! `GET /api/v1/office/export/ledger.csv`: every posting of the community ledger (服务积分,
//! 奖励积分, 积分兑换, 冲正), one row per posting, in `(at, id)` order, from the ledger rows
//! (never from the ledger documents). Postings of one entry sum to zero, so the file can be
//! checked line by line against any account's balance. Accounts and recorders are named
//! from the community directory; the ids follow in the last columns.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::columns::Cell;
use super::{table_csv, table_xlsx};
use crate::aggregate::format_local;
use crate::domain::office_rows::{LedgerSummary, PostingSummary, LEDGER_PREFIX};
use crate::http::api::ApiError;
use crate::http::office::names::{self, Names};
use crate::http::office::params::Params;
use crate::http::office::{rows, scope};
use crate::http::AppState;

/// The columns, in Chinese as the other exports.
pub const HEADERS: [&str; 14] = [
    "记账时间",
    "类型",
    "账户",
    "积分",
    "时长（小时）",
    "事由",
    "兑换项目",
    "记录人",
    "已冲正",
    "社区",
    "条目编号",
    "账户编号",
    "心愿编号",
    "记录人编号",
];

/// `GET /api/v1/office/export/ledger.csv`: UTF-8 with BOM, CRLF line ends.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/ledger.csv",
    operation_id = "ledger_csv",
    summary = "The community ledger as CSV (UTF-8 with BOM, Chinese headers): one row per posting of every entry (earn, award, redeem, reversal); the postings of an entry sum to zero",
    params(crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "text/csv"), crate::http::office::openapi::Refusals)
)]
pub async fn csv(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &headers, query).await?;
    Ok(table_csv(&HEADERS, &rows, "ledger.csv"))
}

/// `GET /api/v1/office/export/ledger.xlsx`: the same rows as one worksheet.
#[utoipa::path(
    get,
    path = "/api/v1/office/export/ledger.xlsx",
    operation_id = "ledger_xlsx",
    summary = "The community ledger as an Excel workbook (Chinese headers), the rows of ledger.csv",
    params(crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), crate::http::office::openapi::Refusals)
)]
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let rows = rows_of(&state, &headers, query).await?;
    table_xlsx("积分账本", &HEADERS, rows, "ledger.xlsx").await
}

/// Every posting in scope, in `(at, entry)` order, as export cells.
async fn rows_of(
    state: &AppState,
    headers: &HeaderMap,
    query: Vec<(String, String)>,
) -> Result<Vec<Vec<Cell>>, ApiError> {
    let params = Params(query);
    let community = scope(state, headers, params.one("community"))?;
    let names = names::load(state, &community).await?;
    let ledgers: Vec<(String, LedgerSummary)> = rows::load(state, LEDGER_PREFIX).await?;
    let mut postings: Vec<(String, PostingSummary)> = ledgers
        .into_iter()
        .filter(|(_, l)| rows::in_scope(&community, &l.community))
        .flat_map(|(_, l)| {
            let community = l.community;
            l.postings.into_iter().map(move |p| (community.clone(), p))
        })
        .collect();
    postings.sort_by(|(_, a), (_, b)| (a.at, &a.entry).cmp(&(b.at, &b.entry)));
    Ok(postings
        .iter()
        .map(|(community, p)| Vec::from(row(p, community, &names)))
        .collect())
}

fn row(p: &PostingSummary, community: &str, names: &Names) -> [Cell; 14] {
    let text = |s: &str| Cell::Text(s.to_owned());
    let opt = |s: &Option<String>| s.as_deref().map_or(Cell::Empty, text);
    [
        text(&format_local(p.at)),
        text(&kind_label(&p.kind)),
        Cell::Text(names.account(community, &p.account)),
        Cell::Number(p.points as f64),
        Cell::Number(p.hours),
        text(&p.reason),
        opt(&p.item),
        Cell::Text(names.member(community, &p.by)),
        text(if p.reversed { "是" } else { "否" }),
        Cell::Text(names.community(community)),
        text(&p.entry),
        text(&p.account),
        opt(&p.wish),
        text(&p.by),
    ]
}

fn kind_label(kind: &str) -> String {
    kind.parse::<wish_client_core::model::LedgerKind>()
        .map_or_else(|_| kind.to_owned(), |k| k.label_zh().to_owned())
}
