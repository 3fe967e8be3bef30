//! The domain operations, applied to documents the client holds. Each call validates in
//! `wish-client-core` and writes one change (or nothing, with the refusal as an error).

// The closures return `DomainError` as the core defines it; boxing it here would only
// add a conversion before it becomes a JS error.
#![allow(clippy::result_large_err)]

use automerge::Automerge;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wish_client_core::model::{Channel, ClaimKind, CloseReason, Module, Urgency};
use wish_client_core::ops::ledger::record_earn;
use wish_client_core::ops::station::{check_in, check_out};
use wish_client_core::ops::wish::{self, CollectWish, NewContact, WishEdit};
use wish_client_core::ops::{resolve_conflict, DomainError, Stamp};

use crate::convert::{doc_id, doc_id_from_bytes, from_json, js_error, ms, to_json};
use crate::WishClient;

/// Who appends an entry: `{id, by, device, now_ms}`.
#[derive(Deserialize)]
pub(crate) struct StampInput {
    id: String,
    by: String,
    device: String,
    now_ms: u64,
}

impl StampInput {
    pub(crate) fn stamp(&self) -> Stamp<'_> {
        Stamp {
            id: &self.id,
            by: &self.by,
            device: &self.device,
            now_ms: self.now_ms,
        }
    }
}

/// One lifecycle step of a wish, `{op: "...", ...}`.
#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum WishAction {
    Verify,
    Reject {
        reason: String,
    },
    Triage {
        module: Module,
    },
    Publish,
    Claim {
        kind: ClaimKind,
        claimant: String,
        note: Option<String>,
    },
    Release {
        claim: String,
        note: Option<String>,
    },
    Assign {
        claim: String,
    },
    Start,
    Resolve {
        claim: String,
        hours: f64,
        note: Option<String>,
    },
    Rate {
        score: u8,
        comment: String,
        on_behalf: bool,
    },
    Close {
        reason: CloseReason,
        note: Option<String>,
    },
    Edit {
        title: Option<String>,
        urgency: Option<Urgency>,
        compound: Option<String>,
        building: Option<String>,
    },
}

/// A new wish card as the collection form sends it.
#[derive(Deserialize)]
struct CollectInput {
    wish_id: String,
    community: String,
    station: String,
    title: String,
    text: String,
    suggested_module: Option<Module>,
    channel: Channel,
    compound: String,
    building: String,
    urgency: Urgency,
    capacity: u32,
    on_behalf: bool,
    collected_by: String,
    device: String,
    event_id: String,
    now_ms: u64,
    contact: Option<ContactInput>,
}

#[derive(Deserialize)]
struct ContactInput {
    name: String,
    phone: String,
    room: String,
    vulnerability: Vec<String>,
    notes: String,
    consent_given: bool,
    consent_on_behalf: bool,
}

#[wasm_bindgen]
impl WishClient {
    /// Creates a wish (and, if the resident gave one, its contact document) from the
    /// collection form's JSON, with ids made of the page's random bytes. Returns
    /// `{wish_doc, contact_doc}` as JSON.
    #[wasm_bindgen(js_name = collectWish)]
    pub fn collect_wish(
        &mut self,
        input_json: &str,
        wish_doc_bytes: &[u8],
        contact_doc_bytes: &[u8],
    ) -> Result<String, JsError> {
        let input: CollectInput = from_json("wish card", input_json)?;
        let wish_id = doc_id_from_bytes(wish_doc_bytes)?;
        let contact_id = doc_id_from_bytes(contact_doc_bytes)?;
        let has_contact = input.contact.is_some();
        let collect = collect_request(input, &wish_id.to_string(), &contact_id.to_string());
        let (mut wish_doc, mut contact_doc) = (Automerge::new(), Automerge::new());
        wish::collect_wish(&mut wish_doc, &mut contact_doc, collect).map_err(js_error)?;
        if has_contact {
            self.driver
                .import_document(contact_id, &contact_doc.save())
                .map_err(js_error)?;
        }
        self.driver
            .import_document(wish_id, &wish_doc.save())
            .map_err(js_error)?;
        let contact = has_contact.then(|| contact_id.to_string());
        to_json(&serde_json::json!({ "wish_doc": wish_id.to_string(), "contact_doc": contact }))
    }

    /// Applies one lifecycle step (`action_json`, see `WishAction`) to a wish document.
    #[wasm_bindgen(js_name = wishAction)]
    pub fn wish_action(
        &mut self,
        doc: &str,
        stamp_json: &str,
        action_json: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let action: WishAction = from_json("wish action", action_json)?;
        self.edit(doc, |d| apply(d, stamp.stamp(), action))
    }

