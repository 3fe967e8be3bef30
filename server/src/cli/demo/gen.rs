//! Seeded randomness and the demo's clock: every id, actor and time comes from here, so a
//! seed gives the same documents all day long.

use automerge::{ActorId, Automerge};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wish_client_core::proto::DocumentId;

const HOUR_MS: u64 = 3_600_000;
pub const DAY_MS: u64 = 24 * HOUR_MS;

/// The demo's random source and "now".
pub struct Gen {
    rng: StdRng,
    /// The demo's present: the start of today, station local time.
    pub now_ms: u64,
}

impl Gen {
    pub fn new(seed: u64, now_ms: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            now_ms,
        }
    }

    /// A new document id.
    pub fn doc_id(&mut self) -> DocumentId {
        DocumentId::from_bytes(self.rng.random())
    }

    /// An empty document with a seeded actor id.
    pub fn new_doc(&mut self) -> Automerge {
        let actor: [u8; 16] = self.rng.random();
        Automerge::new().with_actor(ActorId::from(&actor[..]))
    }

    /// A new entity id: 16 random bytes in hex.
    pub fn id(&mut self) -> String {
        hex::encode(self.rng.random::<[u8; 16]>())
    }

    /// One item of a non-empty slice (every slice the demo picks from is a constant).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// A uniform index below `len` (0 if `len` is 0).
    pub fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len.max(1))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: u64, hi: u64) -> u64 {
        self.rng.random_range(lo..=hi.max(lo))
    }

    /// A uniform float in `lo..hi`.
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        if hi > lo {
            self.rng.random_range(lo..hi)
        } else {
            lo
        }
    }

    /// An index chosen with the given weights (not all zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.rng.random_range(0..total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        0
    }

    /// A time between `days_lo` and `days_hi` days before now.
    pub fn days_ago(&mut self, days_lo: u64, days_hi: u64) -> u64 {
        let ago = self.int(days_lo * DAY_MS, days_hi * DAY_MS).max(HOUR_MS);
        self.now_ms.saturating_sub(ago)
    }
}

/// Times of one wish's steps: each step is later than the last, all before `end`.
pub struct Timeline {
    at: u64,
    end: u64,
}

impl Timeline {
    pub fn new(start: u64, end: u64) -> Self {
        Self {
            at: start,
            end: end.max(start + 1),
        }
    }

    /// Moves on by a random share of what is left, leaving room for `steps_left` more.
    pub fn next(&mut self, g: &mut Gen, steps_left: u64) -> u64 {
        let room = (self.end - self.at) / (steps_left + 2);
        let gap = (room as f64 * g.float(0.3, 1.0)) as u64;
        self.at += gap.max(60_000).min(self.end - self.at);
        self.at
    }
}
