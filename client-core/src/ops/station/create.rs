//! Creating a station document and indexing its wish documents.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};

use crate::model::{DocType, StationKind};
use crate::ops::write::{
    commit, ensure_empty, ensure_writable, int, new_id, non_empty, put_entry, put_fields,
    put_header, s,
};
use crate::ops::DomainError;

/// A new station's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStation {
    pub id: String,
    /// Community document id.
    pub community: String,
    pub name: String,
    pub kind: StationKind,
    /// The station's public address.
    pub address: String,
}

/// Initialises an empty document as a station with no wishes and no shifts. Add it to
/// the community with [`crate::ops::community::add_station`].
pub fn create_station(
    doc: &mut Automerge,
    station: &NewStation,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("id", &station.id)?;
    non_empty("community", &station.community)?;
    non_empty("name", &station.name)?;
    ensure_empty(doc)?;
    commit(doc, now_ms, |tx| {
        put_header(tx, DocType::Station)?;
        let fields = vec![
            ("id", s(&station.id)),
            ("community", s(&station.community)),
            ("name", s(&station.name)),
            ("kind", s(station.kind.as_str())),
            ("address", s(&station.address)),
        ];
        put_fields(tx, &ROOT, fields)?;
        tx.put_object(ROOT, "wishes", ObjType::Map)?;
        tx.put_object(ROOT, "shifts", ObjType::Map).map(|_| ())
    })
}

/// Adds a wish document to the station's index; call it right after
/// [`crate::ops::wish::collect_wish`]. Refuses a document already indexed.
pub fn index_wish(doc: &mut Automerge, wish_doc: &str, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Station)?;
    new_id(doc, &ROOT, "wishes", wish_doc)?;
    commit(doc, now_ms, |tx| {
        put_entry(
            tx,
            &ROOT,
            "wishes",
            wish_doc,
            vec![("at", Some(int(now_ms)))],
        )
        .map(|_| ())
    })
}
