//! The stored records of the directory.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::DirectoryError;
use crate::access::{Principal, Role};

/// Default lifetime of an enrollment code.
pub const DEFAULT_CODE_MINUTES: u64 = 24 * 60;
/// Default lifetime of a device token.
pub const DEFAULT_TOKEN_DAYS: u64 = 365;
/// Longest lifetime of an enrollment code: 30 days.
pub const MAX_CODE_MINUTES: u64 = 30 * 24 * 60;
/// Longest lifetime of a device token: one year; the device is enrolled again after.
pub const MAX_TOKEN_DAYS: u64 = 365;
/// Most communities an office device covers besides its own (a district's).
pub const MAX_COVERED: usize = 500;

/// What an enrollment code will grant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewEnrollment {
    pub role: Role,
    pub person: String,
    pub community: String,
    #[serde(default)]
    pub stations: Vec<String>,
    /// The other communities an office device covers (a 街道's or a district's office).
    #[serde(default)]
    pub covers: Vec<String>,
    #[serde(default)]
    pub expires_in_minutes: Option<u64>,
    #[serde(default)]
    pub token_days: Option<u64>,
    /// Who created the code (device id), for the audit log.
    #[serde(default)]
    pub created_by: String,
}

impl NewEnrollment {
    pub fn validate(&self) -> Result<(), DirectoryError> {
        if self.role == Role::Administrator {
            return Err(DirectoryError::Invalid(
                "the administrator role cannot be enrolled".into(),
            ));
        }
        if self.person.trim().is_empty() || self.community.trim().is_empty() {
            return Err(DirectoryError::Invalid(
                "person and community are required".into(),
            ));
        }
        let needs_station = matches!(self.role, Role::Volunteer | Role::Coordinator);
        if needs_station && self.stations.is_empty() {
            return Err(DirectoryError::Invalid(
                "volunteers and coordinators need at least one station".into(),
            ));
        }
        if !self.covers.is_empty() && self.role != Role::Office {
            return Err(DirectoryError::Invalid(
                "only office devices cover other communities".into(),
            ));
        }
        if self.covers.len() > MAX_COVERED || self.covers.iter().any(|c| c.trim().is_empty()) {
            return Err(DirectoryError::Invalid(format!(
                "an office device covers at most {MAX_COVERED} other communities, none blank"
            )));
        }
        if self.role == Role::StationTablet && self.stations.len() != 1 {
            return Err(DirectoryError::Invalid(
                "a shared station tablet is enrolled for exactly one station".into(),
            ));
        }
        check_bound(
            "expires_in_minutes",
            self.expires_in_minutes,
            MAX_CODE_MINUTES,
        )?;
        check_bound("token_days", self.token_days, MAX_TOKEN_DAYS)
    }

    /// The device this code would enroll, as a principal (for scope checks).
    pub fn target(&self) -> Principal {
        Principal {
            device_id: String::new(),
            role: self.role,
            person: self.person.clone(),
            community: Some(self.community.clone()),
            stations: self.stations.iter().cloned().collect(),
            covers: self.covers.iter().cloned().collect(),
        }
    }
}

/// A lifetime, if given, is at most `max` (zero makes a code or token that is already
/// expired, which is harmless).
fn check_bound(name: &str, value: Option<u64>, max: u64) -> Result<(), DirectoryError> {
    match value {
        Some(v) if v > max => Err(DirectoryError::Invalid(format!(
            "{name} may be at most {max}"
        ))),
        _ => Ok(()),
    }
}

/// A stored enrollment code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnrollmentRecord {
    pub role: Role,
    pub person: String,
    pub community: String,
    pub stations: BTreeSet<String>,
    #[serde(default)]
    pub covers: BTreeSet<String>,
    pub created_ms: u64,
    pub created_by: String,
    pub expires_ms: u64,
    pub token_days: u64,
    pub redeemed_by: Option<String>,
}

impl EnrollmentRecord {
    pub fn new(request: NewEnrollment, now_ms: u64) -> Self {
        let minutes = request.expires_in_minutes.unwrap_or(DEFAULT_CODE_MINUTES);
        Self {
            role: request.role,
            person: request.person,
            community: request.community,
            stations: request.stations.into_iter().collect(),
            covers: request.covers.into_iter().collect(),
            created_ms: now_ms,
            created_by: request.created_by,
            expires_ms: now_ms.saturating_add(minutes.saturating_mul(60_000)),
            token_days: request.token_days.unwrap_or(DEFAULT_TOKEN_DAYS),
            redeemed_by: None,
        }
    }
}

/// A stored device (the token itself is never stored).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeviceRecord {
    pub device_id: String,
    pub name: String,
    pub role: Role,
    pub person: String,
    pub community: String,
    pub stations: BTreeSet<String>,
    /// The other communities an office device covers.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub covers: BTreeSet<String>,
    pub created_ms: u64,
    pub expires_ms: u64,
    pub revoked: bool,
}

impl DeviceRecord {
    pub fn from_enrollment(enrollment: &EnrollmentRecord, name: &str, now_ms: u64) -> Self {
        Self {
            device_id: format!("dev-{}", hex::encode(rand::random::<[u8; 8]>())),
            name: name.to_owned(),
            role: enrollment.role,
            person: enrollment.person.clone(),
            community: enrollment.community.clone(),
            stations: enrollment.stations.clone(),
            covers: enrollment.covers.clone(),
            created_ms: now_ms,
            expires_ms: now_ms.saturating_add(enrollment.token_days.saturating_mul(86_400_000)),
            revoked: false,
        }
    }

    pub fn principal(&self) -> Principal {
        Principal {
            device_id: self.device_id.clone(),
            role: self.role,
            person: self.person.clone(),
            community: Some(self.community.clone()),
            stations: self.stations.clone(),
            // Coverage is the office's: a device reassigned to another role loses it.
            covers: if self.role == Role::Office {
                self.covers.clone()
            } else {
                BTreeSet::new()
            },
        }
    }
}
