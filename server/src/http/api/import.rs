//! `POST /api/v1/import/wishes` (paper wish cards) and `POST /api/v1/import/people`
//! (the community directory): the file is the request body (CSV in UTF-8 or GB18030, or
//! XLSX). Without `?confirm=true` the server only checks it and answers row by row; with
//! it, and if every row is good, the server creates the items through the engine and
//! answers once they are durable. The rows are checked by `crate::import`, the same
//! checks and messages as `wish-station import`.
//!
//! Scope (`scope::may_import_wishes`, `scope::may_import_people`): a coordinator imports
//! wish cards into its own stations and people into its community; the office imports
//! people into its community; volunteers and partners import nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use wish_client_core::model::community::Person;
use wish_client_core::model::CommunityView;
use wish_client_core::ops::community::add_person;
use wish_client_core::ops::station::index_wish;
use wish_client_core::proto::DocumentId;

use super::devices::audit;
use super::{blocking, require, ApiError};
use crate::access::{Principal, Role};
use crate::clock::now_ms;
use crate::engine::DocWrite;
use crate::http::AppState;
use crate::import::{people, table, wishes, Checked, RowReport};
use crate::scope::{self, ScopeError};

/// The import routes, with a body limit that fits the largest accepted file.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/import/wishes", post(import_wishes))
        .route("/api/v1/import/people", post(import_people))
        .layer(DefaultBodyLimit::max(table::MAX_FILE_BYTES))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Create the items (only if every row is good); without it, only check.
    #[serde(default)]
    confirm: bool,
    /// Wish cards: the station of rows whose station cell is empty (id or name).
    station: Option<String>,
    /// The community document id; only the administrator names one (devices import
    /// into their own).
    community: Option<String>,
}

/// The answer: every row's check, and whether the items were created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: Vec<RowReport>,
    pub good: usize,
    pub bad: usize,
    /// How many items were created (0 for a check or when any row is bad).
    pub imported: usize,
}

#[utoipa::path(
    post,
    path = "/api/v1/import/wishes",
    summary = "Create wishes from a spreadsheet of paper wish cards (columns as `wish-station import --help`). Coordinators, into their own stations; the office may not (the cards carry residents' contacts).",
    params(ImportQuery),
    request_body(content = crate::http::office::openapi::File, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Every row checked; created if confirmed and all good", body = ImportReport),
        crate::http::office::openapi::Refusals
    )
)]
pub async fn import_wishes(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let community_doc = target_community(&who, query.community.as_deref())?;
    let community = community_doc.to_string();
    allowed(
        &state,
        &who,
        scope::may_import_wishes(&who, &community, &BTreeSet::new()),
    )
    .await?;
    let records = read(&body)?;
    let view = read_community(&state, community_doc).await?;
    let checked = {
        let (state, who, view) = (state.clone(), who.clone(), view.clone());
        let station = query.station.clone();
        // Building every card's documents takes milliseconds each: off the async threads.
        blocking(move || check_wishes(&state, &who, station, &records, &view, community_doc))
            .await?
    };
    let used: BTreeSet<String> = checked.items.iter().map(|b| b.station.clone()).collect();
    allowed(
        &state,
        &who,
        scope::may_import_wishes(&who, &community, &used),
    )
    .await?;
    if !query.confirm || checked.bad() > 0 || checked.items.is_empty() {
        return Ok(Json(report(checked.rows, 0)));
    }
    let count = checked.items.len();
    let docs = wish_writes(checked.items, &view)?;
    let what = format!("import: {count} wish cards into {}", view.name);
    write(&state, &who, what, docs).await?;
    Ok(Json(report(checked.rows, count)))
}

#[utoipa::path(
    post,
    path = "/api/v1/import/people",
    summary = "Add people to the community directory from a spreadsheet (XLSX, or CSV in UTF-8 or GB18030; columns 姓名, 类别, 模块, 技能, 党员, 单位, 驿站). Office and coordinators of the community.",
    params(ImportQuery),
    request_body(content = crate::http::office::openapi::File, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Every row checked; created if confirmed and all good", body = ImportReport),
        crate::http::office::openapi::Refusals
    )
)]
pub async fn import_people(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let community_doc = target_community(&who, query.community.as_deref())?;
    allowed(
        &state,
        &who,
        scope::may_import_people(&who, &community_doc.to_string()),
    )
    .await?;
    let records = read(&body)?;
    let view = read_community(&state, community_doc).await?;
    let checked = people::check(&records, &people::Context { community: &view })
        .map_err(|p| bad(p.both()))?;
    if !query.confirm || checked.bad() > 0 || checked.items.is_empty() {
        return Ok(Json(report(checked.rows, 0)));
    }
    let count = checked.items.len();
    let what = format!("import: {count} people into the directory of {}", view.name);
    let docs = vec![people_write(community_doc, checked.items)];
    write(&state, &who, what, docs).await?;
    Ok(Json(report(checked.rows, count)))
}

