//! `GET /api/v1/documents`: which documents a tablet should follow.
//!
//! A tablet knows its community document from enrollment and finds station documents in
//! it; wishes collected at its stations by other tablets (and published wishes on the
//! community's wall) are found here, from the office index, since a volunteer's tablet
//! may not write the station's wish index. The list only names documents the device's
//! role may open (DESIGN.md section 5); the sync server checks every one again.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use serde::Serialize;

use super::handlers::with_index;
use crate::access::{Principal, Role};
use crate::aggregate::{CommunitySet, WishFilter};
use crate::domain::office_rows::{LedgerSummary, LEDGER_PREFIX};
use crate::http::api::{bearer, blocking, ApiError};
use crate::http::AppState;
use crate::runtime::IndexSource;

/// Statuses of wishes on the wall (`model::on_wall`).
const WALL: [&str; 4] = ["published", "claimed", "assigned", "in_progress"];

#[derive(Debug, Serialize)]
pub struct Followed {
    pub community: String,
    /// The community's ledger document, once the server holds one.
    pub ledger: Option<String>,
    /// Wish documents: the device's stations' wishes and the community's wall.
    pub wishes: Vec<String>,
}

/// `GET /api/v1/documents` (any enrolled device; the administrator passes `community=`).
pub async fn documents(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Followed>, ApiError> {
    let who = bearer(&state, &headers)?;
    let requested = query.iter().find(|(k, _)| k == "community").map(|(_, v)| v);
    let community = match (&who.community, requested) {
        // An office device covering several communities picks one of them.
        (Some(_), Some(asked)) if who.in_community(Some(asked)) => asked.clone(),
        (Some(own), _) => own.clone(),
        (None, Some(asked)) => asked.clone(),
        (None, None) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "pass community= to list a community's documents",
            ))
        }
    };
    let filters = filters(&who, &community);
    let wishes = with_index(&index, &state, move |a| {
        let mut docs = BTreeSet::new();
        for filter in &filters {
            docs.extend(a.doc_ids(&a.select(filter)));
        }
        docs.into_iter().collect()
    })
    .await?;
    // A shared station tablet may not read the ledger; it is not offered one.
    let ledger = match who.role {
        Role::StationTablet => None,
        _ => ledger_of(&state, &community).await?,
    };
    Ok(Json(Followed {
        community,
        ledger,
        wishes,
    }))
}

/// The wish selections a principal follows in its community.
fn filters(who: &Principal, community: &str) -> Vec<WishFilter> {
    let scoped = |stations: Vec<String>, statuses: Vec<String>| WishFilter {
        community: CommunitySet::of([community]),
        stations,
        statuses,
        ..WishFilter::default()
    };
    let wall = scoped(Vec::new(), WALL.iter().map(|s| (*s).to_owned()).collect());
    match who.role {
        Role::Office | Role::Administrator => vec![scoped(Vec::new(), Vec::new())],
        Role::Volunteer | Role::Coordinator if !who.stations.is_empty() => vec![
            scoped(who.stations.iter().cloned().collect(), Vec::new()),
            wall,
        ],
        Role::Volunteer | Role::Coordinator | Role::Partner => vec![wall],
        // A shared station tablet signs people in; it follows no wishes.
        Role::StationTablet => Vec::new(),
    }
}

async fn ledger_of(state: &AppState, community: &str) -> Result<Option<String>, ApiError> {
    let storage = state.storage.clone();
    let community = community.to_owned();
    blocking(move || {
        let rows = storage
            .load_range(&[LEDGER_PREFIX.to_owned()])
            .map_err(|e| {
                tracing::error!(error = %e, "reading ledger rows failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
            })?;
        Ok(rows.into_iter().find_map(|(key, bytes)| {
            let summary: LedgerSummary = serde_json::from_slice(&bytes).ok()?;
            (summary.community == community).then(|| key.get(1).cloned())?
        }))
    })
    .await
}
