//! The Prometheus text exposition format.

use std::fmt::Write as _;

use super::histogram::HistogramSnapshot;
use super::{Counter, Gauge, Histogram, Metrics};
use crate::engine::Refusal;

/// Every metric of `m`, with `# HELP` and `# TYPE` lines.
pub fn render(m: &Metrics) -> String {
    let mut out = Exposition(String::with_capacity(4096));
    out.gauge(
        "wish_connections",
        "Open WebSocket connections on /sync.",
        &m.connections,
    );
    out.gauge("wish_peers_joined", "Peers that sent join.", &m.peers);
    out.gauge(
        "wish_documents_loaded",
        "Documents held in memory.",
        &m.documents_loaded,
    );
    out.counter(
        "wish_documents_loaded_total",
        "Documents loaded into memory.",
        &m.documents_loaded_total,
    );
    out.counter(
        "wish_documents_unloaded_total",
        "Documents dropped from memory (idle, error or refusal).",
        &m.documents_unloaded_total,
    );
    out.counter(
        "wish_messages_received_total",
        "Protocol messages received on /sync.",
        &m.messages_received,
    );
    out.counter(
        "wish_messages_sent_total",
        "Protocol messages sent on /sync.",
        &m.messages_sent,
    );
    out.counter(
        "wish_bytes_received_total",
        "Bytes of binary frames received on /sync.",
        &m.bytes_received,
    );
    out.counter(
        "wish_bytes_sent_total",
        "Bytes of protocol messages sent on /sync.",
        &m.bytes_sent,
    );
    out.counter(
        "wish_commits_total",
        "Group commits to storage that succeeded.",
        &m.commits,
    );
    out.histogram(
        "wish_commit_duration_seconds",
        "Duration of one group commit (redb, durable).",
        &m.commit_seconds,
    );
    out.histogram("wish_relay_duration_seconds", "From a message's arrival at the engine thread to its batch's messages being queued to connections (includes the commit).", &m.relay_seconds);
    out.refusals(m);
    out.counter(
        "wish_arbitration_decisions_total",
        "Claims assigned by the server's arbitration.",
        &m.arbitration_decisions,
    );
    out.counter(
        "wish_slow_peers_closed_total",
        "Connections closed because their outbound queue was full.",
        &m.slow_peers_closed,
    );
    out.0
}

struct Exposition(String);

impl Exposition {
    fn head(&mut self, name: &str, help: &str, kind: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    fn gauge(&mut self, name: &str, help: &str, gauge: &Gauge) {
        self.head(name, help, "gauge");
        let _ = writeln!(self.0, "{name} {}", gauge.get());
    }

    fn counter(&mut self, name: &str, help: &str, counter: &Counter) {
        self.head(name, help, "counter");
        let _ = writeln!(self.0, "{name} {}", counter.get());
    }

    fn histogram(&mut self, name: &str, help: &str, histogram: &Histogram) {
        self.head(name, help, "histogram");
        let HistogramSnapshot {
            buckets,
            count,
            sum_seconds,
        } = histogram.snapshot();
        for (bound, cumulative) in buckets {
            let _ = writeln!(self.0, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(self.0, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(self.0, "{name}_sum {sum_seconds}");
        let _ = writeln!(self.0, "{name}_count {count}");
    }

    fn refusals(&mut self, m: &Metrics) {
        let name = "wish_refused_total";
        let help = "Accesses refused, by kind (the audit record's kind, or doc-unavailable for a session ended by an access denial).";
        self.head(name, help, "counter");
        for (refusal, counter) in Refusal::ALL.iter().zip(&m.refused) {
            let kind = refusal.label();
            let _ = writeln!(self.0, "{name}{{kind=\"{kind}\"}} {}", counter.get());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn every_sample_line_is_a_name_and_a_number() {
        let m = Metrics::new();
        m.commits.inc();
        m.commit_seconds.observe(Duration::from_millis(3));
        let text = render(&m);
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (name, value) = line.rsplit_once(' ').unwrap_or_default();
            assert!(name.starts_with("wish_"), "{line}");
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
        assert!(text.contains("wish_commits_total 1\n"));
        assert!(text.contains("wish_commit_duration_seconds_bucket{le=\"0.005\"} 1\n"));
        assert!(text.contains("wish_refused_total{kind=\"refused-change\"} 0\n"));
    }
}
