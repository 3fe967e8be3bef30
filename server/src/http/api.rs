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

use wish_client_core::model::wish::WishSummary;

use super::AppState;
use crate::access::{Principal, Role};
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

/// `GET /api/v1/summary`: wish counts in total and by status, module and station, from
/// the summary rows (never by loading documents), of the caller's community (every
/// community for the administrator).
pub async fn summary(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<SummaryCounts>, ApiError> {
    let who = require(&state, &headers, &[Role::Office, Role::Coordinator])?;
    let community = crate::scope::community_scope(&who);
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
            Ok(summary) if community.contains(&summary.community) => counts.add(&summary),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "unreadable summary row skipped"),
        }
    }
    Ok(Json(counts))
}
