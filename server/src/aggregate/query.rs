//! The wish list: filters, paging, newest first; and the row selection of exports.

use serde::Serialize;

use super::order::ListKey;
use super::row::{Dicts, WishItem};
use super::{CommunitySet, OfficeIndex};

/// Which wishes to list. Each list holds alternatives (empty: no filter on that field);
/// `from` is inclusive and `to` exclusive, on the creation time in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishFilter {
    /// The community scope.
    pub community: CommunitySet,
    pub statuses: Vec<String>,
    pub modules: Vec<String>,
    pub stations: Vec<String>,
    pub channels: Vec<String>,
    pub urgencies: Vec<String>,
    pub from: Option<u64>,
    pub to: Option<u64>,
}

/// A page: `page` counts from 1; `per_page` is kept within 1..=[`Paging::MAX_PER_PAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: usize,
    pub per_page: usize,
}

impl Paging {
    pub const MAX_PER_PAGE: usize = 1000;

    pub fn new(page: Option<usize>, per_page: Option<usize>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(50).clamp(1, Self::MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> usize {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// One page of the list, with the total number of matching wishes.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct WishPage {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub items: Vec<WishItem>,
}

/// A filter with its values turned into codes; a value the index never saw matches
/// nothing.
pub(crate) struct Codes {
    community: Option<Vec<u32>>,
    statuses: Option<Vec<u8>>,
    modules: Option<Vec<u8>>,
    stations: Option<Vec<u32>>,
    channels: Option<Vec<u8>>,
    urgencies: Option<Vec<u8>>,
}

fn small(values: &[String], code: impl Fn(&str) -> Option<u8>) -> Option<Vec<u8>> {
    (!values.is_empty()).then(|| values.iter().filter_map(|v| code(v)).collect())
}

impl Codes {
    pub fn new(filter: &WishFilter, dicts: &Dicts) -> Self {
        let stations = (!filter.stations.is_empty()).then(|| {
            dicts
                .station
                .iter()
                .filter(|(_, (_, id))| {
                    filter
                        .stations
                        .iter()
                        .any(|s| s == dicts.station_id.name(*id))
                })
                .map(|(code, _)| code)
                .collect()
        });
        Self {
            community: filter.community.listed().map(|listed| {
                listed
                    .iter()
                    .filter_map(|c| dicts.community.get(c.as_str()))
                    .collect()
            }),
            statuses: small(&filter.statuses, |v| dicts.status.get(v)),
            modules: small(&filter.modules, |v| dicts.module.get(v)),
            stations,
            channels: small(&filter.channels, |v| dicts.channel.get(v)),
            urgencies: small(&filter.urgencies, |v| dicts.urgency.get(v)),
        }
    }

    pub fn matches(&self, key: &ListKey) -> bool {
        fn any<T: PartialEq>(set: &Option<Vec<T>>, value: T) -> bool {
            set.as_ref().is_none_or(|s| s.contains(&value))
        }
        any(&self.community, key.community)
            && any(&self.statuses, key.status)
            && any(&self.modules, key.module)
            && any(&self.stations, key.station)
            && any(&self.channels, key.channel)
            && any(&self.urgencies, key.urgency)
    }

    fn is_empty(&self) -> bool {
        self.community.is_none()
            && self.statuses.is_none()
            && self.modules.is_none()
            && self.stations.is_none()
            && self.channels.is_none()
            && self.urgencies.is_none()
    }
}

impl OfficeIndex {
    /// One page of the wishes that match `filter`, newest first.
    pub fn list(&self, filter: &WishFilter, paging: Paging) -> WishPage {
        let codes = Codes::new(filter, &self.dicts);
        let window = self.order.window(filter.from, filter.to);
        let (total, rows) = if codes.is_empty() {
            let page = window
                .iter()
                .rev()
                .skip(paging.offset())
                .take(paging.per_page);
            (window.len(), page.map(|k| k.row).collect())
        } else {
            scan(window, &codes, paging)
        };
        WishPage {
            total,
            page: paging.page,
            per_page: paging.per_page,
            pages: total.div_ceil(paging.per_page),
            items: self.items(&rows),
        }
    }

    /// Every matching row, newest first (for exports, rendered in chunks by [`items`]).
    ///
    /// [`items`]: OfficeIndex::items
    pub fn select(&self, filter: &WishFilter) -> Vec<u32> {
        let codes = Codes::new(filter, &self.dicts);
        let window = self.order.window(filter.from, filter.to);
        window
            .iter()
            .rev()
            .filter(|k| codes.matches(k))
            .map(|k| k.row)
            .collect()
    }

    /// The document ids of the rows; unknown row numbers are skipped.
    pub fn doc_ids(&self, rows: &[u32]) -> Vec<String> {
        rows.iter()
            .filter_map(|r| self.rows.get(*r as usize))
            .map(|row| row.doc_id().to_owned())
            .collect()
    }

    /// The rows as the API shows them; unknown row numbers are skipped.
    pub fn items(&self, rows: &[u32]) -> Vec<WishItem> {
        rows.iter()
            .filter_map(|r| self.rows.get(*r as usize))
            .map(|row| row.item(&self.dicts))
            .collect()
    }
}

/// Counts every match in the window and keeps the rows of the requested page.
fn scan(window: &[ListKey], codes: &Codes, paging: Paging) -> (usize, Vec<u32>) {
    let (skip, take) = (paging.offset(), paging.per_page);
    let mut total = 0;
    let mut rows = Vec::with_capacity(take);
    for key in window.iter().rev().filter(|k| codes.matches(k)) {
        if total >= skip && rows.len() < take {
            rows.push(key.row);
        }
        total += 1;
    }
    (total, rows)
}
