//! `bench cold-sync`: seeds the server with N small wish-like documents through the
//! protocol, then times a fresh client (no local storage, like a new tablet) that opens
//! all of them at once until it holds every one.

use std::sync::Arc;

use anyhow::bail;
use clap::Args;
use serde::Serialize;
use tokio::time::Instant;

use crate::args::CommonArgs;
use crate::counters::{Counters, Traffic};
use crate::peer::Peer;
use crate::reconnect_storm::{cpu_secs, server_pid};
use crate::report::{emit, Summary};
use crate::seed::{self, Holder};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;

#[derive(Args, Debug, Clone)]
pub struct ColdSyncArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Documents to seed.
    #[arg(long, default_value_t = 5000)]
    pub docs: usize,
    /// Clients that seed them, in parallel.
    #[arg(long, default_value_t = 10)]
    pub seeders: usize,
}

#[derive(Serialize)]
struct ColdSyncReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    docs: usize,
    /// Bytes of one seeded document saved whole (they are all about the same size).
    doc_bytes: usize,
    seed_secs: f64,
    /// From opening every document until the fresh client holds all of them.
    cold_sync_secs: f64,
    docs_per_sec: f64,
    unavailable: u64,
    traffic: Traffic,
    /// Server CPU seconds during the cold sync (spawned servers).
    server_cpu_cold_sync_secs: Option<f64>,
    server_usage: Option<ServerUsage>,
}

pub async fn run(args: ColdSyncArgs) -> anyhow::Result<()> {
    if args.docs == 0 || args.seeders == 0 {
        bail!("--docs and --seeders must be at least 1");
    }
    let target = Target::open(&args.common).await?;
    let pid = server_pid(&args.common);
    let counters = Arc::new(Counters::default());
    let outcome = measure(&args, &target, &counters, pid).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    let mut s = Summary::default();
    s.line("workload", "cold-sync");
    s.line("server", format!("{:?} {}", report.server, report.url));
    s.line(
        "documents",
        format!("{} (~{} bytes each)", report.docs, report.doc_bytes),
    );
    s.line("seeded in", format!("{:.2} s", report.seed_secs));
    s.line(
        "cold sync",
        format!(
            "{:.3} s ({:.0} documents/s)",
            report.cold_sync_secs, report.docs_per_sec
        ),
    );
    if let Some(cpu) = report.server_cpu_cold_sync_secs {
        s.line("server CPU in sync", format!("{cpu:.2} s"));
    }
    if let Some(u) = &report.server_usage {
        s.line("server usage", format!("{u:?}"));
    }
    emit(args.common.json, &s, &report)
}

async fn measure(
    args: &ColdSyncArgs,
    target: &Target,
    counters: &Arc<Counters>,
    pid: Option<u32>,
) -> anyhow::Result<ColdSyncReport> {
    let timeout = args.common.timeout();
    let seeded = seed::seed(target, &args.common, counters, args.docs, args.seeders).await?;
    let traffic_counters = Arc::new(Counters::default());
    let reader = Peer::start(
        target.peer("cold-reader".into(), &args.common, &traffic_counters),
        Holder::default(),
    );
    reader.wait_ready(timeout).await?;
    let cpu_before = pid.and_then(cpu_secs);
    let start = Instant::now();
    seed::open_all(&reader, seeded.ids, timeout).await?;
    let cold_sync_secs = start.elapsed().as_secs_f64();
    let cpu_after = pid.and_then(cpu_secs);
    let unavailable = reader.call(|_, r| r.unavailable).await?;
    reader.stop().await;
    Ok(ColdSyncReport {
        workload: "cold-sync",
        server: target.kind,
        url: target.display_url(),
        docs: args.docs,
        doc_bytes: seeded.doc_bytes,
        seed_secs: seeded.secs,
        cold_sync_secs,
        docs_per_sec: args.docs as f64 / cold_sync_secs,
        unavailable,
        traffic: traffic_counters.snapshot(),
        server_cpu_cold_sync_secs: cpu_before.zip(cpu_after).map(|(b, a)| a - b),
        server_usage: None,
    })
}
