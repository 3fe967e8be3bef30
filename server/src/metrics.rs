//! Prometheus metrics: one process-wide registry ([`global`]) of `prometheus-client`
//! metrics, rendered in the OpenMetrics text format at `GET /metrics`.
//!
//! The WebSocket tasks count connections, messages and bytes; the engine thread counts
//! commits, their latency and relay latency, and after every batch copies the sans-IO
//! engine's own totals ([`crate::engine::EngineCounters`]) and its gauges
//! here. Nothing is labelled per device or document, so the output stays small and
//! reveals no identifiers.

mod http;
mod render;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

use crate::engine::{EngineCounters, Refusal};

pub use http::handler;
pub use render::render;

/// Upper bounds (seconds) for latencies from half a millisecond to ten seconds.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A number that only goes up (a `prometheus-client` counter).
#[derive(Debug, Clone, Default)]
pub struct Counter(prometheus_client::metrics::counter::Counter<u64, AtomicU64>);

impl Counter {
    pub fn inc(&self) {
        self.add(1);
    }

    pub fn add(&self, n: u64) {
        self.0.inc_by(n);
    }

    /// Mirrors a total kept elsewhere (the engine's): prometheus-client counters only
    /// add, so the total is stored into the counter's atomic.
    pub fn set(&self, n: u64) {
        self.0.inner().store(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.get()
    }
}

/// A number that goes up and down (a `prometheus-client` gauge).
#[derive(Debug, Clone, Default)]
pub struct Gauge(prometheus_client::metrics::gauge::Gauge<i64, AtomicI64>);

impl Gauge {
    pub fn set(&self, n: i64) {
        self.0.set(n);
    }

    pub fn add(&self, n: i64) {
        self.0.inc_by(n);
    }

    pub fn get(&self) -> i64 {
        self.0.get()
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

/// Durations in seconds, in [`LATENCY_BUCKETS`] (a `prometheus-client` histogram).
#[derive(Debug, Clone)]
pub struct Histogram(prometheus_client::metrics::histogram::Histogram);

impl Default for Histogram {
    fn default() -> Self {
        Self(prometheus_client::metrics::histogram::Histogram::new(
            LATENCY_BUCKETS.iter().copied(),
        ))
    }
}

impl Histogram {
    pub fn observe(&self, duration: Duration) {
        self.0.observe(duration.as_secs_f64());
    }
}

/// The label of `wish_refused_total`: the refusal's kind.
pub type RefusalKind = Vec<(&'static str, &'static str)>;

/// Every metric the server exports, and the registry that renders them.
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
    /// By [`Refusal::label`], every kind present from the start.
    pub refused: Family<RefusalKind, prometheus_client::metrics::counter::Counter>,
    pub arbitration_decisions: Counter,
    /// 1 while this process is the claim arbiter (always, alone on its store).
    pub arbiter: Gauge,
    pub arbitration_catch_ups: Counter,
    pub committed_elsewhere_applied: Counter,
    pub slow_peers_closed: Counter,
    registry: Registry,
}

impl Metrics {
    fn new() -> Self {
        let mut metrics = Self {
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
            commit_seconds: Histogram::default(),
            relay_seconds: Histogram::default(),
            refused: Family::default(),
            arbitration_decisions: Counter::default(),
            arbiter: Gauge::default(),
            arbitration_catch_ups: Counter::default(),
            committed_elsewhere_applied: Counter::default(),
            slow_peers_closed: Counter::default(),
            registry: Registry::default(),
        };
        for refusal in Refusal::ALL {
            // Created now so that every kind is rendered, at 0, from the start.
            drop(metrics.refused.get_or_create(&refusal_kind(refusal)));
        }
        metrics.registry = render::registry(&metrics);
        metrics
    }

    /// Copies the engine's own totals (called by the engine thread after each batch).
    pub fn publish_engine(&self, counters: &EngineCounters) {
        self.documents_loaded_total.set(counters.documents_loaded);
        self.documents_unloaded_total
            .set(counters.documents_unloaded);
        self.arbitration_decisions
            .set(counters.arbitration_decisions);
        self.arbitration_catch_ups
            .set(counters.arbitration_catch_ups);
        self.committed_elsewhere_applied
            .set(counters.committed_elsewhere_applied);
        for refusal in Refusal::ALL {
            let counter = self.refused.get_or_create(&refusal_kind(refusal));
            counter
                .inner()
                .store(counters.refused(refusal), Ordering::Relaxed);
        }
    }
}

fn refusal_kind(refusal: Refusal) -> RefusalKind {
    vec![("kind", refusal.label())]
}

/// The registry of this process.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}
