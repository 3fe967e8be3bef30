//! `POST /api/v1/enrollments/bulk`: many one-time enrollment codes at once, one per person,
//! for a 双报到 drive (party members registering at their home community) where a
//! coordinator prints a sheet of QR cards. The same rules as one code
//! (`scope::may_enroll` for the role and stations, every person in the community's
//! directory), checked once for the whole list before any code is made.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::devices::{audit, directory_error, refused};
use super::{blocking, require, ApiError};
use crate::access::Role;
use crate::clock::now_ms;
use crate::directory::NewEnrollment;
use crate::http::AppState;
use crate::scope;

/// Most codes made by one request.
pub const MAX_CODES: usize = 500;

/// The codes to make: one per person, all with the same role and stations.
#[derive(Debug, Deserialize)]
pub struct BulkRequest {
    pub role: Role,
    pub community: String,
    #[serde(default)]
    pub stations: Vec<String>,
    pub people: Vec<String>,
    #[serde(default)]
    pub expires_in_minutes: Option<u64>,
}

/// Makes the codes; each is returned once, with its QR code as SVG.
pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(request): Json<BulkRequest>,
) -> Result<Json<Value>, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    if request.people.is_empty() || request.people.len() > MAX_CODES {
        return Err(bad(format!("give 1 to {MAX_CODES} people")));
    }
    let one = enrollment(&request, &request.people[0], &who.device_id);
    if let Err(error) = scope::may_enroll(&who, &one.target()) {
        return Err(refused(&state, &who, "bulk enrollment", error).await);
    }
    check_people(&state, who.role, &request).await?;
    let enrollments: Vec<NewEnrollment> = request
        .people
        .iter()
        .map(|p| enrollment(&request, p, &who.device_id))
        .collect();
    let worker = state.clone();
    let codes = blocking(move || make_codes(&worker, enrollments)).await?;
    let detail = format!("{:?} x{} {:?}", request.role, codes.len(), request.stations);
    audit(&state, "enrollments-created", &who.device_id, &detail).await;
    Ok(Json(json!({ "codes": codes })))
}

fn enrollment(request: &BulkRequest, person: &str, by: &str) -> NewEnrollment {
    NewEnrollment {
        covers: Vec::new(),
        role: request.role,
        person: person.to_owned(),
        community: request.community.clone(),
        stations: request.stations.clone(),
        expires_in_minutes: request.expires_in_minutes,
        token_days: None,
        created_by: by.to_owned(),
    }
}

/// Every person must be in the community's directory (the administrator is exempt, as
/// for one code).
async fn check_people(state: &AppState, role: Role, request: &BulkRequest) -> Result<(), ApiError> {
    if role == Role::Administrator {
        return Ok(());
    }
    let known = super::people::directory_ids(state, &request.community)
        .await?
        .ok_or_else(|| bad("this community has no directory on this server yet"))?;
    match request.people.iter().find(|p| !known.contains(*p)) {
        Some(person) => Err(bad(format!(
            "person {person:?} is not in the community directory"
        ))),
        None => Ok(()),
    }
}

fn make_codes(state: &AppState, enrollments: Vec<NewEnrollment>) -> Result<Vec<Value>, ApiError> {
    let mut out = Vec::with_capacity(enrollments.len());
    for enrollment in enrollments {
        let person = enrollment.person.clone();
        let (code, record) = state
            .directory
            .create_enrollment(enrollment, now_ms())
            .map_err(directory_error)?;
        let svg = crate::qr::svg(&code)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        out.push(json!({ "person": person, "code": code, "expires_ms": record.expires_ms, "qr_svg": svg }));
    }
    Ok(out)
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}
