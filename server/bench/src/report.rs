//! Latency histograms and the output of a run: a human summary, or one JSON line.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::counters::Traffic;
use crate::spawn::ServerUsage;

/// Longest latency the histograms hold, in microseconds; longer samples are clamped.
const MAX_MICROS: u64 = 120_000_000;

/// A histogram of latencies in microseconds (1 µs to 120 s, 3 significant digits).
pub fn histogram() -> anyhow::Result<Histogram<u64>> {
    Ok(Histogram::new_with_bounds(1, MAX_MICROS, 3)?)
}

pub fn record(histogram: &mut Histogram<u64>, latency: Duration) {
    let micros = u64::try_from(latency.as_micros()).unwrap_or(MAX_MICROS);
    histogram.saturating_record(micros.clamp(1, MAX_MICROS));
}

/// Percentiles of a latency histogram, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub samples: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    pub fn of(histogram: &Histogram<u64>) -> Self {
        let ms = |micros: u64| micros as f64 / 1000.0;
        Self {
            samples: histogram.len(),
            p50_ms: ms(histogram.value_at_quantile(0.50)),
            p90_ms: ms(histogram.value_at_quantile(0.90)),
            p99_ms: ms(histogram.value_at_quantile(0.99)),
            max_ms: ms(histogram.max()),
            mean_ms: histogram.mean() / 1000.0,
        }
    }

    pub fn line(&self) -> String {
        format!(
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean {:.2} ms ({} samples)",
            self.p50_ms, self.p90_ms, self.p99_ms, self.max_ms, self.mean_ms, self.samples
        )
    }
}

/// Builds the human summary line by line.
#[derive(Default)]
pub struct Summary(String);

impl Summary {
    /// A summary that starts with the workload and the server it ran against.
    pub fn of(workload: &str, server: impl std::fmt::Debug, url: &str) -> Self {
        let mut s = Self::default();
        s.line("workload", workload);
        s.line("server", format!("{server:?} {url}"));
        s
    }

    pub fn line(&mut self, label: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.0, "{label:<22} {value}");
    }
}

/// KiB as MiB for a summary line, or "n/a".
pub fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// Writes the summary to stdout, or with `json` the summary to stderr and one JSON line
/// to stdout.
pub fn emit<T: Serialize>(json: bool, summary: &Summary, report: &T) -> anyhow::Result<()> {
    if json {
        std::io::stderr().write_all(summary.0.as_bytes())?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string(report)?)?;
        out.flush()?;
    } else {
        std::io::stdout().write_all(summary.0.as_bytes())?;
    }
    Ok(())
}

/// Lines about traffic and connection trouble, shared by the workloads.
pub fn traffic_lines(s: &mut Summary, traffic: Option<&Traffic>) {
    let Some(t) = traffic else {
        return;
    };
    s.line(
        "frames",
        format!(
            "{} received ({} sync, {} remote-heads-changed), {} sent",
            t.frames_in, t.sync_in, t.remote_heads_in, t.frames_out
        ),
    );
    s.line("disconnects", t.disconnects);
    s.line("problems", t.problems);
    if let Some(last) = &t.last_trouble {
        s.line("last trouble", last);
    }
}

/// Lines about a spawned server's memory and CPU, shared by the workloads.
pub fn usage_lines(s: &mut Summary, usage: Option<&ServerUsage>) {
    let Some(usage) = usage else {
        return;
    };
    let mib =
        |kib: Option<u64>| kib.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    s.line("server peak RSS", mib(usage.peak_rss_kib));
    s.line("server RSS at end", mib(usage.rss_kib));
    if let Some(cpu) = usage.cpu_secs {
        s.line("server CPU time", format!("{cpu:.2} s"));
    }
}

pub fn unix_time() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
