//! Devices, enrollment codes and tokens.
//!
//! A coordinator or the office creates an **enrollment code** for a role, a person, a
//! community and stations; the code expires and can be redeemed once, by a tablet, for a
//! **device token**. Codes and tokens are stored only as SHA-256 hashes:
//! `["enrollment", sha256(code)]` and `["device-token", sha256(token)]`, each a JSON
//! record; redeeming takes the code key (once-only even across processes) and keeps the
//! redeemed record at `["enrollment-redeemed", sha256(code)]`. Records are cached in
//! memory so that authenticating an upgrade never touches the disk on the async threads;
//! writes go to storage first, then to the cache (and, on a store several processes share,
//! other processes refresh theirs from the store's notices: `runtime/shared_store.rs`).

mod codes;
mod records;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use sha2::{Digest, Sha256};

pub use codes::{new_code, new_token};
pub use records::{
    DeviceRecord, EnrollmentRecord, NewEnrollment, MAX_CODE_MINUTES, MAX_TOKEN_DAYS,
};

use crate::access::{Principal, Role};
use crate::storage::{key, Storage, StorageError, WriteBatch};

/// Why a token was refused (shown to the client with the 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing token")]
    Missing,
    #[error("invalid token")]
    Unknown,
    #[error("device revoked")]
    Revoked,
    #[error("token expired")]
    Expired,
}

