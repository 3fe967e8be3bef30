//! `POST /api/v1/office/wishes/{doc}/supervise` `{ "note": "…" }`: the street office marks
//! an open wish for follow-up (督办) from the dashboard, which has no automerge client.
//!
//! The event is written through the engine's server-write path (`engine/server_write.rs`)
//! with the office device as its author, so it reaches the tablets by sync like any other
//! change, is audited, and is answered only once durable. The server's actor is exempt
//! from the write rules, so the rule `wish.events.supervised` is applied here: only an
//! office device (no coordinator) whose communities include the wish's.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use wish_client_core::ops::{self, Stamp};

use super::detail::{is_finished, load_in_scope, supervision, Supervision};
use super::names;
use crate::access::Role;
use crate::aggregate::CommunitySet;
use crate::engine::{DocWrite, WriteError};
use crate::http::api::{require, ApiError};
use crate::http::AppState;

/// The longest note, in characters.
const NOTE_MAX_CHARS: usize = 500;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SuperviseBody {
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Supervised {
    pub doc_id: String,
    pub supervision: Option<Supervision>,
}

/// Marks the wish `doc` for follow-up; see the module documentation.
#[utoipa::path(
    post,
    path = "/api/v1/office/wishes/{doc}/supervise",
    summary = "督办: an office device marks an open wish of its communities for follow-up; answered once durable",
    params(crate::http::office::openapi::DocPath),
    request_body = SuperviseBody,
    responses((status = 200, description = "OK", body = Supervised), (status = 404, description = "No such wish", body = crate::http::office::openapi::ErrorBody), (status = 409, description = "The wish is closed or rejected", body = crate::http::office::openapi::ErrorBody), crate::http::office::openapi::Refusals)
)]
pub async fn supervise(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(doc): Path<String>,
    body: Result<Json<SuperviseBody>, JsonRejection>,
) -> Result<Json<Supervised>, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    if who.role != Role::Office {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "只有街道（社区）办公室的设备可以督办 (only an office device may mark a wish for follow-up)",
        ));
    }
    let Json(body) = body.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("督办说明格式不对 ({})", e.body_text()),
        )
    })?;
    let note = body
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS)
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("督办说明最多 {NOTE_MAX_CHARS} 字 (the note is too long)"),
        ));
    }
    let scope = crate::scope::community_scope(&who);
    let (id, view) = load_in_scope(&state, &doc, &scope).await?;
    if is_finished(&view) {
        return Err(closed());
    }
    let event = uuid::Uuid::new_v4().to_string();
    let (by, device, now) = (
        who.person.clone(),
        who.device_id.clone(),
        crate::clock::now_ms(),
    );
    let edit = DocWrite::Edit {
        doc: id,
        edit: Box::new(move |doc| {
            let stamp = Stamp {
                id: &event,
                by: &by,
                device: &device,
                now_ms: now,
            };
            ops::wish::supervise(doc, stamp, note.as_deref()).map_err(|e| e.to_string())
        }),
    };
    let what = format!("督办 wish {id}");
    match state.hub.server_write(who.clone(), what, vec![edit]).await {
        Ok(Ok(())) => {}
        Ok(Err(WriteError::Edit(_))) => return Err(closed()),
        Ok(Err(WriteError::Missing(_))) => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "没有这个心愿 (no such wish)",
            ))
        }
        Ok(Err(error)) => return Err(ApiError::new(StatusCode::FORBIDDEN, error.to_string())),
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "督办没有记下，请重试 (nothing was written; try again)",
            ))
        }
    }
    let (_, view) = load_in_scope(&state, &doc, &scope).await?;
    let names = names::load(&state, &CommunitySet::of([view.community.as_str()])).await?;
    Ok(Json(Supervised {
        doc_id: doc,
        supervision: view
            .supervision()
            .map(|e| supervision(e, &names, &view.community)),
    }))
}

fn closed() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "这个心愿已办结，无需督办 (the wish is closed or rejected: there is nothing to follow up)",
    )
}
