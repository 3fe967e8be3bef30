//! `GET /api/v1/office/wishes/{doc}`: one wish for the office's detail view, read from the
//! stored document (the one office endpoint that reads a document: the timeline is not in
//! the index). People, units, stations and the community by name; no resident contact
//! data (no contact link, compound or building).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;
use wish_client_core::model::wish::{Event, TimelineStep, WishView};
use wish_client_core::model::{ClaimKind, CommunityView, WishStatus};
use wish_client_core::proto::DocumentId;

use super::names::{self, Names};
use super::{caller, outside};
use crate::aggregate::CommunitySet;
use crate::http::api::{blocking, ApiError};
use crate::http::AppState;

/// What the server's own steps (arbitration) show as their author.
const SERVER_NAME: &str = "系统自动";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WishDetail {
    pub doc_id: String,
    pub id: String,
    pub title: String,
    pub text: String,
    pub module: Option<String>,
    pub urgency: String,
    pub status: String,
    pub channel: String,
    pub community: String,
    pub community_name: String,
    pub station: String,
    pub station_name: String,
    pub created_at: u64,
    pub created_by_name: String,
    pub claimed_at: Option<u64>,
    pub resolved_at: Option<u64>,
    pub closed_at: Option<u64>,
    pub close_reason: Option<String>,
    pub rating: Option<u8>,
    pub hours: f64,
    /// The active claims' claimants.
    pub claimants: Vec<ClaimantRef>,
    pub timeline: Vec<Step>,
    /// The latest 督办 mark while the wish is open.
    pub supervision: Option<Supervision>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimantRef {
    pub id: String,
    pub name: String,
    /// `person`, `unit` or `group` (帮帮团).
    pub kind: String,
    /// The unit's name: the claimant itself for a unit's claim, else the unit the person
    /// belongs to (from the community directory), if any.
    pub unit: Option<String>,
    /// Who filed the claim (a coordinator for 派单), by name.
    pub filed_by_name: String,
}

/// One step of the timeline (the core's `TimelineStep`), with names.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub at: u64,
    /// An event kind, or `claimed` / `assigned`.
    pub kind: String,
    pub by: String,
    pub by_name: String,
    pub claimant_name: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub module: Option<String>,
    pub hours: Option<f64>,
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub on_behalf: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Supervision {
    pub at: u64,
    pub by: String,
    pub by_name: String,
    pub note: Option<String>,
}

/// `GET /api/v1/office/wishes/{doc}`: 404 for an unknown wish, 403 outside the caller's
/// communities.
#[utoipa::path(
    get,
    path = "/api/v1/office/wishes/{doc}",
    summary = "A wish: its card, claimants and timeline by name, and the open 督办 mark; no resident data",
    params(crate::http::office::openapi::DocPath),
    responses((status = 200, description = "OK", body = WishDetail), (status = 404, description = "No such wish", body = crate::http::office::openapi::ErrorBody), crate::http::office::openapi::Refusals)
)]
pub async fn wish(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(doc): Path<String>,
) -> Result<Json<WishDetail>, ApiError> {
    let (_, scope) = caller(&state, &headers, None)?;
    let (doc, view) = load_in_scope(&state, &doc, &scope).await?;
    let names = names::load(&state, &CommunitySet::of([view.community.as_str()])).await?;
    let units = person_units(&state, &view.community).await;
    Ok(Json(detail(doc, &view, &names, &units)))
}

/// The unit (共建单位) of each person of the community who belongs to one, from the
/// community document; empty if it cannot be read (the detail still shows names).
async fn person_units(state: &AppState, community: &str) -> BTreeMap<String, String> {
    let Ok(id) = community.parse::<DocumentId>() else {
        return BTreeMap::new();
    };
    let storage = state.storage.clone();
    let read = blocking(move || {
        let stored = crate::storage::documents::load_doc(storage.as_ref(), &id)
            .ok()
            .flatten();
        let view = stored.and_then(|s| CommunityView::read(&s.doc).ok());
        Ok(view.map(|v| {
            v.people
                .iter()
                .filter_map(|(person, p)| {
                    let unit = v.units.get(p.unit.as_deref()?)?;
                    Some((person.clone(), unit.name.clone()))
                })
                .collect()
        }))
    })
    .await;
    read.ok().flatten().unwrap_or_default()
}

