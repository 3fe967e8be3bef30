//! `GET /api/v1/office/overdue`: open wishes past their resolution target at `now`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::StationCount;
use crate::aggregate::order::ListKey;
use crate::aggregate::query::{Codes, Paging, WishFilter};
use crate::aggregate::row::WishItem;
use crate::aggregate::Aggregates;
use crate::calendar::HOUR_MS;

/// Which overdue wishes to report. `filter.from`/`filter.to` are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueQuery {
    pub now: u64,
    pub filter: WishFilter,
    pub paging: Paging,
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

impl Aggregates {
    /// Open wishes whose target passed before `query.now`, most overdue first.
    pub fn overdue(&self, query: &OverdueQuery) -> OverdueReport {
        let codes = Codes::new(&query.filter, &self.dicts);
        let (skip, take) = (query.paging.offset(), query.paging.per_page);
        let mut counts = Tally::new(self.dicts.station.len());
        let mut page = Vec::with_capacity(take);
        for (deadline, key) in self.overdue.before(query.now) {
            if !codes.matches(key) {
                continue;
            }
            if counts.total >= skip && page.len() < take {
                page.push((deadline, key.row));
            }
            counts.add(key);
        }
        self.overdue_report(query, counts, page)
    }

    fn overdue_report(
        &self,
        query: &OverdueQuery,
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
            targets: self
                .targets
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
