//! Creating a community document and setting its star thresholds.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, AutomergeError, ObjType, ROOT};

use crate::model::community::DEFAULT_STAR_THRESHOLDS;
use crate::model::DocType;
use crate::ops::write::{
    commit, ensure_empty, ensure_writable, non_empty, put_fields, put_header, s,
};
use crate::ops::DomainError;

/// A new community's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommunity {
    pub id: String,
    pub name: String,
    pub district: String,
}

const MAPS: [&str; 6] = [
    "stations",
    "people",
    "units",
    "offers",
    "projects",
    "catalogue",
];

/// Initialises an empty document as a community with empty lists and the default star
/// thresholds `[100, 300, 600, 1000, 1500]` hours.
pub fn create_community(
    doc: &mut Automerge,
    community: &NewCommunity,
    now_ms: u64,
) -> Result<(), DomainError> {
    non_empty("id", &community.id)?;
    non_empty("name", &community.name)?;
    ensure_empty(doc)?;
    commit(doc, now_ms, |tx| {
        put_header(tx, DocType::Community)?;
        let fields = vec![
            ("id", s(&community.id)),
            ("name", s(&community.name)),
            ("district", s(&community.district)),
        ];
        put_fields(tx, &ROOT, fields)?;
        for map in MAPS {
            tx.put_object(ROOT, map, ObjType::Map)?;
        }
        put_thresholds(tx, &DEFAULT_STAR_THRESHOLDS)
    })
}

/// Replaces the star thresholds: five ascending hour counts, each at least 0.
pub fn set_star_thresholds(
    doc: &mut Automerge,
    thresholds: [f64; 5],
    now_ms: u64,
) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    let valid = thresholds.iter().all(|t| t.is_finite() && *t >= 0.0)
        && thresholds.windows(2).all(|w| w[0] < w[1]);
    if !valid {
        return Err(DomainError::InvalidThresholds);
    }
    commit(doc, now_ms, |tx| put_thresholds(tx, &thresholds))
}

fn put_thresholds(tx: &mut Transaction<'_>, thresholds: &[f64; 5]) -> Result<(), AutomergeError> {
    let list = tx.put_object(ROOT, "star_thresholds", ObjType::List)?;
    for (i, hours) in thresholds.iter().enumerate() {
        tx.insert(&list, i, *hours)?;
    }
    Ok(())
}
