//! The three lists of the two-way claim list (双向认领清单): needs (需求清单: open wishes by
//! module, from the office index), offers (资源清单, by module) and projects (项目清单, by
//! status), from the community rows, with match suggestions: for each module, the newest
//! wishes on the wall that still need a claimant, paired with the active offers of that
//! module in the same community. (The tablets rank offers for a wish with the full
//! documents, `client-core`'s `match_offers`; the office has only the summary rows, so it
//! pairs by module and community.)

use std::collections::BTreeMap;

use serde::Serialize;
use wish_client_core::model::Module;

use crate::aggregate::{
    CommunitySet, OfficeIndex, Paging, Window, WishFilter, WishItem, UNTRIAGED,
};
use crate::domain::office_rows::{CommunitySummary, OfferSummary, ProjectSummary};

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

/// The resources and projects lists of the communities in `scope` (the monthly report
/// counts them too).
pub fn offers_and_projects(
    communities: Vec<(String, CommunitySummary)>,
    scope: &CommunitySet,
) -> (Offers, Projects) {
    let mut offers = Offers::default();
    let mut projects = Projects::default();
    for (_, c) in communities {
        if !scope.contains(&c.id) {
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

impl Projects {
    /// Only the projects started in `window`, counted again.
    pub fn started_in(&mut self, window: Window) {
        if window.is_all() {
            return;
        }
        self.items.retain(|p| window.contains(p.project.created_at));
        self.total = self.items.len();
        self.by_status.clear();
        for p in &self.items {
            *self.by_status.entry(p.project.status.clone()).or_default() += 1;
        }
    }
}

impl OfficeIndex {
    /// The open wishes of `scope` created in `window` by module, and per module the newest
    /// wishes on the wall that may still take a claimant (the suggestions' candidates).
    pub fn needs(&self, scope: &CommunitySet, window: Window) -> (Needs, Vec<WishItem>) {
        let filter = |statuses: &[&str], module: &str| WishFilter {
            community: scope.clone(),
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
            let open = self.list(&filter(&OPEN_STATUSES, module), Paging::new(None, Some(1)));
            needs.open += open.total;
            if open.total > 0 {
                needs.by_module.insert(module.to_owned(), open.total);
            }
            if module != UNTRIAGED {
                let paging = Paging::new(None, Some(SUGGESTIONS_PER_MODULE));
                wishes.extend(
                    self.list(&filter(&CLAIMABLE_STATUSES, module), paging)
                        .items,
                );
            }
        }
        (needs, wishes)
    }
}

/// Each candidate wish paired with the active offers of its module in its community; wishes
/// no offer fits are left out.
pub fn suggestions(wishes: Vec<WishItem>, offers: &Offers) -> Vec<Suggestion> {
    wishes
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
        .collect()
}
