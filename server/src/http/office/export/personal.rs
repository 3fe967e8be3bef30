//! `GET /api/v1/office/export/contacts.csv`: the selected wishes with their residents'
//! contact details, the only export that holds personal data.
//!
//! Only office devices and the administrator may ask, only explicitly
//! (`confirm=personal-data`) and with a `reason`, for at most [`MAX_ROWS`] wishes (the same
//! filters as `/office/wishes`). The export is written to the audit log (who, why, which
//! filter, how many rows) before any byte is sent; if the audit write fails, nothing is
//! exported. A contact is exported only if it names the wish that links it, at the
//! wish's station, and the wish belongs to the exporting community; others are withheld
//! and counted in the audit record. Contact documents are read from storage one by one, since office figures
//! never hold personal data; a deleted contact is gone and exports as empty.

use std::sync::{Arc, PoisonError};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use wish_client_core::model::{ContactView, WishView};
use wish_client_core::proto::DocumentId;

use super::columns::{self, Cell};
use super::csv_out::CsvOut;
use super::{download, selection};
use crate::access::Role;
use crate::aggregate::CommunitySet;
use crate::aggregate::WishItem;
use crate::http::api::{blocking, require, ApiError};
use crate::http::office::names::Names;
use crate::http::AppState;
use crate::runtime::IndexSource;
use crate::storage::documents::load_doc;
use crate::storage::Storage;

/// The most wishes one personal-data export may hold; narrow the filter for more.
pub const MAX_ROWS: usize = 5_000;

/// The columns, in Chinese as the other exports.
pub const HEADERS: [&str; 12] = [
    "标题",
    "驿站",
    "状态",
    "小区",
    "楼栋",
    "居民姓名",
    "电话",
    "门牌号",
    "困难情况",
    "同意联系",
    "心愿编号",
    "驿站编号",
];

/// `GET /api/v1/office/export/contacts.csv?confirm=personal-data&reason=...&<filters>`
#[utoipa::path(
    get,
    path = "/api/v1/office/export/contacts.csv",
    summary = "The filtered wishes WITH residents' contact details (office only; at most 5,000 wishes). Needs confirm=personal-data and a reason; every export is written to the audit log before it is sent",
    params(crate::http::office::openapi::PersonalData, crate::http::office::openapi::Filters),
    responses((status = 200, description = "OK", body = crate::http::office::openapi::File, content_type = "text/csv"), crate::http::office::openapi::Refusals)
)]
pub async fn contacts_csv(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    if param("confirm") != Some("personal-data") {
        return Err(bad(
            "residents' personal data is exported only with confirm=personal-data",
        ));
    }
    let reason = param("reason")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| bad("say why the personal data is needed: reason=..."))?
        .to_owned();
    let filter_text = describe_filter(&query);
    let (shared, rows, names) = selection(&state, &index, &headers, query).await?;
    if rows.len() > MAX_ROWS {
        return Err(bad(&format!(
            "{} wishes match; a personal-data export holds at most {MAX_ROWS}: narrow the filter",
            rows.len()
        )));
    }
    let items = shared
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .items(&rows);
    let storage = state.storage.clone();
    let device = who.device_id.clone();
    let community = crate::scope::community_scope(&who);
    let body = blocking(move || {
        let (csv, withheld) = render(storage.as_ref(), &items, &community, &names);
        let detail = format!(
            "{} wishes; {withheld} contacts withheld (not naming their wish or outside the \
             community); reason: {reason}; filter: {filter_text}",
            items.len()
        );
        crate::audit::write(storage.as_ref(), "personal-data-export", &device, &detail).map_err(
            |e| {
                tracing::error!(error = %e, "audit write failed; personal-data export refused");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the audit log could not be written; nothing was exported",
                )
            },
        )?;
        Ok(csv)
    })
    .await?;
    Ok(download(
        Body::from(body),
        "text/csv; charset=utf-8",
        "contacts.csv",
    ))
}

fn bad(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}

/// The filter parameters as the audit log records them.
fn describe_filter(query: &[(String, String)]) -> String {
    let parts: Vec<String> = query
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "confirm" | "reason"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join("&")
    }
}

/// The CSV, and how many contacts were withheld because they failed [`belongs`].
fn render(
    storage: &dyn Storage,
    items: &[WishItem],
    community: &CommunitySet,
    names: &Names,
) -> (Vec<u8>, usize) {
    let mut out = CsvOut::with_header(&HEADERS, items.len() * 200);
    let mut withheld = 0;
    for item in items {
        let (area, contact) = contact_of(storage, &item.doc_id, community);
        let (contact, refused) = match contact {
            Checked::Exported(c) => (Some(*c), false),
            Checked::Missing => (None, false),
            Checked::Withheld => (None, true),
        };
        withheld += usize::from(refused);
        let (compound, building) = area.unwrap_or_default();
        let text = |s: &str| Cell::Text(s.to_owned());
        let mut cells = vec![
            text(&item.title),
            Cell::Text(names.station(&item.community, &item.station)),
            columns::status(&item.status),
            text(&compound),
            text(&building),
        ];
        cells.extend(match contact {
            Some(c) => [
                text(&c.name),
                text(&c.phone),
                text(&c.room),
                text(&c.vulnerability.join("、")),
                text(if c.may_contact() { "是" } else { "否" }),
            ],
            None => std::array::from_fn(|_| Cell::Empty),
        });
        cells.extend([text(&item.id), text(&item.station)]);
        out.record(&cells);
    }
    (out.into_bytes(), withheld)
}

/// A wish's contact as the export treats it.
enum Checked {
    Exported(Box<ContactView>),
    /// No contact (never collected with one, deleted, or unreadable).
    Missing,
    /// A contact that does not name this wish, or a wish outside the exporting community.
    Withheld,
}

/// A contact is exported only if it names the wish that links it, sits at the wish's
/// station, and the wish belongs to the exporting community (every community for the administrator).
fn belongs(
    wish_doc: &str,
    wish: &WishView,
    contact: &ContactView,
    community: &CommunitySet,
) -> bool {
    contact.wish == wish_doc
        && contact.station == wish.station
        && community.contains(&wish.community)
}

/// The wish's area and its contact, read from storage; `None` where a document is missing
/// (never collected with a contact, or deleted) or unreadable.
fn contact_of(
    storage: &dyn Storage,
    wish_doc: &str,
    community: &CommunitySet,
) -> (Option<(String, String)>, Checked) {
    let read = |doc: &str| {
        let id: DocumentId = doc.parse().ok()?;
        load_doc(storage, &id)
            .ok()
            .flatten()
            .map(|stored| stored.doc)
    };
    let Some(wish) = read(wish_doc).and_then(|d| WishView::read(&d).ok()) else {
        return (None, Checked::Missing);
    };
    let checked = match wish
        .contact
        .as_deref()
        .and_then(read)
        .and_then(|d| ContactView::read(&d).ok())
    {
        Some(c) if belongs(wish_doc, &wish, &c, community) => Checked::Exported(Box::new(c)),
        Some(_) => Checked::Withheld,
        None => Checked::Missing,
    };
    (Some((wish.compound, wish.building)), checked)
}