fn check_wishes(
    state: &AppState,
    who: &Principal,
    station: Option<String>,
    records: &[table::Record],
    view: &CommunityView,
    community_doc: DocumentId,
) -> Result<Checked<wishes::Built>, ApiError> {
    let ctx = wishes::Context {
        community: view,
        default_station: station.as_deref().filter(|s| !s.is_empty()),
        allowed_stations: (who.role != Role::Administrator).then_some(&who.stations),
        now_ms: now_ms(),
    };
    wishes::check(records, &ctx, &community_doc, &state.server_actor).map_err(|p| bad(p.both()))
}

/// Every wish and contact document, and one edit per station adding its wishes to the
/// station's index (which is how tablets find them).
fn wish_writes(built: Vec<wishes::Built>, view: &CommunityView) -> Result<Vec<DocWrite>, ApiError> {
    let mut docs = Vec::new();
    let mut by_station: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for card in built {
        by_station
            .entry(card.station.clone())
            .or_default()
            .push(card.wish_doc.to_string());
        docs.push(DocWrite::Create {
            doc: card.wish_doc,
            content: Box::new(card.wish),
        });
        if let Some((doc, content)) = card.contact {
            let content = Box::new(content);
            docs.push(DocWrite::Create { doc, content });
        }
    }
    for (station, wishes) in by_station {
        let doc = view
            .stations
            .get(&station)
            .and_then(|s| s.doc.parse::<DocumentId>().ok())
            .ok_or_else(|| bad(format!("station {station:?} has no station document")))?;
        // The time is taken here: the engine reads no clock.
        let at = now_ms();
        docs.push(DocWrite::Edit {
            doc,
            edit: Box::new(move |station_doc| {
                wishes
                    .iter()
                    .try_for_each(|w| index_wish(station_doc, w, at).map_err(|e| e.to_string()))
            }),
        });
    }
    Ok(docs)
}

fn people_write(community_doc: DocumentId, people: Vec<Person>) -> DocWrite {
    // The time is taken here: the engine reads no clock.
    let at = now_ms();
    DocWrite::Edit {
        doc: community_doc,
        edit: Box::new(move |doc| {
            people
                .iter()
                .try_for_each(|p| add_person(doc, p, at).map_err(|e| e.to_string()))
        }),
    }
}

/// The community a device imports into: its own; the administrator names one.
fn target_community(who: &Principal, named: Option<&str>) -> Result<DocumentId, ApiError> {
    let community = match who.role {
        Role::Administrator => named,
        _ => who.community.as_deref(),
    };
    community
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| bad("name the community (?community=DOCUMENT_ID)"))
}

/// The community document as the server holds it (committed, so complete).
async fn read_community(state: &AppState, doc: DocumentId) -> Result<CommunityView, ApiError> {
    let storage = state.storage.clone();
    blocking(move || {
        let stored = crate::storage::documents::load_doc(storage.as_ref(), &doc)
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error"))?
            .ok_or_else(|| bad("this community is not on the server yet"))?;
        CommunityView::read(&stored.doc).map_err(|_| bad("this community cannot be read"))
    })
    .await
}

fn read(body: &[u8]) -> Result<Vec<table::Record>, ApiError> {
    table::read_table(body).map_err(|e| bad(e.problem().both()))
}

async fn allowed(
    state: &Arc<AppState>,
    who: &Principal,
    outcome: Result<(), ScopeError>,
) -> Result<(), ApiError> {
    let Err(error) = outcome else {
        return Ok(());
    };
    let detail = format!("import: {error}");
    audit(state, "scope-refused", &who.device_id, &detail).await;
    Err(ApiError::new(StatusCode::FORBIDDEN, error.both()))
}

async fn write(
    state: &AppState,
    who: &Principal,
    what: String,
    docs: Vec<DocWrite>,
) -> Result<(), ApiError> {
    match state.hub.server_write(who.clone(), what, docs).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(ApiError::new(StatusCode::FORBIDDEN, error.to_string())),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "nothing was imported; try again",
        )),
    }
}

fn report(rows: Vec<RowReport>, imported: usize) -> ImportReport {
    let bad = rows.iter().filter(|r| !r.errors.is_empty()).count();
    ImportReport {
        good: rows.len() - bad,
        bad,
        rows,
        imported,
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}
