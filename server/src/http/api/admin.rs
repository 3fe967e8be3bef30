//! Deleting residents' data and reading the audit log.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use wish_client_core::proto::DocumentId;

use super::devices::audit as write_audit;
use super::{blocking, require, ApiError};
use crate::access::Role;
use crate::audit::AuditRecord;
use crate::http::AppState;
use crate::runtime::HubInput;

/// `DELETE /api/v1/contacts/{doc}` (coordinator of the contact's station, office of its
/// community, administrator): deletes a resident's contact document; see
/// `engine/deletion.rs`. Any other document, or a contact outside the caller's scope, is
/// refused with 403 and the reason (and audited by the engine).
pub async fn delete_contact(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(doc): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = require(&state, &headers, &[Role::Coordinator, Role::Office])?;
    let doc: DocumentId = doc
        .parse()
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "not a document id"))?;
    write_audit(
        &state,
        "contact-delete-requested",
        &who.device_id,
        &doc.to_string(),
    )
    .await;
    let (reply, answer) = tokio::sync::oneshot::channel();
    let asked = HubInput::DeleteContact {
        doc,
        principal: who,
        reply,
    };
    let stopped = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the contact was not deleted; try again",
        )
    };
    state.hub.send(asked).await.map_err(|_| stopped())?;
    match answer.await.map_err(|_| stopped())? {
        Ok(()) => Ok(StatusCode::ACCEPTED),
        Err(error) => Err(ApiError::new(StatusCode::FORBIDDEN, error.to_string())),
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    since_ms: u64,
    #[serde(default = "default_limit")]
    limit: usize,
}

fn default_limit() -> usize {
    200
}

/// `GET /api/v1/audit?since_ms=&limit=` (office, administrator): the audit log, oldest
/// first. An office device sees the records of its community's devices; the
/// administrator sees every record.
pub async fn audit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    let who = require(&state, &headers, &[Role::Office])?;
    let scope = crate::scope::community_scope(&who);
    let devices: Option<HashSet<String>> = (!scope.is_all()).then(|| {
        state
            .directory
            .devices()
            .into_iter()
            .filter(|d| scope.contains(&d.community))
            .map(|d| d.device_id)
            .collect()
    });
    let storage = state.storage.clone();
    let records = blocking(move || {
        let keep = |r: &AuditRecord| devices.as_ref().is_none_or(|d| d.contains(&r.device));
        crate::audit::read_matching(storage.as_ref(), q.since_ms, q.limit.min(10_000), keep)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await?;
    Ok(Json(records))
}
