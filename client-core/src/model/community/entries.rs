//! Entries of the community document's maps.

use automerge::{ObjId, ReadDoc, ScalarValue};
use serde::{Deserialize, Serialize};

use crate::model::read::{
    bool_or_false, opt_i64, opt_str, opt_u64, req_enum, req_str, scalar, str_list, str_or_empty,
};
use crate::model::{MemberKind, ModelError, Module, ProjectStatus, Role, StationKind};

/// A station as listed in the community: `doc` is its station document id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationRef {
    pub name: String,
    pub kind: StationKind,
    pub doc: String,
}

/// A volunteer, member, expert or coordinator (people who enrolled to serve).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub modules: Vec<Module>,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub unit: Option<String>,
    pub stations: Vec<String>,
    /// When the person left the community (deactivated); `None` while active. People who
    /// left stay in the directory for history and are hidden from pickers.
    pub left_at: Option<u64>,
}

impl Person {
    /// Whether the person is still serving (not deactivated).
    pub fn is_active(&self) -> bool {
        self.left_at.is_none()
    }
}

/// A partner unit (驻区单位 / 共建单位); `kind` is open, e.g. `enterprise`, `hospital`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub contact_person: String,
}

/// A service offer of the resources list (资源清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: String,
    pub title: String,
    pub module: Module,
    pub skills: Vec<String>,
    pub provider: String,
    pub provider_kind: MemberKind,
    pub capacity: u32,
    /// Missing reads as `true`.
    pub active: bool,
}

/// A project of the projects list (项目清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub title: String,
    pub module: Module,
    pub status: ProjectStatus,
    pub lead: String,
    pub created_at: u64,
}

/// Something points can be redeemed for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub id: String,
    pub name: String,
    pub points: i64,
    /// Missing reads as `true`; a retired item stays for history and cannot be redeemed.
    pub active: bool,
}

pub(crate) fn read_station_ref<R: ReadDoc>(
    doc: &R,
    _id: &str,
    obj: &ObjId,
) -> Result<StationRef, ModelError> {
    Ok(StationRef {
        name: req_str(doc, obj, "name")?,
        kind: req_enum(doc, obj, "kind")?,
        doc: str_or_empty(doc, obj, "doc")?,
    })
}

pub(crate) fn read_person<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<Person, ModelError> {
    Ok(Person {
        id: id.to_owned(),
        name: req_str(doc, obj, "name")?,
        role: req_enum(doc, obj, "role")?,
        modules: modules(doc, obj)?,
        skills: str_list(doc, obj, "skills")?,
        party_member: bool_or_false(doc, obj, "party_member")?,
        unit: opt_str(doc, obj, "unit")?,
        stations: str_list(doc, obj, "stations")?,
        left_at: opt_u64(doc, obj, "left_at")?,
    })
}

/// The known modules of a person; values of a newer schema are skipped.
fn modules<R: ReadDoc>(doc: &R, obj: &ObjId) -> Result<Vec<Module>, ModelError> {
    let names = str_list(doc, obj, "modules")?;
    Ok(names.iter().filter_map(|m| m.parse().ok()).collect())
}

pub(crate) fn read_unit<R: ReadDoc>(doc: &R, id: &str, obj: &ObjId) -> Result<Unit, ModelError> {
    Ok(Unit {
        id: id.to_owned(),
        name: req_str(doc, obj, "name")?,
        kind: str_or_empty(doc, obj, "kind")?,
        contact_person: str_or_empty(doc, obj, "contact_person")?,
    })
}

pub(crate) fn read_offer<R: ReadDoc>(doc: &R, id: &str, obj: &ObjId) -> Result<Offer, ModelError> {
    Ok(Offer {
        id: id.to_owned(),
        title: req_str(doc, obj, "title")?,
        module: req_enum(doc, obj, "module")?,
        skills: str_list(doc, obj, "skills")?,
        provider: req_str(doc, obj, "provider")?,
        provider_kind: req_enum(doc, obj, "provider_kind")?,
        capacity: u32::try_from(opt_u64(doc, obj, "capacity")?.unwrap_or(1)).unwrap_or(u32::MAX),
        active: bool_or_true(doc, obj, "active")?,
    })
}

fn bool_or_true<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<bool, ModelError> {
    match scalar(doc, obj, key)? {
        None => Ok(true),
        Some(ScalarValue::Boolean(b)) => Ok(b),
        Some(_) => Err(crate::model::read::field_type(key, "boolean")),
    }
}

pub(crate) fn read_project<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<Project, ModelError> {
    Ok(Project {
        id: id.to_owned(),
        title: req_str(doc, obj, "title")?,
        module: req_enum(doc, obj, "module")?,
        status: req_enum(doc, obj, "status")?,
        lead: str_or_empty(doc, obj, "lead")?,
        created_at: opt_u64(doc, obj, "created_at")?.unwrap_or(0),
    })
}

pub(crate) fn read_catalogue_item<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<CatalogueItem, ModelError> {
    Ok(CatalogueItem {
        id: id.to_owned(),
        name: req_str(doc, obj, "name")?,
        points: opt_i64(doc, obj, "points")?
            .ok_or_else(|| ModelError::MissingField("points".to_owned()))?,
        active: bool_or_true(doc, obj, "active")?,
    })
}
