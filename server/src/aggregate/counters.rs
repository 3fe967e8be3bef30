//! Precomputed counters of one scope (everything, or one community). Every change of a
//! wish subtracts its old row and adds its new one, so reports never scan wishes.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use super::durations::Dist;
use super::row::Row;
use crate::calendar::{iso_week, WeekKey};

pub(crate) type Counts<K> = HashMap<K, u64>;

/// Adds `delta` to `map[key]`, dropping the entry when it reaches zero.
pub(crate) fn bump<K: Hash + Eq>(map: &mut Counts<K>, key: K, delta: i64) {
    match map.entry(key) {
        Entry::Occupied(mut entry) => {
            let value = entry.get_mut();
            *value = value.saturating_add_signed(delta);
            if *value == 0 {
                entry.remove();
            }
        }
        Entry::Vacant(entry) => {
            if delta > 0 {
                entry.insert(delta.unsigned_abs());
            }
        }
    }
}

/// Wishes created and resolved in one ISO week.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WeekCounts {
    pub created: u64,
    pub resolved: u64,
}

/// Sum and count of ratings.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RatingSum {
    pub count: u64,
    pub sum: u64,
}

/// Time to claim (publication → first claim) and time to resolve (publication, or
/// collection when never published → first resolution).
#[derive(Debug, Default, Clone)]
pub(crate) struct Durations {
    pub to_claim: Dist,
    pub to_resolve: Dist,
}

impl Durations {
    fn apply(&mut self, row: &Row, delta: i64) {
        if let (Some(published), Some(claimed)) = (row.published_at, row.first_claim_at) {
            self.to_claim
                .add(claimed.get().saturating_sub(published.get()), delta);
        }
        if let Some(resolved) = row.resolved_at {
            let took = resolved.get().saturating_sub(row.clock_start());
            self.to_resolve.add(took, delta);
        }
    }

    fn is_empty(&self) -> bool {
        self.to_claim.count() == 0 && self.to_resolve.count() == 0
    }

    fn merge(&mut self, other: &Durations) {
        self.to_claim.merge(&other.to_claim);
        self.to_resolve.merge(&other.to_resolve);
    }
}

/// What one claimant did (from the active claims of wishes' summaries).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClaimantTotals {
    pub wishes: u64,
    pub resolved: u64,
    /// The claimant's share of the wishes' resolved hours, in thousandths of an hour.
    pub hours_milli: u64,
}

/// Counters of one scope.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    pub total: u64,
    /// Wishes with a first claim.
    pub claimed: u64,
    pub by_status: Counts<u8>,
    pub by_module: Counts<u8>,
    pub by_channel: Counts<u8>,
    pub by_urgency: Counts<u8>,
    pub by_close_reason: Counts<u8>,
    pub by_station: Counts<u32>,
    pub by_community: Counts<u32>,
    pub by_week: BTreeMap<WeekKey, WeekCounts>,
    pub hours_milli: u64,
    pub ratings: [u64; 5],
    pub rating_by_module: HashMap<u8, RatingSum>,
    pub rating_by_station: HashMap<u32, RatingSum>,
    /// Ratings of the wishes each claimant held a claim on (a wish counts for each).
    pub rating_by_claimant: HashMap<u32, RatingSum>,
    pub durations: Durations,
    pub durations_by_module: HashMap<u8, Durations>,
    pub volunteers: HashMap<u32, ClaimantTotals>,
}

