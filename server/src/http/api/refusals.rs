//! `GET /api/v1/refusals`: a device's own refused changes, newest first, so a tablet that
//! was offline when the live signal came still marks the card and offers to undo.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;

use super::{bearer, blocking, ApiError};
use crate::http::AppState;
use crate::refusals::RefusalRecord;

/// At most this many refusals are answered.
const LIMIT: usize = 100;

#[derive(Debug, Serialize)]
pub struct Refusals {
    pub refusals: Vec<RefusalRecord>,
}

/// Any enrolled device: its own refusals only.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Refusals>, ApiError> {
    let device = bearer(&state, &headers)?.device_id;
    let storage = state.storage.clone();
    let refusals = blocking(move || {
        crate::refusals::read(storage.as_ref(), &device, LIMIT)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await?;
    Ok(Json(Refusals { refusals }))
}
