//! The coordinator's operations (directory, partner units, catalogue, roster template,
//! staffing) and the shared station tablet's check-in, applied to documents the client
//! holds. Inputs are JSON shaped like the core's types; every check is in
//! `wish-client-core`; refusals come back as `中文 / English` (`coordinator_errors.rs`).

// The closures return `DomainError` as the core defines it (see `domain.rs`).
#![allow(clippy::result_large_err)]

use automerge::Automerge;
use wasm_bindgen::prelude::*;
use wish_client_core::model::community::{CatalogueItem, Person, Unit};
use wish_client_core::model::station::TemplateSlot;
use wish_client_core::model::{CommunityView, MemberKind, StationView};
use wish_client_core::ops::community as directory;
use wish_client_core::ops::station as roster;
use wish_client_core::ops::DomainError;
use wish_client_core::proto::DocumentId;

use crate::convert::{doc_id, from_json, js_error, ms, to_json};
use crate::coordinator_errors::refusal;
use crate::WishClient;

#[wasm_bindgen]
impl WishClient {
    /// Adds a person (`Person` JSON, `left_at` omitted) to the community directory.
    #[wasm_bindgen(js_name = addPerson)]
    pub fn add_person(
        &mut self,
        community: &str,
        person_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let person: Person = from_json("person", person_json)?;
        self.apply(community, |d| directory::add_person(d, &person, ms(now)))
    }

    /// Rewrites a person's details (`Person` JSON); only what differs is written.
    #[wasm_bindgen(js_name = editPerson)]
    pub fn edit_person(
        &mut self,
        community: &str,
        person_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let person: Person = from_json("person", person_json)?;
        self.apply(community, |d| directory::edit_person(d, &person, ms(now)))
    }

    /// Marks a person as having left the community (kept for history).
    #[wasm_bindgen(js_name = deactivatePerson)]
    pub fn deactivate_person(
        &mut self,
        community: &str,
        person: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.apply(community, |d| {
            directory::deactivate_person(d, person, ms(now))
        })
    }

    /// Adds a partner unit (`Unit` JSON).
    #[wasm_bindgen(js_name = addUnit)]
    pub fn add_unit(&mut self, community: &str, unit_json: &str, now: f64) -> Result<(), JsError> {
        let unit: Unit = from_json("unit", unit_json)?;
        self.apply(community, |d| directory::add_unit(d, &unit, ms(now)))
    }

    /// Rewrites a partner unit (`Unit` JSON).
    #[wasm_bindgen(js_name = editUnit)]
    pub fn edit_unit(&mut self, community: &str, unit_json: &str, now: f64) -> Result<(), JsError> {
        let unit: Unit = from_json("unit", unit_json)?;
        self.apply(community, |d| directory::edit_unit(d, &unit, ms(now)))
    }

    /// Adds a catalogue item (`CatalogueItem` JSON).
    #[wasm_bindgen(js_name = addCatalogueItem)]
    pub fn add_catalogue_item(
        &mut self,
        community: &str,
        item_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let item: CatalogueItem = from_json("catalogue item", item_json)?;
        self.apply(community, |d| {
            directory::add_catalogue_item(d, &item, ms(now))
        })
    }

    /// Rewrites a catalogue item (`CatalogueItem` JSON).
    #[wasm_bindgen(js_name = editCatalogueItem)]
    pub fn edit_catalogue_item(
        &mut self,
        community: &str,
        item_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let item: CatalogueItem = from_json("catalogue item", item_json)?;
        self.apply(community, |d| {
            directory::edit_catalogue_item(d, &item, ms(now))
        })
    }

    /// Takes an item off the catalogue.
    #[wasm_bindgen(js_name = retireCatalogueItem)]
    pub fn retire_catalogue_item(
        &mut self,
        community: &str,
        item: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.apply(community, |d| {
            directory::retire_catalogue_item(d, item, ms(now))
        })
    }

    /// Adds or replaces a slot of the station's roster template (`TemplateSlot` JSON).
    #[wasm_bindgen(js_name = setTemplateSlot)]
    pub fn set_template_slot(
        &mut self,
        station: &str,
        slot_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let slot: TemplateSlot = from_json("template slot", slot_json)?;
        self.apply(station, |d| roster::set_template_slot(d, &slot, ms(now)))
    }

    /// Removes a slot from the station's roster template.
    #[wasm_bindgen(js_name = removeTemplateSlot)]
    pub fn remove_template_slot(
        &mut self,
        station: &str,
        slot: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.apply(station, |d| roster::remove_template_slot(d, slot, ms(now)))
    }

    /// Builds the week from `monday` from the template; returns how many shifts were added.
    #[wasm_bindgen(js_name = buildWeek)]
    pub fn build_week(&mut self, station: &str, monday: &str, now: f64) -> Result<u32, JsError> {
        let added = self.apply(station, |d| roster::build_week(d, monday, ms(now)))?;
        Ok(u32::try_from(added.len()).unwrap_or(u32::MAX))
    }

