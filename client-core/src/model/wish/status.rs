//! The derived status of a wish (schema: "Derived status of a wish").

use serde::{Deserialize, Serialize};

use super::view::WishView;
use crate::model::order::{by_at_id, latest};
use crate::model::EventKind;

/// A wish's status, derived from its events, claims and assignments, never stored.
///
/// The first eight values are the stages in order (`Collected < … < Rated`); `Closed` and
/// `Rejected` override the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WishStatus {
    Collected,
    Verified,
    Published,
    Claimed,
    Assigned,
    InProgress,
    Resolved,
    Rated,
    Closed,
    Rejected,
}

impl WishStatus {
    /// The status as a snake_case string, e.g. `"in_progress"`.
    pub fn as_str(self) -> &'static str {
        match self {
            WishStatus::Collected => "collected",
            WishStatus::Verified => "verified",
            WishStatus::Published => "published",
            WishStatus::Claimed => "claimed",
            WishStatus::Assigned => "assigned",
            WishStatus::InProgress => "in_progress",
            WishStatus::Resolved => "resolved",
            WishStatus::Rated => "rated",
            WishStatus::Closed => "closed",
            WishStatus::Rejected => "rejected",
        }
    }

    /// The Chinese label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            WishStatus::Collected => "已收集",
            WishStatus::Verified => "已验单",
            WishStatus::Published => "已发布",
            WishStatus::Claimed => "已认领",
            WishStatus::Assigned => "已派单",
            WishStatus::InProgress => "进行中",
            WishStatus::Resolved => "已解决",
            WishStatus::Rated => "已评价",
            WishStatus::Closed => "已销号",
            WishStatus::Rejected => "未通过",
        }
    }

    /// Whether the wish is finished with (`Closed` or `Rejected`).
    pub fn is_terminal(self) -> bool {
        matches!(self, WishStatus::Closed | WishStatus::Rejected)
    }
}

impl std::fmt::Display for WishStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of a wish by the schema's rules: `closed` if any `closed` event exists;
/// `rejected` if a `rejected` event exists and no `verified` event comes after the latest
/// one by `(at, id)`; otherwise the highest stage reached ([`WishView::stage`]).
pub fn status(wish: &WishView) -> WishStatus {
    if wish.has_event(EventKind::Closed) {
        WishStatus::Closed
    } else if is_rejected(wish) {
        WishStatus::Rejected
    } else {
        wish.stage()
    }
}

fn is_rejected(wish: &WishView) -> bool {
    let Some(rejected) = latest(wish.events_of(EventKind::Rejected)) else {
        return false;
    };
    !wish
        .events_of(EventKind::Verified)
        .any(|v| by_at_id(v, rejected).is_gt())
}

impl WishView {
    /// The derived status; see [`status`].
    pub fn status(&self) -> WishStatus {
        status(self)
    }

    /// The highest stage reached, ignoring `closed` and `rejected`. Adding entries never
    /// lowers it, except a `released` event that undoes the only active claim.
    pub fn stage(&self) -> WishStatus {
        let has = |kind| self.has_event(kind);
        if has(EventKind::Rated) {
            WishStatus::Rated
        } else if has(EventKind::Resolved) {
            WishStatus::Resolved
        } else if has(EventKind::Started) {
            WishStatus::InProgress
        } else if self.active_assignments() > 0 {
            WishStatus::Assigned
        } else if !self.active_claims().is_empty() {
            WishStatus::Claimed
        } else if has(EventKind::Published) {
            WishStatus::Published
        } else if has(EventKind::Verified) || has(EventKind::Triaged) {
            WishStatus::Verified
        } else {
            WishStatus::Collected
        }
    }
}
