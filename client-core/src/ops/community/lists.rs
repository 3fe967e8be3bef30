//! The resources list (offers), the projects list and the redemption catalogue.

use automerge::{Automerge, ScalarValue, ROOT};

use super::directory::not_found;
use crate::model::community::{CatalogueItem, Offer, Project};
use crate::model::{CommunityView, DocType, MemberKind};
use crate::ops::write::{
    commit, ensure_writable, int, new_id, non_empty, put_entry, put_str_list, s,
};
use crate::ops::DomainError;

/// Adds a service offer (资源清单). Refuses capacity 0 and a provider that is not a
/// person (or unit, per `provider_kind`) of the community.
pub fn add_offer(doc: &mut Automerge, offer: &Offer, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "offers", &offer.id)?;
    non_empty("title", &offer.title)?;
    if offer.capacity == 0 {
        return Err(DomainError::InvalidCapacity);
    }
    let community = CommunityView::read(doc)?;
    let known = match offer.provider_kind {
        MemberKind::Person => community.people.contains_key(&offer.provider),
        MemberKind::Unit => community.units.contains_key(&offer.provider),
    };
    if !known {
        return Err(not_found("provider", &offer.provider));
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&offer.id)),
            ("title", s(&offer.title)),
            ("module", s(offer.module.as_str())),
            ("provider", s(&offer.provider)),
            ("provider_kind", s(offer.provider_kind.as_str())),
            ("capacity", Some(int(u64::from(offer.capacity)))),
            ("active", Some(ScalarValue::Boolean(offer.active))),
        ];
        let obj = put_entry(tx, &ROOT, "offers", &offer.id, fields)?;
        put_str_list(tx, &obj, "skills", &offer.skills)
    })
}

/// Adds a project (项目清单). Refuses a lead who is not a person of the community.
pub fn add_project(doc: &mut Automerge, project: &Project, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "projects", &project.id)?;
    non_empty("title", &project.title)?;
    if !CommunityView::read(doc)?.people.contains_key(&project.lead) {
        return Err(not_found("lead", &project.lead));
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&project.id)),
            ("title", s(&project.title)),
            ("module", s(project.module.as_str())),
            ("status", s(project.status.as_str())),
            ("lead", s(&project.lead)),
            ("created_at", Some(int(project.created_at))),
        ];
        put_entry(tx, &ROOT, "projects", &project.id, fields).map(|_| ())
    })
}

/// Adds something points can be redeemed for. Refuses a price below 1 point.
pub fn add_catalogue_item(
    doc: &mut Automerge,
    item: &CatalogueItem,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    new_id(doc, &ROOT, "catalogue", &item.id)?;
    non_empty("name", &item.name)?;
    if item.points < 1 {
        return Err(DomainError::InvalidAmount("an item costs at least 1 point"));
    }
    commit(doc, now_ms, |tx| {
        let fields = vec![
            ("id", s(&item.id)),
            ("name", s(&item.name)),
            ("points", Some(ScalarValue::Int(item.points))),
            ("active", Some(ScalarValue::Boolean(item.active))),
        ];
        put_entry(tx, &ROOT, "catalogue", &item.id, fields).map(|_| ())
    })
}
