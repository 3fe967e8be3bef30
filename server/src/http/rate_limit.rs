//! Token-bucket rate limits, keyed by device or address.
//!
//! Hand-written rather than `governor`'s keyed limiter, on purpose: the failed-sign-in
//! limit counts only failures, so it must ask whether an address is exhausted *without*
//! taking a token ([`RateLimiter::exhausted`]); governor has no such peek, and bolting a
//! second "blocked until" map onto it would be more code than this one bucket. The time is
//! passed in (`now`), so the limits are tested without sleeping.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before full (idle) ones are forgotten; bounds memory under address churn.
const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Allows `burst` events at once and `per_second` on average, per key.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(per_second: f64, burst: f64) -> Self {
        Self {
            per_second: per_second.max(f64::MIN_POSITIVE),
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key` at `now`; if none is left, returns how long until one is.
    pub fn acquire(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_BUCKETS {
            self.forget_full(&mut buckets, now);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }

    /// Whether `key` has no token left at `now`, without taking one (for limits counted
    /// on failures only: refuse while exhausted, [`acquire`](Self::acquire) on failure).
    pub fn exhausted(&self, key: &str, now: Instant) -> bool {
        let Ok(buckets) = self.buckets.lock() else {
            return false;
        };
        buckets.get(key).is_some_and(|b| {
            let elapsed = now.saturating_duration_since(b.updated).as_secs_f64();
            b.tokens + elapsed * self.per_second < 1.0
        })
    }

    fn forget_full(&self, buckets: &mut HashMap<String, Bucket>, now: Instant) {
        let (rate, burst) = (self.per_second, self.burst);
        buckets.retain(|_, b| {
            b.tokens + now.saturating_duration_since(b.updated).as_secs_f64() * rate < burst
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies_per_key() {
        let limiter = RateLimiter::new(10.0, 3.0);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.acquire("a", t0).is_ok());
        }
        let wait = limiter.acquire("a", t0).unwrap_err();
        assert!(wait <= Duration::from_millis(100));
        assert!(limiter.acquire("b", t0).is_ok(), "keys are independent");
        assert!(limiter
            .acquire("a", t0 + Duration::from_millis(100))
            .is_ok());
    }

    #[test]
    fn exhausted_looks_without_taking() {
        let limiter = RateLimiter::new(1.0, 2.0);
        let t0 = Instant::now();
        assert!(!limiter.exhausted("a", t0));
        assert!(limiter.acquire("a", t0).is_ok());
        assert!(!limiter.exhausted("a", t0), "one token is left");
        assert!(limiter.acquire("a", t0).is_ok());
        assert!(limiter.exhausted("a", t0));
        assert!(limiter.exhausted("a", t0), "looking took nothing");
        assert!(!limiter.exhausted("a", t0 + Duration::from_secs(1)));
    }
}
