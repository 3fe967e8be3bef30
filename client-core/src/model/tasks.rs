//! 我的任务: the wishes a person claimed or was dispatched, across stations, with the
//! next step and the due date.
//!
//! A task is an active claim whose claimant is the person or their unit, or a group claim
//! (帮帮团) naming them as a member, on a wish that is not closed or rejected. Tasks that
//! wait for the person come first ([`Task::needs_me`], the tab's badge), then by due date.

use serde::Serialize;

use super::due::due_at;
use super::wish::Claim;
use super::{ClaimKind, EventKind, Module, Urgency, WishStatus, WishView};

/// What happens next on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// The claim waits for a place (等待分配).
    AwaitAssignment,
    /// Assigned: go and start (开始服务).
    Start,
    /// Started: record what was done and the hours (登记完成).
    Resolve,
    /// Resolved: the station confirms the hours (等待确认).
    AwaitConfirmation,
    /// Confirmed: the resident's rating (等待评价).
    AwaitRating,
    /// Rated: nothing left (已完成).
    Done,
}

/// One row of 我的任务.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// The wish's own id.
    pub wish: String,
    pub title: String,
    pub station: String,
    pub module: Option<Module>,
    pub urgency: Urgency,
    pub status: WishStatus,
    pub claim: String,
    pub claim_kind: ClaimKind,
    pub claimant: String,
    /// Who dispatched it (the coordinator), when it was dispatched (派单).
    pub dispatched_by: Option<String>,
    pub next: NextStep,
    /// The wish's due date (milliseconds), from the resolution targets.
    pub due_at: u64,
    pub overdue: bool,
    /// The person is the one to act next (start or resolve).
    pub needs_me: bool,
}

/// The tasks of `person` (whose unit is `unit`, for partners) among `wishes` at `now_ms`.
pub fn my_tasks(wishes: &[WishView], person: &str, unit: Option<&str>, now_ms: u64) -> Vec<Task> {
    let mut tasks: Vec<Task> = wishes
        .iter()
        .filter(|w| !matches!(w.status(), WishStatus::Closed | WishStatus::Rejected))
        .flat_map(|w| {
            w.active_claims()
                .into_iter()
                .filter(|c| is_mine(c, person, unit))
                .map(move |c| task(w, c, now_ms))
        })
        .collect();
    tasks.sort_by(|a, b| {
        (!a.needs_me, a.next == NextStep::Done, a.due_at, &a.wish).cmp(&(
            !b.needs_me,
            b.next == NextStep::Done,
            b.due_at,
            &b.wish,
        ))
    });
    tasks
}

/// How many tasks wait for the person (the badge on the tab).
pub fn badge_count(tasks: &[Task]) -> usize {
    tasks.iter().filter(|t| t.needs_me).count()
}

fn is_mine(claim: &Claim, person: &str, unit: Option<&str>) -> bool {
    match claim.kind {
        ClaimKind::Person => claim.claimant == person,
        ClaimKind::Unit => unit.is_some_and(|u| claim.claimant == u),
        ClaimKind::Group => claim.claimant == person || claim.members.iter().any(|m| m == person),
    }
}

fn task(wish: &WishView, claim: &Claim, now_ms: u64) -> Task {
    let next = next_step(wish, claim);
    let due = due_at(wish);
    let working = matches!(next, NextStep::Start | NextStep::Resolve);
    Task {
        wish: wish.id.clone(),
        title: wish.title.clone(),
        station: wish.station.clone(),
        module: wish.module.or(wish.suggested_module),
        urgency: wish.urgency,
        status: wish.status(),
        claim: claim.id.clone(),
        claim_kind: claim.kind,
        claimant: claim.claimant.clone(),
        dispatched_by: claim.dispatched.then(|| claim.by.clone()),
        next,
        due_at: due,
        overdue: working && now_ms > due,
        needs_me: working,
    }
}

/// The next step of one claim.
pub fn next_step(wish: &WishView, claim: &Claim) -> NextStep {
    if wish.is_confirmed(&claim.id) {
        return match wish.has_event(EventKind::Rated) {
            true => NextStep::Done,
            false => NextStep::AwaitRating,
        };
    }
    if wish.resolution_of(&claim.id).is_some() {
        return NextStep::AwaitConfirmation;
    }
    if !wish.assigned.contains_key(&claim.id) {
        return NextStep::AwaitAssignment;
    }
    match wish.has_event(EventKind::Started) {
        true => NextStep::Resolve,
        false => NextStep::Start,
    }
}
