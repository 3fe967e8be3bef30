//! `GET/PUT /api/v1/office/overdue-targets`: each office's own resolution targets, in
//! hours per urgency, stored durably under `["office-targets", communityId]` (the office
//! device's own community; `*` for the administrator). Until an office sets them it uses
//! the defaults (the tablets' due dates). `/overdue` and the community comparison read
//! the caller's targets.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use wish_client_core::model::Urgency;

use crate::access::{Principal, Role};
use crate::aggregate::OverdueTargets;
use crate::http::api::{blocking, require, ApiError};
use crate::http::AppState;

/// The storage key prefix of the offices' targets.
pub const TARGETS_PREFIX: &str = "office-targets";
/// The longest target an office may set: a year.
const MAX_HOURS: u64 = 8760;

/// The targets of an office, as the API shows and takes them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct TargetsBody {
    /// Hours from going on the clock to resolution, per urgency code.
    pub hours: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TargetsReport {
    /// The community whose office the targets belong to (`*`: the administrator).
    pub office: String,
    /// `true` while the office has not set its own.
    pub default: bool,
    pub hours: BTreeMap<String, u64>,
}

/// Which office's targets a caller reads and writes.
pub fn office_of(who: &Principal) -> String {
    who.community.clone().unwrap_or_else(|| "*".to_owned())
}

/// The targets the caller's office set, if any.
pub async fn load(state: &AppState, who: &Principal) -> Result<Option<OverdueTargets>, ApiError> {
    Ok(stored(state, office_of(who))
        .await?
        .map(|body| OverdueTargets::from_hours(&body.hours)))
}

/// `GET /api/v1/office/overdue-targets`
#[utoipa::path(
    get,
    path = "/api/v1/office/overdue-targets",
    summary = "The caller's office's overdue targets: hours per urgency (the defaults until it sets its own)",
    responses((status = 200, description = "OK", body = TargetsReport), crate::http::office::openapi::Refusals)
)]
pub async fn get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<TargetsReport>, ApiError> {
    let who = require(&state, &headers, &[Role::Office, Role::Coordinator])?;
    let office = office_of(&who);
    let report = match stored(&state, office.clone()).await? {
        Some(body) => TargetsReport {
            office,
            default: false,
            hours: body.hours,
        },
        None => TargetsReport {
            office,
            default: true,
            hours: OverdueTargets::default().hours_by_urgency(),
        },
    };
    Ok(Json(report))
}

/// `PUT /api/v1/office/overdue-targets` `{ "hours": { "urgent": 48, … } }`: office
/// devices only; answered once stored.
#[utoipa::path(
    put,
    path = "/api/v1/office/overdue-targets",
    summary = "Sets the caller's office's overdue targets (office devices only)",
    request_body = TargetsBody,
    responses((status = 200, description = "OK", body = TargetsReport), crate::http::office::openapi::Refusals)
)]
pub async fn put(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Json<TargetsBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<TargetsReport>, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    let Json(body) = body.map_err(|e| bad(format!("请按格式填写时限 ({})", e.body_text())))?;
    validate(&body)?;
    let office = office_of(&who);
    let bytes = serde_json::to_vec(&body).map_err(|_| storage_error())?;
    let (storage, key) = (state.storage.clone(), office.clone());
    let detail = format!("overdue targets of {office}: {:?}", body.hours);
    blocking(move || {
        let mut batch = crate::storage::WriteBatch::default();
        batch.put(vec![TARGETS_PREFIX.to_owned(), key], bytes);
        storage.commit(batch).map_err(|_| storage_error())?;
        crate::audit::write(storage.as_ref(), "overdue-targets", &who.device_id, &detail)
            .map_err(|_| storage_error())
    })
    .await?;
    Ok(Json(TargetsReport {
        office,
        default: false,
        hours: body.hours,
    }))
}

/// Every urgency, each a whole number of hours in 1..=8760, nothing else.
fn validate(body: &TargetsBody) -> Result<(), ApiError> {
    for urgency in body.hours.keys() {
        if Urgency::ALL.iter().all(|u| u.as_str() != urgency) {
            return Err(bad(format!(
                "没有这个紧急程度 (unknown urgency: {urgency})"
            )));
        }
    }
    for urgency in Urgency::ALL {
        match body.hours.get(urgency.as_str()) {
            None => {
                return Err(bad(format!(
                    "请填写每个紧急程度的时限 (missing target for {})",
                    urgency.as_str()
                )))
            }
            Some(h) if !(1..=MAX_HOURS).contains(h) => {
                return Err(bad(format!(
                "时限应在 1 到 {MAX_HOURS} 小时之间 (target for {} must be 1..={MAX_HOURS} hours)",
                urgency.as_str()
            )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

async fn stored(state: &AppState, office: String) -> Result<Option<TargetsBody>, ApiError> {
    let storage = state.storage.clone();
    blocking(move || {
        let bytes = storage
            .load(&[TARGETS_PREFIX.to_owned(), office])
            .map_err(|_| storage_error())?;
        Ok(bytes.and_then(|b| serde_json::from_slice(&b).ok()))
    })
    .await
}

fn bad(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}

fn storage_error() -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
}
