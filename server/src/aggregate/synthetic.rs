//! Synthetic summaries for benchmarks and tests: `OfficeIndex::synthetic(n, seed)` builds
//! an index of `n` wishes shaped like a district a year into the programme.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wish_client_core::model::wish::WishSummary;
use wish_client_core::model::{Channel, Module, Urgency};
use wish_client_core::proto::DocumentId;

use super::{Members, OfficeIndex, OverdueTargets};
use crate::calendar::{DAY_MS, HOUR_MS, MINUTE_MS};

/// The "now" of synthetic data (2026-01-01 00:00 UTC+8), so a seed always gives the same
/// index.
pub const SYNTHETIC_NOW_MS: u64 = 1_767_196_800_000;

const TITLES: [&str; 12] = [
    "独居老人需要上门问诊",
    "帮忙安装路由器",
    "咨询遗产继承",
    "楼道灯不亮",
    "孩子心理辅导",
    "求职简历修改",
    "轮椅维修",
    "代买常用药",
    "陪同老人去医院复查",
    "法律援助咨询",
    "家电维修",
    "智能手机使用教学",
];

/// Final status and its weight.
const STAGES: [(&str, u32); 10] = [
    ("collected", 5),
    ("verified", 4),
    ("published", 9),
    ("claimed", 5),
    ("assigned", 5),
    ("in_progress", 6),
    ("resolved", 7),
    ("rated", 12),
    ("closed", 43),
    ("rejected", 4),
];

impl OfficeIndex {
    /// An index of `n` synthetic wishes; the same `(n, seed)` always gives the same index.
    pub fn synthetic(n: usize, seed: u64) -> Self {
        Self::synthetic_in(n, None, seed)
    }

    /// Like [`OfficeIndex::synthetic`], over `communities` communities (by default one per
    /// 25,000 wishes).
    pub fn synthetic_in(n: usize, communities: Option<usize>, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut shape = Shape::for_size(n);
        if let Some(count) = communities {
            shape.communities = community_ids(count.clamp(1, 1000));
        }
        let summaries: Vec<_> = (0..n).map(|_| shape.wish(&mut rng)).collect();
        Self::from_summaries(summaries, OverdueTargets::default())
    }
}

struct Shape {
    communities: Vec<String>,
    stations_per_community: usize,
    claimants: usize,
}

impl Shape {
    fn for_size(n: usize) -> Self {
        let communities = (n / 25_000).clamp(1, 200);
        Self {
            communities: community_ids(communities),
            stations_per_community: 4,
            claimants: (n / 8).clamp(10, 200_000),
        }
    }

    fn wish(&self, rng: &mut StdRng) -> (String, WishSummary) {
        let stage = weighted(rng);
        let created = SYNTHETIC_NOW_MS - rng.random_range(0..365 * DAY_MS);
        let community = &self.communities[rng.random_range(0..self.communities.len())];
        let station = rng.random_range(0..self.stations_per_community);
        let mut s = WishSummary {
            id: hex::encode(rng.random::<[u8; 16]>()),
            community: community.clone(),
            station: format!("station-{station}"),
            module: None,
            status: STAGES[stage].0.to_owned(),
            channel: pick(rng, Channel::ALL).as_str().to_owned(),
            urgency: pick(rng, Urgency::ALL).as_str().to_owned(),
            created_at: created,
            published_at: None,
            first_claim_at: None,
            assigned_at: None,
            resolved_at: None,
            closed_at: None,
            close_reason: None,
            claimants: Vec::new(),
            hours: 0.0,
            rating: None,
            title: TITLES[rng.random_range(0..TITLES.len())].to_owned(),
        };
        self.lifecycle(rng, &mut s, stage);
        (DocumentId::from_bytes(rng.random()).to_string(), s)
    }

    /// Times of each stage reached, in order; a closed wish was mostly fulfilled.
    fn lifecycle(&self, rng: &mut StdRng, s: &mut WishSummary, stage: usize) {
        let reached = match stage {
            8 => rng.random_range(1..8),
            9 => rng.random_range(0..2),
            other => other,
        };
        if reached >= 1 || rng.random_bool(0.5) {
            s.module = Some(pick(rng, Module::ALL).as_str().to_owned());
        }
        let mut at = s.created_at;
        let mut step = |rng: &mut StdRng, lo: u64, hi: u64| {
            at += rng.random_range(lo..hi);
            Some(at)
        };
        if reached >= 2 {
            s.published_at = step(rng, HOUR_MS, 3 * DAY_MS);
        }
        if reached >= 3 {
            s.first_claim_at = step(rng, 10 * MINUTE_MS, 5 * DAY_MS);
            s.claimants = (0..claimant_count(rng))
                .map(|_| format!("person-{:06}", rng.random_range(0..self.claimants)))
                .collect();
        }
        if reached >= 4 {
            s.assigned_at = step(rng, 0, HOUR_MS);
        }
        if reached >= 6 {
            s.resolved_at = step(rng, HOUR_MS, 20 * DAY_MS);
            s.hours = f64::from(rng.random_range(1u32..16)) / 2.0;
        }
        if reached >= 7 {
            s.rating = Some([3, 4, 4, 5, 5, 5, 2, 1][rng.random_range(0..8)]);
        }
        if stage == 8 {
            s.closed_at = step(rng, HOUR_MS, 2 * DAY_MS);
            let fulfilled = reached >= 6;
            s.close_reason = Some(if fulfilled { "fulfilled" } else { "withdrawn" }.to_owned());
        }
    }
}

fn community_ids(count: usize) -> Vec<String> {
    (0..count).map(|c| format!("community-{c:03}")).collect()
}

/// The synthetic claimants who are party members (双报到党员) in each community: every
/// fifth of the first 10,000 people (2,000 a community, a large directory).
pub fn synthetic_party(a: &OfficeIndex) -> Members {
    let people: BTreeSet<String> = (0..10_000)
        .step_by(5)
        .map(|p| format!("person-{p:06}"))
        .collect();
    let communities = a.communities.keys().map(|c| a.community_id(*c).to_owned());
    Members::new(communities.map(|c| (c, people.clone())).collect())
}

fn weighted(rng: &mut StdRng) -> usize {
    let total: u32 = STAGES.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (i, (_, w)) in STAGES.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    0
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn claimant_count(rng: &mut StdRng) -> usize {
    if rng.random_bool(0.8) {
        1
    } else {
        rng.random_range(2..4)
    }
}
