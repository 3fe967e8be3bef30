//! Closing the loop (issue 14): the 回访 record and 代评 after the work, the timeline,
//! stories (微故事), and points you can operate — a statement (积分明细), redemptions,
//! awards (表彰), reversals — and the public star board (星级公示). Conversions only:
//! every check and every derived value is `wish-client-core`'s.

// The closures return `DomainError` as the core defines it (see `domain.rs`).
#![allow(clippy::result_large_err)]

use automerge::Automerge;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wish_client_core::model::ledger::account;
use wish_client_core::model::wish::Event;
use wish_client_core::model::{
    CommunityView, ContactView, LedgerView, Module, StationView, WishView,
};
use wish_client_core::ops::ledger::{self, Award, Redeem};
use wish_client_core::ops::wish;
use wish_client_core::ops::{DomainError, Stamp};

use crate::convert::{doc_id, from_json, js_error, ms, to_json};
use crate::loop_errors::refusal;
use crate::WishClient;

/// Who appends an event: `{id, by, device, now_ms}` (as `domain.rs` takes it).
#[derive(Deserialize)]
struct StampInput {
    id: String,
    by: String,
    device: String,
    now_ms: u64,
}

impl StampInput {
    fn stamp(&self) -> Stamp<'_> {
        Stamp {
            id: &self.id,
            by: &self.by,
            device: &self.device,
            now_ms: self.now_ms,
        }
    }
}

/// What comes after the work on one wish (see `wishAftercare`).
#[derive(Serialize)]
struct Aftercare {
    visitor: bool,
    fulfilled: bool,
    visits: Vec<Event>,
    story: Option<Event>,
}

/// One story on the stories page: the wish's public part and the story's text.
#[derive(Serialize)]
struct StoryRow {
    doc: String,
    title: String,
    station: String,
    module: Option<Module>,
    text: String,
    at: u64,
    by: String,
}

#[wasm_bindgen]
impl WishClient {
    /// Records a 回访 (follow-up visit) with its result.
    #[wasm_bindgen(js_name = recordVisit)]
    pub fn record_visit(
        &mut self,
        doc: &str,
        stamp_json: &str,
        result: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        self.change_checked(doc, |d| wish::record_visit(d, stamp.stamp(), result))
    }

    /// Marks a fulfilled wish as a public story (微故事); the contact, when held, is
    /// checked against the text.
    #[wasm_bindgen(js_name = markStory)]
    pub fn mark_story(
        &mut self,
        doc: &str,
        stamp_json: &str,
        text: &str,
        contact_doc: Option<String>,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let contact = contact_doc.and_then(|c| self.read_held(&c, ContactView::read));
        self.change_checked(doc, |d| {
            wish::mark_story(d, stamp.stamp(), text, contact.as_ref())
        })
    }

    /// The wish's timeline: every step, oldest first (`TimelineStep` JSON list).
    #[wasm_bindgen(js_name = wishTimeline)]
    pub fn wish_timeline(&self, doc: &str) -> Result<String, JsError> {
        let view = self.read_wish(doc)?;
        to_json(&view.timeline())
    }

    /// What comes after the work, for `person` (`Aftercare` JSON): whether they visit
    /// the resident (collector or claimant: they record the 代评 and the 回访), whether
    /// the wish was fulfilled (a coordinator may then tell its story), the 回访 records
    /// and the story.
    #[wasm_bindgen(js_name = wishAftercare)]
    pub fn wish_aftercare(&self, doc: &str, person: &str) -> Result<String, JsError> {
        let view = self.read_wish(doc)?;
        to_json(&Aftercare {
            visitor: view.is_visitor(person),
            fulfilled: view.is_fulfilled(),
            visits: view.visits().into_iter().cloned().collect(),
            story: view.story().cloned(),
        })
    }

    /// Every story of the wishes held, newest first (`StoryRow` JSON list).
    pub fn stories(&self) -> Result<String, JsError> {
        let mut rows: Vec<StoryRow> = self
            .wishes()
            .into_iter()
            .filter_map(|(id, w)| story_row(&id.to_string(), &w.view))
            .collect();
        rows.sort_by(|a, b| (b.at, &b.doc).cmp(&(a.at, &a.doc)));
        to_json(&rows)
    }

    /// A person's statement (积分明细): lines with reasons, balance and hours (`Statement`
    /// JSON); empty while the ledger is not held.
    pub fn statement(&self, ledger: Option<String>, person: &str) -> Result<String, JsError> {
        let account = account::person(person);
        let view = ledger.and_then(|l| self.read_held(&l, LedgerView::read));
        let statement = view.map(|v| v.statement(&account));
        to_json(&statement)
    }

