//! [`WishView`]: a wish document read into plain values.

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::event::{read_assignment, read_claim, read_event, Assignment, Claim, Event};
use crate::model::doc_type::expect_type_in;
use crate::model::fields::Fields;
use crate::model::order::{by_at_id, latest};
use crate::model::{Channel, DocType, EventKind, ModelError, Module, Urgency, WishStatus};

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
    /// The project of the projects list (项目清单) the wish is linked to, if any.
    #[serde(default)]
    pub project: Option<String>,
    pub events: Vec<Event>,
    pub claims: Vec<Claim>,
    pub assigned: BTreeMap<String, Assignment>,
}

/// What [`WishView::read_with_root`] saw of a wish's root besides the wish itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishRoot {
    /// The root's `schema` version; `None` if missing or not a non-negative integer (as
    /// [`crate::model::schema_version`] reads it).
    pub schema: Option<u64>,
    /// The root's keys that hold a value (`null` included).
    keys: Vec<String>,
}

impl WishRoot {
    /// Whether the root holds `key`: the answer `ReadDoc::get(ROOT, key)` gives.
    pub fn has(&self, key: &str) -> bool {
        // A wish's root has a few dozen keys at most: a scan is as fast as a search.
        self.keys.iter().any(|k| k == key)
    }
}

impl WishView {
    /// Reads a wish document. Call it after every local change or merge.
    pub fn read(doc: &Automerge) -> Result<WishView, ModelError> {
        // One pass over the root map (see `model::fields`): readers ask for most keys,
        // `@type` included (checked from the same pass, not sought again).
        Self::read_from(doc, &Fields::of(doc, &ROOT))
    }

    /// [`Self::read`], also returning what the same pass saw of the root (the `schema`
    /// version, which keys are present) for a caller that would otherwise seek those in
    /// the document again: the server's review of a change.
    pub fn read_with_root(doc: &Automerge) -> Result<(WishView, WishRoot), ModelError> {
        let root = Fields::of(doc, &ROOT);
        let view = Self::read_from(doc, &root)?;
        let facts = WishRoot {
            schema: root.opt_u64("schema").ok().flatten(),
            keys: root.keys(),
        };
        Ok((view, facts))
    }

    fn read_from(doc: &Automerge, root: &Fields<'_, Automerge>) -> Result<WishView, ModelError> {
        expect_type_in(root, DocType::Wish)?;
        let events = read_events(doc, root)?;
        let stored_module = root.opt_enum("module")?;
        let (compound, building) = read_area(doc, root)?;
        Ok(WishView {
            id: root.req_str("id")?,
            community: root.req_str("community")?,
            station: root.req_str("station")?,
            title: root.req_str("title")?,
            text: root.text_or_str("text")?,
            module: triaged_module(&events).or(stored_module),
            suggested_module: root.opt_enum("suggested_module")?,
            channel: root.req_enum("channel")?,
            compound,
            building,
            urgency: root.req_enum("urgency")?,
            capacity: read_capacity(root)?,
            on_behalf: root.bool_or_false("on_behalf")?,
            created_at: root.req_u64("created_at")?,
            created_by: root.req_str("created_by")?,
            contact: root.opt_str("contact")?,
            project: root.opt_str("project")?,
            events,
            claims: read_claims(doc, root)?,
            assigned: entries(doc, root, "assigned", read_assignment)?
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

    /// The street office's latest 督办 mark (follow-up of an overdue wish), while the wish
    /// is neither closed nor rejected: the tablets show it as a badge.
    pub fn supervision(&self) -> Option<&Event> {
        if matches!(self.status(), WishStatus::Closed | WishStatus::Rejected) {
            return None;
        }
        self.events_of(EventKind::Supervised).last()
    }

    /// The claim with this id, released or not.
    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }
}

/// Reads every map entry of the map at `key` with `read`, prefixing errors with the path.
fn entries<R: ReadDoc, T>(
    doc: &R,
    root: &Fields<'_, R>,
    key: &str,
    read: impl Fn(&R, &str, &ObjId) -> Result<T, ModelError>,
) -> Result<Vec<T>, ModelError> {
    let Some(map) = root.opt_map(key)? else {
        return Ok(Vec::new());
    };
    Fields::of(doc, &map)
        .map_entries()
        .into_iter()
        .map(|(k, id)| read(doc, &k, &id).map_err(|e| e.within(&format!("{key}/{k}"))))
        .collect()
}

fn read_events<R: ReadDoc>(doc: &R, root: &Fields<'_, R>) -> Result<Vec<Event>, ModelError> {
    let mut events: Vec<Event> = entries(doc, root, "events", read_event)?
        .into_iter()
        .flatten()
        .collect();
    events.sort_by(by_at_id);
    Ok(events)
}

fn read_claims<R: ReadDoc>(doc: &R, root: &Fields<'_, R>) -> Result<Vec<Claim>, ModelError> {
    let mut claims = entries(doc, root, "claims", read_claim)?;
    claims.sort_by(by_at_id);
    Ok(claims)
}

fn triaged_module(events: &[Event]) -> Option<Module> {
    let triaged = events.iter().filter(|e| e.kind == EventKind::Triaged);
    latest(triaged.filter(|e| e.module.is_some()))?.module
}

fn read_area<R: ReadDoc>(doc: &R, root: &Fields<'_, R>) -> Result<(String, String), ModelError> {
    let Some(area) = root.opt_map("area")? else {
        return Ok((String::new(), String::new()));
    };
    let area = Fields::of(doc, &area);
    let read = |key| {
        area.opt_str(key)
            .map(Option::unwrap_or_default)
            .map_err(|e| e.within("area"))
    };
    Ok((read("compound")?, read("building")?))
}

fn read_capacity<R: ReadDoc>(root: &Fields<'_, R>) -> Result<u32, ModelError> {
    let capacity = root.opt_u64("capacity")?.unwrap_or(1);
    u32::try_from(capacity).map_err(|_| ModelError::InvalidValue {
        field: "capacity".to_owned(),
        value: capacity.to_string(),
    })
}
