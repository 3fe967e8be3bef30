//! Duration distributions: a sorted multiset of whole minutes (a `BTreeMap` from minutes
//! to count), so adding and removing one wish is O(log n) and a report walks at most one
//! entry per distinct minute.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::calendar::MINUTE_MS;

/// Upper edges of the histogram buckets, in hours; the last bucket is open.
pub const BUCKET_EDGES_HOURS: [u64; 10] = [1, 4, 8, 24, 48, 72, 168, 336, 720, 2160];

/// A multiset of durations in minutes.
#[derive(Debug, Default, Clone)]
pub(crate) struct Dist {
    minutes: BTreeMap<u32, u64>,
    count: u64,
    sum_minutes: u64,
}

impl Dist {
    /// Adds (`delta` = 1) or removes (`delta` = -1) one duration.
    pub fn add(&mut self, duration_ms: u64, delta: i64) {
        let minutes = u32::try_from(duration_ms / MINUTE_MS).unwrap_or(u32::MAX);
        let entry = self.minutes.entry(minutes).or_default();
        *entry = entry.saturating_add_signed(delta);
        if *entry == 0 {
            self.minutes.remove(&minutes);
        }
        self.count = self.count.saturating_add_signed(delta);
        let d = i64::from(minutes).saturating_mul(delta);
        self.sum_minutes = self.sum_minutes.saturating_add_signed(d);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds every duration of `other` (the figures of several communities at once).
    pub fn merge(&mut self, other: &Dist) {
        for (minutes, n) in &other.minutes {
            *self.minutes.entry(*minutes).or_default() += n;
        }
        self.count += other.count;
        self.sum_minutes += other.sum_minutes;
    }

    /// The median (nearest rank) in hours: a walk over the lower half only.
    pub fn median_hours(&self) -> Option<f64> {
        let rank = (50 * self.count).div_ceil(100).max(1);
        let mut seen = 0u64;
        self.minutes.iter().find_map(|(&minutes, &n)| {
            seen += n;
            (seen >= rank).then(|| hours(minutes))
        })
    }

    /// Percentiles (nearest rank), mean and hour buckets, in one walk.
    pub fn report(&self) -> DistReport {
        let ranks = [50u64, 90, 99].map(|p| (p * self.count).div_ceil(100).max(1));
        let mut found = [None; 3];
        let mut buckets = empty_buckets();
        let mut seen = 0u64;
        for (&minutes, &n) in &self.minutes {
            seen += n;
            for (slot, rank) in found.iter_mut().zip(ranks) {
                if slot.is_none() && seen >= rank {
                    *slot = Some(hours(minutes));
                }
            }
            let hour = u64::from(minutes) / 60;
            let i = BUCKET_EDGES_HOURS.partition_point(|edge| *edge <= hour);
            if let Some(bucket) = buckets.get_mut(i) {
                bucket.count += n;
            }
        }
        DistReport {
            count: self.count,
            p50_hours: found[0],
            p90_hours: found[1],
            p99_hours: found[2],
            mean_hours: (self.count > 0)
                .then(|| self.sum_minutes as f64 / self.count as f64 / 60.0),
            buckets,
        }
    }
}

fn hours(minutes: u32) -> f64 {
    (f64::from(minutes) / 60.0 * 100.0).round() / 100.0
}

fn empty_buckets() -> Vec<Bucket> {
    let mut from = 0;
    let mut out = Vec::with_capacity(BUCKET_EDGES_HOURS.len() + 1);
    for edge in BUCKET_EDGES_HOURS {
        out.push(Bucket {
            from_hours: from,
            to_hours: Some(edge),
            count: 0,
        });
        from = edge;
    }
    out.push(Bucket {
        from_hours: from,
        to_hours: None,
        count: 0,
    });
    out
}

/// One distribution as reported: percentiles in hours (to the minute) and buckets.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct DistReport {
    pub count: u64,
    pub p50_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    pub p99_hours: Option<f64>,
    pub mean_hours: Option<f64>,
    pub buckets: Vec<Bucket>,
}

/// Durations of at least `from_hours` and less than `to_hours` (open if `None`).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Bucket {
    pub from_hours: u64,
    pub to_hours: Option<u64>,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::HOUR_MS;

    #[test]
    fn percentiles_and_buckets_follow_adds_and_removes() {
        let mut d = Dist::default();
        for h in 1..=100u64 {
            d.add(h * HOUR_MS, 1);
        }
        d.add(500 * HOUR_MS, 1);
        d.add(500 * HOUR_MS, -1);
        let r = d.report();
        assert_eq!(r.count, 100);
        assert_eq!(r.p50_hours, Some(50.0));
        assert_eq!(r.p90_hours, Some(90.0));
        assert_eq!(r.p99_hours, Some(99.0));
        assert_eq!(r.buckets.iter().map(|b| b.count).sum::<u64>(), 100);
        assert_eq!(r.buckets[0].count, 0); // [0, 1)
        assert_eq!(r.buckets[1].count, 3); // [1, 4)
    }

    #[test]
    fn an_empty_distribution_has_no_percentiles() {
        let r = Dist::default().report();
        assert_eq!((r.count, r.p50_hours, r.mean_hours), (0, None, None));
    }
}
