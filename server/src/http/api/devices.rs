//! Enrollment codes, redemption, and device administration.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{blocking, require, ApiError};
use crate::access::{Principal, Role};
use crate::clock::now_ms;
use crate::directory::{DeviceRecord, DirectoryError, NewEnrollment};
use crate::engine::Input;
use crate::http::{AppState, ClientAddr};
use crate::runtime::HubInput;
use crate::scope;

/// `POST /api/v1/enrollments` (coordinator for volunteers and partners of its own
/// stations, office for its own community, administrator): creates a one-time enrollment
/// code for a person of the community directory. The code is returned once, as text and
/// as QR.
pub async fn create_enrollment(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(mut request): Json<NewEnrollment>,
) -> Result<Json<Value>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    if let Err(error) = scope::may_enroll(&who, &request.target()) {
        return Err(refused(&state, &who, "enrollment", error).await);
    }
    if request.role == Role::StationTablet {
        // A shared station tablet is nobody: its label names the station, so no person
        // of the directory can be impersonated by it (the directory record rejects any
        // station count but one).
        let station = request.stations.first().cloned().unwrap_or_default();
        request.person = station_tablet_label(&station);
    } else {
        check_person(&state, &who, &request.community, &request.person).await?;
    }
    request.created_by = who.device_id.clone();
    let worker = state.clone();
    let (code, record) = blocking(move || {
        worker
            .directory
            .create_enrollment(request, now_ms())
            .map_err(directory_error)
    })
    .await?;
    let svg = crate::qr::svg(&code)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    audit(
        &state,
        "enrollment-created",
        &who.device_id,
        &format!("{:?} {} {:?}", record.role, record.person, record.stations),
    )
    .await;
    Ok(Json(
        json!({ "code": code, "expires_ms": record.expires_ms, "role": record.role, "person": record.person, "stations": record.stations, "qr_svg": svg }),
    ))
}

/// The `person` of a shared station tablet's device: a label, not a person.
pub fn station_tablet_label(station: &str) -> String {
    format!("tablet-{station}")
}

/// The person a code or reassignment names must be in the community's directory (the
/// `people` of its community document). The administrator is exempt: it enrolls the
/// first office device before any community document exists.
async fn check_person(
    state: &AppState,
    who: &Principal,
    community: &str,
    person: &str,
) -> Result<(), ApiError> {
    if who.role == Role::Administrator {
        return Ok(());
    }
    match super::people::in_directory(state, community, person).await? {
        super::people::Listed::Yes => Ok(()),
        super::people::Listed::No => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("person {person:?} is not in the directory of community {community:?}"),
        )),
        super::people::Listed::NoDirectory => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("community {community:?} has no directory on this server yet"),
        )),
    }
}

/// A call outside the caller's scope: audited, answered with 403 and the reason.
pub(super) async fn refused(
    state: &Arc<AppState>,
    who: &Principal,
    action: &str,
    error: scope::ScopeError,
) -> ApiError {
    audit(
        state,
        "scope-refused",
        &who.device_id,
        &format!("{action}: {error}"),
    )
    .await;
    ApiError::new(StatusCode::FORBIDDEN, error.both())
}

#[derive(Deserialize)]
pub struct CodeQuery {
    code: String,
}

/// `GET /api/v1/enrollments/qr.svg?code=...`: the code as an SVG QR code.
pub async fn qr_svg(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Result<Response, ApiError> {
    require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let svg = crate::qr::svg(&q.code)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// `GET /api/v1/enrollments/qr.png?code=...`: the code as a PNG QR code, for printing.
pub async fn qr_png(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Result<Response, ApiError> {
    require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let png = crate::qr::png(&q.code)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[derive(Deserialize)]
pub struct Redeem {
    code: String,
    #[serde(default)]
    name: String,
}

/// `POST /api/v1/enroll {"code": "...", "name": "tablet 3"}` (no token: the code is the
/// credential): redeems a code once for a device token, returned once.
pub async fn redeem(
    State(state): State<Arc<AppState>>,
    Extension(ClientAddr(ip)): Extension<ClientAddr>,
    Json(body): Json<Redeem>,
) -> Result<Json<Value>, ApiError> {
    // Codes are short enough to type; guessing them is throttled per address.
    if state
        .address_limiter
        .acquire(&format!("enroll:{ip}"), std::time::Instant::now())
        .is_err()
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many enrollment attempts from this address",
        ));
    }
    let worker = state.clone();
    let (token, device) = blocking(move || {
        worker
            .directory
            .redeem(&body.code, &body.name, now_ms())
            .map_err(directory_error)
    })
    .await?;
    audit(
        &state,
        "device-enrolled",
        &device.device_id,
        &format!("{:?} {}", device.role, device.person),
    )
    .await;
    Ok(Json(json!({ "token": token, "device": device })))
}

/// `GET /api/v1/devices` (office: its community; coordinators: volunteers and partners of
/// their stations; administrator: all).
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Vec<DeviceRecord>>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let devices = state
        .directory
        .devices()
        .into_iter()
        .filter(|d| scope::may_list(&who, &d.principal()))
        .collect();
    Ok(Json(devices))
}