    /// The public star board (星级公示): names, hours and stars (`StarRow` JSON list).
    #[wasm_bindgen(js_name = starBoard)]
    pub fn star_board(&self, community: &str, ledger: Option<String>) -> Result<String, JsError> {
        let directory = self
            .read_held(community, CommunityView::read)
            .ok_or_else(|| js_error("the community directory is not on this tablet yet"))?;
        let rows = ledger
            .and_then(|l| self.read_held(&l, LedgerView::read))
            .map(|v| v.star_board(&directory))
            .unwrap_or_default();
        to_json(&rows)
    }

    /// Redeems a catalogue item for a person (`Redeem` JSON); refused above the balance.
    pub fn redeem(
        &mut self,
        ledger_doc: &str,
        community: &str,
        redeem_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let input: Redeem = from_json("redemption", redeem_json)?;
        let directory = self
            .read_held(community, CommunityView::read)
            .ok_or_else(|| js_error("the community directory is not on this tablet yet"))?;
        self.change_checked(ledger_doc, |d| {
            ledger::redeem(d, &directory, &input, ms(now))
        })
    }

    /// Awards points and hours to a person with a reason (表彰, `Award` JSON).
    pub fn award(&mut self, ledger_doc: &str, award_json: &str, now: f64) -> Result<(), JsError> {
        let input: Award = from_json("award", award_json)?;
        self.change_checked(ledger_doc, |d| ledger::award(d, &input, ms(now)))
    }

    /// The community setting 值班计入服务时长 (duty shifts count as service hours).
    #[wasm_bindgen(js_name = setDutyHours)]
    pub fn set_duty_hours(
        &mut self,
        community: &str,
        enabled: bool,
        now: f64,
    ) -> Result<(), JsError> {
        self.change_checked(community, |d| ledger::set_duty_hours(d, enabled, ms(now)))
    }

    /// Completed duties of the stations held that the ledger lacks (`DutyCredit` JSON
    /// list); empty unless the community counts duty.
    #[wasm_bindgen(js_name = dutyCredits)]
    pub fn duty_credits(&self, community: &str, ledger_doc: &str) -> Result<String, JsError> {
        let directory = self
            .read_held(community, CommunityView::read)
            .ok_or_else(|| js_error("the community directory is not on this tablet yet"))?;
        let ledger = self
            .read_held(ledger_doc, LedgerView::read)
            .ok_or_else(|| js_error("the ledger is not on this tablet yet"))?;
        let stations: Vec<StationView> = directory
            .stations
            .values()
            .filter_map(|s| self.read_held(&s.doc, StationView::read))
            .collect();
        to_json(&ledger::duty_credits(&directory, &stations, &ledger))
    }

    /// Records a completed duty's hours in the ledger (`DutyCredit` JSON).
    #[wasm_bindgen(js_name = recordDuty)]
    pub fn record_duty(
        &mut self,
        ledger_doc: &str,
        credit_json: &str,
        by: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let credit: ledger::DutyCredit = from_json("duty", credit_json)?;
        self.change_checked(ledger_doc, |d| {
            ledger::record_duty(d, &credit, by, ms(now)).map(drop)
        })
    }

    /// Reverses a ledger entry (冲正).
    #[wasm_bindgen(js_name = reverseEntry)]
    pub fn reverse_entry(
        &mut self,
        ledger_doc: &str,
        entry: &str,
        by: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.change_checked(ledger_doc, |d| {
            ledger::reverse(d, entry, by, ms(now)).map(|_| ())
        })
    }
}

impl WishClient {
    fn change_checked(
        &mut self,
        doc: &str,
        op: impl FnOnce(&mut Automerge) -> Result<(), DomainError>,
    ) -> Result<(), JsError> {
        self.driver
            .change(doc_id(doc)?, op)
            .map_err(js_error)?
            .map_err(refusal)
    }

    fn read_wish(&self, doc: &str) -> Result<WishView, JsError> {
        let id = doc_id(doc)?;
        let held = self
            .driver
            .document(&id)
            .ok_or_else(|| js_error(format!("document {id} is not on this tablet")))?;
        WishView::read(held).map_err(js_error)
    }

    /// A held document read as a view; `None` when not held or not of that type.
    fn read_held<T, E>(&self, doc: &str, read: impl Fn(&Automerge) -> Result<T, E>) -> Option<T> {
        let id = doc.parse().ok()?;
        read(self.driver.document(&id)?).ok()
    }
}

fn story_row(doc: &str, wish: &WishView) -> Option<StoryRow> {
    let story = wish.story()?;
    Some(StoryRow {
        doc: doc.to_owned(),
        title: wish.title.clone(),
        station: wish.station.clone(),
        module: wish.module,
        text: story.note.clone().unwrap_or_default(),
        at: story.at,
        by: story.by.clone(),
    })
}
