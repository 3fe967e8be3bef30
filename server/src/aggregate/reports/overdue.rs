//! `GET /api/v1/office/overdue`: open wishes past their resolution target at `now`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::StationCount;
use crate::aggregate::order::ListKey;
use crate::aggregate::query::{Codes, Paging, WishFilter};
use crate::aggregate::row::WishItem;
use crate::aggregate::{CommunitySet, OfficeIndex, OverdueTargets, Window};
use crate::calendar::HOUR_MS;

/// Which overdue wishes to report: `filter.from`/`filter.to` select by creation time;
/// `targets` are the office's own (`None`: the index's defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueQuery {
    pub now: u64,
    pub filter: WishFilter,
    pub paging: Paging,
    pub targets: Option<OverdueTargets>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct OverdueReport {
    pub now: u64,
    pub total: usize,
    pub by_module: BTreeMap<String, u64>,
    pub by_urgency: BTreeMap<String, u64>,
    pub by_station: Vec<StationCount>,
    /// The targets in force: `{module (null: any), urgency, days}`.
    pub targets: Vec<TargetRow>,
    pub page: usize,
    pub per_page: usize,
    /// Most overdue first.
    pub items: Vec<OverdueItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct TargetRow {
    pub module: Option<String>,
    pub urgency: String,
    pub days: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct OverdueItem {
    #[serde(flatten)]
    pub wish: WishItem,
    pub deadline: u64,
    pub overdue_hours: f64,
}

impl OfficeIndex {
    /// Open wishes whose target passed before `query.now`, most overdue first.
    pub fn overdue(&self, query: &OverdueQuery) -> OverdueReport {
        let codes = Codes::new(&query.filter, &self.dicts);
        let window = Window::new(query.filter.from, query.filter.to);
        let targets = query.targets.as_ref().unwrap_or(&self.targets);
        let mut found = self.overdue.before(query.now, targets, &self.dicts, |k| {
            codes.matches(k) && window.contains(k.created_at)
        });
        let mut counts = Tally::new(self.dicts.station.len());
        found.iter().for_each(|(_, key)| counts.add(key));
        // Only the first `end` need sorting: select them in linear time first.
        let order = |a: &(u64, &ListKey), b: &(u64, &ListKey)| (a.0, a.1.row).cmp(&(b.0, b.1.row));
        let end = query.paging.offset().saturating_add(query.paging.per_page);
        if end < found.len() {
            found.select_nth_unstable_by(end, order);
            found.truncate(end);
        }
        found.sort_unstable_by(order);
        let page = found
            .iter()
            .skip(query.paging.offset())
            .map(|(deadline, key)| (*deadline, key.row))
            .collect();
        self.overdue_report(query, targets, counts, page)
    }

    /// Open overdue wishes at `now` per community code (created in `window`).
    pub(crate) fn overdue_by_community(
        &self,
        communities: &CommunitySet,
        window: Window,
        now: u64,
        targets: Option<&OverdueTargets>,
    ) -> HashMap<u32, u64> {
        let codes = self.community_codes(communities);
        let targets = targets.unwrap_or(&self.targets);
        let keep = |k: &ListKey| {
            codes.as_ref().is_none_or(|c| c.contains(&k.community)) && window.contains(k.created_at)
        };
        let mut counts = HashMap::new();
        for (_, key) in self.overdue.before(now, targets, &self.dicts, keep) {
            *counts.entry(key.community).or_insert(0) += 1;
        }
        counts
    }

    fn overdue_report(
        &self,
        query: &OverdueQuery,
        targets: &OverdueTargets,
        counts: Tally,
        page: Vec<(u64, u32)>,
    ) -> OverdueReport {
        let d = &self.dicts;
        let items = page
            .into_iter()
            .filter_map(|(deadline, row)| {
                let wish = self.rows.get(row as usize)?.item(d);
                let late = query.now.saturating_sub(deadline) as f64 / HOUR_MS as f64;
                let overdue_hours = (late * 100.0).round() / 100.0;
                Some(OverdueItem {
                    wish,
                    deadline,
                    overdue_hours,
                })
            })
            .collect();
        let mut by_station: Vec<StationCount> = nonzero(&counts.station)
            .map(|(code, count)| {
                let (community, station) = d.station_names(code);
                StationCount {
                    community,
                    station,
                    count,
                }
            })
            .collect();
        by_station.sort_by(|a, b| (&a.community, &a.station).cmp(&(&b.community, &b.station)));
        OverdueReport {
            now: query.now,
            total: counts.total,
            by_module: name_counts(&counts.module, |c| d.module.name(c)),
            by_urgency: name_counts(&counts.urgency, |c| d.urgency.name(c)),
            by_station,
            targets: targets
                .list()
                .into_iter()
                .map(|(module, urgency, days)| TargetRow {
                    module,
                    urgency,
                    days,
                })
                .collect(),
            page: query.paging.page,
            per_page: query.paging.per_page,
            items,
        }
    }
}

/// Counts by code, in arrays: a report may count hundreds of thousands of wishes.
struct Tally {
    total: usize,
    module: [u64; 256],
    urgency: [u64; 256],
    station: Vec<u64>,
}

impl Tally {
    fn new(stations: usize) -> Self {
        Self {
            total: 0,
            module: [0; 256],
            urgency: [0; 256],
            station: vec![0; stations],
        }
    }

    fn add(&mut self, key: &ListKey) {
        self.total += 1;
        self.module[usize::from(key.module)] += 1;
        self.urgency[usize::from(key.urgency)] += 1;
        if let Some(n) = self.station.get_mut(key.station as usize) {
            *n += 1;
        }
    }
}

/// The non-zero counts of `counts`, by code.
fn nonzero<T: TryFrom<usize>>(counts: &[u64]) -> impl Iterator<Item = (T, u64)> + '_ {
    counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(code, n)| Some((T::try_from(code).ok()?, *n)))
}

fn name_counts<'a>(counts: &[u64], name: impl Fn(u8) -> &'a str) -> BTreeMap<String, u64> {
    nonzero(counts)
        .map(|(c, n)| (name(c).to_owned(), n))
        .collect()
}