/// `POST /api/v1/devices/{id}/revoke` (office: its community; coordinators: volunteers
/// and partners of their stations): the token stops working and live connections of the
/// device close at once.
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<DeviceRecord>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let target = state.directory.device(&id).map_err(directory_error)?;
    if let Err(error) = scope::may_revoke(&who, &target.principal()) {
        return Err(refused(&state, &who, &format!("revoke {id}"), error).await);
    }
    let worker = state.clone();
    let device_id = id.clone();
    let record =
        blocking(move || worker.directory.revoke(&device_id).map_err(directory_error)).await?;
    tell_engine(
        &state,
        Input::PrincipalChanged {
            device_id: id,
            principal: None,
        },
    )
    .await;
    audit(&state, "device-revoked", &who.device_id, &record.device_id).await;
    Ok(Json(record))
}

#[derive(Deserialize)]
pub struct Reassign {
    role: Option<Role>,
    person: Option<String>,
    stations: Option<Vec<String>>,
}

/// `PATCH /api/v1/devices/{id}` (office for its own community, administrator): changes
/// role, person or stations; live connections get the new rights without reconnecting.
/// Nobody becomes administrator and no device changes its own record.
pub async fn reassign(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Reassign>,
) -> Result<Json<DeviceRecord>, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    let before = state
        .directory
        .device(&id)
        .map_err(directory_error)?
        .principal();
    let after = body.apply_to(&before);
    if let Err(error) = scope::may_reassign(&who, &before, &after) {
        return Err(refused(&state, &who, &format!("reassign {id}"), error).await);
    }
    if let (Some(person), Some(community)) = (&body.person, &before.community) {
        check_person(&state, &who, community, person).await?;
    }
    let worker = state.clone();
    let device_id = id.clone();
    let record = blocking(move || {
        worker
            .directory
            .reassign(&device_id, body.role, body.person, body.stations)
            .map_err(directory_error)
    })
    .await?;
    tell_engine(
        &state,
        Input::PrincipalChanged {
            device_id: id,
            principal: Some(record.principal()),
        },
    )
    .await;
    audit(
        &state,
        "device-reassigned",
        &who.device_id,
        &record.device_id,
    )
    .await;
    Ok(Json(record))
}

impl Reassign {
    /// The device as it would be after this change.
    fn apply_to(&self, before: &Principal) -> Principal {
        let mut after = before.clone();
        if let Some(role) = self.role {
            after.role = role;
        }
        if let Some(person) = &self.person {
            after.person.clone_from(person);
        }
        if let Some(stations) = &self.stations {
            after.stations = stations.iter().cloned().collect();
        }
        after
    }
}

pub(super) async fn tell_engine(state: &AppState, input: Input) {
    if state.hub.send(HubInput::Engine(input)).await.is_err() {
        tracing::error!("engine stopped; change not applied to live connections");
    }
}

pub(super) async fn audit(state: &Arc<AppState>, kind: &str, device: &str, detail: &str) {
    let (storage, kind, device, detail) = (
        state.storage.clone(),
        kind.to_owned(),
        device.to_owned(),
        detail.to_owned(),
    );
    let written = tokio::task::spawn_blocking(move || {
        crate::audit::write(storage.as_ref(), &kind, &device, &detail)
    })
    .await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::error!("writing the audit log failed");
    }
}

pub(super) fn directory_error(error: DirectoryError) -> ApiError {
    let status = match &error {
        DirectoryError::UnknownCode | DirectoryError::CodeExpired => StatusCode::FORBIDDEN,
        DirectoryError::UnknownDevice(_) => StatusCode::NOT_FOUND,
        DirectoryError::Invalid(_) => StatusCode::BAD_REQUEST,
        DirectoryError::Storage(e) => {
            tracing::error!(error = %e, "directory storage error");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    ApiError::new(status, error.to_string())
}
