//! Administrative scope: which devices, enrollment codes, contacts and community figures a
//! caller of the REST API may manage or see (DESIGN.md section 5, "Administration is
//! scoped").
//!
//! Pure functions over the caller's [`Principal`] and what the call is about; the HTTP
//! handlers call them before touching anything and turn a refusal into a 403 with its
//! message. The table:
//!
//! | caller | devices and codes | contacts it may delete | figures and audit | imports |
//! |---|---|---|---|---|
//! | administrator (bootstrap) | all, any role but administrator | every contact | every community | any community |
//! | office | its own community, any role but administrator | contacts of its community | its community | people of its community (not wish cards: they carry residents' contacts, which the office only reads) |
//! | coordinator | volunteers and partners of its own stations | contacts of its stations in its community | its community (summary only) | wish cards into its own stations; people of its community |
//! | volunteer, partner | none | none | none | none |
//!
//! Nobody is made administrator by any call, and no device changes its own record.
//!
//! ```
//! use wish_server::access::{Principal, Role};
//! use wish_server::scope::may_enroll;
//! let office = Principal { role: Role::Office, community: Some("c1".into()), ..Principal::administrator() };
//! let target = Principal { role: Role::Volunteer, community: Some("c2".into()), ..Principal::administrator() };
//! assert!(may_enroll(&office, &target).is_err());
//! ```

use crate::access::{DocMeta, Principal, Role};
use wish_client_core::model::DocType;

/// Why a call is outside the caller's scope (shown to the client with a 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("no call may grant the administrator role")]
    Administrator,
    #[error("a device may not change its own record")]
    OwnDevice,
    #[error("this device may only manage devices of its own community")]
    OtherCommunity,
    #[error("coordinators manage volunteers and partners of their own stations only")]
    NotOwnStations,
    #[error("this role may not manage devices")]
    Role,
    #[error("only contact documents can be deleted")]
    NotContact,
    #[error("this device may not delete contacts of that station or community")]
    ContactOutOfScope,
    #[error("this role may not import")]
    ImportRole,
    #[error("the office may not import wish cards: they carry residents' contacts")]
    OfficeWishCards,
    #[error("this device may only import into its own community")]
    ImportOtherCommunity,
    #[error("coordinators import wish cards into their own stations only")]
    ImportNotOwnStations,
}

impl ScopeError {
    /// The reason in Chinese, for the screens (the English one is the `Display`).
    pub fn zh(&self) -> &'static str {
        match self {
            Self::Administrator => "任何操作都不能授予管理员身份",
            Self::OwnDevice => "设备不能修改自己的记录",
            Self::OtherCommunity => "只能管理本社区的设备",
            Self::NotOwnStations => "协调员只能管理本驿站的志愿者和共建单位",
            Self::Role => "这个身份不能管理设备",
            Self::NotContact => "只能删除居民联系方式",
            Self::ContactOutOfScope => "不能删除其他驿站或社区的居民联系方式",
            Self::ImportRole => "这个身份不能导入",
            Self::OfficeWishCards => "街道办公室不能导入心愿卡：心愿卡含居民联系方式",
            Self::ImportOtherCommunity => "只能导入到本社区",
            Self::ImportNotOwnStations => "协调员只能把心愿卡导入自己负责的驿站",
        }
    }

    /// "中文 (English)", as the REST API answers a refusal.
    pub fn both(&self) -> String {
        format!("{} ({self})", self.zh())
    }
}

/// Whether `who` may create an enrollment code granting `target` (the would-be device:
/// role, community and stations of the code).
pub fn may_enroll(who: &Principal, target: &Principal) -> Result<(), ScopeError> {
    if target.role == Role::Administrator {
        return Err(ScopeError::Administrator);
    }
    manages(who, target)
}

/// Whether `who` may revoke the device `target`.
pub fn may_revoke(who: &Principal, target: &Principal) -> Result<(), ScopeError> {
    if who.role != Role::Administrator && who.device_id == target.device_id {
        return Err(ScopeError::OwnDevice);
    }
    manages(who, target)
}

/// Whether `who` may change the device `before` into `after` (role, person, stations).
/// Only the office and the administrator reassign; the device stays in its community.
pub fn may_reassign(
    who: &Principal,
    before: &Principal,
    after: &Principal,
) -> Result<(), ScopeError> {
    if after.role == Role::Administrator {
        return Err(ScopeError::Administrator);
    }
    if who.role != Role::Administrator && who.device_id == before.device_id {
        return Err(ScopeError::OwnDevice);
    }
    match who.role {
        Role::Administrator => Ok(()),
        Role::Office if same_community(who, before) && same_community(who, after) => Ok(()),
        Role::Office => Err(ScopeError::OtherCommunity),
        _ => Err(ScopeError::Role),
    }
}

