//! The office rows of stations, communities and ledgers (see
//! [`crate::domain::office_rows`]), read with one range scan each, never from documents.

use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::aggregate::CommunitySet;
use crate::http::api::{blocking, ApiError};
use crate::http::AppState;

/// Every row under `prefix` as `(document id, value)`, off the async threads; unreadable
/// rows are logged and skipped (the next commit of that document rewrites them).
pub async fn load<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    prefix: &'static str,
) -> Result<Vec<(String, T)>, ApiError> {
    let storage = state.storage.clone();
    blocking(move || {
        let rows = storage.load_range(&[prefix.to_owned()]).map_err(|error| {
            tracing::error!(%error, prefix, "reading office rows failed");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(key, bytes)| {
                let doc = key.get(1)?.clone();
                match serde_json::from_slice(&bytes) {
                    Ok(value) => Some((doc, value)),
                    Err(error) => {
                        tracing::warn!(%doc, %error, prefix, "unreadable office row skipped");
                        None
                    }
                }
            })
            .collect())
    })
    .await
}

/// Whether a row of `community` is within the caller's scope (`None`: every community).
pub fn in_scope(scope: &CommunitySet, community: &str) -> bool {
    scope.contains(community)
}
