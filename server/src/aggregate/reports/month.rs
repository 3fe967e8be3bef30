//! The steps wishes took in a time window (the monthly report's wish figures): collected
//! by creation, claimed by the first claim, resolved by the first resolution, closed by
//! closing; one pass over the compact rows, no allocation per wish.

use std::collections::BTreeMap;

use serde::Serialize;
use wish_client_core::model::WishStatus;

use crate::aggregate::row::{Row, UNTRIAGED};
use crate::aggregate::{CommunitySet, OfficeIndex};

/// Statuses of a wish still waiting for help (需求清单).
const OPEN: [WishStatus; 6] = [
    WishStatus::Collected,
    WishStatus::Verified,
    WishStatus::Published,
    WishStatus::Claimed,
    WishStatus::Assigned,
    WishStatus::InProgress,
];

/// Collected and resolved in the window.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Steps {
    pub collected: u64,
    pub resolved: u64,
}

/// What the wishes in scope did in `[from, to)`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct WindowSteps {
    pub collected: u64,
    pub claimed: u64,
    pub resolved: u64,
    pub closed: u64,
    /// Wishes open now, whenever collected.
    pub open_now: u64,
    /// Ratings of the wishes resolved in the window, and their sum.
    pub rated: u64,
    pub rating_sum: u64,
    /// By module code (`untriaged` for none).
    pub by_module: BTreeMap<String, Steps>,
    /// By community id, then station id.
    pub by_station: BTreeMap<String, BTreeMap<String, Steps>>,
}

impl OfficeIndex {
    /// The steps of every wish of the communities in `[from, to)`.
    pub fn window_steps(&self, community: &CommunitySet, from: u64, to: u64) -> WindowSteps {
        let mut steps = WindowSteps::default();
        let codes: Option<Vec<u32>> = community.listed().map(|listed| {
            listed
                .iter()
                .filter_map(|c| self.dicts.community.get(c.as_str()))
                .collect()
        });
        let open: Vec<u8> = OPEN
            .iter()
            .filter_map(|s| self.dicts.status.get(s.as_str()))
            .collect();
        let mut modules: BTreeMap<u8, Steps> = BTreeMap::new();
        let mut stations: BTreeMap<u32, Steps> = BTreeMap::new();
        let within =
            |t: Option<std::num::NonZeroU64>| t.is_some_and(|t| (from..to).contains(&t.get()));
        for row in self
            .rows
            .iter()
            .filter(|r| codes.as_ref().is_none_or(|c| c.contains(&r.community)))
        {
            steps.open_now += u64::from(open.contains(&row.status));
            steps.claimed += u64::from(within(row.first_claim_at));
            steps.closed += u64::from(within(row.closed_at));
            if (from..to).contains(&row.created_at) {
                steps.collected += 1;
                modules.entry(row.module).or_default().collected += 1;
                stations.entry(row.station).or_default().collected += 1;
            }
            if within(row.resolved_at) {
                count_resolved(&mut steps, row);
                modules.entry(row.module).or_default().resolved += 1;
                stations.entry(row.station).or_default().resolved += 1;
            }
        }
        steps.by_module = self.module_names(modules);
        steps.by_station = self.station_ids(stations);
        steps
    }

    fn module_names(&self, modules: BTreeMap<u8, Steps>) -> BTreeMap<String, Steps> {
        let name = |code: u8| match code {
            0 => UNTRIAGED.to_owned(),
            _ => self.dicts.module.name(code).to_owned(),
        };
        modules.into_iter().map(|(m, s)| (name(m), s)).collect()
    }

    fn station_ids(
        &self,
        stations: BTreeMap<u32, Steps>,
    ) -> BTreeMap<String, BTreeMap<String, Steps>> {
        let d = &self.dicts;
        let mut out: BTreeMap<String, BTreeMap<String, Steps>> = BTreeMap::new();
        for (code, steps) in stations {
            let (community, station) = d.station.key(code).copied().unwrap_or_default();
            out.entry(d.community.name(community).to_owned())
                .or_default()
                .insert(d.station_id.name(station).to_owned(), steps);
        }
        out
    }
}

fn count_resolved(steps: &mut WindowSteps, row: &Row) {
    steps.resolved += 1;
    if row.rating != 0 {
        steps.rated += 1;
        steps.rating_sum += u64::from(row.rating);
    }
}

#[cfg(test)]
mod tests {
    use wish_client_core::model::wish::WishSummary;

    use super::*;
    use crate::aggregate::OverdueTargets;

    fn wish(id: &str, community: &str, created_at: u64, resolved_at: Option<u64>) -> WishSummary {
        WishSummary {
            id: id.into(),
            community: community.into(),
            station: "center".into(),
            module: Some("medical".into()),
            status: if resolved_at.is_some() {
                "rated"
            } else {
                "published"
            }
            .into(),
            channel: "door_to_door".into(),
            urgency: "normal".into(),
            created_at,
            published_at: None,
            first_claim_at: resolved_at.map(|t| t - 5),
            assigned_at: None,
            resolved_at,
            closed_at: None,
            close_reason: None,
            claimants: vec![],
            hours: 1.0,
            rating: resolved_at.map(|_| 4),
            title: "上门问诊".into(),
        }
    }

    #[test]
    fn each_step_counts_in_its_own_window() {
        let summaries = [
            ("d1", wish("w1", "c1", 10, Some(120))),
            ("d2", wish("w2", "c1", 110, None)),
            ("d3", wish("w3", "c2", 110, Some(130))),
        ];
        let index = OfficeIndex::from_summaries(
            summaries.map(|(d, w)| (d.to_owned(), w)),
            OverdueTargets::default(),
        );
        let steps = index.window_steps(&CommunitySet::of(["c1"]), 100, 200);
        assert_eq!((steps.collected, steps.claimed, steps.resolved), (1, 1, 1));
        assert_eq!((steps.open_now, steps.rated, steps.rating_sum), (1, 1, 4));
        let medical = steps.by_module["medical"];
        assert_eq!((medical.collected, medical.resolved), (1, 1));
        assert_eq!(steps.by_station["c1"]["center"].collected, 1);
        assert_eq!(
            index.window_steps(&CommunitySet::all(), 100, 200).collected,
            2
        );
        assert_eq!(
            index.window_steps(&CommunitySet::of(["c9"]), 0, 200),
            WindowSteps::default()
        );
    }
}
