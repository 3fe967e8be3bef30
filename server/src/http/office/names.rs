//! Names for the office's tables and exports: communities, stations, people and units by
//! name, from the `names` of the `["community-summary", docId]` rows (written by the
//! engine thread's domain hook, so no handler reads a document). Ids are only ever shown
//! next to a name; an id the directory does not know shows as the id marked 未登记, never
//! as a blank.
//!
//! `GET /api/v1/office/names` hands the same directory to the dashboard.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;

use super::params::Params;
use super::{rows, scope};
use crate::aggregate::{CommunitySet, ItemNames, Members, UnitMembers, WishItem};
use crate::domain::office_rows::{CommunitySummary, DirectoryNames, COMMUNITY_PREFIX};
use crate::http::api::ApiError;
use crate::http::AppState;

/// The mark after an id the directory does not know.
pub const UNREGISTERED: &str = "（未登记）";

/// The directories of the communities in a caller's scope.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Names {
    /// Community id → name.
    pub communities: BTreeMap<String, String>,
    /// Community id → its directory.
    pub directories: BTreeMap<String, DirectoryNames>,
}

/// `GET /api/v1/office/names`: the names of the caller's communities, stations, people
/// and units (the community directory office devices may already sync).
#[utoipa::path(
    get,
    path = "/api/v1/office/names",
    summary = "Names of the communities, stations, people and units in scope (the community directory), by id; party members listed",
    params(crate::http::office::openapi::Scope),
    responses((status = 200, description = "OK", body = Names), crate::http::office::openapi::Refusals)
)]
pub async fn names(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Names>, ApiError> {
    let params = Params(query);
    let community = scope(&state, &headers, params.one("community"))?;
    Ok(Json(load(&state, &community).await?))
}

/// The names of every community in `scope`.
pub async fn load(state: &AppState, scope: &CommunitySet) -> Result<Names, ApiError> {
    let communities: Vec<(String, CommunitySummary)> = rows::load(state, COMMUNITY_PREFIX).await?;
    let mut names = Names::default();
    for (_, community) in communities {
        if !rows::in_scope(scope, &community.id) {
            continue;
        }
        names
            .communities
            .insert(community.id.clone(), community.name.clone());
        let directory = community.names.unwrap_or_default();
        names.directories.insert(community.id, directory);
    }
    Ok(names)
}

fn unregistered(id: &str) -> String {
    format!("{id}{UNREGISTERED}")
}

impl Names {
    pub fn community(&self, id: &str) -> String {
        self.communities
            .get(id)
            .cloned()
            .unwrap_or_else(|| unregistered(id))
    }

    pub fn station(&self, community: &str, id: &str) -> String {
        self.directory(community)
            .and_then(|d| d.stations.get(id))
            .cloned()
            .unwrap_or_else(|| unregistered(id))
    }

    /// A person or unit (claimants are either) of `community`.
    pub fn member(&self, community: &str, id: &str) -> String {
        self.directory(community)
            .and_then(|d| d.people.get(id).or_else(|| d.units.get(id)))
            .cloned()
            .unwrap_or_else(|| unregistered(id))
    }

    /// A person or unit of any community in scope: the first that knows the id (the
    /// leaderboard across communities keys claimants by id alone).
    pub fn member_anywhere(&self, id: &str) -> String {
        self.directories
            .values()
            .find_map(|d| d.people.get(id).or_else(|| d.units.get(id)))
            .cloned()
            .unwrap_or_else(|| unregistered(id))
    }

    /// A ledger account: `person:<id>`, `unit:<id>` or the community's own accounts.
    pub fn account(&self, community: &str, account: &str) -> String {
        match account.split_once(':') {
            Some(("community", "pool")) => "社区积分池".to_owned(),
            Some(("community", "redeemed")) => "已兑换".to_owned(),
            Some(("person" | "unit", id)) => self.member(community, id),
            _ => unregistered(account),
        }
    }

    /// The party members of every community in scope, for the participation figures.
    pub fn party(&self) -> Members {
        Members::new(
            self.directories
                .iter()
                .map(|(c, d)| (c.clone(), d.party_members.clone()))
                .collect(),
        )
    }

    /// The partner units of every community in scope.
    pub fn units(&self) -> Members {
        Members::new(
            self.directories
                .iter()
                .map(|(c, d)| (c.clone(), d.units.keys().cloned().collect()))
                .collect(),
        )
    }

    /// Per community, the unit each registered person belongs to.
    pub fn unit_members(&self) -> UnitMembers {
        UnitMembers::new(
            self.directories
                .iter()
                .map(|(c, d)| (c.clone(), d.unit_of.clone().into_iter().collect()))
                .collect(),
        )
    }

    /// How many stations the directory lists for `community`.
    pub fn station_count(&self, community: &str) -> usize {
        self.directory(community).map_or(0, |d| d.stations.len())
    }

    /// Fills in the names of a listed wish.
    pub fn name_item(&self, item: &mut WishItem) {
        let (community, station) = (&item.community, &item.station);
        item.names = Some(ItemNames {
            community: self.community(community),
            station: self.station(community, station),
            claimants: item
                .claimants
                .iter()
                .map(|c| self.member(community, c))
                .collect(),
        });
    }

    fn directory(&self, community: &str) -> Option<&DirectoryNames> {
        self.directories.get(community)
    }
}

/// Names looked up once per distinct id (exports repeat the same few hundred people).
#[derive(Default)]
pub struct NameCache(HashMap<(String, String), String>);

impl NameCache {
    pub fn member(&mut self, names: &Names, community: &str, id: &str) -> String {
        self.0
            .entry((community.to_owned(), id.to_owned()))
            .or_insert_with(|| names.member(community, id))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut directory = DirectoryNames::default();
        directory.people.insert("p1".into(), "王芳".into());
        directory.units.insert("u1".into(), "社区医院".into());
        directory
            .stations
            .insert("center".into(), "中心驿站".into());
        let mut names = Names::default();
        names.communities.insert("c1".into(), "幸福社区".into());
        names.directories.insert("c1".into(), directory);
        names
    }

    #[test]
    fn known_ids_show_names_and_unknown_ids_are_marked() {
        let names = names();
        assert_eq!(names.member("c1", "p1"), "王芳");
        assert_eq!(names.member("c1", "u1"), "社区医院");
        assert_eq!(names.member("c1", "p9"), "p9（未登记）");
        assert_eq!(names.member("c2", "p1"), "p1（未登记）");
        assert_eq!(names.station("c1", "center"), "中心驿站");
        assert_eq!(names.community("c1"), "幸福社区");
        assert_eq!(names.account("c1", "person:p1"), "王芳");
        assert_eq!(names.account("c1", "community:pool"), "社区积分池");
        assert_eq!(names.member_anywhere("p1"), "王芳");
    }
}
