//! `GET /api/v1/office/lists`: the three lists of the two-way claim list (双向认领清单):
//! needs (需求清单: open wishes by module, from the office index), offers (资源清单, by
//! module) and projects (项目清单, by status), from the `["community-summary", docId]`
//! rows, with match suggestions: for each module, the newest wishes on the wall that still
//! need a claimant, paired with the active offers of that module.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use serde::Serialize;
use wish_client_core::model::Module;

use super::handlers::with_index;
use super::params::Params;
use super::{rows, scope};
use crate::aggregate::{CommunitySet, Paging, WishFilter, UNTRIAGED};
use crate::domain::office_rows::{
    CommunitySummary, OfferSummary, ProjectSummary, COMMUNITY_PREFIX,
};
use crate::http::api::ApiError;
use crate::http::AppState;
use crate::runtime::IndexSource;

/// Statuses of a wish still waiting for help (not resolved, rated, closed or rejected).
pub const OPEN_STATUSES: [&str; 6] = [
    "collected",
    "verified",
    "published",
    "claimed",
    "assigned",
    "in_progress",
];

/// Statuses of a wish on the wall that may still take a claimant.
const CLAIMABLE_STATUSES: [&str; 2] = ["published", "claimed"];

/// Wishes suggested per module.
const SUGGESTIONS_PER_MODULE: usize = 5;

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Needs {
    pub open: usize,
    pub by_module: BTreeMap<String, usize>,
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Offers {
    pub total: usize,
    pub active: usize,
    pub by_module: BTreeMap<String, usize>,
    pub items: Vec<OfferItem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferItem {
    pub community: String,
    #[serde(flatten)]
    pub offer: OfferSummary,
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Projects {
    pub total: usize,
    pub by_status: BTreeMap<String, usize>,
    pub items: Vec<ProjectItem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectItem {
    pub community: String,
    #[serde(flatten)]
    pub project: ProjectSummary,
}

/// A wish that needs a claimant and the active offers of its module.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub doc_id: String,
    pub wish: String,
    pub title: String,
    pub community: String,
    pub station: String,
    pub module: String,
    pub status: String,
    pub offers: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListsReport {
    pub community: Option<String>,
    pub needs: Needs,
    pub offers: Offers,
    pub projects: Projects,
    pub suggestions: Vec<Suggestion>,
}

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
    if !window.is_all() {
        projects
            .items
            .retain(|p| window.contains(p.project.created_at));
        projects.total = projects.items.len();
        projects.by_status.clear();
        for p in &projects.items {
            *projects
                .by_status
                .entry(p.project.status.clone())
                .or_default() += 1;
        }
    }
    let scope_for_index = community.clone();
    let (needs, wishes) = with_index(&index, &state, move |a| {
        let filter = |statuses: &[&str], module: &str| WishFilter {
            community: scope_for_index.clone(),
            statuses: statuses.iter().map(|s| (*s).to_owned()).collect(),
            modules: vec![module.to_owned()],
            from: window.from,
            to: window.to,
            ..WishFilter::default()
        };
        let modules = std::iter::once(UNTRIAGED).chain(Module::ALL.iter().map(|m| m.as_str()));
        let mut needs = Needs::default();
        let mut wishes = Vec::new();
        for module in modules {
            let open = a.list(&filter(&OPEN_STATUSES, module), Paging::new(None, Some(1)));
            needs.open += open.total;
            if open.total > 0 {
                needs.by_module.insert(module.to_owned(), open.total);
            }
            if module != UNTRIAGED {
                let paging = Paging::new(None, Some(SUGGESTIONS_PER_MODULE));
                wishes.extend(a.list(&filter(&CLAIMABLE_STATUSES, module), paging).items);
            }
        }
        (needs, wishes)
    })
    .await?;
    let suggestions = wishes
        .into_iter()
        .filter_map(|w| {
            let module = w.module.clone()?;
            let matching: Vec<String> = offers
                .items
                .iter()
                .filter(|o| {
                    o.offer.active && o.offer.module == module && o.community == w.community
                })
                .map(|o| o.offer.id.clone())
                .collect();
            (!matching.is_empty()).then_some(Suggestion {
                doc_id: w.doc_id,
                wish: w.id,
                title: w.title,
                community: w.community,
                station: w.station,
                module,
                status: w.status,
                offers: matching,
            })
        })
        .collect();
    Ok(Json(ListsReport {
        community: community.single().map(str::to_owned),
        needs,
        offers,
        projects,
        suggestions,
    }))
}

/// The resources and projects lists of the communities in `scope` (the monthly report
/// counts them too).
pub fn offers_and_projects(
    communities: Vec<(String, CommunitySummary)>,
    scope: &CommunitySet,
) -> (Offers, Projects) {
    let mut offers = Offers::default();
    let mut projects = Projects::default();
    for (_, c) in communities {
        if !rows::in_scope(scope, &c.id) {
            continue;
        }
        for offer in c.offers {
            offers.total += 1;
            if offer.active {
                offers.active += 1;
                *offers.by_module.entry(offer.module.clone()).or_default() += 1;
            }
            offers.items.push(OfferItem {
                community: c.id.clone(),
                offer,
            });
        }
        for project in c.projects {
            projects.total += 1;
            *projects
                .by_status
                .entry(project.status.clone())
                .or_default() += 1;
            projects.items.push(ProjectItem {
                community: c.id.clone(),
                project,
            });
        }
    }
    (offers, projects)
}
