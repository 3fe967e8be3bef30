//! Office rows of station, community and ledger documents, kept in storage after every
//! commit (and written by offline commands with their documents) so that the office's
//! roster, lists and service-record reports never load documents:
//!
//! * `["station-summary", stationDocId]`: a [`StationSummary`] (the roster, counted);
//! * `["community-summary", communityDocId]`: a [`CommunitySummary`] (资源清单, 项目清单);
//! * `["ledger-summary", ledgerDocId]`: a [`LedgerSummary`] (the `earn` entries).
//!
//! None of them holds personal data of residents: only ids, titles, dates, counts and the
//! names of the community's own directory (volunteers, partner units, stations), which
//! civil-affairs service records and the office's tables name people by.

use std::collections::{BTreeMap, BTreeSet};

use automerge::Automerge;
use serde::{Deserialize, Serialize};
use wish_client_core::model::{
    doc_type, CommunityView, DocType, LedgerKind, LedgerView, StationView,
};

use crate::storage::{key, Key};

/// The first key part of station rows.
pub const STATION_PREFIX: &str = "station-summary";
/// The first key part of community rows.
pub const COMMUNITY_PREFIX: &str = "community-summary";
/// The first key part of ledger rows.
pub const LEDGER_PREFIX: &str = "ledger-summary";

/// One shift of a station's roster, counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftSummary {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, station local time.
    pub start: String,
    pub end: String,
    pub assignees: u32,
    pub checkins: u32,
}

/// A station and its roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationSummary {
    pub id: String,
    pub community: String,
    pub name: String,
    pub shifts: Vec<ShiftSummary>,
}

/// An offer of the community's resource list (资源清单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferSummary {
    pub id: String,
    pub title: String,
    pub module: String,
    pub provider: String,
    pub provider_kind: String,
    pub capacity: u32,
    pub active: bool,
}

/// A project of the community's project list (项目清单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectSummary {
    pub id: String,
    pub title: String,
    pub module: String,
    pub status: String,
    pub lead: String,
    pub created_at: u64,
}

/// A community's offers and projects, with directory counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySummary {
    pub id: String,
    pub name: String,
    pub district: String,
    pub people: u32,
    /// The ids of the directory's people (no names): enrollment checks that the person a
    /// code names is one of them. `None` in rows written before they were kept, until
    /// the server's start fills them in ([`crate::server`]).
    #[serde(default)]
    pub person_ids: Option<Vec<String>>,
    pub units: u32,
    /// Names of the directory. `None` in rows written before they were kept, until the
    /// server's start fills them in.
    #[serde(default)]
    pub names: Option<DirectoryNames>,
    pub offers: Vec<OfferSummary>,
    pub projects: Vec<ProjectSummary>,
}

/// The names of a community's directory: people (volunteers, members, experts,
/// coordinators; never residents), partner units and stations, by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DirectoryNames {
    pub people: BTreeMap<String, String>,
    pub units: BTreeMap<String, String>,
    pub stations: BTreeMap<String, String>,
    /// People registered as party members (双报到党员), for participation figures.
    pub party_members: BTreeSet<String>,
    /// The partner unit (共建单位) of each person registered under one, by id: a unit's
    /// ratings include its people's claims. Empty in rows written before it was kept,
    /// until the community's next change.
    #[serde(default)]
    pub unit_of: BTreeMap<String, String>,
}

/// An `earn` entry of a ledger: confirmed service hours of one claimant for one wish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarnSummary {
    pub id: String,
    /// The wish's own id (not its document id).
    pub wish: Option<String>,
    pub claim: Option<String>,
    /// The claimant's account id without its `person:`/`unit:` prefix.
    pub person: String,
    /// `person` or `unit`.
    pub account_kind: String,
    pub hours: f64,
    /// When the entry was written (the confirmation).
    pub at: u64,
    /// Who confirmed (谁组织谁记录、谁记录谁证明).
    pub by: String,
    /// Negated by a `reversal` entry.
    pub reversed: bool,
}

/// One posting of a ledger entry, with its entry's facts (the ledger export's rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostingSummary {
    /// The entry's id.
    pub entry: String,
    /// `earn`, `award`, `redeem` or `reversal`.
    pub kind: String,
    pub at: u64,
    pub by: String,
    pub reason: String,
    pub wish: Option<String>,
    pub item: Option<String>,
    /// `person:<id>`, `unit:<id>`, `community:pool` or `community:redeemed`.
    pub account: String,
    pub points: i64,
    pub hours: f64,
    /// The entry is negated by a `reversal` entry.
    pub reversed: bool,
}

/// A ledger's earn entries and every posting, each ordered by `(at, id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerSummary {
    pub community: String,
    pub earns: Vec<EarnSummary>,
    /// Empty in rows written before postings were kept, until the ledger next changes.
    #[serde(default)]
    pub postings: Vec<PostingSummary>,
}

