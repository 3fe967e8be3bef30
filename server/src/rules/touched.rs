//! From automerge patches to the entries a change touched.
//!
//! A patch names one property of one object (`events.e1.note` put, `text` spliced,
//! `claims.c3` deleted). Rules are written per **entry**: a root field (`title`, `area`),
//! or one element of a collection (`events/e1`, `shifts/s1`, `shifts/s1/checkins/p3`).
//! Each patch is mapped to the entry that contains it, and each entry gets one action:
//! added (absent before the change), edited (present before and after) or removed.

use std::collections::BTreeSet;

use automerge::{Automerge, ChangeHash, ObjId, Patch, PatchAction, Prop, ReadDoc, ROOT};
use wish_client_core::model::DocType;

use super::table::Action;

/// One entry a change touched, and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The entry's path: `["title"]`, `["events", "e1"]`, `["shifts", "s1", "checkins", "p3"]`.
    pub entry: Vec<String>,
    pub action: Action,
}

impl Touched {
    /// `events/e1 (add)`, for messages.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.entry.join("/"), self.action.as_str())
    }

    /// The entry's pattern with ids replaced by `*`: `events/*`, `shifts/*/checkins/*`.
    pub fn pattern(&self) -> String {
        self.entry
            .iter()
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { "*" } else { part.as_str() })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The id of the entry (its last path part).
    pub fn id(&self) -> &str {
        self.entry.last().map(String::as_str).unwrap_or("")
    }
}

/// The entries touched by `patches`, each once, in path order.
pub fn entries(
    doc_type: DocType,
    doc: &Automerge,
    before: &[ChangeHash],
    patches: &[Patch],
) -> Vec<Touched> {
    let paths: BTreeSet<Vec<String>> = patches
        .iter()
        .map(|p| entry_of(doc_type, &full_path(p)))
        .filter(|path| !path.is_empty())
        .collect();
    paths
        .into_iter()
        .map(|entry| {
            let action = action_of(doc, before, &entry);
            Touched { entry, action }
        })
        .collect()
}

/// The path of the property a patch changed: the object's path plus the key, or the
/// object's own path for changes inside a list or text.
fn full_path(patch: &Patch) -> Vec<String> {
    let mut path: Vec<String> = patch.path.iter().map(|(_, prop)| prop_str(prop)).collect();
    match &patch.action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => path.push(key.clone()),
        PatchAction::Increment { prop, .. } | PatchAction::Conflict { prop } => {
            path.push(prop_str(prop))
        }
        _ => {}
    }
    path
}

fn prop_str(prop: &Prop) -> String {
    match prop {
        Prop::Map(key) => key.clone(),
        Prop::Seq(index) => index.to_string(),
    }
}

/// Cuts a property path down to the entry that holds it.
fn entry_of(doc_type: DocType, path: &[String]) -> Vec<String> {
    let depth = match (doc_type, path.first().map(String::as_str)) {
        (DocType::Wish, Some("events" | "claims" | "assigned")) => 2,
        (DocType::Ledger, Some("entries")) => 2,
        (DocType::Station, Some("wishes" | "template")) => 2,
        (DocType::Station, Some("shifts")) if is_checkin(path) => 4,
        (DocType::Station, Some("shifts")) => 2,
        (
            DocType::Community,
            Some("stations" | "people" | "units" | "offers" | "projects" | "catalogue"),
        ) => 2,
        _ => 1,
    };
    path.iter().take(depth).cloned().collect()
}

fn is_checkin(path: &[String]) -> bool {
    path.len() >= 4 && path[2] == "checkins"
}

/// Whether the entry existed before the change and exists after it.
fn action_of(doc: &Automerge, before: &[ChangeHash], entry: &[String]) -> Action {
    let existed = !before.is_empty() && exists(doc, entry, Some(before));
    match (existed, exists(doc, entry, None)) {
        (false, _) => Action::Add,
        (true, true) => Action::Edit,
        (true, false) => Action::Remove,
    }
}

/// Walks `path` through maps from the root, now or at `heads`.
fn exists(doc: &Automerge, path: &[String], heads: Option<&[ChangeHash]>) -> bool {
    let mut obj: ObjId = ROOT;
    for (i, key) in path.iter().enumerate() {
        let found = match heads {
            Some(heads) => doc.get_at(&obj, key.as_str(), heads),
            None => doc.get(&obj, key.as_str()),
        };
        match found {
            Ok(Some((value, id))) => {
                if i + 1 < path.len() && !value.is_object() {
                    return false;
                }
                obj = id;
            }
            _ => return false,
        }
    }
    true
}
