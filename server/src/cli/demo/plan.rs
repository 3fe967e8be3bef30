//! What becomes of each demo wish: the stage it reaches and how it ends. The first wishes
//! cover every status, close reason, module and channel; the rest are drawn with weights
//! that look like a station a few months into the programme.

use wish_client_core::model::{Channel, CloseReason, Module};

use super::gen::Gen;

/// The stages a wish goes through, in order (the schema's derived stages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Collected,
    Verified,
    Published,
    Claimed,
    Assigned,
    InProgress,
    Resolved,
    Rated,
}

/// How a wish ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Stops at a stage, still open.
    Open(Stage),
    Rejected,
    Closed(CloseReason),
}

use CloseReason as R;
use Stage as S;

/// Every outcome once, first.
const COVER: &[Plan] = &[
    Plan::Open(S::Collected),
    Plan::Open(S::Verified),
    Plan::Open(S::Published),
    Plan::Open(S::Claimed),
    Plan::Open(S::Assigned),
    Plan::Open(S::InProgress),
    Plan::Open(S::Resolved),
    Plan::Open(S::Rated),
    Plan::Rejected,
    Plan::Closed(R::Fulfilled),
    Plan::Closed(R::Duplicate),
    Plan::Closed(R::OutOfScope),
    Plan::Closed(R::DoneByOthers),
    Plan::Closed(R::NoHelpWanted),
    Plan::Closed(R::Withdrawn),
];

const WEIGHTED: &[(Plan, u32)] = &[
    (Plan::Open(S::Collected), 7),
    (Plan::Open(S::Verified), 5),
    (Plan::Open(S::Published), 11),
    (Plan::Open(S::Claimed), 5),
    (Plan::Open(S::Assigned), 6),
    (Plan::Open(S::InProgress), 7),
    (Plan::Open(S::Resolved), 7),
    (Plan::Open(S::Rated), 10),
    (Plan::Rejected, 4),
    (Plan::Closed(R::Fulfilled), 28),
    (Plan::Closed(R::Duplicate), 3),
    (Plan::Closed(R::OutOfScope), 2),
    (Plan::Closed(R::DoneByOthers), 2),
    (Plan::Closed(R::NoHelpWanted), 2),
    (Plan::Closed(R::Withdrawn), 1),
];

/// Channel weights, in `Channel::ALL` order: door to door is the main use.
const CHANNEL_WEIGHTS: [u32; 6] = [35, 25, 10, 12, 8, 10];

pub fn plan(g: &mut Gen, i: usize) -> Plan {
    if let Some(plan) = COVER.get(i) {
        return *plan;
    }
    let weights: Vec<u32> = WEIGHTED.iter().map(|(_, w)| *w).collect();
    WEIGHTED[g.weighted(&weights)].0
}

/// The module of the first wishes, so every module appears; `None`: any.
pub fn module(i: usize) -> Option<Module> {
    (i < COVER.len()).then(|| Module::ALL[i % Module::ALL.len()])
}

pub fn channel(g: &mut Gen, i: usize) -> Channel {
    if i < 2 * Channel::ALL.len() {
        return Channel::ALL[i % Channel::ALL.len()];
    }
    Channel::ALL[g.weighted(&CHANNEL_WEIGHTS)]
}

impl Plan {
    /// The stage reached before the end.
    pub fn stage(self, g: &mut Gen) -> Stage {
        let early = |g: &mut Gen| {
            if g.chance(0.5) {
                S::Collected
            } else {
                S::Verified
            }
        };
        match self {
            Plan::Open(stage) => stage,
            Plan::Rejected | Plan::Closed(R::Duplicate) => early(g),
            Plan::Closed(R::Fulfilled) if g.chance(0.8) => S::Rated,
            Plan::Closed(R::Fulfilled) => S::Resolved,
            Plan::Closed(R::OutOfScope) => S::Verified,
            Plan::Closed(R::DoneByOthers) => S::Published,
            Plan::Closed(R::NoHelpWanted) if g.chance(0.5) => S::Assigned,
            Plan::Closed(R::NoHelpWanted) => S::Claimed,
            Plan::Closed(R::Withdrawn) if g.chance(0.5) => S::Published,
            Plan::Closed(R::Withdrawn) => early(g),
        }
    }

    /// How many days ago such a wish was collected: `(least, most)`.
    pub fn age_days(self) -> (u64, u64) {
        match self {
            Plan::Open(S::Collected) => (0, 10),
            Plan::Open(S::Verified) => (1, 14),
            Plan::Open(S::Published | S::Claimed) => (2, 21),
            Plan::Open(S::Assigned | S::InProgress) => (3, 28),
            Plan::Open(S::Resolved) => (5, 40),
            Plan::Open(S::Rated) => (7, 70),
            Plan::Closed(R::Fulfilled) => (10, 84),
            Plan::Rejected | Plan::Closed(_) => (2, 84),
        }
    }
}
