//! Who may do what to which document: roles, principals and the access policy.
//!
//! Pure functions over a [`Principal`] (who is connected) and a [`DocMeta`] (what a
//! document is about, read from its contents). The engine evaluates them on every request
//! and before every fan-out, so a role change applies without reconnecting. The table is
//! DESIGN.md section 5:
//!
//! | role | reads | writes |
//! |---|---|---|
//! | volunteer | community, own stations, their wishes, the wall; contacts they collected or are assigned | new wishes and contacts at their stations; events on their stations' wishes; claims on wall wishes; check-in on their stations' rosters |
//! | coordinator | everything of their stations and community | the same, plus community and ledger |
//! | partner | the community directory, published wishes (wall); contacts once assigned | claims on published wishes |
//! | office | everything in its community and the communities it covers (a 街道 or a district) | everything except residents' contacts (read-only) |
//! | station tablet (驿站公用平板) | the community directory, its one station | check-ins of people on that station's shifts |
//! | administrator | everything (bootstrap token) | everything |

mod meta;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use wish_client_core::model::DocType;

pub use meta::DocMeta;

/// A device's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Volunteer,
    Coordinator,
    Partner,
    Office,
    /// A station's shared tablet (驿站公用平板), enrolled for exactly one station: it
    /// signs in whoever is on duty there and reads nothing else.
    StationTablet,
    Administrator,
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "volunteer" => Ok(Self::Volunteer),
            "coordinator" => Ok(Self::Coordinator),
            "partner" => Ok(Self::Partner),
            "office" => Ok(Self::Office),
            "station_tablet" => Ok(Self::StationTablet),
            other => Err(format!(
                "unknown role {other:?}; expected volunteer, coordinator, partner, office or station_tablet"
            )),
        }
    }
}

/// Who is behind a connection or request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub device_id: String,
    pub role: Role,
    /// The person (from the community directory) using the device.
    pub person: String,
    /// The community id the device belongs to (`None` only for the administrator).
    pub community: Option<String>,
    pub stations: BTreeSet<String>,
    /// The other communities an office device covers (a 街道's or a district's office):
    /// it sees and writes them as it does its own. Empty for every other role.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub covers: BTreeSet<String>,
}

impl Principal {
    /// The holder of the bootstrap token.
    pub fn administrator() -> Self {
        Self {
            device_id: "bootstrap".into(),
            role: Role::Administrator,
            person: "administrator".into(),
            community: None,
            stations: BTreeSet::new(),
            covers: BTreeSet::new(),
        }
    }

    /// Every community this device belongs to or covers (its own first).
    pub fn communities(&self) -> impl Iterator<Item = &str> {
        self.community
            .iter()
            .chain(
                self.covers
                    .iter()
                    .filter(|c| Some(*c) != self.community.as_ref()),
            )
            .map(String::as_str)
    }

    /// Coordinators and the office may upload changes written by other devices (restoring
    /// a tablet's data from a backup, for instance).
    pub fn may_relay(&self) -> bool {
        matches!(
            self.role,
            Role::Coordinator | Role::Office | Role::Administrator
        )
    }

    /// Whether the device belongs to or (an office device) covers `community`.
    pub fn in_community(&self, community: Option<&str>) -> bool {
        let Some(community) = community else {
            return self.role == Role::Administrator;
        };
        self.role == Role::Administrator
            || self.community.as_deref() == Some(community)
            || (self.role == Role::Office && self.covers.contains(community))
    }

    fn at_station(&self, station: Option<&str>) -> bool {
        station.is_some_and(|s| self.stations.contains(s))
    }
}

/// What a principal may do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Deny,
    ReadOnly,
    Write,
}

/// Access to an existing document.
pub fn access(who: &Principal, doc: &DocMeta) -> Access {
    if doc.deleted {
        return Access::Deny;
    }
    if who.role == Role::Administrator {
        return Access::Write;
    }
    // A contact names no community; its station and people decide (the engine copies the
    // community from the contact's wish when it knows it).
    let contact = doc.doc_type == Some(DocType::Contact);
    if !contact && !who.in_community(doc.community.as_deref()) {
        return Access::Deny;
    }
    match doc.doc_type {
        Some(DocType::Community) => community_access(who),
        Some(DocType::Station) => station_access(who, doc),
        Some(DocType::Wish) => wish_access(who, doc),
        Some(DocType::Contact) => contact_access(who, doc),
        Some(DocType::Ledger) => ledger_access(who),
        None => Access::Deny,
    }
}

