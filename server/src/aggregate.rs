//! The office's in-memory aggregate index over every wish's summary row.
//!
//! [`OfficeIndex`] is loaded from the `["summary", wishDocId]` rows with one range scan
//! ([`OfficeIndex::load`]) and kept current with [`OfficeIndex::upsert`], called with each
//! summary the engine commits (see [`crate::runtime::SummaryFeed`] for a helper that keeps the engine thread from
//! ever waiting on a query). Share it as [`SharedIndex`] (`Arc<RwLock<_>>`): queries
//! take the read lock for a few milliseconds, updates the write lock for microseconds.
//!
//! Every query over a million wishes answers in well under 100 ms because nothing scans
//! JSON and most reports scan nothing at all:
//!
//! * counts by status, module, channel, urgency, close reason, station, community and ISO
//!   week, hours, ratings and claimant totals are counters updated on every change
//!   (subtract the old row, add the new), once for everything and once per community;
//! * time to claim and time to resolve are sorted multisets of minutes (`BTreeMap`), so a
//!   percentile report walks one entry per distinct minute;
//! * the list is a vector of 24-byte keys sorted by creation time (read backwards: newest
//!   first) with the filter fields in them: a page is a binary search for the time window
//!   and one sequential scan, and a new wish is appended;
//! * overdue wishes are a `BTreeMap` from (urgency, module, clock start, row) to the same
//!   24-byte key, over open wishes only: "overdue at `now`" under any office's targets is
//!   one range scan per (urgency, module) that never touches rows;
//! * the same counters are kept per calendar month of creation (`months.rs`): figures over
//!   a date range merge the whole months it covers and scan only the rows of its partial
//!   edge months (`window.rs`), and only the counters the report reads.
//!
//! **Memory per wish** (64-bit): the row is 112 bytes inline plus one allocation with the
//! document id, wish id and title (≈ 28 + 32 + 30 bytes, plus allocator overhead ≈ 16),
//! 4 bytes per claimant; the list key 24 bytes; the document index ≈ 17–34 bytes (a
//! hashed id, not the id); an open wish's deadline entry ≈ 56 bytes; distributions and
//! counters grow with distinct minutes, stations and claimants, not with wishes. About
//! 300 bytes a wish: ≈ 0.3 GB for a million wishes ([`OfficeIndex::heap_bytes`] estimates
//! it). Loading also holds every summary row's JSON once, briefly (`load_range`).

mod communities;
mod counters;
mod dict;
mod durations;
pub mod months;
mod order;
mod overdue;
mod query;
mod reports;
mod row;
mod synthetic;
mod window;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use wish_client_core::model::wish::WishSummary;

use crate::domain::SUMMARY_PREFIX;
use crate::storage::{Storage, StorageError};

use self::counters::Scope;
use self::dict::DocIndex;
use self::months::MonthBuckets;
use self::order::{ListKey, ListOrder};
use self::overdue::OverdueIndex;
use self::row::{Dicts, Row};

pub use self::communities::CommunitySet;
pub use self::durations::{Bucket, DistReport, BUCKET_EDGES_HOURS};
pub use self::overdue::OverdueTargets;
pub use self::query::{Paging, WishFilter, WishPage};
pub use self::reports::UnitMembers;
pub use self::reports::{coverage_of, CoverageReport, CoverageTotals, ShiftRef, StationCoverage};
pub use self::reports::{
    offers_and_projects, suggestions, ListsReport, Needs, OfferItem, Offers, ProjectItem, Projects,
    Suggestion, OPEN_STATUSES,
};
pub use self::reports::{
    ClaimantRating, CommunityRow, ComparisonReport, DurationReport, Members, OverdueItem,
    OverdueQuery, OverdueReport, ParticipationReport, ParticipationRow, RatingNames, RatingRow,
    RatingsReport, SatisfactionReport, ServiceTotals, Shares, StationCount, StationRating, Steps,
    SummaryReport, TargetRow, VolunteerHours, VolunteerReport, VolunteerRow, WeekRow, WindowSteps,
};
pub use self::row::{ItemNames, WishItem, UNTRIAGED, WISH_STATUSES};
pub use self::synthetic::{synthetic_party, SYNTHETIC_NOW_MS};
pub use self::window::Window;
pub use crate::calendar::{format_local, parse_local_date, LOCAL_OFFSET_MS};

/// The index as the server shares it between the engine thread and the HTTP handlers.
pub type SharedIndex = Arc<RwLock<OfficeIndex>>;

/// Wraps an index for sharing.
pub fn shared(aggregates: OfficeIndex) -> SharedIndex {
    Arc::new(RwLock::new(aggregates))
}

/// Counters, distributions and compact rows of every wish; see the module documentation.
#[derive(Debug, Default)]
pub struct OfficeIndex {
    dicts: Dicts,
    rows: Vec<Row>,
    docs: DocIndex,
    order: ListOrder,
    overdue: OverdueIndex,
    global: Scope,
    communities: HashMap<u32, Scope>,
    /// The same counters per month of creation, for date ranges.
    months: MonthBuckets,
    targets: OverdueTargets,
}

