//! `POST /api/v1/communities`: a 街道 (office device) or the administrator adds a
//! community to a running server — the setup form's body without the setup code,
//! built and written as `POST /api/v1/setup` does (`crate::setup::build`, the engine's
//! server write, answered after the commit). The office device that asked then covers
//! the new community (its device record), so its console, its 设备 and the office codes
//! it makes reach it. Nobody is enrolled: the caller keeps its own account.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::devices::{audit, tell_engine};
use super::setup::write_documents;
use super::{blocking, require, ApiError};
use crate::access::{Principal, Role};
use crate::clock::now_ms;
use crate::domain::office_rows::{CommunitySummary, COMMUNITY_PREFIX};
use crate::engine::Input;
use crate::http::office::rows;
use crate::http::AppState;
use crate::setup::SetupRequest;

/// Adds the community, audited; the answer names it and its stations.
pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(request): Json<SetupRequest>,
) -> Result<Json<Value>, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    request
        .validate()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.both()))?;
    refuse_same_name(&state, &request).await?;
    let docs = request
        .build(&state.server_actor, now_ms())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let community = docs.community_doc.to_string();
    let by = writer(&who, &community);
    write_documents(&state, "community added", &request, &by, docs.docs).await?;
    let detail = format!("{:?} {community}", request.community.name.trim());
    audit(&state, "community-added", &who.device_id, &detail).await;
    if who.role == Role::Office {
        cover(&state, &who, &community).await?;
    }
    Ok(Json(json!({
        "community": community,
        "name": request.community.name.trim(),
        "stations": docs.stations,
    })))
}

/// A second community of the same name in the same district (街道) would be told apart
/// by nobody on the screens, which show names only: refused. The same name elsewhere is
/// fine (many cities have a 幸福社区). Two requests at the same moment may both pass;
/// the name can then be corrected in the community's directory.
async fn refuse_same_name(state: &AppState, request: &SetupRequest) -> Result<(), ApiError> {
    let communities: Vec<(String, CommunitySummary)> = rows::load(state, COMMUNITY_PREFIX).await?;
    let (name, district) = (
        request.community.name.trim(),
        request.community.district.trim(),
    );
    let taken = communities
        .iter()
        .any(|(_, c)| c.name.trim() == name && c.district.trim() == district);
    if taken {
        let message = format!(
            "{district}已经有一个{name}，请换一个名称 (a community named {name} already exists in {district})"
        );
        return Err(ApiError::new(StatusCode::CONFLICT, message));
    }
    Ok(())
}

/// The caller, covering the new community for the write (the engine checks that the
/// writer may create each document of that community).
fn writer(who: &Principal, community: &str) -> Principal {
    let mut by = who.clone();
    if by.role == Role::Office {
        by.covers.insert(community.to_owned());
    }
    by
}

/// Adds the new community to the covers of the office device that created it.
async fn cover(state: &Arc<AppState>, who: &Principal, community: &str) -> Result<(), ApiError> {
    let worker = state.clone();
    let (device, added) = (who.device_id.clone(), community.to_owned());
    let record = blocking(move || {
        worker.directory.add_cover(&device, &added).map_err(|e| {
            tracing::error!(error = %e, "covering the new community failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "社区已建好，但本设备没能加上它 (the community was added but this device does not cover it yet)",
            )
        })
    })
    .await?;
    // Live connections of the device (its tablet's sync) reach the new community at once.
    let principal = Some(record.principal());
    let device_id = record.device_id;
    tell_engine(
        state,
        Input::PrincipalChanged {
            device_id,
            principal,
        },
    )
    .await;
    audit(state, "covers-extended", &who.device_id, community).await;
    Ok(())
}
