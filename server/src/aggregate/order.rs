//! The list order: one 24-byte key per wish holding the fields the list filters on,
//! sorted oldest first (so a new wish is appended, not inserted) and read backwards, so a
//! filtered page is a binary search for the time window plus one sequential scan of
//! contiguous memory.

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

    /// Stored order: oldest first; equal times by descending row number, so that read
    /// backwards the list is newest first, equal times by row number.
    fn sort_key(&self) -> (u64, Reverse<u32>) {
        (self.created_at, Reverse(self.row))
    }
}

/// All list keys, oldest first.
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

    /// The keys created in `[from, to)`, oldest first: read them with `.iter().rev()`.
    pub fn window(&self, from: Option<u64>, to: Option<u64>) -> &[ListKey] {
        let start = from.map_or(0, |from| self.keys.partition_point(|k| k.created_at < from));
        let end = to.map_or(self.keys.len(), |to| {
            self.keys.partition_point(|k| k.created_at < to)
        });
        self.keys.get(start..end.max(start)).unwrap_or_default()
    }

    /// The creation times of the oldest and the newest wish.
    pub fn span(&self) -> Option<(u64, u64)> {
        Some((self.keys.first()?.created_at, self.keys.last()?.created_at))
    }

    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * std::mem::size_of::<ListKey>()
    }
}
