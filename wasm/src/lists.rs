//! The resources list (资源清单) and the projects list (项目清单) for the screens: posting
//! an offer as oneself or one's unit, retiring it, moving a project along, linking a wish
//! to a project, booking a wish against an offer. Conversions only.

#![allow(clippy::result_large_err)] // see domain.rs: DomainError stays as the core has it

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wish_client_core::model::community::Offer;
use wish_client_core::model::{CommunityView, MemberKind, Module, ProjectStatus};
use wish_client_core::ops::community as lists;
use wish_client_core::ops::wish;
use wish_client_core::ops::DomainError;

use crate::convert::{doc_id, from_json, js_error, ms};
use crate::coordinator_errors::refusal;
use crate::domain::StampInput;
use crate::WishClient;

/// An offer as the 资源清单 form sends it (the page makes the id).
#[derive(Deserialize)]
struct OfferInput {
    id: String,
    title: String,
    module: Module,
    skills: Vec<String>,
    provider: String,
    provider_kind: MemberKind,
    capacity: u32,
}

#[wasm_bindgen]
impl WishClient {
    /// Posts an offer (`OfferInput` JSON) to the community's resources list.
    #[wasm_bindgen(js_name = postOffer)]
    pub fn post_offer(
        &mut self,
        community: &str,
        offer_json: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let input: OfferInput = from_json("offer", offer_json)?;
        let offer = Offer {
            id: input.id,
            title: input.title,
            module: input.module,
            skills: input.skills,
            provider: input.provider,
            provider_kind: input.provider_kind,
            capacity: input.capacity,
            active: true,
        };
        self.list_change(community, |d| lists::add_offer(d, &offer, ms(now)))
    }

    /// Retires an offer (停用) or offers it again (coordinators).
    #[wasm_bindgen(js_name = setOfferActive)]
    pub fn set_offer_active(
        &mut self,
        community: &str,
        offer: &str,
        active: bool,
        now: f64,
    ) -> Result<(), JsError> {
        self.list_change(community, |d| {
            lists::set_offer_active(d, offer, active, ms(now))
        })
    }

    /// Moves a project forward (`running`, `done`) (coordinators).
    #[wasm_bindgen(js_name = advanceProject)]
    pub fn advance_project(
        &mut self,
        community: &str,
        project: &str,
        status: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let status: ProjectStatus = status.parse().map_err(js_error)?;
        self.list_change(community, |d| {
            lists::advance_project(d, project, status, ms(now))
        })
    }

    /// Links a wish to a project of the community's projects list (coordinators).
    #[wasm_bindgen(js_name = linkProject)]
    pub fn link_project(
        &mut self,
        doc: &str,
        community: &str,
        project: &str,
        now: f64,
    ) -> Result<(), JsError> {
        let known = self.community_of(community)?.projects.contains_key(project);
        if !known {
            return Err(refusal(DomainError::NotFound {
                what: "project",
                id: project.to_owned(),
            }));
        }
        self.list_change(doc, |d| wish::link_project(d, project, ms(now)))
    }

    /// Books a wish against an offer (two-way claiming): dispatches it to the offer's
    /// provider, the claim naming the offer (coordinators).
    #[wasm_bindgen(js_name = bookOffer)]
    pub fn book_offer(
        &mut self,
        doc: &str,
        stamp_json: &str,
        community: &str,
        offer: &str,
    ) -> Result<(), JsError> {
        let stamp: StampInput = from_json("stamp", stamp_json)?;
        let offer = self
            .community_of(community)?
            .offers
            .get(offer)
            .cloned()
            .ok_or_else(|| {
                refusal(DomainError::NotFound {
                    what: "offer",
                    id: offer.to_owned(),
                })
            })?;
        self.list_change(doc, |d| wish::book_offer(d, stamp.stamp(), &offer))
    }
}

impl WishClient {
    fn community_of(&self, community: &str) -> Result<CommunityView, JsError> {
        let id = doc_id(community)?;
        let doc = self
            .driver
            .document(&id)
            .ok_or_else(|| js_error(format!("document {id} is not on this tablet")))?;
        CommunityView::read(doc).map_err(js_error)
    }

    fn list_change(
        &mut self,
        doc: &str,
        op: impl FnOnce(&mut automerge::Automerge) -> Result<(), DomainError>,
    ) -> Result<(), JsError> {
        self.driver
            .change(doc_id(doc)?, op)
            .map_err(js_error)?
            .map_err(list_refusal)
    }
}

fn list_refusal(error: DomainError) -> JsError {
    let words = match &error {
        DomainError::OfferRetired(_) => Some(("这项资源已停用", "this offer is retired")),
        DomainError::ProjectBackwards => Some((
            "项目只能从计划中到进行中再到已完成",
            "a project moves from planned to running to done",
        )),
        DomainError::InvalidCapacity => Some(("名额至少为1", "at least one place")),
        DomainError::CapacityFull(_) => Some(("名额已满，不能再派单", "every place is taken")),
        DomainError::DuplicateClaim(_) => Some(("已经认领过这个心愿", "already claimed this wish")),
        _ => None,
    };
    match words {
        Some((zh, en)) => JsError::new(&format!("{zh} / {en}")),
        None => refusal(error),
    }
}
