//! The `community` document: directory of stations, people, units, offers, projects,
//! the redemption catalogue and the star-level thresholds.

mod entries;

use std::collections::BTreeMap;

use automerge::{Automerge, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::doc_type::expect_type;
use super::read::{bool_or_false, num_list, read_entries, req_str, str_or_empty};
use super::{DocType, ModelError};
pub use entries::{CatalogueItem, Offer, Person, Project, StationRef, Unit};

/// Hours for stars 1–5 when a community sets none (common practice, e.g. Guangdong).
pub const DEFAULT_STAR_THRESHOLDS: [f64; 5] = [100.0, 300.0, 600.0, 1000.0, 1500.0];

/// A community document read into plain values. Required: `id`, `name`. Every map is
/// keyed by the entry's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityView {
    pub id: String,
    pub name: String,
    pub district: String,
    pub stations: BTreeMap<String, StationRef>,
    pub people: BTreeMap<String, Person>,
    pub units: BTreeMap<String, Unit>,
    pub offers: BTreeMap<String, Offer>,
    pub projects: BTreeMap<String, Project>,
    pub catalogue: BTreeMap<String, CatalogueItem>,
    /// Five ascending hour thresholds; the defaults if the document has none.
    pub star_thresholds: Vec<f64>,
    /// Duty shifts checked in and out count as service hours (值班计入服务时长); a
    /// community setting, off when absent.
    #[serde(default)]
    pub duty_hours: bool,
}

impl CommunityView {
    /// Reads a community document.
    pub fn read(doc: &Automerge) -> Result<CommunityView, ModelError> {
        expect_type(doc, DocType::Community)?;
        Ok(CommunityView {
            id: req_str(doc, &ROOT, "id")?,
            name: req_str(doc, &ROOT, "name")?,
            district: str_or_empty(doc, &ROOT, "district")?,
            stations: keyed(doc, "stations", entries::read_station_ref)?,
            people: keyed(doc, "people", entries::read_person)?,
            units: keyed(doc, "units", entries::read_unit)?,
            offers: keyed(doc, "offers", entries::read_offer)?,
            projects: keyed(doc, "projects", entries::read_project)?,
            catalogue: keyed(doc, "catalogue", entries::read_catalogue_item)?,
            star_thresholds: num_list(doc, &ROOT, "star_thresholds")?
                .unwrap_or_else(|| DEFAULT_STAR_THRESHOLDS.to_vec()),
            duty_hours: bool_or_false(doc, &ROOT, "duty_hours")?,
        })
    }
}

fn keyed<R: ReadDoc, T>(
    doc: &R,
    key: &str,
    read: impl Fn(&R, &str, &automerge::ObjId) -> Result<T, ModelError>,
) -> Result<BTreeMap<String, T>, ModelError> {
    let read_pair = |d: &R, k: &str, o: &automerge::ObjId| Ok((k.to_owned(), read(d, k, o)?));
    Ok(read_entries(doc, &ROOT, key, read_pair)?
        .into_iter()
        .collect())
}
