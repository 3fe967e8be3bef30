//! The metric names and help texts, registered with `prometheus-client`, which writes the
//! OpenMetrics text format. Counters are registered without `_total`: the format adds it.

use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;

use super::Metrics;

/// A registry of every metric of `m` (clones share their values with `m`).
pub fn registry(m: &Metrics) -> Registry {
    let mut r = Registry::default();
    let gauges = [
        (
            "wish_connections",
            "Open WebSocket connections on /sync.",
            &m.connections,
        ),
        ("wish_peers_joined", "Peers that sent join.", &m.peers),
        (
            "wish_documents_loaded",
            "Documents held in memory.",
            &m.documents_loaded,
        ),
        (
            "wish_claim_arbiter",
            "1 while this process assigns claims (several processes on one store: one does).",
            &m.arbiter,
        ),
    ];
    for (name, help, gauge) in gauges {
        r.register(name, help, gauge.0.clone());
    }
    let counters = [
        (
            "wish_documents_loaded",
            "Documents loaded into memory.",
            &m.documents_loaded_total,
        ),
        (
            "wish_documents_unloaded",
            "Documents dropped from memory (idle, error or refusal).",
            &m.documents_unloaded_total,
        ),
        (
            "wish_messages_received",
            "Protocol messages received on /sync.",
            &m.messages_received,
        ),
        (
            "wish_messages_sent",
            "Protocol messages sent on /sync.",
            &m.messages_sent,
        ),
        (
            "wish_bytes_received",
            "Bytes of binary frames received on /sync.",
            &m.bytes_received,
        ),
        (
            "wish_bytes_sent",
            "Bytes of protocol messages sent on /sync.",
            &m.bytes_sent,
        ),
        (
            "wish_commits",
            "Group commits to storage that succeeded.",
            &m.commits,
        ),
        (
            "wish_arbitration_decisions",
            "Claims assigned by the server's arbitration.",
            &m.arbitration_decisions,
        ),
        (
            "wish_arbitration_catch_ups",
            "Wishes queued by another process that this arbiter caught up and arbitrated.",
            &m.arbitration_catch_ups,
        ),
        (
            "wish_committed_elsewhere_applied",
            "Held documents caught up with changes another process committed.",
            &m.committed_elsewhere_applied,
        ),
        (
            "wish_slow_peers_closed",
            "Connections closed because their outbound queue was full.",
            &m.slow_peers_closed,
        ),
    ];
    for (name, help, counter) in counters {
        r.register(name, help, counter.0.clone());
    }
    r.register(
        "wish_commit_duration_seconds",
        "Duration of one group commit (redb, durable).",
        m.commit_seconds.0.clone(),
    );
    r.register(
        "wish_relay_duration_seconds",
        "From a message's arrival at the engine thread to its batch's messages being queued \
         to connections (includes the commit).",
        m.relay_seconds.0.clone(),
    );
    r.register(
        "wish_refused",
        "Accesses refused, by kind (the audit record's kind, or doc-unavailable for a \
         session ended by an access denial).",
        m.refused.clone(),
    );
    r
}

/// Every metric of `m` in the OpenMetrics text format (ending in `# EOF`).
pub fn render(m: &Metrics) -> String {
    let mut out = String::with_capacity(4096);
    // Writing into a String cannot fail.
    let _ = encode(&mut out, &m.registry);
    out
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
        assert!(text.ends_with("# EOF\n"));
    }
}
