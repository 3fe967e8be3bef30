//! Reports computed from the precomputed counters: summary counts, durations,
//! satisfaction and volunteers. Overdue wishes are in `reports/overdue.rs`.

mod communities;
mod lists;
mod month;
mod overdue;
mod participation;
mod roster;
pub(crate) mod service;
mod unit_ratings;
mod volunteers;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::counters::{Counts, Parts, RatingSum, Scope};
use super::dict::SmallDict;
use super::durations::DistReport;
use super::row::Dicts;
use super::{CommunitySet, OfficeIndex, Window};
use crate::calendar::week_label;

pub use communities::{CommunityRow, ComparisonReport, Members};
pub use lists::{
    offers_and_projects, suggestions, ListsReport, Needs, OfferItem, Offers, ProjectItem, Projects,
    Suggestion, OPEN_STATUSES,
};
pub use month::{Steps, WindowSteps};
pub use overdue::{OverdueItem, OverdueQuery, OverdueReport, TargetRow};
pub use participation::{
    ClaimantRating, ParticipationReport, ParticipationRow, RatingNames, RatingsReport, Shares,
};
pub use roster::{coverage_of, CoverageReport, CoverageTotals, ShiftRef, StationCoverage};
pub use service::{ServiceTotals, VolunteerHours};
pub use unit_ratings::UnitMembers;
pub use volunteers::{VolunteerReport, VolunteerRow};

/// `GET /api/v1/office/summary`.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct SummaryReport {
    /// The community the figures cover; `None`: every community.
    pub community: Option<String>,
    pub total: u64,
    pub by_status: BTreeMap<String, u64>,
    /// Untriaged wishes count under `"untriaged"`.
    pub by_module: BTreeMap<String, u64>,
    pub by_channel: BTreeMap<String, u64>,
    pub by_urgency: BTreeMap<String, u64>,
    pub by_close_reason: BTreeMap<String, u64>,
    pub by_station: Vec<StationCount>,
    pub by_community: BTreeMap<String, u64>,
    /// Wishes created and resolved per ISO week (UTC+8), oldest first.
    pub by_week: Vec<WeekRow>,
    /// Resolved hours of every wish.
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct StationCount {
    pub community: String,
    pub station: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct WeekRow {
    pub week: String,
    pub created: u64,
    pub resolved: u64,
}

/// `GET /api/v1/office/durations`.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct DurationReport {
    pub community: Option<String>,
    pub module: Option<String>,
    /// From publication to the first claim.
    pub time_to_claim: DistReport,
    /// From publication (collection, if never published) to the first resolution.
    pub time_to_resolve: DistReport,
}

