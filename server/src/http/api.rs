//! REST endpoints under `/api/v1`, and `/healthz`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use wish_client_core::model::wish::WishSummary;

use super::auth::DeviceRecord;
use super::{AppState, Principal};
use crate::domain::{SummaryCounts, SUMMARY_PREFIX};

/// An error shown to the client as a plain message; details go to the log.
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

/// The principal behind `Authorization: Bearer TOKEN`.
pub fn bearer(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing Authorization: Bearer TOKEN",
            )
        })?;
    state
        .auth
        .authenticate(token.trim())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "invalid token"))
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    match state.hub.stats().await {
        Ok(stats) => Json(serde_json::json!({ "status": "ok", "engine": stats })).into_response(),
        Err(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "engine stopped").into_response(),
    }
}

#[derive(Deserialize)]
pub struct NewDevice {
    name: String,
}

/// `POST /api/v1/devices {"name": "..."}` (administrator): creates a device token. The
/// token is returned once and stored only as a hash.
pub async fn create_device(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(body): Json<NewDevice>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if bearer(&state, &headers)? != Principal::Administrator {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "only an administrator may create devices",
        ));
    }
    let token =
        uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
    let record = DeviceRecord {
        device_id: uuid::Uuid::new_v4().to_string(),
        name: body.name,
        created_ms: crate::runtime::now_ms(),
    };
    let worker = state.clone();
    let token_for_store = token.clone();
    let stored =
        tokio::task::spawn_blocking(move || worker.auth.create_device(&token_for_store, record))
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "device creation was interrupted",
                )
            })?
            .map_err(|e| {
                tracing::error!(error = %e, "storing a device failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
            })?;
    Ok(Json(
        serde_json::json!({ "device_id": stored.device_id, "name": stored.name, "token": token }),
    ))
}

/// `GET /api/v1/summary`: wish counts in total and by status, module and station, from
/// the summary rows (never by loading documents).
pub async fn summary(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<SummaryCounts>, ApiError> {
    bearer(&state, &headers)?;
    let storage = state.storage.clone();
    let rows =
        tokio::task::spawn_blocking(move || storage.load_range(&[SUMMARY_PREFIX.to_owned()]))
            .await
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "query was interrupted"))?
            .map_err(|e| {
                tracing::error!(error = %e, "reading summaries failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
            })?;
    let mut counts = SummaryCounts::default();
    for (_, bytes) in rows {
        match serde_json::from_slice::<WishSummary>(&bytes) {
            Ok(summary) => counts.add(&summary),
            Err(error) => tracing::warn!(%error, "unreadable summary row skipped"),
        }
    }
    Ok(Json(counts))
}
