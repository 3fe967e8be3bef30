//! [`WishView`]: a wish document read into plain values.

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::event::{read_assignment, read_claim, read_event, Assignment, Claim, Event};
use crate::model::doc_type::expect_type;
use crate::model::order::{by_at_id, latest};
use crate::model::read::{
    bool_or_false, opt_enum, opt_obj, opt_str, read_entries, req_enum, req_str, req_u64,
    str_or_empty, text_or_str,
};
use crate::model::{Channel, DocType, EventKind, ModelError, Module, Urgency};

/// A wish card's public part. `events` and `claims` are sorted by `(at, id)`.
///
/// Required fields: `id`, `community`, `station`, `title`, `channel`, `urgency`,
/// `created_at`, `created_by`. Missing optional fields read as empty, `null`, `false`,
/// capacity 1 or empty maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WishView {
    pub id: String,
    pub community: String,
    pub station: String,
    pub title: String,
    pub text: String,
    /// The module of the latest `triaged` event by `(at, id)`; the stored `module` field
    /// when there is no such event.
    pub module: Option<Module>,
    pub suggested_module: Option<Module>,
    pub channel: Channel,
    pub compound: String,
    pub building: String,
    pub urgency: Urgency,
    pub capacity: u32,
    pub on_behalf: bool,
    pub created_at: u64,
    pub created_by: String,
    pub contact: Option<String>,
    pub events: Vec<Event>,
    pub claims: Vec<Claim>,
    pub assigned: BTreeMap<String, Assignment>,
}

impl WishView {
    /// Reads a wish document. Call it after every local change or merge.
    pub fn read(doc: &Automerge) -> Result<WishView, ModelError> {
        expect_type(doc, DocType::Wish)?;
        let events = read_events(doc)?;
        let stored_module = opt_enum(doc, &ROOT, "module")?;
        let (compound, building) = read_area(doc)?;
        Ok(WishView {
            id: req_str(doc, &ROOT, "id")?,
            community: req_str(doc, &ROOT, "community")?,
            station: req_str(doc, &ROOT, "station")?,
            title: req_str(doc, &ROOT, "title")?,
            text: text_or_str(doc, &ROOT, "text")?,
            module: triaged_module(&events).or(stored_module),
            suggested_module: opt_enum(doc, &ROOT, "suggested_module")?,
            channel: req_enum(doc, &ROOT, "channel")?,
            compound,
            building,
            urgency: req_enum(doc, &ROOT, "urgency")?,
            capacity: read_capacity(doc)?,
            on_behalf: bool_or_false(doc, &ROOT, "on_behalf")?,
            created_at: req_u64(doc, &ROOT, "created_at")?,
            created_by: req_str(doc, &ROOT, "created_by")?,
            contact: opt_str(doc, &ROOT, "contact")?,
            events,
            claims: read_claims(doc)?,
            assigned: read_entries(doc, &ROOT, "assigned", read_assignment)?
                .into_iter()
                .collect(),
        })
    }

    /// The events of one kind, in `(at, id)` order.
    pub fn events_of(&self, kind: EventKind) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.kind == kind)
    }

    /// Whether at least one event of `kind` exists.
    pub fn has_event(&self, kind: EventKind) -> bool {
        self.events_of(kind).next().is_some()
    }

    /// The claim with this id, released or not.
    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }
}

fn read_events<R: ReadDoc>(doc: &R) -> Result<Vec<Event>, ModelError> {
    let mut events: Vec<Event> = read_entries(doc, &ROOT, "events", read_event)?
        .into_iter()
        .flatten()
        .collect();
    events.sort_by(by_at_id);
    Ok(events)
}

fn read_claims<R: ReadDoc>(doc: &R) -> Result<Vec<Claim>, ModelError> {
    let mut claims = read_entries(doc, &ROOT, "claims", read_claim)?;
    claims.sort_by(by_at_id);
    Ok(claims)
}

fn triaged_module(events: &[Event]) -> Option<Module> {
    let triaged = events.iter().filter(|e| e.kind == EventKind::Triaged);
    latest(triaged.filter(|e| e.module.is_some()))?.module
}

fn read_area<R: ReadDoc>(doc: &R) -> Result<(String, String), ModelError> {
    let Some(area): Option<ObjId> = opt_obj(doc, &ROOT, "area", ObjType::Map)? else {
        return Ok((String::new(), String::new()));
    };
    let read = |key| str_or_empty(doc, &area, key).map_err(|e| e.within("area"));
    Ok((read("compound")?, read("building")?))
}

fn read_capacity<R: ReadDoc>(doc: &R) -> Result<u32, ModelError> {
    let capacity = crate::model::read::opt_u64(doc, &ROOT, "capacity")?.unwrap_or(1);
    u32::try_from(capacity).map_err(|_| ModelError::InvalidValue {
        field: "capacity".to_owned(),
        value: capacity.to_string(),
    })
}
