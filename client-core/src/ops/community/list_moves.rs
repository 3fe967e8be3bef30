//! Keeping the resources and projects lists: retiring an offer (停用), moving a project
//! along 计划中 → 进行中 → 已完成.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, Value, ROOT};

use super::directory::not_found;
use crate::model::{CommunityView, DocType, ProjectStatus};
use crate::ops::write::{commit, ensure_writable};
use crate::ops::DomainError;

/// Sets an offer's `active` (false: retired, kept for history; true: offered again).
pub fn set_offer_active(
    doc: &mut Automerge,
    offer: &str,
    active: bool,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    let current = CommunityView::read(doc)?
        .offers
        .get(offer)
        .map(|o| o.active)
        .ok_or_else(|| not_found("offer", offer))?;
    if current == active {
        return Err(DomainError::NothingToChange);
    }
    let obj = entry(doc, "offers", offer)?;
    commit(doc, now_ms, |tx| tx.put(&obj, "active", active))
}

/// Moves a project to `status`, forward only (planned → running → done).
pub fn advance_project(
    doc: &mut Automerge,
    project: &str,
    status: ProjectStatus,
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    let current = CommunityView::read(doc)?
        .projects
        .get(project)
        .map(|p| p.status)
        .ok_or_else(|| not_found("project", project))?;
    if rank(status) <= rank(current) {
        return Err(DomainError::ProjectBackwards);
    }
    let obj = entry(doc, "projects", project)?;
    commit(doc, now_ms, |tx| tx.put(&obj, "status", status.as_str()))
}

fn rank(status: ProjectStatus) -> u8 {
    match status {
        ProjectStatus::Planned => 0,
        ProjectStatus::Running => 1,
        ProjectStatus::Done => 2,
    }
}

fn entry(doc: &Automerge, list: &'static str, id: &str) -> Result<automerge::ObjId, DomainError> {
    let map = match doc.get(ROOT, list)? {
        Some((Value::Object(ObjType::Map), map)) => map,
        _ => return Err(not_found("offer", id)),
    };
    match doc.get(&map, id)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(not_found(
            if list == "offers" { "offer" } else { "project" },
            id,
        )),
    }
}
