//! `GET /api/v1/setup` (is setup open?) and `POST /api/v1/setup` (create the community
//! with the one-time setup code and enroll the browser that asked). See `crate::setup`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::devices::audit;
use super::{blocking, ApiError};
use crate::access::{Principal, Role};
use crate::clock::now_ms;
use crate::directory::NewEnrollment;
use crate::engine::DocWrite;
use crate::http::{AppState, ClientAddr};
use crate::setup::{has_community, SetupDocs, SetupRequest};

/// The device id the setup's writes are audited under.
const SETUP_DEVICE: &str = "setup-code";

/// `GET /api/v1/setup`: `{"open": true}` while the server has no community and its
/// setup code is unspent.
pub async fn status(State(state): State<Arc<AppState>>) -> Json<Value> {
    let open = state.setup.lock().await.is_some();
    Json(json!({ "open": open }))
}

/// `POST /api/v1/setup` (no token: the setup code is the credential): creates the
/// community, its stations, its ledger and the first person, durably, then returns a
/// device token for the browser, as `POST /api/v1/enroll` does. Refused once the server
/// has a community, and for a wrong code (throttled per address).
pub async fn create(
    State(state): State<Arc<AppState>>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    Json(request): Json<SetupRequest>,
) -> Result<Json<Value>, ApiError> {
    if state
        .address_limiter
        .acquire(&format!("setup:{ip}"), std::time::Instant::now())
        .is_err()
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many setup attempts from this address",
        ));
    }
    let mut gate = state.setup.lock().await;
    let open = gate.as_ref().filter(|g| g.matches(&request.code));
    if open.is_none() || community_exists(&state).await? {
        let reason = if gate.is_none() {
            "这台服务器已经创建过社区 (this server is already set up)"
        } else {
            "设置码不对 (wrong setup code)"
        };
        audit(&state, "setup-refused", SETUP_DEVICE, reason).await;
        return Err(ApiError::new(StatusCode::FORBIDDEN, reason));
    }
    request
        .validate()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.both()))?;
    let docs = request
        .build(&state.server_actor, now_ms())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let first = first_account(&request, &docs);
    write_documents(&state, "setup", &request, &first, docs.docs).await?;
    if let Some(spent) = gate.take() {
        spent.spend();
    }
    drop(gate);
    let (token, device) = enroll_first(&state, &request, first).await?;
    Ok(Json(json!({ "token": token, "device": device })))
}

async fn community_exists(state: &Arc<AppState>) -> Result<bool, ApiError> {
    let storage = state.storage.clone();
    blocking(move || {
        has_community(storage.as_ref())
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error"))
    })
    .await
}

/// The account the browser will hold: a coordinator of every new station, or the office.
fn first_account(request: &SetupRequest, docs: &SetupDocs) -> Principal {
    let stations = match request.role {
        Role::Coordinator => docs.stations.iter().cloned().collect(),
        _ => Default::default(),
    };
    Principal {
        device_id: SETUP_DEVICE.into(),
        role: request.role,
        person: docs.person.clone(),
        community: Some(docs.community_doc.to_string()),
        stations,
        covers: Default::default(),
    }
}

pub(super) async fn write_documents(
    state: &Arc<AppState>,
    action: &str,
    request: &SetupRequest,
    by: &Principal,
    docs: Vec<(wish_client_core::proto::DocumentId, automerge::Automerge)>,
) -> Result<(), ApiError> {
    let what = format!(
        "{action}: community {:?} with {} stations, first account {:?}",
        request.community.name,
        request.stations.len(),
        request.person
    );
    let docs = docs
        .into_iter()
        .map(|(doc, content)| DocWrite::Create {
            doc,
            content: Box::new(content),
        })
        .collect();
    match state.hub.server_write(by.clone(), what, docs).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            tracing::error!(%error, "setup write refused");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                error.to_string(),
            ))
        }
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the community was not saved; try again",
        )),
    }
}

/// Enrolls the browser that set the community up as its first device.
async fn enroll_first(
    state: &Arc<AppState>,
    request: &SetupRequest,
    first: Principal,
) -> Result<(String, crate::directory::DeviceRecord), ApiError> {
    let enrollment = NewEnrollment {
        role: first.role,
        person: first.person.clone(),
        community: first.community.clone().unwrap_or_default(),
        stations: first.stations.iter().cloned().collect(),
        covers: Vec::new(),
        expires_in_minutes: Some(5),
        token_days: None,
        created_by: SETUP_DEVICE.into(),
    };
    let name = match request.device_name.trim() {
        "" => "设置社区的浏览器".to_owned(),
        given => given.to_owned(),
    };
    let worker = state.clone();
    let (token, device) = blocking(move || {
        let (code, _) = worker
            .directory
            .create_enrollment(enrollment, now_ms())
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        worker
            .directory
            .redeem(&code, &name, now_ms())
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await?;
    let detail = format!("{:?} {} {}", device.role, device.person, device.community);
    audit(state, "community-set-up", &device.device_id, &detail).await;
    Ok((token, device))
}