    /// Builds the rest of this week (from `today`, the tablet's local date) from the
    /// template; returns how many shifts were added.
    #[wasm_bindgen(js_name = buildRestOfWeek)]
    pub fn build_rest_of_week(
        &mut self,
        station: &str,
        today: &str,
        now: f64,
    ) -> Result<u32, JsError> {
        let added = self.apply(station, |d| roster::build_rest_of_week(d, today, ms(now)))?;
        Ok(u32::try_from(added.len()).unwrap_or(u32::MAX))
    }

    /// The Monday after `today` (`YYYY-MM-DD`, the tablet's local date).
    #[wasm_bindgen(js_name = nextMonday)]
    pub fn next_monday(&self, today: &str) -> Result<String, JsError> {
        roster::next_monday(today).map_err(refusal)
    }

    /// Puts a person or unit (`kind`: `person` | `unit`) of the directory on a shift.
    #[wasm_bindgen(js_name = assignToShift)]
    pub fn assign_to_shift(
        &mut self,
        station: &str,
        community: &str,
        shift: &str,
        assignee: &str,
        kind: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let directory = self.directory(community)?;
        let kind = member_kind(kind)?;
        self.apply(station, |d| {
            roster::assign_to_shift(d, &directory, shift, assignee, kind, ms(now))
        })
    }

    /// Hands `from`'s place on a shift to `to` (a person or unit of the directory).
    #[wasm_bindgen(js_name = handOver)]
    // JS calls it with plain arguments, like the other bindings (no options object).
    #[allow(clippy::too_many_arguments)]
    pub fn hand_over(
        &mut self,
        station: &str,
        community: &str,
        shift: &str,
        from: &str,
        to: &str,
        kind: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let directory = self.directory(community)?;
        let kind = member_kind(kind)?;
        self.apply(station, |d| {
            roster::hand_over(d, &directory, shift, from, to, kind, ms(now))
        })
    }

    /// Exchanges two people's shifts (换班) in one change.
    #[wasm_bindgen(js_name = exchangeShifts)]
    pub fn exchange_shifts(
        &mut self,
        station: &str,
        shift_a: &str,
        a: &str,
        shift_b: &str,
        b: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.apply(station, |d| {
            roster::exchange(d, (shift_a, a), (shift_b, b), ms(now))
        })
    }

    /// Signs a person on the shift in on this station's shared tablet (`device`).
    #[wasm_bindgen(js_name = checkInOnDuty)]
    pub fn check_in_on_duty(
        &mut self,
        station: &str,
        shift: &str,
        person: &str,
        device: &str,
        now: f64,
    ) -> Result<(), JsError> {
        self.apply(station, |d| {
            roster::check_in_on_duty(d, shift, person, device, ms(now))
        })
    }

    /// Follows only the community and the documents of `stations` (a JSON array of station
    /// ids), not their wishes: what a shared station tablet needs (it may read no wish).
    /// Returns how many documents were new.
    #[wasm_bindgen(js_name = followStations)]
    pub fn follow_stations(
        &mut self,
        community: &str,
        stations_json: &str,
    ) -> Result<u32, JsError> {
        let community_id = doc_id(community)?;
        let stations: Vec<String> = from_json("station list", stations_json)?;
        let linked = self
            .driver
            .document(&community_id)
            .and_then(|d| CommunityView::read(d).ok())
            .map(|c| station_docs(&c, &stations))
            .unwrap_or_default();
        let mut opened = 0;
        for id in std::iter::once(community_id).chain(linked) {
            if self.driver.document(&id).is_none() {
                self.driver.open_document(id);
                opened += 1;
            }
        }
        Ok(opened)
    }

    /// The shifts of `date` that `person` is on at the station, as JSON `Shift`s (the
    /// shared tablet finds whom a typed or scanned personal code names).
    #[wasm_bindgen(js_name = shiftsOf)]
    pub fn shifts_of(&self, station: &str, person: &str, date: &str) -> Result<String, JsError> {
        let id = doc_id(station)?;
        let doc = self
            .driver
            .document(&id)
            .ok_or_else(|| js_error("the station is not on this tablet yet"))?;
        let view = StationView::read(doc).map_err(js_error)?;
        to_json(&view.shifts_of(person, date))
    }
}

impl WishClient {
    /// Runs a validated operation on a held document (one change, or none on refusal,
    /// reported as `中文 / English`).
    fn apply<T>(
        &mut self,
        doc: &str,
        op: impl FnOnce(&mut Automerge) -> Result<T, DomainError>,
    ) -> Result<T, JsError> {
        self.driver
            .change(doc_id(doc)?, op)
            .map_err(js_error)?
            .map_err(refusal)
    }

    fn directory(&self, community: &str) -> Result<CommunityView, JsError> {
        let id = doc_id(community)?;
        let doc = self
            .driver
            .document(&id)
            .ok_or_else(|| js_error("the community directory is not on this tablet yet"))?;
        CommunityView::read(doc).map_err(js_error)
    }
}

/// The station documents the community names for `stations`.
fn station_docs(community: &CommunityView, stations: &[String]) -> Vec<DocumentId> {
    community
        .stations
        .iter()
        .filter(|(id, _)| stations.contains(id))
        .filter_map(|(_, s)| s.doc.parse().ok())
        .collect()
}

fn member_kind(kind: &str) -> Result<MemberKind, JsError> {
    kind.parse().map_err(js_error)
}
