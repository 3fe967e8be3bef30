//! Authentication: the bootstrap (administrator) token and device tokens, hashed at rest.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::storage::{key, Storage, StorageError, WriteBatch};

/// Who is behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Holder of the bootstrap token.
    Administrator,
    /// An enrolled device.
    Device(DeviceRecord),
}

/// A device token's record, stored under `["device-token", sha256(token)]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub device_id: String,
    pub name: String,
    pub created_ms: u64,
}

/// Checks tokens. Device records are cached in memory so that authenticating an upgrade
/// never touches the disk on the async threads.
pub struct Auth {
    bootstrap_hash: [u8; 32],
    devices: RwLock<HashMap<String, DeviceRecord>>,
    storage: Arc<dyn Storage>,
}

impl Auth {
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
            bootstrap_hash: sha256(bootstrap_token),
            devices: RwLock::new(devices),
            storage,
        })
    }

    /// The principal a token stands for, or `None` for an unknown token.
    pub fn authenticate(&self, token: &str) -> Option<Principal> {
        if token.is_empty() {
            return None;
        }
        let hash = sha256(token);
        // Comparing hashes keeps the comparison independent of where the token differs.
        if hash == self.bootstrap_hash {
            return Some(Principal::Administrator);
        }
        let devices = self.devices.read().ok()?;
        devices
            .get(&hex::encode(hash))
            .cloned()
            .map(Principal::Device)
    }

    /// Stores a new device token (hashed) and returns its record. Blocking: call it from a
    /// blocking task.
    pub fn create_device(
        &self,
        token: &str,
        record: DeviceRecord,
    ) -> Result<DeviceRecord, StorageError> {
        let hash = hex::encode(sha256(token));
        let bytes =
            serde_json::to_vec(&record).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let mut batch = WriteBatch::default();
        batch.put(key(["device-token".to_owned(), hash.clone()]), bytes);
        self.storage.commit(batch)?;
        if let Ok(mut devices) = self.devices.write() {
            devices.insert(hash, record.clone());
        }
        Ok(record)
    }
}

fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}
