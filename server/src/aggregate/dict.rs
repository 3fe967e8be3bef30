//! Interning: each distinct key (a community id, a station, a claimant, a status…) is
//! stored once and rows refer to it by a small integer code.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};

/// Keys and their codes, in the order they were first seen.
#[derive(Debug, Clone)]
pub(crate) struct Dict<K> {
    keys: Vec<K>,
    codes: HashMap<K, u32>,
}

impl<K> Default for Dict<K> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            codes: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Dict<K> {
    /// A dictionary that already holds `keys`, coded 0, 1, … in that order.
    pub fn with_keys(keys: impl IntoIterator<Item = K>) -> Self {
        let mut dict = Self::default();
        for key in keys {
            dict.intern(key);
        }
        dict
    }

    /// The code of `key`, adding it if new.
    pub fn intern(&mut self, key: K) -> u32 {
        if let Some(code) = self.codes.get(&key) {
            return *code;
        }
        let code = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push(key.clone());
        self.codes.insert(key, code);
        code
    }

    pub fn get<Q>(&self, key: &Q) -> Option<u32>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.codes.get(key).copied()
    }

    pub fn key(&self, code: u32) -> Option<&K> {
        self.keys.get(code as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, &K)> {
        (0u32..).zip(self.keys.iter())
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Rough heap use: each key once in the list and once in the map.
    pub fn heap_bytes(&self, key_bytes: impl Fn(&K) -> usize) -> usize {
        let per_key = 2 * std::mem::size_of::<K>() + 8;
        self.keys.iter().map(|k| per_key + 2 * key_bytes(k)).sum()
    }
}

impl Dict<Box<str>> {
    pub fn intern_str(&mut self, key: &str) -> u32 {
        match self.codes.get(key) {
            Some(code) => *code,
            None => self.intern(key.into()),
        }
    }

    pub fn name(&self, code: u32) -> &str {
        self.key(code).map_or("", |k| k)
    }
}

/// A dictionary of at most 255 values coded in one byte; later values share the last code
/// ("other"). Used for statuses, modules, channels, urgencies and close reasons, whose
/// values come from the schema's enumerations.
#[derive(Debug, Clone)]
pub(crate) struct SmallDict {
    dict: Dict<Box<str>>,
}

/// The key every value beyond the 255th is counted under.
pub(crate) const OTHER: &str = "other";

impl SmallDict {
    pub fn with_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            dict: Dict::with_keys(keys.into_iter().map(Box::from)),
        }
    }

    pub fn intern(&mut self, key: &str) -> u8 {
        if let Some(code) = self.dict.get(key) {
            return code as u8;
        }
        if self.dict.len() < 254 {
            return self.dict.intern_str(key) as u8;
        }
        self.dict.intern_str(OTHER) as u8
    }

    pub fn get(&self, key: &str) -> Option<u8> {
        self.dict.get(key).map(|c| c as u8)
    }

    pub fn name(&self, code: u8) -> &str {
        self.dict.name(u32::from(code))
    }

    pub fn iter(&self) -> impl Iterator<Item = (u8, &str)> {
        self.dict.iter().map(|(code, key)| (code as u8, &**key))
    }
}

/// Document id → row number, keyed by a 64-bit hash so that the id itself is stored only
/// in the row. Hash collisions (about one in 10^7 for a million ids) go to a small map
/// keyed by the full id.
#[derive(Debug, Default)]
pub(crate) struct DocIndex {
    hasher: RandomState,
    by_hash: HashMap<u64, u32>,
    collisions: HashMap<Box<str>, u32>,
}

impl DocIndex {
    /// The row of `doc`; `doc_of` gives a row's document id.
    pub fn get<'a>(&self, doc: &str, doc_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        let row = *self.by_hash.get(&self.hasher.hash_one(doc))?;
        if doc_of(row) == doc {
            return Some(row);
        }
        self.collisions.get(doc).copied()
    }

    /// Records a new document (not yet indexed) at `row`.
    pub fn insert(&mut self, doc: &str, row: u32) {
        let hash = self.hasher.hash_one(doc);
        match self.by_hash.entry(hash) {
            Entry::Occupied(_) => {
                self.collisions.insert(doc.into(), row);
            }
            Entry::Vacant(slot) => {
                slot.insert(row);
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        // hashbrown: one slot of (u64, u32) plus a control byte, at most 7/8 full.
        self.by_hash.capacity() * 17 + self.collisions.len() * 64
    }
}