/// Which counters a report reads: figures over a date range build (or merge) only those,
/// since the claimant maps and the distributions cost far more than the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// Totals, counts by field, weeks and hours.
    pub counts: bool,
    pub durations: bool,
    /// Ratings overall, by module and by station.
    pub ratings: bool,
    pub claimant_ratings: bool,
    pub volunteers: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        counts: true,
        durations: true,
        ratings: true,
        claimant_ratings: true,
        volunteers: true,
    };
    pub const NONE: Parts = Parts {
        counts: false,
        durations: false,
        ratings: false,
        claimant_ratings: false,
        volunteers: false,
    };
    pub const COUNTS: Parts = Parts {
        counts: true,
        ..Parts::NONE
    };
    pub const DURATIONS: Parts = Parts {
        durations: true,
        ..Parts::NONE
    };
    pub const RATINGS: Parts = Parts {
        ratings: true,
        ..Parts::NONE
    };
    pub const VOLUNTEERS: Parts = Parts {
        volunteers: true,
        ..Parts::NONE
    };
    /// The community comparison's: everything but the ratings per claimant.
    pub const COMPARISON: Parts = Parts {
        claimant_ratings: false,
        ..Parts::ALL
    };
    /// The ratings report's.
    pub const CLAIMANT_RATINGS: Parts = Parts {
        ratings: true,
        claimant_ratings: true,
        ..Parts::NONE
    };
}

impl Scope {
    /// Adds the counters in `parts` of `other` (a disjoint scope: another community or
    /// month), for figures over several. Costs one walk of `other`'s maps, never of its
    /// wishes.
    pub fn merge_parts(&mut self, other: &Scope, parts: Parts) {
        self.total += other.total;
        self.claimed += other.claimed;
        self.hours_milli += other.hours_milli;
        if parts.counts {
            add_counts(&mut self.by_status, &other.by_status);
            add_counts(&mut self.by_module, &other.by_module);
            add_counts(&mut self.by_channel, &other.by_channel);
            add_counts(&mut self.by_urgency, &other.by_urgency);
            add_counts(&mut self.by_close_reason, &other.by_close_reason);
            add_counts(&mut self.by_station, &other.by_station);
            add_counts(&mut self.by_community, &other.by_community);
            for (week, counts) in &other.by_week {
                let mine = self.by_week.entry(*week).or_default();
                mine.created += counts.created;
                mine.resolved += counts.resolved;
            }
        }
        if parts.ratings {
            for (mine, theirs) in self.ratings.iter_mut().zip(other.ratings) {
                *mine += theirs;
            }
            add_ratings(&mut self.rating_by_module, &other.rating_by_module);
            add_ratings(&mut self.rating_by_station, &other.rating_by_station);
        }
        if parts.claimant_ratings {
            add_ratings(&mut self.rating_by_claimant, &other.rating_by_claimant);
        }
        if parts.durations {
            self.durations.merge(&other.durations);
            for (module, durations) in &other.durations_by_module {
                self.durations_by_module
                    .entry(*module)
                    .or_default()
                    .merge(durations);
            }
        }
        if parts.volunteers {
            for (claimant, totals) in &other.volunteers {
                let mine = self.volunteers.entry(*claimant).or_default();
                mine.wishes += totals.wishes;
                mine.resolved += totals.resolved;
                mine.hours_milli += totals.hours_milli;
            }
        }
    }

    /// Adds (`delta` = 1) or removes (`delta` = -1) one wish.
    pub fn apply(&mut self, row: &Row, delta: i64) {
        self.apply_parts(row, delta, Parts::ALL);
    }

    /// Like [`Scope::apply`], for the counters in `parts` only.
    pub fn apply_parts(&mut self, row: &Row, delta: i64, parts: Parts) {
        self.total = self.total.saturating_add_signed(delta);
        if row.first_claim_at.is_some() {
            self.claimed = self.claimed.saturating_add_signed(delta);
        }
        let hours = i64::from(row.hours_milli).saturating_mul(delta);
        self.hours_milli = self.hours_milli.saturating_add_signed(hours);
        if parts.counts {
            bump(&mut self.by_status, row.status, delta);
            bump(&mut self.by_module, row.module, delta);
            bump(&mut self.by_channel, row.channel, delta);
            bump(&mut self.by_urgency, row.urgency, delta);
            if row.close_reason != 0 {
                bump(&mut self.by_close_reason, row.close_reason, delta);
            }
            bump(&mut self.by_station, row.station, delta);
            bump(&mut self.by_community, row.community, delta);
            self.apply_weeks(row, delta);
        }
        if parts.ratings || parts.claimant_ratings {
            self.apply_rating(row, delta, parts);
        }
        if parts.durations {
            self.apply_durations(row, delta);
        }
        if parts.volunteers {
            self.apply_volunteers(row, delta);
        }
    }

