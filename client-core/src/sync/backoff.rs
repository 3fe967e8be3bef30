//! Reconnect delays: exponential with full jitter, randomness passed in as a seed.

/// Exponential backoff with jitter. Deterministic for a given seed.
#[derive(Debug, Clone)]
pub struct Backoff {
    min_ms: u64,
    max_ms: u64,
    attempt: u32,
    rng: u64,
}

impl Backoff {
    /// `seed` is the caller's randomness (client-core has no RNG of its own).
    pub fn new(min_ms: u64, max_ms: u64, seed: u64) -> Self {
        Self {
            min_ms: min_ms.max(1),
            max_ms: max_ms.max(min_ms.max(1)),
            attempt: 0,
            rng: splitmix64(seed) | 1,
        }
    }

    /// The delay before the next attempt: uniform in `[min, min * 2^attempt]`, capped.
    pub fn next_delay(&mut self) -> u64 {
        let ceiling = self
            .min_ms
            .saturating_mul(1u64 << self.attempt.min(20))
            .min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        let spread = ceiling - self.min_ms.min(ceiling);
        self.min_ms.min(ceiling) + self.next_random() % (spread + 1)
    }

    /// Call after a successful handshake.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// xorshift64*: enough to spread reconnects; not for secrets.
    fn next_random(&mut self) -> u64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Spreads nearby seeds (0, 1, 2, ...) over the whole state space.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_within_bounds() {
        let mut backoff = Backoff::new(100, 5_000, 7);
        for attempt in 0..30u32 {
            let delay = backoff.next_delay();
            let ceiling = (100u64 << attempt.min(20)).min(5_000);
            assert!(
                (100..=ceiling).contains(&delay),
                "attempt {attempt}: {delay}"
            );
        }
        backoff.reset();
        assert!(backoff.next_delay() <= 100);
    }

    #[test]
    fn different_seeds_spread_reconnects() {
        let delays: std::collections::BTreeSet<u64> = (0..20)
            .map(|seed| {
                let mut b = Backoff::new(100, 60_000, seed);
                (0..6).map(|_| b.next_delay()).last().unwrap_or(0)
            })
            .collect();
        assert!(delays.len() > 10);
    }
}
