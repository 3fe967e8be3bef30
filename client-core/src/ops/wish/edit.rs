//! Correcting a wish card's public details after it was collected.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};

use super::guard::{load, open};
use crate::model::{Urgency, WishView};
use crate::ops::write::{commit, non_empty};
use crate::ops::DomainError;

/// New values for a wish card's details; `None` keeps a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishEdit {
    pub title: Option<String>,
    pub urgency: Option<Urgency>,
    pub compound: Option<String>,
    pub building: Option<String>,
}

/// Writes the fields of `edit` that differ from the document, in one change.
///
/// Only changed fields are written, so two devices that correct different fields offline
/// never conflict; two that correct the same field keep both values, which
/// [`crate::model::conflicts`] lists for a coordinator to choose. Refuses closed and
/// rejected wishes, an empty title and an edit that changes nothing.
pub fn edit_details(doc: &mut Automerge, edit: &WishEdit, now_ms: u64) -> Result<(), DomainError> {
    let wish = load(doc)?;
    open(&wish)?;
    if let Some(title) = &edit.title {
        non_empty("title", title)?;
    }
    let root = changed_root_fields(&wish, edit);
    let area = changed_area_fields(&wish, edit);
    if root.is_empty() && area.is_empty() {
        return Err(DomainError::NothingToChange);
    }
    commit(doc, now_ms, |tx| {
        for (key, value) in root {
            tx.put(ROOT, key, value)?;
        }
        if !area.is_empty() {
            let area_obj = match tx.get(ROOT, "area")? {
                Some((automerge::Value::Object(ObjType::Map), id)) => id,
                _ => tx.put_object(ROOT, "area", ObjType::Map)?,
            };
            for (key, value) in area {
                tx.put(&area_obj, key, value)?;
            }
        }
        Ok(())
    })
}

fn changed_root_fields(wish: &WishView, edit: &WishEdit) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(title) = edit.title.as_ref().filter(|t| t.trim() != wish.title) {
        out.push(("title", title.trim().to_owned()));
    }
    if let Some(urgency) = edit.urgency.filter(|u| *u != wish.urgency) {
        out.push(("urgency", urgency.as_str().to_owned()));
    }
    out
}

fn changed_area_fields(wish: &WishView, edit: &WishEdit) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(compound) = edit.compound.as_ref().filter(|c| c.trim() != wish.compound) {
        out.push(("compound", compound.trim().to_owned()));
    }
    if let Some(building) = edit.building.as_ref().filter(|b| b.trim() != wish.building) {
        out.push(("building", building.trim().to_owned()));
    }
    out
}
