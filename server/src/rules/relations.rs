//! The writer's relations to the document: staff of its station, member, collector.

use wish_client_core::model::DocType;

use super::ChangeUnderReview;
use crate::access::{DocMeta, Principal, Role};

/// How the writer stands to the document being changed. Computed once per change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relations {
    /// The change creates the document.
    pub creating: bool,
    /// Coordinator of the document's station (for community and ledger documents: of the
    /// community), or the office of the community.
    pub staff: bool,
    /// Volunteer or coordinator at the document's station.
    pub member: bool,
    /// The person who collected the wish or contact.
    pub collector: bool,
    /// The shared tablet (驿站公用平板) of the document's station.
    pub shared_tablet: bool,
    /// An office device whose scope covers the document's community (its own or one it
    /// covers as a 街道's or district's office).
    pub office: bool,
}

impl Relations {
    pub fn of(change: &ChangeUnderReview<'_>, doc_type: DocType) -> Self {
        let who = change.writer;
        let meta = change.meta;
        let here = at_station(who, meta);
        let tablet = who.role == Role::StationTablet;
        Self {
            creating: change.before.is_empty(),
            staff: is_staff(who, meta, doc_type),
            // A shared tablet is at its station but is nobody's own device.
            member: here && !tablet,
            collector: collected_by(change, doc_type).as_deref() == Some(who.person.as_str()),
            shared_tablet: here && tablet,
            office: who.role == Role::Office && who.in_community(meta.community.as_deref()),
        }
    }
}

fn at_station(who: &Principal, meta: &DocMeta) -> bool {
    meta.station
        .as_deref()
        .is_some_and(|s| who.stations.contains(s))
}

fn is_staff(who: &Principal, meta: &DocMeta, doc_type: DocType) -> bool {
    let community_wide = matches!(doc_type, DocType::Community | DocType::Ledger);
    match who.role {
        Role::Administrator | Role::Office => true,
        Role::Coordinator => community_wide || at_station(who, meta),
        Role::Volunteer | Role::Partner | Role::StationTablet => false,
    }
}

/// The wish's `created_by` or the contact's `collected_by`. A wish already read after the
/// change holds the same string (`WishView::read` reads it as `read_string_at` does, and
/// fails without it), so the document is not read again.
fn collected_by(change: &ChangeUnderReview<'_>, doc_type: DocType) -> Option<String> {
    if let (DocType::Wish, Some(wish)) = (doc_type, &change.wish) {
        return Some(wish.created_by.clone());
    }
    let key = match doc_type {
        DocType::Wish => "created_by",
        DocType::Contact => "collected_by",
        _ => return None,
    };
    super::checks::read_string_at(change.doc, &[], key)
}
