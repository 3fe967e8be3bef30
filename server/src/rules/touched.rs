//! From automerge patches to the entries a change touched.
//!
//! A patch names one property of one object (`events.e1.note` put, `text` spliced,
//! `claims.c3` deleted). Rules are written per **entry**: a root field (`title`, `area`),
//! or one element of a collection (`events/e1`, `shifts/s1`, `shifts/s1/checkins/p3`).
//! Each patch is mapped to the entry that contains it, and each entry gets one action:
//! added (absent before the change), edited (present before and after) or removed.

use std::collections::{BTreeSet, HashMap};

use automerge::{Automerge, ChangeHash, ObjId, Patch, PatchAction, Prop, ReadDoc, ROOT};
use wish_client_core::model::wish::WishRoot;
use wish_client_core::model::DocType;

use super::table::Action;
use super::ChangeUnderReview;

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

/// Which entries existed at some heads, as the last review of a document found them
/// after its change. The heads before the next change are usually those same heads, and
/// then whether an entry existed before it is known without reading the document at
/// older heads (`get_at`, the costliest part of finding the actions). A document's state
/// at given heads never changes, so an answer for the same heads is always right.
#[derive(Debug, Default)]
pub struct KnownEntries {
    heads: Vec<ChangeHash>,
    exists: HashMap<Vec<String>, bool>,
}

/// The entries the change touched, each once, in path order. `known` answers for the
/// heads before it if it can, and is left holding what the document has now.
pub fn entries(
    doc_type: DocType,
    change: &ChangeUnderReview<'_>,
    known: &mut KnownEntries,
) -> Vec<Touched> {
    let now = Now {
        doc: change.doc,
        root: change.root,
    };
    entries_in(doc_type, &now, change.before, change.patches, known)
}

/// The document after the change, and what a read of its root already saw: whether a
/// root field exists now is then known without seeking it (a title corrected a thousand
/// times is a thousand operations to walk).
struct Now<'a> {
    doc: &'a Automerge,
    root: Option<&'a WishRoot>,
}

impl Now<'_> {
    fn exists(&self, path: &[String]) -> bool {
        match (self.root, path) {
            (Some(root), [key]) => root.has(key),
            _ => exists(self.doc, path, None),
        }
    }
}

