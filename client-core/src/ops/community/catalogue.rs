//! Keeping the redemption catalogue (兑换目录): editing an item's name and points, and
//! retiring an item (kept for the ledger's history, no longer redeemable).

use automerge::{Automerge, ScalarValue};

use super::directory::not_found;
use super::people::put_changed;
use crate::model::community::CatalogueItem;
use crate::model::{CommunityView, DocType};
use crate::ops::write::{ensure_writable, non_empty, Field};
use crate::ops::DomainError;

/// Rewrites an item's name, points and whether it is on offer (only what differs).
/// Refuses an unknown item, an empty name, a price below 1 point and an edit that
/// changes nothing.
pub fn edit_catalogue_item(
    doc: &mut Automerge,
    item: &CatalogueItem,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    non_empty("name", &item.name)?;
    if item.points < 1 {
        return Err(DomainError::InvalidAmount("an item costs at least 1 point"));
    }
    let community = CommunityView::read(doc)?;
    let current = community
        .catalogue
        .get(&item.id)
        .ok_or_else(|| not_found("catalogue item", &item.id))?;
    let mut fields: Vec<Field> = Vec::new();
    if current.name != item.name {
        fields.push(("name", Some(ScalarValue::Str(item.name.as_str().into()))));
    }
    if current.points != item.points {
        fields.push(("points", Some(ScalarValue::Int(item.points))));
    }
    if current.active != item.active {
        fields.push(("active", Some(ScalarValue::Boolean(item.active))));
    }
    put_changed(doc, "catalogue", &item.id, fields, now_ms)
}

/// Takes an item off the catalogue (`active: false`); past redemptions keep naming it.
/// Refuses an unknown item and one already retired.
pub fn retire_catalogue_item(
    doc: &mut Automerge,
    item: &str,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    let community = CommunityView::read(doc)?;
    let current = community
        .catalogue
        .get(item)
        .ok_or_else(|| not_found("catalogue item", item))?;
    if !current.active {
        return Err(DomainError::ItemRetired(item.to_owned()));
    }
    let fields = vec![("active", Some(ScalarValue::Boolean(false)))];
    put_changed(doc, "catalogue", item, fields, now_ms)
}