/// Whether a principal may create a document with these contents.
pub fn may_create(who: &Principal, doc: &DocMeta) -> bool {
    if who.role == Role::Administrator {
        return true;
    }
    let contact = doc.doc_type == Some(DocType::Contact);
    if !contact && !who.in_community(doc.community.as_deref()) {
        return false;
    }
    match (who.role, doc.doc_type) {
        (Role::Volunteer | Role::Coordinator, Some(DocType::Wish | DocType::Contact)) => {
            who.at_station(doc.station.as_deref())
        }
        (Role::Coordinator, Some(DocType::Station)) => who.at_station(doc.station.as_deref()),
        (Role::Office, Some(DocType::Community | DocType::Station | DocType::Ledger)) => true,
        (Role::Coordinator, Some(DocType::Community | DocType::Ledger)) => true,
        _ => false,
    }
}

fn community_access(who: &Principal) -> Access {
    match who.role {
        Role::Coordinator | Role::Office => Access::Write,
        // Members and partners post offers to the 资源清单; every other entry of the
        // directory is the staff's (rules/table.rs refuses the rest, entry by entry).
        Role::Volunteer | Role::Partner => Access::Write,
        // Shared station tablets read the directory for the names of the people on duty.
        _ => Access::ReadOnly,
    }
}

fn station_access(who: &Principal, doc: &DocMeta) -> Access {
    match who.role {
        Role::Office => Access::Write,
        Role::Coordinator if who.at_station(doc.station.as_deref()) => Access::Write,
        // Volunteers check in and out of their shifts in the station document. A document
        // is the unit of access, so they could edit the rest of it too; every change is
        // bound to its device (actor bindings) and audited.
        Role::Volunteer if who.at_station(doc.station.as_deref()) => Access::Write,
        Role::Coordinator | Role::Partner | Role::Volunteer => Access::ReadOnly,
        // A shared tablet signs people in at its own station and sees no other.
        Role::StationTablet if who.at_station(doc.station.as_deref()) => Access::Write,
        Role::StationTablet => Access::Deny,
        Role::Administrator => Access::Write,
    }
}

fn wish_access(who: &Principal, doc: &DocMeta) -> Access {
    match who.role {
        Role::Office | Role::Administrator => Access::Write,
        Role::Coordinator | Role::Volunteer if who.at_station(doc.station.as_deref()) => {
            Access::Write
        }
        Role::Coordinator => Access::ReadOnly,
        // Party members and other volunteers claim wall wishes of any station (DESIGN.md
        // section 5), and keep the wishes they claimed.
        Role::Partner | Role::Volunteer if doc.on_wall || doc.involves(&who.person) => {
            Access::Write
        }
        Role::Partner | Role::Volunteer | Role::StationTablet => Access::Deny,
    }
}

fn contact_access(who: &Principal, doc: &DocMeta) -> Access {
    let assigned = doc.assigned_people.contains(&who.person);
    match who.role {
        Role::Office if who.in_community(doc.community.as_deref()) => Access::ReadOnly,
        Role::Administrator => Access::Write,
        Role::Coordinator if who.at_station(doc.station.as_deref()) => Access::Write,
        Role::Volunteer
            if doc.collected_by.as_deref() == Some(&who.person)
                && who.at_station(doc.station.as_deref()) =>
        {
            Access::Write
        }
        Role::Volunteer | Role::Partner | Role::Coordinator if assigned => Access::ReadOnly,
        _ => Access::Deny,
    }
}

fn ledger_access(who: &Principal) -> Access {
    match who.role {
        Role::Coordinator | Role::Office | Role::Administrator => Access::Write,
        Role::Volunteer | Role::Partner => Access::ReadOnly,
        Role::StationTablet => Access::Deny,
    }
}

#[cfg(test)]
mod tests;
