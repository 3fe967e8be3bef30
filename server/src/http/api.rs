//! REST endpoints under `/api/v1`, and `/healthz`.

pub mod admin;
pub mod bulk_codes;
pub mod communities;
pub mod devices;
pub mod import;
pub mod people;
pub mod refusals;
pub mod setup;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::AppState;
use crate::access::{Principal, Role};

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
        .and_then(|v| v.strip_prefix("Bearer "));
    state
        .directory
        .authenticate(token, crate::clock::now_ms())
        .map_err(|e| ApiError::new(StatusCode::UNAUTHORIZED, e.to_string()))
}

/// The principal, if it has one of `roles` (the administrator always has).
pub fn require(
    state: &AppState,
    headers: &HeaderMap,
    roles: &[Role],
) -> Result<Principal, ApiError> {
    let who = bearer(state, headers)?;
    if who.role == Role::Administrator || roles.contains(&who.role) {
        Ok(who)
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "这个身份不能这样操作 (this role may not do that)",
        ))
    }
}

/// Runs blocking storage work off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "request was interrupted"))?
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    match state.hub.stats().await {
        Ok(stats) => Json(serde_json::json!({ "status": "ok", "engine": stats })).into_response(),
        Err(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "engine stopped").into_response(),
    }
}