/// Whether `who` sees the device `target` in the device list.
pub fn may_list(who: &Principal, target: &Principal) -> bool {
    match who.role {
        Role::Administrator => true,
        Role::Office => same_community(who, target),
        Role::Coordinator => {
            same_community(who, target)
                && staff_role(target.role)
                && target.stations.iter().any(|s| who.stations.contains(s))
        }
        Role::Volunteer | Role::Partner | Role::StationTablet => false,
    }
}

/// Whether `who` may delete the document described by `meta` (a contact's meta carries
/// its wish's community, see `engine/access_check.rs`).
pub fn may_delete_contact(who: &Principal, meta: &DocMeta) -> Result<(), ScopeError> {
    if meta.doc_type != Some(DocType::Contact) {
        return Err(ScopeError::NotContact);
    }
    let community_ok = meta.community.is_some() && who.community == meta.community;
    let station_ok = meta
        .station
        .as_ref()
        .is_some_and(|s| who.stations.contains(s));
    match who.role {
        Role::Administrator => Ok(()),
        Role::Office if community_ok => Ok(()),
        Role::Coordinator if community_ok && station_ok => Ok(()),
        _ => Err(ScopeError::ContactOutOfScope),
    }
}

/// Whether `who` may import wish cards into `stations` of `community` (a community
/// document id). Called before reading the file (with no stations) and again with the
/// stations its rows name.
pub fn may_import_wishes(
    who: &Principal,
    community: &str,
    stations: &std::collections::BTreeSet<String>,
) -> Result<(), ScopeError> {
    match who.role {
        Role::Administrator => Ok(()),
        Role::Coordinator if who.community.as_deref() != Some(community) => {
            Err(ScopeError::ImportOtherCommunity)
        }
        Role::Coordinator if stations.is_subset(&who.stations) => Ok(()),
        Role::Coordinator => Err(ScopeError::ImportNotOwnStations),
        Role::Office => Err(ScopeError::OfficeWishCards),
        // Volunteers, partners and any role added later import nothing.
        _ => Err(ScopeError::ImportRole),
    }
}

/// Whether `who` may add people to the directory of `community` (a community document
/// id): the staff of that community.
pub fn may_import_people(who: &Principal, community: &str) -> Result<(), ScopeError> {
    match who.role {
        Role::Administrator => Ok(()),
        Role::Coordinator | Role::Office if who.community.as_deref() == Some(community) => Ok(()),
        Role::Coordinator | Role::Office => Err(ScopeError::ImportOtherCommunity),
        // Volunteers, partners and any role added later import nothing.
        _ => Err(ScopeError::ImportRole),
    }
}

/// The community whose figures and audit records `who` may see; `None` means every
/// community (the administrator).
pub fn community_scope(who: &Principal) -> Option<&str> {
    match who.role {
        Role::Administrator => None,
        // A device always has a community; an empty one matches nothing.
        _ => Some(who.community.as_deref().unwrap_or_default()),
    }
}

/// Office devices manage their community; coordinators the volunteers and partners whose
/// stations are all theirs.
fn manages(who: &Principal, target: &Principal) -> Result<(), ScopeError> {
    match who.role {
        Role::Administrator => Ok(()),
        Role::Office if same_community(who, target) => Ok(()),
        Role::Office => Err(ScopeError::OtherCommunity),
        Role::Coordinator if coordinates(who, target) => Ok(()),
        Role::Coordinator => Err(ScopeError::NotOwnStations),
        Role::Volunteer | Role::Partner | Role::StationTablet => Err(ScopeError::Role),
    }
}

fn coordinates(who: &Principal, target: &Principal) -> bool {
    same_community(who, target)
        && staff_role(target.role)
        && !target.stations.is_empty()
        && target.stations.iter().all(|s| who.stations.contains(s))
}

/// The roles a coordinator administers (a station's shared tablet included).
fn staff_role(role: Role) -> bool {
    matches!(role, Role::Volunteer | Role::Partner | Role::StationTablet)
}

fn same_community(a: &Principal, b: &Principal) -> bool {
    a.community.is_some() && a.community == b.community
}

#[cfg(test)]
mod tests;