/// `GET /api/v1/office/satisfaction`.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct SatisfactionReport {
    pub community: Option<String>,
    pub rated: u64,
    pub average: Option<f64>,
    /// Ratings `"1"` to `"5"`.
    pub distribution: BTreeMap<String, u64>,
    pub by_module: BTreeMap<String, RatingRow>,
    pub by_station: Vec<StationRating>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct RatingRow {
    pub rated: u64,
    pub average: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct StationRating {
    pub community: String,
    pub station: String,
    pub rated: u64,
    pub average: Option<f64>,
}

fn named(dict: &SmallDict, counts: &Counts<u8>, all: bool) -> BTreeMap<String, u64> {
    dict.iter()
        .filter(|(code, name)| !name.is_empty() && (all || counts.contains_key(code)))
        .map(|(code, name)| (name.to_owned(), counts.get(&code).copied().unwrap_or(0)))
        .collect()
}

pub(crate) fn average(sum: &RatingSum) -> Option<f64> {
    (sum.count > 0).then(|| round2(sum.sum as f64 / sum.count as f64))
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(crate) fn hours(milli: u64) -> f64 {
    milli as f64 / 1000.0
}

impl Dicts {
    /// (community, station id) of a station code.
    fn station_names(&self, code: u32) -> (String, String) {
        let (community, station) = self.station.key(code).copied().unwrap_or_default();
        let community = self.community.name(community).to_owned();
        (community, self.station_id.name(station).to_owned())
    }
}

impl OfficeIndex {
    /// The counters of a set of communities: borrowed for everything or one community,
    /// merged from each community's counters for several.
    pub(crate) fn scope_or_empty(
        &self,
        communities: &CommunitySet,
        parts: Parts,
    ) -> Cow<'_, Scope> {
        let Some(listed) = communities.listed() else {
            return Cow::Borrowed(&self.global);
        };
        let names = &self.dicts.community;
        if self
            .communities
            .keys()
            .all(|c| listed.contains(names.name(*c)))
        {
            return Cow::Borrowed(&self.global);
        }
        let mut found = listed.iter().filter_map(|c| self.community_scope(c));
        match (found.next(), found.next()) {
            (None, _) => Cow::Owned(Scope::default()),
            (Some(one), None) => Cow::Borrowed(one),
            (Some(first), Some(second)) => {
                let mut merged = Scope::default();
                merged.merge_parts(first, parts);
                merged.merge_parts(second, parts);
                found.for_each(|s| merged.merge_parts(s, parts));
                Cow::Owned(merged)
            }
        }
    }

    /// Counts of a set of communities.
    pub fn summary(&self, community: &CommunitySet) -> SummaryReport {
        self.summary_in(community, Window::ALL)
    }

    /// Counts of the wishes of a set of communities created in `window`.
    pub fn summary_in(&self, community: &CommunitySet, window: Window) -> SummaryReport {
        let s = self.scope_in(community, window, Parts::COUNTS);
        let d = &self.dicts;
        let mut by_station: Vec<StationCount> = s
            .by_station
            .iter()
            .map(|(code, count)| {
                let (community, station) = d.station_names(*code);
                StationCount {
                    community,
                    station,
                    count: *count,
                }
            })
            .collect();
        by_station.sort_by(|a, b| (&a.community, &a.station).cmp(&(&b.community, &b.station)));
        SummaryReport {
            community: community.single().map(str::to_owned),
            total: s.total,
            by_status: named(&d.status, &s.by_status, true),
            by_module: named(&d.module, &s.by_module, true),
            by_channel: named(&d.channel, &s.by_channel, true),
            by_urgency: named(&d.urgency, &s.by_urgency, true),
            by_close_reason: named(&d.close_reason, &s.by_close_reason, true),
            by_station,
            by_community: s
                .by_community
                .iter()
                .map(|(c, n)| (d.community.name(*c).to_owned(), *n))
                .collect(),
            by_week: s
                .by_week
                .iter()
                .map(|(w, c)| WeekRow {
                    week: week_label(*w),
                    created: c.created,
                    resolved: c.resolved,
                })
                .collect(),
            hours: hours(s.hours_milli),
        }
    }

    /// Time to claim and time to resolve, for a set of communities and a module.
    pub fn durations(&self, community: &CommunitySet, module: Option<&str>) -> DurationReport {
        self.durations_in(community, module, Window::ALL)
    }

    /// Time to claim and time to resolve of the wishes created in `window`.
    pub fn durations_in(
        &self,
        community: &CommunitySet,
        module: Option<&str>,
        window: Window,
    ) -> DurationReport {
        let s = self.scope_in(community, window, Parts::DURATIONS);
        let durations = match module {
            None => Some(&s.durations),
            Some(m) => self
                .dicts
                .module
                .get(m)
                .and_then(|code| s.durations_by_module.get(&code)),
        };
        let empty = Default::default();
        let durations = durations.unwrap_or(&empty);
        DurationReport {
            community: community.single().map(str::to_owned),
            module: module.map(str::to_owned),
            time_to_claim: durations.to_claim.report(),
            time_to_resolve: durations.to_resolve.report(),
        }
    }

    /// Ratings: average, distribution, by module and by station.
    pub fn satisfaction(&self, community: &CommunitySet) -> SatisfactionReport {
        self.satisfaction_in(community, Window::ALL)
    }

    /// Ratings of the wishes created in `window`.
    pub fn satisfaction_in(&self, community: &CommunitySet, window: Window) -> SatisfactionReport {
        let s = self.scope_in(community, window, Parts::RATINGS);
        let d = &self.dicts;
        let rated: u64 = s.ratings.iter().sum();
        let points: u64 = (1u64..).zip(s.ratings).map(|(r, n)| r * n).sum();
        let mut by_station: Vec<StationRating> = s
            .rating_by_station
            .iter()
            .map(|(code, sum)| {
                let (community, station) = d.station_names(*code);
                StationRating {
                    community,
                    station,
                    rated: sum.count,
                    average: average(sum),
                }
            })
            .collect();
        by_station.sort_by(|a, b| (&a.community, &a.station).cmp(&(&b.community, &b.station)));
        SatisfactionReport {
            community: community.single().map(str::to_owned),
            rated,
            average: average(&RatingSum {
                count: rated,
                sum: points,
            }),
            distribution: (1..=5)
                .zip(s.ratings)
                .map(|(r, n)| (r.to_string(), n))
                .collect(),
            by_module: s
                .rating_by_module
                .iter()
                .map(|(m, sum)| {
                    let row = RatingRow {
                        rated: sum.count,
                        average: average(sum),
                    };
                    (d.module.name(*m).to_owned(), row)
                })
                .collect(),
            by_station,
        }
    }
}
