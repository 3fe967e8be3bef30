//! Prometheus metrics: one process-wide registry of atomics ([`global`]), rendered in the
//! text exposition format (version 0.0.4) at `GET /metrics`.
//!
//! The WebSocket tasks count connections, messages and bytes; the engine thread counts
//! commits, their latency and relay latency, and after every batch copies the sans-IO
//! engine's own totals ([`crate::engine::EngineCounters`]) and its gauges
//! here. Nothing is labelled per device or document, so the output stays small and
//! reveals no identifiers.

mod histogram;
mod http;
mod render;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::LazyLock;

use crate::engine::{EngineCounters, Refusal};

pub use histogram::{Histogram, LATENCY_BUCKETS};
pub use http::handler;
pub use render::render;

/// A number that only goes up.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.add(1);
    }

    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// Mirrors a total kept elsewhere (the engine's).
    pub fn set(&self, n: u64) {
        self.0.store(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A number that goes up and down.
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    pub fn set(&self, n: i64) {
        self.0.store(n, Ordering::Relaxed);
    }

    pub fn add(&self, n: i64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Adds one until the returned guard is dropped.
    pub fn hold(&self) -> GaugeHold<'_> {
        self.add(1);
        GaugeHold(self)
    }
}

/// Subtracts one from its gauge when dropped; see [`Gauge::hold`].
pub struct GaugeHold<'a>(&'a Gauge);

impl Drop for GaugeHold<'_> {
    fn drop(&mut self) {
        self.0.add(-1);
    }
}

/// Every metric the server exports.
#[derive(Debug)]
pub struct Metrics {
    pub connections: Gauge,
    pub peers: Gauge,
    pub documents_loaded: Gauge,
    pub documents_loaded_total: Counter,
    pub documents_unloaded_total: Counter,
    pub messages_received: Counter,
    pub messages_sent: Counter,
    pub bytes_received: Counter,
    pub bytes_sent: Counter,
    pub commits: Counter,
    pub commit_seconds: Histogram,
    pub relay_seconds: Histogram,
    /// Indexed like [`Refusal::ALL`].
    pub refused: [Counter; 5],
    pub arbitration_decisions: Counter,
    pub slow_peers_closed: Counter,
}

impl Metrics {
    fn new() -> Self {
        Self {
            connections: Gauge::default(),
            peers: Gauge::default(),
            documents_loaded: Gauge::default(),
            documents_loaded_total: Counter::default(),
            documents_unloaded_total: Counter::default(),
            messages_received: Counter::default(),
            messages_sent: Counter::default(),
            bytes_received: Counter::default(),
            bytes_sent: Counter::default(),
            commits: Counter::default(),
            commit_seconds: Histogram::new(LATENCY_BUCKETS),
            relay_seconds: Histogram::new(LATENCY_BUCKETS),
            refused: Default::default(),
            arbitration_decisions: Counter::default(),
            slow_peers_closed: Counter::default(),
        }
    }

    /// Copies the engine's own totals (called by the engine thread after each batch).
    pub fn publish_engine(&self, counters: &EngineCounters) {
        self.documents_loaded_total.set(counters.documents_loaded);
        self.documents_unloaded_total
            .set(counters.documents_unloaded);
        self.arbitration_decisions
            .set(counters.arbitration_decisions);
        for (slot, refusal) in self.refused.iter().zip(Refusal::ALL) {
            slot.set(counters.refused(refusal));
        }
    }
}

/// The registry of this process.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}
