//! What the access policy needs to know about a document, read from its contents.

use automerge::Automerge;
use wish_client_core::model::contact::ContactView;
use wish_client_core::model::wish::{WishRoot, WishStatus, WishView};
use wish_client_core::model::{doc_type, DocType};

/// The facts about one document that access decisions use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    pub doc_type: Option<DocType>,
    pub community: Option<String>,
    pub station: Option<String>,
    /// Contacts: the collector's person id.
    pub collected_by: Option<String>,
    /// Contacts: the wish document they belong to.
    pub wish: Option<String>,
    /// Wishes: people whose claims are assigned. Contacts: copied from their wish.
    pub assigned_people: Vec<String>,
    /// Wishes: every claimant, pending or assigned.
    pub claimants: Vec<String>,
    /// Wishes: published and open, so partners see it on the wall.
    pub on_wall: bool,
    /// The resident's data was deleted; nobody may read or re-upload it.
    pub deleted: bool,
}

impl DocMeta {
    /// Reads the facts from a document's contents. An empty or unknown document has no
    /// type, which every role but the administrator is denied.
    pub fn of(doc: &Automerge) -> Self {
        Self::read(doc).0
    }

    /// [`Self::of`], also returning the wish it read and what that read saw of the root
    /// (reading a wish is the expensive part; the write rules check the same contents).
    pub fn read(doc: &Automerge) -> (Self, Option<(WishView, WishRoot)>) {
        match doc_type(doc) {
            Some(DocType::Wish) => Self::of_wish(doc),
            other => (Self::of_other(doc, other), None),
        }
    }

    fn of_other(doc: &Automerge, doc_type: Option<DocType>) -> Self {
        match doc_type {
            Some(DocType::Wish) | None => Self::default(),
            Some(DocType::Contact) => Self::of_contact(doc),
            Some(other) => Self {
                doc_type: Some(other),
                community: read_str(doc, "community").or_else(|| own_id(doc, other)),
                station: station_of(doc, other),
                ..Self::default()
            },
        }
    }

    fn of_wish(doc: &Automerge) -> (Self, Option<(WishView, WishRoot)>) {
        let Ok((view, root)) = WishView::read_with_root(doc) else {
            let meta = Self {
                doc_type: Some(DocType::Wish),
                ..Self::default()
            };
            return (meta, None);
        };
        let status = view.status();
        let assigned_people = view
            .active_claims()
            .into_iter()
            .filter(|c| view.assigned.contains_key(&c.id))
            .map(|c| c.claimant.clone())
            .collect();
        let meta = Self {
            doc_type: Some(DocType::Wish),
            community: Some(view.community.clone()),
            station: Some(view.station.clone()),
            claimants: view.claims.iter().map(|c| c.claimant.clone()).collect(),
            assigned_people,
            on_wall: matches!(
                status,
                WishStatus::Published
                    | WishStatus::Claimed
                    | WishStatus::Assigned
                    | WishStatus::InProgress
            ),
            ..Self::default()
        };
        (meta, Some((view, root)))
    }

    fn of_contact(doc: &Automerge) -> Self {
        let Ok(view) = ContactView::read(doc) else {
            return Self {
                doc_type: Some(DocType::Contact),
                ..Self::default()
            };
        };
        Self {
            doc_type: Some(DocType::Contact),
            community: None,
            station: Some(view.station.clone()),
            collected_by: Some(view.collected_by.clone()),
            wish: Some(view.wish.clone()),
            ..Self::default()
        }
    }

    /// Whether the person claimed or was assigned this wish.
    pub fn involves(&self, person: &str) -> bool {
        self.claimants
            .iter()
            .chain(&self.assigned_people)
            .any(|p| p == person)
    }
}

fn read_str(doc: &Automerge, key: &str) -> Option<String> {
    use automerge::ReadDoc;
    match doc.get(automerge::ROOT, key).ok().flatten()? {
        (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_owned),
        (automerge::Value::Object(automerge::ObjType::Text), id) => doc.text(&id).ok(),
        _ => None,
    }
}

/// A community document's community is itself.
fn own_id(doc: &Automerge, ty: DocType) -> Option<String> {
    (ty == DocType::Community)
        .then(|| read_str(doc, "id"))
        .flatten()
}

fn station_of(doc: &Automerge, ty: DocType) -> Option<String> {
    (ty == DocType::Station)
        .then(|| read_str(doc, "id"))
        .flatten()
}