/// The wish document `doc` as the server holds it, if it is in `scope`.
pub async fn load_in_scope(
    state: &AppState,
    doc: &str,
    scope: &CommunitySet,
) -> Result<(DocumentId, WishView), ApiError> {
    let id: DocumentId = doc.parse().map_err(|_| not_found())?;
    let storage = state.storage.clone();
    let view = blocking(move || {
        let stored = crate::storage::documents::load_doc(storage.as_ref(), &id)
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error"))?
            .ok_or_else(not_found)?;
        WishView::read(&stored.doc).map_err(|_| not_found())
    })
    .await?;
    if !scope.contains(&view.community) {
        return Err(outside());
    }
    Ok((id, view))
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "没有这个心愿 (no such wish)")
}

/// The wish with names (the caller checked the scope).
pub fn detail(
    doc: DocumentId,
    view: &WishView,
    names: &Names,
    units: &BTreeMap<String, String>,
) -> WishDetail {
    let summary = view.summary();
    let community = &view.community;
    let person = |id: &str| person_name(names, community, id);
    let claimants = summary
        .claimants
        .iter()
        .map(|id| claimant(view, names, units, id))
        .collect();
    WishDetail {
        doc_id: doc.to_string(),
        id: view.id.clone(),
        title: view.title.clone(),
        text: view.text.clone(),
        module: view.module.map(|m| m.as_str().to_owned()),
        urgency: view.urgency.as_str().to_owned(),
        status: summary.status.clone(),
        channel: view.channel.as_str().to_owned(),
        community: community.clone(),
        community_name: names.community(community),
        station: view.station.clone(),
        station_name: names.station(community, &view.station),
        created_at: view.created_at,
        created_by_name: person(&view.created_by),
        claimed_at: summary.first_claim_at,
        resolved_at: summary.resolved_at,
        closed_at: summary.closed_at,
        close_reason: summary.close_reason.clone(),
        rating: summary.rating,
        hours: summary.hours,
        claimants,
        timeline: view
            .timeline()
            .into_iter()
            .map(|s| step(s, names, community))
            .collect(),
        supervision: view.supervision().map(|e| supervision(e, names, community)),
    }
}

/// Whether the wish is finished, so that a 督办 mark makes no sense.
pub fn is_finished(view: &WishView) -> bool {
    matches!(view.status(), WishStatus::Closed | WishStatus::Rejected)
}

pub fn supervision(e: &Event, names: &Names, community: &str) -> Supervision {
    Supervision {
        at: e.at,
        by: e.by.clone(),
        by_name: person_name(names, community, &e.by),
        note: e.note.clone(),
    }
}

fn claimant(
    view: &WishView,
    names: &Names,
    units: &BTreeMap<String, String>,
    id: &str,
) -> ClaimantRef {
    let community = &view.community;
    let claim = view.claims.iter().rev().find(|c| c.claimant == id);
    let kind = claim.map_or(ClaimKind::Person, |c| c.kind);
    let name = names.member(community, id);
    ClaimantRef {
        id: id.to_owned(),
        unit: match kind {
            ClaimKind::Unit => Some(name.clone()),
            _ => units.get(id).cloned(),
        },
        name,
        kind: kind.as_str().to_owned(),
        filed_by_name: claim.map_or_else(String::new, |c| person_name(names, community, &c.by)),
    }
}

fn step(s: TimelineStep, names: &Names, community: &str) -> Step {
    Step {
        at: s.at,
        kind: s.kind,
        by_name: person_name(names, community, &s.by),
        by: s.by,
        claimant_name: s.claimant.map(|c| names.member(community, &c)),
        note: s.note,
        reason: s.reason,
        module: s.module.map(|m| m.as_str().to_owned()),
        hours: s.hours,
        score: s.score,
        comment: s.comment,
        on_behalf: s.on_behalf,
    }
}

fn person_name(names: &Names, community: &str, id: &str) -> String {
    if id == wish_client_core::ops::wish::SERVER {
        return SERVER_NAME.to_owned();
    }
    names.member(community, id)
}