impl OfficeIndex {
    /// An empty index with these overdue targets.
    pub fn new(targets: OverdueTargets) -> Self {
        Self {
            targets,
            ..Self::default()
        }
    }

    /// Loads every summary row with one range scan, with the default overdue targets.
    pub fn load(storage: &dyn Storage) -> Result<Self, StorageError> {
        Self::load_with(storage, OverdueTargets::default())
    }

    /// Loads every summary row with one range scan (see [`parse_row`]).
    pub fn load_with(storage: &dyn Storage, targets: OverdueTargets) -> Result<Self, StorageError> {
        let rows = storage.load_range(&[SUMMARY_PREFIX.to_owned()])?;
        let summaries = rows
            .into_iter()
            .filter_map(|(key, bytes)| parse_row(&key, &bytes));
        Ok(Self::from_summaries(summaries, targets))
    }

    /// Builds an index from many summaries at once (one sort for the list order).
    pub fn from_summaries(
        summaries: impl IntoIterator<Item = (String, WishSummary)>,
        targets: OverdueTargets,
    ) -> Self {
        let mut index = Self::new(targets);
        for (doc, summary) in summaries {
            index.store(&doc, &summary);
        }
        let keys = (0u32..).zip(&index.rows).map(|(i, r)| ListKey::of(r, i));
        index.order = ListOrder::build(keys.collect());
        index
    }

    /// Records the latest summary of a wish document (new or changed).
    pub fn upsert(&mut self, doc_id: &str, summary: WishSummary) {
        if let Some((old, new)) = self.store(doc_id, &summary) {
            self.order.update(old, new);
        }
    }

    /// How many wishes the index holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn targets(&self) -> &OverdueTargets {
        &self.targets
    }

    /// Estimated heap use of the whole index, in bytes.
    pub fn heap_bytes(&self) -> usize {
        let rows: usize = self.rows.iter().map(|r| r.heap_bytes() + 16).sum();
        let spare = (self.rows.capacity() - self.rows.len()) * std::mem::size_of::<Row>();
        let claimants = self.dicts.claimant.heap_bytes(|k| k.len());
        rows + spare
            + claimants
            + self.docs.heap_bytes()
            + self.order.heap_bytes()
            + self.overdue.heap_bytes()
    }

    /// Stores a row and updates counters and deadlines; returns the old and new list keys,
    /// or `None` if the summary did not change.
    fn store(&mut self, doc_id: &str, summary: &WishSummary) -> Option<(Option<ListKey>, ListKey)> {
        let row = Row::new(doc_id, summary, &mut self.dicts);
        let rows = &self.rows;
        let found = self
            .docs
            .get(doc_id, |i| rows.get(i as usize).map_or("", Row::doc_id));
        if found.is_some_and(|i| rows.get(i as usize) == Some(&row)) {
            return None;
        }
        let (index, old) = match found {
            Some(i) => (i, Some(std::mem::replace(&mut self.rows[i as usize], row))),
            None => {
                let i = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
                self.rows.push(row);
                self.docs.insert(doc_id, i);
                (i, None)
            }
        };
        let old_open = old.as_ref().and_then(|r| {
            Some((
                OverdueIndex::open_since(r, &self.dicts)?,
                ListKey::of(r, index),
            ))
        });
        if let Some(old) = &old {
            self.counters().add(old, -1);
        }
        let new = &self.rows[index as usize];
        Counters {
            global: &mut self.global,
            communities: &mut self.communities,
            months: &mut self.months,
        }
        .add(new, 1);
        let key = ListKey::of(new, index);
        let new_open = OverdueIndex::open_since(new, &self.dicts).map(|start| (start, key));
        self.overdue.update(old_open, new_open);
        Some((old.map(|r| ListKey::of(&r, index)), key))
    }

    fn counters(&mut self) -> Counters<'_> {
        Counters {
            global: &mut self.global,
            communities: &mut self.communities,
            months: &mut self.months,
        }
    }

    /// The counters of one community; `None` if the community has no wishes.
    fn community_scope(&self, community: &str) -> Option<&Scope> {
        self.communities.get(&self.dicts.community.get(community)?)
    }
}

/// Every counter a row counts in (borrowed apart from the rows).
struct Counters<'a> {
    global: &'a mut Scope,
    communities: &'a mut HashMap<u32, Scope>,
    months: &'a mut MonthBuckets,
}

impl Counters<'_> {
    /// Adds a row to (or removes it from) the global counters, its community's and those
    /// of its month.
    fn add(self, row: &Row, delta: i64) {
        self.global.apply(row, delta);
        self.communities
            .entry(row.community)
            .or_default()
            .apply(row, delta);
        self.months.apply(row, delta);
    }
}

/// `(wish document id, summary)` of a `["summary", wishDocId]` row; an unreadable row is
/// logged and skipped (the next commit of that wish rewrites it).
pub fn parse_row(key: &[String], bytes: &[u8]) -> Option<(String, WishSummary)> {
    let doc = key.get(1)?;
    match serde_json::from_slice::<WishSummary>(bytes) {
        Ok(summary) => Some((doc.clone(), summary)),
        Err(error) => {
            tracing::warn!(%doc, %error, "unreadable summary row skipped");
            None
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_window;
