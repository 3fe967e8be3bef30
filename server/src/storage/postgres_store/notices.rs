//! The notification payloads: which process committed, and the keys of its batch. A
//! PostgreSQL notification carries at most 8,000 bytes, so a large batch is split over
//! several; a key too long for one payload becomes a "resync" payload instead.

use serde::{Deserialize, Serialize};

use crate::storage::{Key, StoreNotice, WriteBatch, WriteOp};

/// Below PostgreSQL's 8,000-byte limit on a payload.
const MAX_PAYLOAD: usize = 7_900;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    /// The committing process (its store's random id).
    p: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    put: Vec<Key>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    del: Vec<Key>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pre: Vec<Key>,
    /// The batch named a key too long to notify: listeners re-read everything.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    resync: bool,
}

/// The payloads announcing `batch`, in order (none for an empty batch).
pub(super) fn payloads(process: &str, batch: &WriteBatch) -> Vec<String> {
    let mut split = Splitter::new(process);
    for op in &batch.ops {
        match op {
            WriteOp::Put { key, .. } | WriteOp::Create { key, .. } => {
                split.add(key, |p| &mut p.put)
            }
            WriteOp::Delete { key } | WriteOp::Take { key } => split.add(key, |p| &mut p.del),
            WriteOp::DeletePrefix { prefix } => split.add(prefix, |p| &mut p.pre),
        }
    }
    split.finish()
}

/// What a received payload means to this process: nothing for its own, a notice for
/// another's; an unreadable payload (another version?) asks for a resync, to be safe.
pub(super) fn decode(own_process: &str, payload: &str) -> Option<StoreNotice> {
    let Ok(payload) = serde_json::from_str::<Payload>(payload) else {
        tracing::warn!("unreadable storage notification: re-reading everything");
        return Some(StoreNotice::Resync);
    };
    if payload.p == own_process {
        return None;
    }
    if payload.resync {
        return Some(StoreNotice::Resync);
    }
    Some(StoreNotice::Committed {
        puts: payload.put,
        deletes: payload.del,
        delete_prefixes: payload.pre,
    })
}

struct Splitter<'a> {
    process: &'a str,
    current: Payload,
    size: usize,
    done: Vec<String>,
}

impl<'a> Splitter<'a> {
    fn new(process: &'a str) -> Self {
        Self {
            process,
            current: Self::empty(process),
            size: Self::base_size(process),
            done: Vec::new(),
        }
    }

    fn empty(process: &str) -> Payload {
        Payload {
            p: process.to_owned(),
            ..Payload::default()
        }
    }

    /// The JSON of an empty payload plus room for the three lists' names and brackets.
    fn base_size(process: &str) -> usize {
        process.len() + 48
    }

    fn add(&mut self, key: &Key, list: fn(&mut Payload) -> &mut Vec<Key>) {
        // A key's JSON and its comma.
        let size = serde_json::to_string(key).map_or(MAX_PAYLOAD, |s| s.len() + 1);
        if Self::base_size(self.process) + size > MAX_PAYLOAD {
            self.flush();
            self.current.resync = true;
            self.flush();
            return;
        }
        if self.size + size > MAX_PAYLOAD {
            self.flush();
        }
        list(&mut self.current).push(key.clone());
        self.size += size;
    }

    fn flush(&mut self) {
        let payload = std::mem::replace(&mut self.current, Self::empty(self.process));
        self.size = Self::base_size(self.process);
        let has_keys =
            !(payload.put.is_empty() && payload.del.is_empty() && payload.pre.is_empty());
        if has_keys || payload.resync {
            // Serialising strings and lists cannot fail.
            if let Ok(json) = serde_json::to_string(&payload) {
                self.done.push(json);
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::key;

    #[test]
    fn a_batch_round_trips_and_own_payloads_are_dropped() {
        let mut batch = WriteBatch::default();
        batch.put(key(["d", "incremental", "h"]), vec![1]);
        batch.delete(key(["d", "snapshot", "old"]));
        batch.take(key(["code", "c"]));
        batch.delete_prefix(key(["gone"]));
        let payloads = payloads("me", &batch);
        assert_eq!(payloads.len(), 1);
        assert_eq!(decode("me", &payloads[0]), None);
        assert_eq!(
            decode("other", &payloads[0]),
            Some(StoreNotice::Committed {
                puts: vec![key(["d", "incremental", "h"])],
                deletes: vec![key(["d", "snapshot", "old"]), key(["code", "c"])],
                delete_prefixes: vec![key(["gone"])],
            })
        );
    }

    #[test]
    fn large_batches_are_split_under_the_payload_limit() {
        let mut batch = WriteBatch::default();
        for n in 0..2_000 {
            batch.put(
                key(["doc-with-a-long-id", "incremental", &format!("{n:064}")]),
                vec![],
            );
        }
        let payloads = payloads("p", &batch);
        assert!(payloads.len() > 10);
        assert!(payloads.iter().all(|p| p.len() <= MAX_PAYLOAD));
        let notified: usize = payloads
            .iter()
            .map(|p| match decode("q", p) {
                Some(StoreNotice::Committed { puts, .. }) => puts.len(),
                other => panic!("{other:?}"),
            })
            .sum();
        assert_eq!(notified, 2_000);
    }

    #[test]
    fn a_key_too_long_to_notify_asks_for_a_resync() {
        let mut batch = WriteBatch::default();
        batch.put(key(["a"]), vec![]);
        batch.put(key(["x".repeat(9_000)]), vec![]);
        let payloads = payloads("p", &batch);
        let notices: Vec<_> = payloads.iter().filter_map(|p| decode("q", p)).collect();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[1], StoreNotice::Resync);
    }

    #[test]
    fn garbage_asks_for_a_resync() {
        assert_eq!(decode("q", "not json"), Some(StoreNotice::Resync));
    }
}
