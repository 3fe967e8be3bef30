//! Counters per month of creation (local calendar months, UTC+8), for everything and per
//! community, so that figures over a date range merge the months it covers whole and
//! scan only the rows of the partial months at its edges. The dashboard's ranges (this
//! month, last month, a quarter, a year) are whole months: they scan nothing.

use std::collections::{BTreeMap, HashMap};

use super::counters::{Parts, Scope};
use super::row::Row;
use super::window::Window;
use crate::calendar::{civil_from_days, days_from_civil, local_day, local_ms};

/// A local calendar month as a sortable number: `year * 100 + month`, e.g. 202611.
pub(crate) type MonthKey = u32;

/// The month of a time.
pub(crate) fn month_of(ms: u64) -> MonthKey {
    let (year, month, _) = civil_from_days(local_day(ms));
    u32::try_from(year * 100 + month).unwrap_or(0)
}

/// When a month starts (UTC milliseconds).
pub(crate) fn month_start(key: MonthKey) -> u64 {
    let (year, month) = (i64::from(key / 100), i64::from(key % 100));
    local_ms(days_from_civil(year, month, 1), 0)
}

fn next_month(key: MonthKey) -> MonthKey {
    if key % 100 >= 12 {
        (key / 100 + 1) * 100 + 1
    } else {
        key + 1
    }
}

/// The counters of each month, for everything and per community code.
#[derive(Debug, Default)]
pub(crate) struct MonthBuckets {
    pub global: BTreeMap<MonthKey, Scope>,
    pub by_community: HashMap<u32, BTreeMap<MonthKey, Scope>>,
}

impl MonthBuckets {
    /// Adds (`delta` = 1) or removes (`delta` = -1) one wish in its month of creation.
    pub fn apply(&mut self, row: &Row, delta: i64) {
        let month = month_of(row.created_at);
        apply_in(&mut self.global, month, row, delta);
        apply_in(
            self.by_community.entry(row.community).or_default(),
            month,
            row,
            delta,
        );
    }
}

fn apply_in(months: &mut BTreeMap<MonthKey, Scope>, month: MonthKey, row: &Row, delta: i64) {
    let scope = months.entry(month).or_default();
    scope.apply(row, delta);
    if scope.total == 0 {
        months.remove(&month);
    }
}

/// How a window splits into whole months (read from the buckets) and edges (scanned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Whole months `[first, end)`; `None`: no whole month, scan the whole window.
    pub months: Option<(MonthKey, MonthKey)>,
    /// Creation-time ranges to scan.
    pub edges: Vec<Window>,
}

impl Plan {
    pub fn of(window: Window) -> Self {
        let first = match window.from {
            None => 0,
            Some(from) => {
                let month = month_of(from);
                if month_start(month) < from {
                    next_month(month)
                } else {
                    month
                }
            }
        };
        let end = window.to.map_or(MonthKey::MAX, month_of);
        if first >= end {
            return Self {
                months: None,
                edges: vec![window],
            };
        }
        let mut edges = Vec::new();
        if let Some(from) = window.from {
            let start = month_start(first);
            if from < start {
                edges.push(Window::new(Some(from), Some(start)));
            }
        }
        if let Some(to) = window.to {
            let start = month_start(end);
            if start < to {
                edges.push(Window::new(Some(start), Some(to)));
            }
        }
        Self {
            months: Some((first, end)),
            edges,
        }
    }
}

/// The merged counters (`parts` of them) of the months `[first, end)` of `months`.
pub(crate) fn merged(
    months: &BTreeMap<MonthKey, Scope>,
    (first, end): (MonthKey, MonthKey),
    parts: Parts,
) -> Scope {
    let mut scope = Scope::default();
    for (_, month) in months.range(first..end) {
        scope.merge_parts(month, parts);
    }
    scope
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::parse_local_date;

    fn date(text: &str) -> u64 {
        parse_local_date(text).unwrap_or(0)
    }

    #[test]
    fn months_follow_the_local_calendar() {
        assert_eq!(month_of(date("2026-11-30")), 202611);
        assert_eq!(month_of(date("2026-12-01") - 1), 202611);
        assert_eq!(month_of(date("2026-12-01")), 202612);
        assert_eq!(month_start(202612), date("2026-12-01"));
        assert_eq!(next_month(202612), 202701);
    }

    #[test]
    fn a_window_splits_into_whole_months_and_scanned_edges() {
        let whole = Window::new(Some(date("2026-09-01")), Some(date("2026-12-01")));
        assert_eq!(
            Plan::of(whole),
            Plan {
                months: Some((202609, 202612)),
                edges: vec![]
            }
        );
        let custom = Window::new(Some(date("2026-09-15")), Some(date("2026-11-20")));
        assert_eq!(
            Plan::of(custom),
            Plan {
                months: Some((202610, 202611)),
                edges: vec![
                    Window::new(Some(date("2026-09-15")), Some(date("2026-10-01"))),
                    Window::new(Some(date("2026-11-01")), Some(date("2026-11-20"))),
                ]
            }
        );
        let short = Window::new(Some(date("2026-09-15")), Some(date("2026-10-20")));
        assert_eq!(Plan::of(short).months, None);
        let open = Window::new(None, Some(date("2026-10-01")));
        assert_eq!(Plan::of(open).months, Some((0, 202610)));
    }
}
