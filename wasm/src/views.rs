//! Views of the documents held, as JSON for the screens. Every derived value (status,
//! wall, claim states, conflicts, balances, star level) comes from `wish-client-core`.

use std::collections::HashMap;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wish_client_core::model::ledger::{account, star_level};
use wish_client_core::model::{
    conflicts, doc_type, on_wall, wall, Channel, CommunityView, ContactView, FieldConflict,
    LedgerView, Module, StationView, Urgency, WallFilter, WishView,
};
use wish_client_core::proto::DocumentId;

use crate::actions::{allowed_actions, claim_actions, extra_actions};
use crate::convert::{doc_id, js_error, to_json};
use crate::refusals::RefusedMark;
use crate::wish_cache::CachedWish;
use crate::WishClient;

/// One row of "my station's wishes" and of the wall: what a card shows.
#[derive(Serialize)]
struct WishRow<'a> {
    doc: String,
    saved: bool,
    status: &'static str,
    on_wall: bool,
    conflicts: usize,
    pending_claims: usize,
    assigned_claims: usize,
    /// The state of the viewer's active claim (`pending`, `assigned`), if any.
    my_claim: Option<&'static str>,
    /// The server refused a change this tablet holds (undo it on the detail screen).
    refused: Option<RefusedMark<'a>>,
    id: &'a str,
    title: &'a str,
    station: &'a str,
    module: Option<Module>,
    suggested_module: Option<Module>,
    urgency: Urgency,
    channel: Channel,
    compound: &'a str,
    building: &'a str,
    capacity: u32,
    created_at: u64,
    created_by: &'a str,
    /// The street office's open 督办 mark: the card shows a 街道督办 badge.
    supervision: Option<SupervisionMark<'a>>,
}

/// The street office's 督办 mark (`WishView::supervision`): when, and its note.
#[derive(Serialize)]
struct SupervisionMark<'a> {
    at: u64,
    note: Option<&'a str>,
}

impl<'a> SupervisionMark<'a> {
    fn of(wish: &'a WishView) -> Option<Self> {
        wish.supervision().map(|event| SupervisionMark {
            at: event.at,
            note: event.note.as_deref(),
        })
    }
}

/// A claim with its derived state.
#[derive(Serialize)]
struct ClaimRow<'a> {
    #[serde(flatten)]
    claim: &'a wish_client_core::model::wish::Claim,
    /// `pending`, `assigned` or `released`.
    state: &'static str,
    /// Steps the viewer could take on this claim now (see [`claim_actions`]).
    actions: Vec<&'static str>,
    resolved_hours: Option<f64>,
    confirmed: bool,
}

/// Everything the detail screen shows.
#[derive(Serialize)]
struct WishDetail<'a> {
    doc: String,
    saved: bool,
    status: &'static str,
    on_wall: bool,
    free_capacity: usize,
    /// Lifecycle steps `person` could take now (see [`allowed_actions`]).
    actions: Vec<&'static str>,
    /// `book`, `link` and `edit` when the core allows them (see [`extra_actions`]).
    extra_actions: Vec<&'static str>,
    conflicts: Vec<FieldConflict>,
    claims: Vec<ClaimRow<'a>>,
    refused: Option<RefusedMark<'a>>,
    supervision: Option<SupervisionMark<'a>>,
    wish: &'a WishView,
}

/// A person's standing: confirmed hours, points balance, star level.
#[derive(Serialize)]
struct Standing {
    hours: f64,
    points: i64,
    stars: u8,
    thresholds: Vec<f64>,
    next_threshold: Option<f64>,
}

#[wasm_bindgen]
impl WishClient {
    /// Every wish held, newest first, as JSON rows (`WishRow`) for `person`.
    #[wasm_bindgen(js_name = wishList)]
    pub fn wish_list(&self, person: &str) -> Result<String, JsError> {
        let mut wishes = self.wishes();
        wishes.sort_by(|(_, a), (_, b)| {
            (b.view.created_at, &b.view.id).cmp(&(a.view.created_at, &a.view.id))
        });
        let rows: Vec<WishRow<'_>> = wishes
            .iter()
            .map(|(id, w)| self.row(id, w, person))
            .collect();
        to_json(&rows)
    }

    /// The wish wall: wishes open for claiming, most urgent first, as JSON rows, narrowed
    /// by `filter` (a `WallFilter` as JSON; `""` or `{}` keeps every wish).
    #[wasm_bindgen(js_name = wishWall)]
    pub fn wish_wall(&self, person: &str, filter: &str) -> Result<String, JsError> {
        let filter: WallFilter = if filter.trim().is_empty() {
            WallFilter::default()
        } else {
            serde_json::from_str(filter).map_err(js_error)?
        };
        let wishes: Vec<_> = self
            .wishes()
            .into_iter()
            .filter(|(_, w)| on_wall(&w.view))
            .collect();
        let by_id: HashMap<&str, usize> = wishes
            .iter()
            .enumerate()
            .map(|(i, (_, w))| (w.view.id.as_str(), i))
            .collect();
        let views: Vec<WishView> = wishes.iter().map(|(_, w)| (*w.view).clone()).collect();
        let rows: Vec<WishRow<'_>> = wall(&views)
            .iter()
            .filter(|item| filter.keeps(item))
            .filter_map(|item| by_id.get(item.id.as_str()).map(|i| &wishes[*i]))
            .map(|(id, w)| self.row(id, w, person))
            .collect();
        to_json(&rows)
    }

