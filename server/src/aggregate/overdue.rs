//! Overdue wishes: targets from going on the clock (publication, or collection when not
//! yet published) to resolution, per urgency and optionally per module, and an index of
//! open wishes by deadline so "overdue at `now`" is a range scan from the earliest.

use std::collections::BTreeMap;

use wish_client_core::model::due::target_days;
use wish_client_core::model::Urgency;

use super::order::ListKey;
use super::row::{Dicts, Row};
use crate::calendar::DAY_MS;

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

    /// Every target, for the report: `(module, urgency, days)`.
    pub fn list(&self) -> Vec<(Option<String>, String, f64)> {
        self.targets
            .iter()
            .map(|((m, u), ms)| (m.clone(), u.clone(), *ms as f64 / DAY_MS as f64))
            .collect()
    }
}

/// Open wishes by deadline, each with its filter fields so that a report never touches
/// the rows it does not show.
#[derive(Debug, Default)]
pub(crate) struct OverdueIndex {
    by_deadline: BTreeMap<(u64, u32), ListKey>,
}

impl OverdueIndex {
    /// The deadline of a wish still open (not resolved, closed or rejected).
    pub fn deadline(row: &Row, dicts: &Dicts, targets: &OverdueTargets) -> Option<u64> {
        let status = dicts.status.name(row.status);
        let finished = matches!(status, "closed" | "rejected" | "resolved" | "rated");
        if finished || row.resolved_at.is_some() {
            return None;
        }
        let module = (row.module != 0).then(|| dicts.module.name(row.module));
        let target = targets.target_ms(module, dicts.urgency.name(row.urgency));
        Some(row.clock_start().saturating_add(target))
    }

    /// Moves a row from its old deadline (if it had one) to its new one (if it has one).
    pub fn update(&mut self, old: Option<u64>, new: Option<u64>, key: ListKey) {
        if let Some(old) = old {
            self.by_deadline.remove(&(old, key.row));
        }
        if let Some(new) = new {
            self.by_deadline.insert((new, key.row), key);
        }
    }

    /// Open wishes whose deadline is before `now`, most overdue first.
    pub fn before(&self, now: u64) -> impl Iterator<Item = (u64, &ListKey)> + '_ {
        self.by_deadline
            .range(..(now, 0))
            .map(|((deadline, _), key)| (*deadline, key))
    }

    pub fn heap_bytes(&self) -> usize {
        // Keys of 16 and values of 24 bytes in B-tree nodes about 3/4 full.
        self.by_deadline.len() * 56
    }
}