    fn apply_weeks(&mut self, row: &Row, delta: i64) {
        let created = iso_week(row.created_at);
        self.week(created, |w| &mut w.created, delta);
        if let Some(resolved) = row.resolved_at {
            self.week(iso_week(resolved.get()), |w| &mut w.resolved, delta);
        }
    }

    fn week(&mut self, key: WeekKey, field: fn(&mut WeekCounts) -> &mut u64, delta: i64) {
        let counts = self.by_week.entry(key).or_default();
        let value = field(counts);
        *value = value.saturating_add_signed(delta);
        if *counts == WeekCounts::default() {
            self.by_week.remove(&key);
        }
    }

    fn apply_rating(&mut self, row: &Row, delta: i64, parts: Parts) {
        let Some(slot) = usize::from(row.rating).checked_sub(1) else {
            return;
        };
        // The overall distribution is cheap and the ratings report reads it too.
        if let Some(n) = self.ratings.get_mut(slot) {
            *n = n.saturating_add_signed(delta);
        }
        let score = u64::from(row.rating);
        if parts.ratings {
            rate(&mut self.rating_by_module, row.module, score, delta);
            rate(&mut self.rating_by_station, row.station, score, delta);
        }
        if parts.claimant_ratings {
            for claimant in row.claimants.iter() {
                rate(&mut self.rating_by_claimant, *claimant, score, delta);
            }
        }
    }

    fn apply_durations(&mut self, row: &Row, delta: i64) {
        self.durations.apply(row, delta);
        let by_module = self.durations_by_module.entry(row.module).or_default();
        by_module.apply(row, delta);
        if by_module.is_empty() {
            self.durations_by_module.remove(&row.module);
        }
    }

    fn apply_volunteers(&mut self, row: &Row, delta: i64) {
        let n = row.claimants.len() as u64;
        let hours = u64::from(row.hours_milli);
        for (i, claimant) in row.claimants.iter().enumerate() {
            // Equal shares; the first claimant takes the remainder.
            let share = hours / n + if i == 0 { hours % n } else { 0 };
            let totals = self.volunteers.entry(*claimant).or_default();
            totals.wishes = totals.wishes.saturating_add_signed(delta);
            if row.resolved_at.is_some() {
                totals.resolved = totals.resolved.saturating_add_signed(delta);
            }
            let share = i64::try_from(share)
                .unwrap_or(i64::MAX)
                .saturating_mul(delta);
            totals.hours_milli = totals.hours_milli.saturating_add_signed(share);
            if totals.wishes == 0 {
                self.volunteers.remove(claimant);
            }
        }
    }
}

fn rate<K: Hash + Eq + Copy>(map: &mut HashMap<K, RatingSum>, key: K, score: u64, delta: i64) {
    let sum = map.entry(key).or_default();
    sum.count = sum.count.saturating_add_signed(delta);
    let points = i64::try_from(score).unwrap_or(0).saturating_mul(delta);
    sum.sum = sum.sum.saturating_add_signed(points);
    if sum.count == 0 {
        map.remove(&key);
    }
}

fn add_counts<K: Hash + Eq + Copy>(mine: &mut Counts<K>, theirs: &Counts<K>) {
    for (key, n) in theirs {
        *mine.entry(*key).or_default() += n;
    }
}

fn add_ratings<K: Hash + Eq + Copy>(
    mine: &mut HashMap<K, RatingSum>,
    theirs: &HashMap<K, RatingSum>,
) {
    for (key, sum) in theirs {
        let entry = mine.entry(*key).or_default();
        entry.count += sum.count;
        entry.sum += sum.sum;
    }
}