    /// One wish with its claims, conflicts, sync state and the steps `person` could take
    /// now, as JSON (`WishDetail`).
    #[wasm_bindgen(js_name = wishDetail)]
    pub fn wish_detail(&self, doc: &str, person: &str) -> Result<String, JsError> {
        let id = doc_id(doc)?;
        let automerge = self.held(&id)?;
        let wish = WishView::read(automerge).map_err(js_error)?;
        let claims = wish
            .claims
            .iter()
            .map(|c| claim_row(&wish, c, claim_actions(automerge, person, &c.id)))
            .collect();
        to_json(&WishDetail {
            doc: doc.to_owned(),
            saved: self.driver.is_saved_on_server(&id),
            status: wish.status().as_str(),
            on_wall: on_wall(&wish),
            free_capacity: wish.free_capacity(),
            actions: allowed_actions(automerge, person),
            extra_actions: extra_actions(automerge, person),
            conflicts: conflicts(automerge),
            claims,
            refused: self.refused_mark(&id),
            supervision: SupervisionMark::of(&wish),
            wish: &wish,
        })
    }

    /// A station document with its roster, as JSON (`StationView`).
    #[wasm_bindgen(js_name = stationView)]
    pub fn station_view(&self, doc: &str) -> Result<String, JsError> {
        to_json(&StationView::read(self.held(&doc_id(doc)?)?).map_err(js_error)?)
    }

    /// The community directory, as JSON (`CommunityView`).
    #[wasm_bindgen(js_name = communityView)]
    pub fn community_view(&self, doc: &str) -> Result<String, JsError> {
        to_json(&CommunityView::read(self.held(&doc_id(doc)?)?).map_err(js_error)?)
    }

    /// A resident's contact document, as JSON (`ContactView`).
    #[wasm_bindgen(js_name = contactView)]
    pub fn contact_view(&self, doc: &str) -> Result<String, JsError> {
        to_json(&ContactView::read(self.held(&doc_id(doc)?)?).map_err(js_error)?)
    }

    /// A person's confirmed hours, points and star level from the ledger (zero while the
    /// ledger is not held), with the community's thresholds.
    pub fn standing(
        &self,
        community: &str,
        ledger: Option<String>,
        person: &str,
    ) -> Result<String, JsError> {
        let thresholds = CommunityView::read(self.held(&doc_id(community)?)?)
            .map_err(js_error)?
            .star_thresholds;
        let ledger = match ledger {
            Some(doc) => self
                .held(&doc_id(&doc)?)
                .ok()
                .and_then(|d| LedgerView::read(d).ok()),
            None => None,
        };
        let hours = ledger.as_ref().map_or(0.0, |l| l.hours(person));
        let points = ledger
            .as_ref()
            .map_or(0, |l| l.balance(&account::person(person)));
        let stars = star_level(hours, &thresholds);
        let next_threshold = thresholds.iter().copied().find(|t| *t > hours);
        to_json(&Standing {
            hours,
            points,
            stars,
            thresholds,
            next_threshold,
        })
    }

    /// The `@type` of a held document, or `undefined`.
    #[wasm_bindgen(js_name = docType)]
    pub fn doc_type(&self, doc: &str) -> Result<Option<String>, JsError> {
        let id = doc_id(doc)?;
        Ok(self
            .driver
            .document(&id)
            .and_then(doc_type)
            .map(|t| t.as_str().to_owned()))
    }
}

impl WishClient {
    fn held(&self, id: &DocumentId) -> Result<&automerge::Automerge, JsError> {
        self.driver
            .document(id)
            .ok_or_else(|| js_error(format!("document {id} is not on this tablet")))
    }

    fn row<'a>(&'a self, id: &DocumentId, cached: &'a CachedWish, person: &str) -> WishRow<'a> {
        let wish = &*cached.view;
        let my_claim = wish
            .active_claims()
            .into_iter()
            .find(|c| c.claimant == person)
            .map(|c| claim_state(wish, c));
        WishRow {
            doc: id.to_string(),
            saved: self.driver.is_saved_on_server(id),
            status: wish.status().as_str(),
            on_wall: on_wall(wish),
            conflicts: cached.conflicts,
            pending_claims: wish.pending_claims().len(),
            assigned_claims: wish.assigned_claims().len(),
            my_claim,
            refused: self.refused_mark(id),
            id: &wish.id,
            title: &wish.title,
            station: &wish.station,
            module: wish.module,
            suggested_module: wish.suggested_module,
            urgency: wish.urgency,
            channel: wish.channel,
            compound: &wish.compound,
            building: &wish.building,
            capacity: wish.capacity,
            created_at: wish.created_at,
            created_by: &wish.created_by,
            supervision: SupervisionMark::of(wish),
        }
    }
}

fn claim_row<'a>(
    wish: &WishView,
    claim: &'a wish_client_core::model::wish::Claim,
    actions: Vec<&'static str>,
) -> ClaimRow<'a> {
    ClaimRow {
        claim,
        state: claim_state(wish, claim),
        actions,
        resolved_hours: wish.resolution_of(&claim.id).and_then(|e| e.hours),
        confirmed: wish.is_confirmed(&claim.id),
    }
}

/// `released`, `assigned` or `pending`.
fn claim_state(wish: &WishView, claim: &wish_client_core::model::wish::Claim) -> &'static str {
    if !wish.is_active_claim(&claim.id) {
        "released"
    } else if wish.assigned.contains_key(&claim.id) {
        "assigned"
    } else {
        "pending"
    }
}
