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
//! | office | its own community and those it covers (a 街道 or a district), any role but administrator; another office device only within that set | contacts of those communities | those communities | people of those communities (not wish cards: they carry residents' contacts, which the office only reads) |
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
use crate::aggregate::CommunitySet;
use wish_client_core::model::DocType;

/// Why a call is outside the caller's scope (shown to the client with a 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("no call may grant the administrator role")]
    Administrator,
    #[error("a device may not change its own record")]
    OwnDevice,
    #[error("this device may only manage devices of the communities it covers")]
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
    #[error("this device may only import into the communities it covers")]
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
            Self::OtherCommunity => "只能管理本街道（社区）范围内的设备",
            Self::NotOwnStations => "驿站社工只能管理本驿站的志愿者、共建单位和公用平板",
            Self::Role => "这个身份不能管理设备",
            Self::NotContact => "只能删除居民联系方式",
            Self::ContactOutOfScope => "不能删除其他驿站或社区的居民联系方式",
            Self::ImportRole => "这个身份不能导入",
            Self::OfficeWishCards => "街道不能导入心愿卡：心愿卡含居民联系方式",
            Self::ImportOtherCommunity => "只能导入到本社区",
            Self::ImportNotOwnStations => "驿站社工只能把心愿卡导入自己负责的驿站",
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
        Role::Office if covers(who, before) && covers(who, after) => Ok(()),
        Role::Office => Err(ScopeError::OtherCommunity),
        _ => Err(ScopeError::Role),
    }
}

/// Whether `who` sees the device `target` in the device list.
pub fn may_list(who: &Principal, target: &Principal) -> bool {
    match who.role {
        Role::Administrator => true,
        Role::Office => covers(who, target),
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
    let covered = who.in_community(meta.community.as_deref());
    let station_ok = meta
        .station
        .as_ref()
        .is_some_and(|s| who.stations.contains(s));
    match who.role {
        Role::Administrator => Ok(()),
        Role::Office if covered => Ok(()),
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
        Role::Coordinator if who.community.as_deref() == Some(community) => Ok(()),
        Role::Office if who.in_community(Some(community)) => Ok(()),
        Role::Coordinator | Role::Office => Err(ScopeError::ImportOtherCommunity),
        // Volunteers, partners and any role added later import nothing.
        _ => Err(ScopeError::ImportRole),
    }
}

/// The communities whose figures and audit records `who` may see: every community for
/// the administrator, its own and those it covers for an office device, its own for
/// anyone else.
pub fn community_scope(who: &Principal) -> CommunitySet {
    match who.role {
        Role::Administrator => CommunitySet::all(),
        Role::Office => CommunitySet::of(who.communities()),
        // A device always has a community; without one it sees nothing.
        _ => CommunitySet::of(who.community.iter().map(String::as_str)),
    }
}

/// Whether an office device may enroll a device covering `communities` besides its own:
/// only communities it covers itself (the administrator any).
fn covers_all(who: &Principal, target: &Principal) -> bool {
    target.communities().all(|c| who.in_community(Some(c)))
}

/// Office devices manage their community; coordinators the volunteers and partners whose
/// stations are all theirs.
fn manages(who: &Principal, target: &Principal) -> Result<(), ScopeError> {
    match who.role {
        Role::Administrator => Ok(()),
        Role::Office if covers(who, target) => Ok(()),
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

/// An office device manages the devices of every community it covers, and enrolls an
/// office device only for communities it covers itself.
fn covers(office: &Principal, target: &Principal) -> bool {
    office.in_community(target.community.as_deref()) && covers_all(office, target)
}

fn same_community(a: &Principal, b: &Principal) -> bool {
    a.community.is_some() && a.community == b.community
}

#[cfg(test)]
mod tests;
