//! Overdue wishes: targets from going on the clock (publication, or collection when not
//! yet published) to resolution, per urgency and optionally per module, and an index of
//! open wishes by deadline so "overdue at `now`" is a range scan from the earliest.

use std::collections::BTreeMap;

use wish_client_core::model::due::target_days;
use wish_client_core::model::Urgency;

use super::order::ListKey;
use super::row::{Dicts, Row};
use crate::calendar::{DAY_MS, HOUR_MS};

/// Resolution targets. The defaults: urgent 2 days, high 7, normal 14, low 30.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueTargets {
    /// By (module or `None` for every module, urgency), in milliseconds.
    targets: BTreeMap<(Option<String>, String), u64>,
    /// For an urgency with no target.
    fallback_ms: u64,
}

impl Default for OverdueTargets {
    /// The client core's targets (`model::due`), so the office and the tablets' 我的任务
    /// give a wish the same due date.
    fn default() -> Self {
        Urgency::ALL.iter().fold(Self::none(), |targets, urgency| {
            targets.with(None, urgency.as_str(), target_days(*urgency) as f64)
        })
    }
}

impl OverdueTargets {
    /// No targets at all: every urgency falls back to 14 days.
    pub fn none() -> Self {
        Self {
            targets: BTreeMap::new(),
            fallback_ms: 14 * DAY_MS,
        }
    }

    /// Sets the target for `urgency` in `module` (or in every module when `None`).
    pub fn with(mut self, module: Option<&str>, urgency: &str, days: f64) -> Self {
        let ms = (days.max(0.0) * DAY_MS as f64).round() as u64;
        self.targets
            .insert((module.map(str::to_owned), urgency.to_owned()), ms);
        self
    }

    /// The target in milliseconds for a wish of this module and urgency.
    pub fn target_ms(&self, module: Option<&str>, urgency: &str) -> u64 {
        let specific =
            module.and_then(|m| self.targets.get(&(Some(m.to_owned()), urgency.to_owned())));
        specific
            .or_else(|| self.targets.get(&(None, urgency.to_owned())))
            .copied()
            .unwrap_or(self.fallback_ms)
    }

    /// Targets in whole hours per urgency (an office's own targets), every module alike.
    pub fn from_hours(hours: &BTreeMap<String, u64>) -> Self {
        hours.iter().fold(Self::none(), |targets, (urgency, h)| {
            targets.with(None, urgency, *h as f64 / 24.0)
        })
    }

    /// The target of each urgency for every module, in whole hours.
    pub fn hours_by_urgency(&self) -> BTreeMap<String, u64> {
        Urgency::ALL
            .iter()
            .map(|u| {
                let ms = self.target_ms(None, u.as_str());
                (u.as_str().to_owned(), ms.div_ceil(HOUR_MS))
            })
            .collect()
    }

    /// Every target, for the report: `(module, urgency, days)`.
    pub fn list(&self) -> Vec<(Option<String>, String, f64)> {
        self.targets
            .iter()
            .map(|((m, u), ms)| (m.clone(), u.clone(), *ms as f64 / DAY_MS as f64))
            .collect()
    }
}

/// Open wishes by (urgency, module, time they went on the clock), each with its filter
/// fields, so that "overdue at `now`" under any office's targets is one range scan per
/// (urgency, module) pair and a report never touches the rows it does not show.
#[derive(Debug, Default)]
pub(crate) struct OverdueIndex {
    by_start: BTreeMap<(u8, u8, u64, u32), ListKey>,
}

/// An open wish's place in the index: since when it is on the clock, and its key.
pub(crate) type OpenEntry = (u64, ListKey);

impl OverdueIndex {
    /// Since when a wish still open (not resolved, closed or rejected) is on the clock.
    pub fn open_since(row: &Row, dicts: &Dicts) -> Option<u64> {
        let status = dicts.status.name(row.status);
        let finished = matches!(status, "closed" | "rejected" | "resolved" | "rated");
        if finished || row.resolved_at.is_some() {
            return None;
        }
        Some(row.clock_start())
    }

    /// Moves a row from its old entry (if it was open) to its new one (if it is open).
    pub fn update(&mut self, old: Option<OpenEntry>, new: Option<OpenEntry>) {
        if let Some((start, key)) = old {
            self.by_start
                .remove(&(key.urgency, key.module, start, key.row));
        }
        if let Some((start, key)) = new {
            self.by_start
                .insert((key.urgency, key.module, start, key.row), key);
        }
    }

    /// Open wishes that `keep` selects whose deadline under `targets` is before `now`,
    /// as (deadline, key), in no particular order.
    pub fn before<'a>(
        &'a self,
        now: u64,
        targets: &OverdueTargets,
        dicts: &Dicts,
        keep: impl Fn(&ListKey) -> bool,
    ) -> Vec<(u64, &'a ListKey)> {
        let mut found = Vec::new();
        for (u, urgency) in dicts.urgency.iter() {
            for (m, module) in dicts.module.iter() {
                let module = (m != 0).then_some(module);
                let target = targets.target_ms(module, urgency);
                let Some(cutoff) = now.checked_sub(target) else {
                    continue;
                };
                let range = self.by_start.range((u, m, 0, 0)..(u, m, cutoff, 0));
                found.extend(
                    range
                        .filter(|(_, key)| keep(key))
                        .map(|((_, _, start, _), key)| (start.saturating_add(target), key)),
                );
            }
        }
        found
    }

    pub fn heap_bytes(&self) -> usize {
        // Keys of 16 and values of 24 bytes in B-tree nodes about 3/4 full.
        self.by_start.len() * 56
    }
}
