//! Whether a person is in a community's directory, from the `["community-summary", doc]`
//! rows the engine writes with every change of a community document (never from the
//! document itself, see `domain/office_rows.rs`).

use axum::http::StatusCode;

use super::{blocking, ApiError};
use crate::domain::office_rows::{CommunitySummary, COMMUNITY_PREFIX};
use crate::http::AppState;
use crate::storage::Storage;

/// The answer of [`in_directory`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Yes,
    No,
    /// No community document of that id has reached the server.
    NoDirectory,
}

/// Looks `person` up in the directory of `community` (its id, as devices name it).
pub async fn in_directory(
    state: &AppState,
    community: &str,
    person: &str,
) -> Result<Listed, ApiError> {
    let (storage, community, person) = (
        state.storage.clone(),
        community.to_owned(),
        person.to_owned(),
    );
    blocking(move || {
        lookup(storage.as_ref(), &community, &person).map_err(|error| {
            tracing::error!(%error, "reading community rows failed");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
        })
    })
    .await
}

/// The ids of the people in the directory of `community`; `None` if no community
/// document of that id has reached the server.
pub async fn directory_ids(
    state: &AppState,
    community: &str,
) -> Result<Option<std::collections::BTreeSet<String>>, ApiError> {
    let (storage, community) = (state.storage.clone(), community.to_owned());
    blocking(move || {
        let rows = storage
            .load_range(&[COMMUNITY_PREFIX.to_owned()])
            .map_err(|error| {
                tracing::error!(%error, "reading community rows failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage error")
            })?;
        Ok(rows
            .iter()
            .filter_map(|(_, bytes)| serde_json::from_slice::<CommunitySummary>(bytes).ok())
            .find(|row| row.id == community)
            .map(|row| row.person_ids.unwrap_or_default().into_iter().collect()))
    })
    .await
}

fn lookup(
    storage: &dyn Storage,
    community: &str,
    person: &str,
) -> Result<Listed, crate::storage::StorageError> {
    let rows = storage.load_range(&[COMMUNITY_PREFIX.to_owned()])?;
    let mut listed = Listed::NoDirectory;
    for (_, bytes) in rows {
        let Ok(row) = serde_json::from_slice::<CommunitySummary>(&bytes) else {
            continue;
        };
        if row.id != community {
            continue;
        }
        if row
            .person_ids
            .unwrap_or_default()
            .iter()
            .any(|p| p == person)
        {
            return Ok(Listed::Yes);
        }
        listed = Listed::No;
    }
    Ok(listed)
}
