//! Linking a wish to a project of the projects list (项目清单).

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};

use super::guard::{load, open};
use crate::ops::write::{commit, non_empty};
use crate::ops::DomainError;

/// Sets the wish's `project` (a coordinator's; the project's existence is checked by the
/// caller against the community, which this document does not hold). Refuses closed and
/// rejected wishes: a project gathers wishes still to be fulfilled.
pub fn link_project(doc: &mut Automerge, project: &str, now_ms: u64) -> Result<(), DomainError> {
    non_empty("project", project)?;
    let wish = load(doc)?;
    open(&wish)?;
    if wish.project.as_deref() == Some(project) {
        return Err(DomainError::NothingToChange);
    }
    commit(doc, now_ms, |tx| tx.put(ROOT, "project", project))
}