    /// Confirms a claim's resolved hours and, when the ledger document is held, records
    /// the earned points and hours in it.
    pub fn confirm(
        &mut self,
        doc: &str,
        ledger_doc: Option<String>,
        stamp_json: &str,
        claim: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let wish_id = doc_id(doc)?;
        let entry = self
            .driver
            .change(wish_id, |d| wish::confirm(d, stamp.stamp(), claim))
            .map_err(js_error)?
            .map_err(js_error)?;
        if let Some(ledger) = ledger_doc {
            self.edit(&ledger, |d| record_earn(d, &entry).map(|_| ()))?;
        }
        Ok(())
    }

    /// Writes one of a field's concurrent values as its value (coordinators).
    #[wasm_bindgen(js_name = resolveConflict)]
    pub fn resolve_conflict(&mut self, doc: &str, path: &str, value: &str) -> Result<(), JsError> {
        self.edit(doc, |d| resolve_conflict(d, path, value))
    }

    /// Checks a person in to a shift of the station's roster.
    #[wasm_bindgen(js_name = checkIn)]
    pub fn check_in(
        &mut self,
        station_doc: &str,
        shift: &str,
        person: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.edit(station_doc, |d| check_in(d, shift, person, ms(now)))
    }

    /// Checks a person out of a shift.
    #[wasm_bindgen(js_name = checkOut)]
    pub fn check_out(
        &mut self,
        station_doc: &str,
        shift: &str,
        person: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.edit(station_doc, |d| check_out(d, shift, person, ms(now)))
    }
}

impl WishClient {
    fn edit(
        &mut self,
        doc: &str,
        op: impl FnOnce(&mut Automerge) -> Result<(), DomainError>,
    ) -> Result<(), JsError> {
        self.driver
            .change(doc_id(doc)?, op)
            .map_err(js_error)?
            .map_err(js_error)
    }
}

fn apply(doc: &mut Automerge, stamp: Stamp<'_>, action: WishAction) -> Result<(), DomainError> {
    match action {
        WishAction::Verify => wish::verify(doc, stamp),
        WishAction::Reject { reason } => wish::reject(doc, stamp, &reason),
        WishAction::Triage { module } => wish::triage(doc, stamp, module),
        WishAction::Publish => wish::publish(doc, stamp),
        WishAction::Claim {
            kind,
            claimant,
            note,
        } => wish::claim(doc, stamp, kind, &claimant, note.as_deref()),
        WishAction::Release { claim, note } => wish::release(doc, stamp, &claim, note.as_deref()),
        WishAction::Assign { claim } => wish::assign(doc, &claim, stamp.by, false, stamp.now_ms),
        WishAction::Start => wish::start(doc, stamp),
        WishAction::Resolve { claim, hours, note } => {
            wish::resolve(doc, stamp, &claim, hours, note.as_deref())
        }
        WishAction::Rate {
            score,
            comment,
            on_behalf,
        } => wish::rate(doc, stamp, score, &comment, on_behalf),
        WishAction::Close { reason, note } => wish::close(doc, stamp, reason, note.as_deref()),
        WishAction::Edit {
            title,
            urgency,
            compound,
            building,
        } => {
            let edit = WishEdit {
                title,
                urgency,
                compound,
                building,
            };
            wish::edit_details(doc, &edit, stamp.now_ms)
        }
    }
}

fn collect_request(input: CollectInput, wish_doc: &str, contact_doc: &str) -> CollectWish {
    CollectWish {
        wish_id: input.wish_id,
        wish_doc: wish_doc.to_owned(),
        community: input.community,
        station: input.station,
        title: input.title,
        text: input.text,
        suggested_module: input.suggested_module,
        channel: input.channel,
        compound: input.compound,
        building: input.building,
        urgency: input.urgency,
        capacity: input.capacity,
        on_behalf: input.on_behalf,
        collected_by: input.collected_by,
        device: input.device,
        event_id: input.event_id,
        now_ms: input.now_ms,
        contact: input.contact.map(|c| NewContact {
            doc_id: contact_doc.to_owned(),
            name: c.name,
            phone: c.phone,
            room: c.room,
            vulnerability: c.vulnerability,
            notes: c.notes,
            consent_given: c.consent_given,
            consent_on_behalf: c.consent_on_behalf,
        }),
    }
}