fn entries_in(
    doc_type: DocType,
    now: &Now<'_>,
    before: &[ChangeHash],
    patches: &[Patch],
    known: &mut KnownEntries,
) -> Vec<Touched> {
    let doc = now.doc;
    let paths: BTreeSet<Vec<String>> = patches
        .iter()
        .map(|p| entry_of(doc_type, &full_path(p)))
        .filter(|path| !path.is_empty())
        .collect();
    let reusable = !before.is_empty() && known.heads == before;
    let mut now_known = HashMap::with_capacity(paths.len());
    let touched = paths
        .into_iter()
        .map(|entry| {
            let existed = if before.is_empty() {
                false
            } else {
                match known.exists.get(&entry) {
                    Some(&existed) if reusable => existed,
                    _ => exists(doc, &entry, Some(before)),
                }
            };
            let exists_now = now.exists(&entry);
            now_known.insert(entry.clone(), exists_now);
            let action = action_of(existed, exists_now);
            Touched { entry, action }
        })
        .collect();
    *known = KnownEntries {
        heads: doc.get_heads(),
        exists: now_known,
    };
    touched
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

/// What happened to an entry, from whether it existed before the change and after it.
fn action_of(existed: bool, exists_now: bool) -> Action {
    match (existed, exists_now) {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use automerge::transaction::Transactable;
    use automerge::{Automerge, ChangeHash, ROOT};
    use wish_client_core::model::DocType;

    use super::KnownEntries;
    use crate::rules::Action;

    /// Sets `title` to `value` in one change; returns the heads before it.
    fn put_title(doc: &mut Automerge, value: &str) -> Vec<ChangeHash> {
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.put(ROOT, "title", value).unwrap();
        tx.commit();
        before
    }

    fn actions(doc: &Automerge, before: &[ChangeHash], known: &mut KnownEntries) -> Vec<Action> {
        let patches = doc.diff(before, &doc.get_heads());
        let now = super::Now { doc, root: None };
        super::entries_in(DocType::Wish, &now, before, &patches, known)
            .into_iter()
            .map(|t| t.action)
            .collect()
    }

    /// A collected wish, as the tablet writes it.
    fn collected_wish() -> Automerge {
        use wish_client_core::model::{Channel, Urgency};
        use wish_client_core::ops::wish::{collect_wish, CollectWish};
        let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
        let input = CollectWish {
            wish_id: "w1".into(),
            wish_doc: "wish-doc".into(),
            community: "c1".into(),
            station: "s1".into(),
            title: "楼道灯坏了".into(),
            text: "三楼楼道灯不亮".into(),
            suggested_module: None,
            channel: Channel::DoorToDoor,
            compound: "幸福花园".into(),
            building: "5栋".into(),
            urgency: Urgency::Normal,
            capacity: 1,
            on_behalf: false,
            collected_by: "p1".into(),
            device: "d1".into(),
            event_id: "ev-1".into(),
            now_ms: 1_000,
            contact: None,
        };
        collect_wish(&mut doc, &mut contact, input).unwrap();
        doc
    }

    /// The actions of the last change, found with the root the wish's read saw and
    /// without it.
    fn actions_both_ways(doc: &Automerge, before: &[ChangeHash]) -> (Vec<Action>, Vec<Action>) {
        use wish_client_core::model::WishView;
        let patches = doc.diff(before, &doc.get_heads());
        let (_, root) = WishView::read_with_root(doc).unwrap();
        let run = |root| {
            let now = super::Now { doc, root };
            let found = super::entries_in(
                DocType::Wish,
                &now,
                before,
                &patches,
                &mut KnownEntries::default(),
            );
            found.into_iter().map(|t| t.action).collect::<Vec<_>>()
        };
        (run(Some(&root)), run(None))
    }

    #[test]
    fn the_root_a_wish_read_saw_gives_the_same_actions_as_the_document() {
        let mut doc = collected_wish();
        let before = put_title(&mut doc, "楼道灯坏了（更正）");
        assert_eq!(
            actions_both_ways(&doc, &before),
            (vec![Action::Edit], vec![Action::Edit])
        );
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.put(ROOT, "project", "pr1").unwrap();
        tx.commit();
        assert_eq!(
            actions_both_ways(&doc, &before),
            (vec![Action::Add], vec![Action::Add])
        );
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.delete(ROOT, "project").unwrap();
        tx.commit();
        let removed = (vec![Action::Remove], vec![Action::Remove]);
        assert_eq!(actions_both_ways(&doc, &before), removed);
        // Put and deleted in one change: absent now, so an addition either way.
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.put(ROOT, "project", "pr2").unwrap();
        tx.delete(ROOT, "project").unwrap();
        tx.commit();
        let (with_root, without) = actions_both_ways(&doc, &before);
        assert_eq!(with_root, without);
    }

    #[test]
    fn the_next_change_reuses_what_the_last_review_found() {
        let mut doc = Automerge::new();
        put_title(&mut doc, "a");
        let mut known = KnownEntries::default();
        let before = put_title(&mut doc, "b");
        assert_eq!(actions(&doc, &before, &mut known), [Action::Edit]);
        assert_eq!(known.heads, doc.get_heads());
        assert_eq!(known.exists.get(&vec!["title".to_owned()]), Some(&true));
        let before = put_title(&mut doc, "c");
        assert_eq!(actions(&doc, &before, &mut known), [Action::Edit]);
    }

    #[test]
    fn answers_for_other_heads_are_not_used() {
        let mut doc = Automerge::new();
        put_title(&mut doc, "a");
        // A wrong answer kept for other heads must not decide: the title existed.
        let mut known = KnownEntries {
            heads: Vec::new(),
            exists: [(vec!["title".to_owned()], false)].into(),
        };
        let before = put_title(&mut doc, "b");
        assert_eq!(actions(&doc, &before, &mut known), [Action::Edit]);
    }

    #[test]
    fn an_entry_the_last_review_did_not_see_is_read_at_the_heads_before() {
        let mut doc = Automerge::new();
        put_title(&mut doc, "a");
        let mut known = KnownEntries::default();
        let before = put_title(&mut doc, "b");
        actions(&doc, &before, &mut known);
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.put(ROOT, "area", "幸福里").unwrap();
        tx.commit();
        assert_eq!(actions(&doc, &before, &mut known), [Action::Add]);
        let before = doc.get_heads();
        let mut tx = doc.transaction();
        tx.delete(ROOT, "area").unwrap();
        tx.commit();
        assert_eq!(actions(&doc, &before, &mut known), [Action::Remove]);
    }
}
