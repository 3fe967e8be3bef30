//! `GET /api/v1/office/lists`: the three lists and their match suggestions
//! (`aggregate/reports/lists.rs`); this handler loads the community rows and translates HTTP.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};

use super::handlers::with_index;
use super::params::Params;
use super::{rows, scope};
use crate::aggregate::{offers_and_projects, suggestions, ListsReport};
use crate::domain::office_rows::{CommunitySummary, COMMUNITY_PREFIX};
use crate::http::api::ApiError;
use crate::http::AppState;
use crate::runtime::IndexSource;

/// `GET /api/v1/office/lists[?from&to]`: over a window, the needs are the open wishes
/// created in it and the projects those started in it (offers are always all of them).
#[utoipa::path(
    get,
    path = "/api/v1/office/lists",
    summary = "The three lists (需求清单, 资源清单, 项目清单): open wishes by module, offers by module, projects by status, and match suggestions (wishes on the wall with the active offers of their module)",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = ListsReport), crate::http::office::openapi::Refusals)
)]
pub async fn lists(
    State(state): State<Arc<AppState>>,
    Extension(index): Extension<IndexSource>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<ListsReport>, ApiError> {
    let params = Params(query);
    let community = scope(&state, &headers, params.one("community"))?;
    let communities: Vec<(String, CommunitySummary)> = rows::load(&state, COMMUNITY_PREFIX).await?;
    let window = params.window()?;
    let (offers, mut projects) = offers_and_projects(communities, &community);
    projects.started_in(window);
    let in_index = community.clone();
    let (needs, wishes) = with_index(&index, &state, move |a| a.needs(&in_index, window)).await?;
    let suggestions = suggestions(wishes, &offers);
    Ok(Json(ListsReport {
        community: community.single().map(str::to_owned),
        needs,
        offers,
        projects,
        suggestions,
    }))
}