/// Why an enrollment or device operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("unknown or already used enrollment code")]
    UnknownCode,
    #[error("enrollment code expired")]
    CodeExpired,
    #[error("unknown device {0}")]
    UnknownDevice(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The device directory. Share it behind an `Arc`.
pub struct Directory {
    bootstrap_hash: String,
    devices: RwLock<HashMap<String, DeviceRecord>>,
    storage: Arc<dyn Storage>,
    /// Held from reading a code to storing its redemption, so that one code enrolls one
    /// device however many redeem it at once.
    redeeming: Mutex<()>,
}

impl Directory {
    /// Loads every device record from storage.
    pub fn load(bootstrap_token: &str, storage: Arc<dyn Storage>) -> Result<Self, StorageError> {
        let mut devices = HashMap::new();
        for (k, bytes) in storage.load_range(&key(["device-token"]))? {
            let record: DeviceRecord =
                serde_json::from_slice(&bytes).map_err(|e| StorageError::Corrupt(e.to_string()))?;
            if let Some(hash) = k.get(1) {
                devices.insert(hash.clone(), record);
            }
        }
        Ok(Self {
            bootstrap_hash: sha256_hex(bootstrap_token),
            devices: RwLock::new(devices),
            storage,
            redeeming: Mutex::new(()),
        })
    }

    /// Re-reads one device record another process wrote (a store several processes
    /// share); returns it, or `None` if it is not stored.
    pub fn refresh(&self, token_hash: &str) -> Result<Option<DeviceRecord>, DirectoryError> {
        let k = key(["device-token", token_hash]);
        let record: Option<DeviceRecord> = self.get(&k)?;
        if let Some(record) = &record {
            self.cache(token_hash.to_owned(), record.clone());
        }
        Ok(record)
    }

    /// Re-reads every device record (after notices of other processes were lost).
    pub fn reload(&self) -> Result<(), StorageError> {
        let fresh = Self::load("", self.storage.clone())?;
        let devices = fresh.devices.into_inner().unwrap_or_default();
        if let Ok(mut cached) = self.devices.write() {
            *cached = devices;
        }
        Ok(())
    }

    /// The principal a token stands for at `now_ms`.
    pub fn authenticate(&self, token: Option<&str>, now_ms: u64) -> Result<Principal, AuthError> {
        self.authenticate_until(token, now_ms).map(|(who, _)| who)
    }

    /// The principal a token stands for at `now_ms`, and when the token expires
    /// (`u64::MAX` for the bootstrap token). Live sockets close at that time.
    pub fn authenticate_until(
        &self,
        token: Option<&str>,
        now_ms: u64,
    ) -> Result<(Principal, u64), AuthError> {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        let hash = sha256_hex(token);
        // Comparing hashes keeps the comparison independent of where the token differs.
        if hash == self.bootstrap_hash {
            return Ok((Principal::administrator(), u64::MAX));
        }
        let devices = self.devices.read().map_err(|_| AuthError::Unknown)?;
        let record = devices.get(&hash).ok_or(AuthError::Unknown)?;
        if record.revoked {
            return Err(AuthError::Revoked);
        }
        if record.expires_ms <= now_ms {
            return Err(AuthError::Expired);
        }
        Ok((record.principal(), record.expires_ms))
    }

    /// Stores a new enrollment code; returns the code (shown once) and its record.
    pub fn create_enrollment(
        &self,
        request: NewEnrollment,
        now_ms: u64,
    ) -> Result<(String, EnrollmentRecord), DirectoryError> {
        request.validate()?;
        let code = new_code();
        let record = EnrollmentRecord::new(request, now_ms);
        self.put(key(["enrollment".to_owned(), sha256_hex(&code)]), &record)?;
        Ok((code, record))
    }

    /// Redeems a code once for a device token. Returns the token (shown once) and the
    /// device's record.
    pub fn redeem(
        &self,
        code: &str,
        device_name: &str,
        now_ms: u64,
    ) -> Result<(String, DeviceRecord), DirectoryError> {
        let code_key = key(["enrollment".to_owned(), sha256_hex(&codes::normalise(code))]);
        // A poisoned lock only means another redemption panicked; the check below still
        // reads the stored code.
        let _one_at_a_time = self
            .redeeming
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut enrollment: EnrollmentRecord =
            self.get(&code_key)?.ok_or(DirectoryError::UnknownCode)?;
        if enrollment.redeemed_by.is_some() {
            return Err(DirectoryError::UnknownCode);
        }
        if enrollment.expires_ms <= now_ms {
            return Err(DirectoryError::CodeExpired);
        }
        let token = new_token();
        let device = DeviceRecord::from_enrollment(&enrollment, device_name, now_ms);
        enrollment.redeemed_by = Some(device.device_id.clone());
        // Taking the code key makes the redemption once-only across processes sharing
        // the store: the second commit finds the key gone and writes nothing.
        let mut batch = WriteBatch::default();
        batch.take(code_key.clone());
        batch.put(redeemed_key(&code_key), to_json(&enrollment)?);
        batch.put(token_key(&token), to_json(&device)?);
        match self.storage.commit(batch) {
            Err(StorageError::Conflict(_)) => return Err(DirectoryError::UnknownCode),
            other => other?,
        }
        self.cache(sha256_hex(&token), device.clone());
        Ok((token, device))
    }

    /// Every enrolled device (without tokens, which are not stored).
    pub fn devices(&self) -> Vec<DeviceRecord> {
        let mut all: Vec<DeviceRecord> = self
            .devices
            .read()
            .map(|d| d.values().cloned().collect())
            .unwrap_or_default();
        all.sort_by(|a, b| (a.created_ms, &a.device_id).cmp(&(b.created_ms, &b.device_id)));
        all
    }

    /// The record of one device.
    pub fn device(&self, device_id: &str) -> Result<DeviceRecord, DirectoryError> {
        self.find(device_id).map(|(_, record)| record)
    }

    /// Revokes a device; its token stops working at once.
    pub fn revoke(&self, device_id: &str) -> Result<DeviceRecord, DirectoryError> {
        self.update(device_id, |record| record.revoked = true)
    }

    /// Changes a device's role, person or stations; applied to live connections by the
    /// caller.
    pub fn reassign(
        &self,
        device_id: &str,
        role: Option<Role>,
        person: Option<String>,
        stations: Option<Vec<String>>,
    ) -> Result<DeviceRecord, DirectoryError> {
        self.update(device_id, |record| {
            if let Some(role) = role {
                record.role = role;
            }
            if let Some(person) = person {
                record.person = person;
            }
            if let Some(stations) = stations {
                record.stations = stations.into_iter().collect();
            }
        })
    }

    /// Adds `community` to what an office device covers (the community it has just
    /// created); the new scope applies to its next request.
    pub fn add_cover(
        &self,
        device_id: &str,
        community: &str,
    ) -> Result<DeviceRecord, DirectoryError> {
        self.update(device_id, |record| {
            record.covers.insert(community.to_owned());
        })
    }

    fn update(
        &self,
        device_id: &str,
        change: impl FnOnce(&mut DeviceRecord),
    ) -> Result<DeviceRecord, DirectoryError> {
        let (hash, mut record) = self.find(device_id)?;
        change(&mut record);
        self.put(key(["device-token".to_owned(), hash.clone()]), &record)?;
        self.cache(hash, record.clone());
        Ok(record)
    }

    fn find(&self, device_id: &str) -> Result<(String, DeviceRecord), DirectoryError> {
        let devices = self
            .devices
            .read()
            .map_err(|_| DirectoryError::UnknownDevice(device_id.into()))?;
        devices
            .iter()
            .find(|(_, r)| r.device_id == device_id)
            .map(|(h, r)| (h.clone(), r.clone()))
            .ok_or_else(|| DirectoryError::UnknownDevice(device_id.into()))
    }

    fn cache(&self, hash: String, record: DeviceRecord) {
        if let Ok(mut devices) = self.devices.write() {
            devices.insert(hash, record);
        }
    }

    fn get<T: serde::de::DeserializeOwned>(
        &self,
        k: &[String],
    ) -> Result<Option<T>, DirectoryError> {
        match self.storage.load(k)? {
            Some(bytes) => Ok(Some(
                serde_json::from_slice(&bytes).map_err(|e| StorageError::Corrupt(e.to_string()))?,
            )),
            None => Ok(None),
        }
    }

    fn put<T: serde::Serialize>(&self, k: Vec<String>, value: &T) -> Result<(), DirectoryError> {
        let mut batch = WriteBatch::default();
        batch.put(k, to_json(value)?);
        self.storage.commit(batch)?;
        Ok(())
    }
}

/// Where a redeemed code's record is kept (the code key itself is taken).
fn redeemed_key(code_key: &[String]) -> Vec<String> {
    let hash = code_key.get(1).cloned().unwrap_or_default();
    key(["enrollment-redeemed".to_owned(), hash])
}

fn token_key(token: &str) -> Vec<String> {
    key(["device-token".to_owned(), sha256_hex(token)])
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, DirectoryError> {
    serde_json::to_vec(value).map_err(|e| DirectoryError::Invalid(e.to_string()))
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests;