/// The office row of a station, community or ledger document; `None` for other
/// documents and for documents that do not follow the schema (logged).
pub fn office_row(doc_id: &str, doc: &Automerge) -> Option<(Key, Vec<u8>)> {
    let (prefix, json) = match doc_type(doc)? {
        DocType::Station => (
            STATION_PREFIX,
            StationView::read(doc).map(|v| serde_json::to_vec(&station_summary(&v))),
        ),
        DocType::Community => (
            COMMUNITY_PREFIX,
            CommunityView::read(doc).map(|v| serde_json::to_vec(&community_summary(doc_id, &v))),
        ),
        DocType::Ledger => (
            LEDGER_PREFIX,
            LedgerView::read(doc).map(|v| serde_json::to_vec(&ledger_summary(&v))),
        ),
        _ => return None,
    };
    match json {
        Ok(Ok(bytes)) => Some((key([prefix, doc_id]), bytes)),
        Ok(Err(error)) => {
            tracing::error!(doc = %doc_id, %error, "office row not serialisable");
            None
        }
        Err(error) => {
            tracing::warn!(doc = %doc_id, %error, "document does not follow the schema; no office row");
            None
        }
    }
}

pub fn station_summary(view: &StationView) -> StationSummary {
    let mut shifts: Vec<ShiftSummary> = view
        .shifts
        .values()
        .map(|s| ShiftSummary {
            id: s.id.clone(),
            date: s.date.clone(),
            start: s.start.clone(),
            end: s.end.clone(),
            assignees: count(s.assignees.len()),
            checkins: count(s.checkins.len()),
        })
        .collect();
    shifts.sort_by(|a, b| (&a.date, &a.start, &a.id).cmp(&(&b.date, &b.start, &b.id)));
    StationSummary {
        id: view.id.clone(),
        community: view.community.clone(),
        name: view.name.clone(),
        shifts,
    }
}

/// `doc_id` stands in for a missing `id` field (the community's id is its document id).
pub fn community_summary(doc_id: &str, view: &CommunityView) -> CommunitySummary {
    CommunitySummary {
        id: if view.id.is_empty() {
            doc_id.to_owned()
        } else {
            view.id.clone()
        },
        name: view.name.clone(),
        district: view.district.clone(),
        people: count(view.people.len()),
        person_ids: Some(view.people.keys().cloned().collect()),
        units: count(view.units.len()),
        names: Some(directory_names(view)),
        offers: view
            .offers
            .values()
            .map(|o| OfferSummary {
                id: o.id.clone(),
                title: o.title.clone(),
                module: o.module.as_str().to_owned(),
                provider: o.provider.clone(),
                provider_kind: o.provider_kind.as_str().to_owned(),
                capacity: o.capacity,
                active: o.active,
            })
            .collect(),
        projects: view
            .projects
            .values()
            .map(|p| ProjectSummary {
                id: p.id.clone(),
                title: p.title.clone(),
                module: p.module.as_str().to_owned(),
                status: p.status.as_str().to_owned(),
                lead: p.lead.clone(),
                created_at: p.created_at,
            })
            .collect(),
    }
}

fn directory_names(view: &CommunityView) -> DirectoryNames {
    DirectoryNames {
        people: view
            .people
            .iter()
            .map(|(id, p)| (id.clone(), p.name.clone()))
            .collect(),
        units: view
            .units
            .iter()
            .map(|(id, u)| (id.clone(), u.name.clone()))
            .collect(),
        stations: view
            .stations
            .iter()
            .map(|(id, s)| (id.clone(), s.name.clone()))
            .collect(),
        party_members: view
            .people
            .iter()
            .filter(|(_, p)| p.party_member)
            .map(|(id, _)| id.clone())
            .collect(),
        unit_of: view
            .people
            .iter()
            .filter_map(|(id, p)| Some((id.clone(), p.unit.clone()?)))
            .filter(|(_, unit)| view.units.contains_key(unit))
            .collect(),
    }
}

pub fn ledger_summary(view: &LedgerView) -> LedgerSummary {
    let earns = view
        .ordered_entries()
        .into_iter()
        .filter(|e| e.kind == LedgerKind::Earn)
        .filter_map(|e| {
            // The claimant's posting: the one that is not a community account.
            let posting = e
                .postings
                .iter()
                .find(|p| !p.account.starts_with("community:"))?;
            let (kind, id) = posting.account.split_once(':')?;
            Some(EarnSummary {
                id: e.id.clone(),
                wish: e.wish.clone(),
                claim: e.claim.clone(),
                person: id.to_owned(),
                account_kind: kind.to_owned(),
                hours: posting.hours,
                at: e.at,
                by: e.by.clone(),
                reversed: view.reversal_of(&e.id).is_some(),
            })
        })
        .collect();
    LedgerSummary {
        community: view.community.clone(),
        earns,
        postings: postings(view),
    }
}

fn postings(view: &LedgerView) -> Vec<PostingSummary> {
    view.ordered_entries()
        .into_iter()
        .flat_map(|e| {
            let reversed = view.reversal_of(&e.id).is_some();
            e.postings.iter().map(move |p| PostingSummary {
                entry: e.id.clone(),
                kind: e.kind.as_str().to_owned(),
                at: e.at,
                by: e.by.clone(),
                reason: e.reason.clone(),
                wish: e.wish.clone(),
                item: e.item.clone(),
                account: p.account.clone(),
                points: p.points,
                hours: p.hours,
                reversed,
            })
        })
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
