//! The community document and the station documents, with the directory and lists.

use automerge::Automerge;
use wish_client_core::model::community::{CatalogueItem, Offer, Person, Project, StationRef, Unit};
use wish_client_core::model::CommunityView;
use wish_client_core::ops::community::{self as ops, NewCommunity};
use wish_client_core::ops::station::{create_station, NewStation};
use wish_client_core::proto::DocumentId;

use super::data::{self, CommunityData, StationData};
use super::gen::{Gen, DAY_MS};
use super::templates::SURNAMES;

/// A station document being built.
pub struct StationDoc {
    pub data: &'static StationData,
    /// The station's name in its community.
    pub name: &'static str,
    pub doc_id: DocumentId,
    pub doc: Automerge,
}

/// The community document, its stations and the directory as read back.
pub struct Directory {
    pub doc_id: DocumentId,
    pub doc: Automerge,
    pub stations: Vec<StationDoc>,
    pub view: CommunityView,
}

impl Directory {
    pub fn station(&mut self, id: &str) -> Option<&mut StationDoc> {
        self.stations.iter_mut().find(|s| s.data.id == id)
    }
}

/// Builds a community of the district with its stations, units, people, offers,
/// projects and catalogue.
pub fn build(g: &mut Gen, profile: &'static CommunityData) -> anyhow::Result<Directory> {
    let doc_id = g.doc_id();
    let mut doc = g.new_doc();
    let founded = g.now_ms - 100 * DAY_MS;
    // The community's `id` is its document id: wishes, stations and the ledger name their
    // community by document id, and access checks compare the two.
    let community = NewCommunity {
        id: doc_id.to_string(),
        name: profile.name.into(),
        district: data::DISTRICT.into(),
    };
    ops::create_community(&mut doc, &community, founded)?;
    let stations = build_stations(g, &mut doc, doc_id, profile, founded)?;
    add_units(&mut doc, profile, founded + DAY_MS)?;
    add_people(&mut doc, profile, founded + 2 * DAY_MS)?;
    add_lists(g, &mut doc, founded + 3 * DAY_MS)?;
    let view = CommunityView::read(&doc)?;
    Ok(Directory {
        doc_id,
        doc,
        stations,
        view,
    })
}

fn build_stations(
    g: &mut Gen,
    community: &mut Automerge,
    community_doc: DocumentId,
    profile: &'static CommunityData,
    at: u64,
) -> anyhow::Result<Vec<StationDoc>> {
    let mut out = Vec::new();
    for (data, name) in data::STATIONS.iter().zip(profile.stations) {
        let doc_id = g.doc_id();
        let mut doc = g.new_doc();
        let station = NewStation {
            id: data.id.into(),
            community: community_doc.to_string(),
            name: name.into(),
            kind: data.kind,
            address: data.address.replacen(data::COMMUNITY_NAME, profile.name, 1),
        };
        create_station(&mut doc, &station, at)?;
        let reference = StationRef {
            name: name.into(),
            kind: data.kind,
            doc: doc_id.to_string(),
        };
        ops::add_station(community, data.id, &reference, at)?;
        out.push(StationDoc {
            data,
            name,
            doc_id,
            doc,
        });
    }
    Ok(out)
}

fn add_units(doc: &mut Automerge, profile: &CommunityData, at: u64) -> anyhow::Result<()> {
    for (id, name, kind, contact) in data::UNITS {
        let unit = Unit {
            id: (*id).into(),
            name: name.replacen(data::COMMUNITY_NAME, profile.name, 1),
            kind: (*kind).into(),
            contact_person: (*contact).into(),
        };
        ops::add_unit(doc, &unit, at)?;
    }
    Ok(())
}

fn add_people(doc: &mut Automerge, profile: &CommunityData, at: u64) -> anyhow::Result<()> {
    for p in data::PEOPLE {
        let person = Person {
            id: p.id.into(),
            name: renamed(p.name, profile.surname_shift),
            role: p.role,
            modules: p.modules.to_vec(),
            skills: strings(p.skills),
            party_member: p.party_member,
            unit: p.unit.map(Into::into),
            stations: strings(p.stations),
            left_at: None,
        };
        ops::add_person(doc, &person, at)?;
    }
    Ok(())
}

fn add_lists(g: &mut Gen, doc: &mut Automerge, at: u64) -> anyhow::Result<()> {
    for o in data::OFFERS {
        let offer = Offer {
            id: o.id.into(),
            title: o.title.into(),
            module: o.module,
            skills: strings(o.skills),
            provider: o.provider.into(),
            provider_kind: o.provider_kind,
            capacity: o.capacity,
            active: o.active,
        };
        ops::add_offer(doc, &offer, at)?;
    }
    for (id, title, module, status, lead, days) in data::PROJECTS {
        let project = Project {
            id: (*id).into(),
            title: (*title).into(),
            module: *module,
            status: *status,
            lead: (*lead).into(),
            created_at: g.now_ms - days * DAY_MS,
        };
        ops::add_project(doc, &project, at)?;
    }
    for (id, name, points) in data::CATALOGUE {
        let item = CatalogueItem {
            id: (*id).into(),
            name: (*name).into(),
            points: *points,
            active: true,
        };
        ops::add_catalogue_item(doc, &item, at)?;
    }
    Ok(())
}

/// The name with its surname moved `shift` places along the surname list, so the people
/// of each community of the district have their own names.
fn renamed(name: &str, shift: usize) -> String {
    let mut chars = name.chars();
    let surname = chars.next().map(String::from).unwrap_or_default();
    let found = SURNAMES.iter().position(|s| *s == surname);
    let Some(index) = found.filter(|_| shift > 0) else {
        return name.to_owned();
    };
    let moved = SURNAMES[(index + shift) % SURNAMES.len()];
    format!("{moved}{}", chars.as_str())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}
