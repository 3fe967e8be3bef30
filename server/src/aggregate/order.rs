//! The list order: one 24-byte key per wish, sorted newest first, holding the fields the
//! list filters on, so a filtered page is a binary search for the time window plus one
//! sequential scan of contiguous memory.

use std::cmp::Reverse;

use super::row::Row;

/// A wish's place in the list and its filterable fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListKey {
    pub created_at: u64,
    pub row: u32,
    pub station: u32,
    pub community: u32,
    pub status: u8,
    pub module: u8,
    pub channel: u8,
    pub urgency: u8,
}

impl ListKey {
    pub fn of(row: &Row, index: u32) -> Self {
        Self {
            created_at: row.created_at,
            row: index,
            station: row.station,
            community: row.community,
            status: row.status,
            module: row.module,
            channel: row.channel,
            urgency: row.urgency,
        }
    }

    /// Newest first; equal times by row number.
    fn sort_key(&self) -> (Reverse<u64>, u32) {
        (Reverse(self.created_at), self.row)
    }
}

/// All list keys, newest first.
#[derive(Debug, Default)]
pub(crate) struct ListOrder {
    keys: Vec<ListKey>,
}

impl ListOrder {
    /// Builds the order of many rows at once (one sort instead of many inserts).
    pub fn build(keys: Vec<ListKey>) -> Self {
        let mut keys = keys;
        keys.sort_unstable_by_key(ListKey::sort_key);
        Self { keys }
    }

    /// Replaces the key of a row (`old`: its previous key, if it had one).
    pub fn update(&mut self, old: Option<ListKey>, new: ListKey) {
        if let Some(old) = old {
            if let Ok(at) = self.position(&old) {
                if old.created_at == new.created_at {
                    self.keys[at] = new;
                    return;
                }
                self.keys.remove(at);
            }
        }
        let at = self.position(&new).unwrap_or_else(|at| at);
        self.keys.insert(at, new);
    }

    fn position(&self, key: &ListKey) -> Result<usize, usize> {
        self.keys
            .binary_search_by_key(&key.sort_key(), ListKey::sort_key)
    }

    /// The keys created in `[from, to)`, newest first.
    pub fn window(&self, from: Option<u64>, to: Option<u64>) -> &[ListKey] {
        let start = to.map_or(0, |to| self.keys.partition_point(|k| k.created_at >= to));
        let end = from.map_or(self.keys.len(), |from| {
            self.keys.partition_point(|k| k.created_at >= from)
        });
        self.keys.get(start..end.max(start)).unwrap_or_default()
    }

    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * std::mem::size_of::<ListKey>()
    }
}
