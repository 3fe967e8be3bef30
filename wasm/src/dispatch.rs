//! 派单 and 我的任务 for the screens: the ranked candidates for a wish, dispatching to
//! one, claims as a unit or a group (帮帮团), and a person's tasks with the tab's badge.
//! Conversions only: ranking, next steps and due dates come from `wish-client-core`.

#![allow(clippy::result_large_err)] // see domain.rs: DomainError stays as the core has it

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wish_client_core::model::tasks::{badge_count, Task};
use wish_client_core::model::{
    my_tasks, suggest_claimants, ClaimKind, CommunityView, Suggestion, WishView,
};
use wish_client_core::ops::wish::{self, NewClaim};
use wish_client_core::ops::DomainError;

use crate::convert::{doc_id, from_json, js_error, ms, to_json};
use crate::coordinator_errors::refusal;
use crate::domain::StampInput;
use crate::WishClient;

/// A claim as the claim form sends it: `{kind, claimant, note?, members?}`.
#[derive(Deserialize)]
struct ClaimInput {
    kind: ClaimKind,
    claimant: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    members: Vec<String>,
}

/// One row of 我的任务: the task and the wish's document.
#[derive(Serialize)]
struct TaskRow<'a> {
    doc: String,
    #[serde(flatten)]
    task: &'a Task,
}

#[derive(Serialize)]
struct Tasks<'a> {
    tasks: Vec<TaskRow<'a>>,
    /// Tasks waiting for the person (start or resolve): the tab's badge.
    badge: usize,
}

#[wasm_bindgen]
impl WishClient {
    /// The people and units to dispatch a wish to, best first, as JSON (`Suggestion`s);
    /// their load counts the active claims on every wish this tablet holds.
    #[wasm_bindgen(js_name = dispatchSuggestions)]
    pub fn dispatch_suggestions(&self, doc: &str, community_doc: &str) -> Result<String, JsError> {
        let wish = self.wish_view(doc)?;
        let community = CommunityView::read(self.held_doc(community_doc)?).map_err(js_error)?;
        let wishes: Vec<WishView> = self
            .wishes()
            .into_iter()
            .map(|(_, w)| (*w.view).clone())
            .collect();
        let found: Vec<Suggestion> = suggest_claimants(&wish, &community, &wishes);
        to_json(&found)
    }

    /// 派单: claims the wish for `claimant` (`kind` `person` or `unit`) on their behalf
    /// and assigns the claim, in one change.
    pub fn dispatch(
        &mut self,
        doc: &str,
        stamp_json: &str,
        kind: &str,
        claimant: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let kind: ClaimKind = kind.parse().map_err(js_error)?;
        self.claim_change(doc, |d| {
            wish::dispatch(d, stamp.stamp(), kind, claimant, None)
        })
    }

    /// A claim with every field (`ClaimInput`): a partner's claim as its unit, a 帮帮团's
    /// claim with its members.
    #[wasm_bindgen(js_name = claimAs)]
    pub fn claim_as(
        &mut self,
        doc: &str,
        stamp_json: &str,
        claim_json: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let input: ClaimInput = from_json("claim", claim_json)?;
        let new = NewClaim {
            kind: input.kind,
            claimant: &input.claimant,
            note: input.note.as_deref(),
            members: &input.members,
            dispatched: false,
            offer: None,
        };
        self.claim_change(doc, |d| wish::claim_as(d, stamp.stamp(), &new))
    }

    /// 我的任务 of `person` (and of their `unit`, for partners) at `now`, across every
    /// wish held, as JSON `{tasks, badge}`.
    #[wasm_bindgen(js_name = myTasks)]
    pub fn my_tasks(
        &self,
        person: &str,
        unit: Option<String>,
        now: f64,
    ) -> Result<String, JsError> {
        let wishes = self.wishes();
        let views: Vec<WishView> = wishes.iter().map(|(_, w)| (*w.view).clone()).collect();
        let tasks = my_tasks(&views, person, unit.as_deref(), ms(now));
        let doc_of = |wish_id: &str| {
            wishes
                .iter()
                .find(|(_, w)| w.view.id == wish_id)
                .map(|(id, _)| id.to_string())
                .unwrap_or_default()
        };
        let rows = tasks
            .iter()
            .map(|task| TaskRow {
                doc: doc_of(&task.wish),
                task,
            })
            .collect();
        to_json(&Tasks {
            tasks: rows,
            badge: badge_count(&tasks),
        })
    }
}

impl WishClient {
    fn held_doc(&self, doc: &str) -> Result<&automerge::Automerge, JsError> {
        let id = doc_id(doc)?;
        self.driver
            .document(&id)
            .ok_or_else(|| js_error(format!("document {id} is not on this tablet")))
    }

    fn wish_view(&self, doc: &str) -> Result<WishView, JsError> {
        WishView::read(self.held_doc(doc)?).map_err(js_error)
    }

    fn claim_change(
        &mut self,
        doc: &str,
        op: impl FnOnce(&mut automerge::Automerge) -> Result<(), DomainError>,
    ) -> Result<(), JsError> {
        self.driver
            .change(doc_id(doc)?, op)
            .map_err(js_error)?
            .map_err(claim_refusal)
    }
}

/// A refused claim or dispatch in words, `中文 / English`.
fn claim_refusal(error: DomainError) -> JsError {
    let words = match &error {
        DomainError::CapacityFull(_) => Some(("名额已满，不能再派单", "every place is taken")),
        DomainError::DuplicateClaim(_) => Some(("已经认领过这个心愿", "already claimed this wish")),
        DomainError::InvalidMembers(_) => Some((
            "帮帮团认领需要选择团长以外的成员",
            "a group claim needs members besides its lead",
        )),
        DomainError::NotPublished => Some(("心愿还没有发布", "the wish is not published yet")),
        DomainError::InvalidTransition { .. } | DomainError::WishClosed => {
            Some(("这个心愿现在不能认领", "this wish cannot be claimed now"))
        }
        _ => None,
    };
    match words {
        Some((zh, en)) => JsError::new(&format!("{zh} / {en}")),
        None => refusal(error),
    }
}
