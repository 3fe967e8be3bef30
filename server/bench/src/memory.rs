//! `bench memory`: what loaded documents cost a server, and whether its memory stays
//! bounded when many more documents are stored than are in use.
//!
//! 1. Seeds N small wish-shaped documents through the protocol; the seeders leave.
//! 2. The server is restarted on its data (a fresh process, nothing loaded); after
//!    `--settle-secs` its resident memory is the baseline.
//! 3. One client opens `--loaded` of them and holds them: the growth over the baseline,
//!    divided by that count, is the memory per loaded document (followed by one peer).
//! 4. Waves: a fresh client opens the next `--batch` documents, holds them, leaves; the
//!    waves walk through every stored document. A server that evicts documents nobody
//!    follows stays flat; one that keeps everything it loaded grows with every wave.
//!
//! Memory is read from `/proc/PID/status` of the spawned server (`--spawn-ours` or
//! `--spawn-reference`); it means little for a server given by `--url`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};

use clap::Args;
use serde::Serialize;
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;

use crate::args::CommonArgs;
use crate::counters::Counters;
use crate::peer::Peer;
use crate::report::{emit, mib, unix_time, Summary};
use crate::seed::{self, Holder};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;

#[derive(Args, Debug, Clone)]
pub struct MemoryArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Documents to store.
    #[arg(long, default_value_t = 100_000)]
    pub docs: usize,
    /// Clients that seed them, in parallel.
    #[arg(long, default_value_t = 10)]
    pub seeders: usize,
    /// Documents one client opens and holds to measure the cost of a loaded document.
    #[arg(long, default_value_t = 10_000)]
    pub loaded: usize,
    /// Documents each wave's client opens.
    #[arg(long, default_value_t = 5_000)]
    pub batch: usize,
    /// Waves; by default enough to open every stored document once.
    #[arg(long)]
    pub waves: Option<usize>,
    /// Pause between waves (clients of a real deployment come and go over time).
    #[arg(long, default_value_t = 0.0)]
    pub wave_pause_secs: f64,
    /// Pause after seeding, after the loaded phase and after the waves, so a server can
    /// unload documents nobody follows (give ours `--server-arg=--idle-unload-secs=S`).
    #[arg(long, default_value_t = 10)]
    pub settle_secs: u64,
}

#[derive(Serialize)]
struct Wave {
    /// Documents opened by this and all earlier waves (with repeats once all were opened).
    opened_so_far: usize,
    secs: f64,
    /// Resident memory after the wave's client left, KiB.
    rss_kib: Option<u64>,
    /// Documents the client never received (the waves stop after such a wave).
    missing: usize,
}

#[derive(Serialize)]
struct MemoryReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    unix_time: u64,
    docs: usize,
    doc_bytes: usize,
    seed_secs: f64,
    rss_kib_after_seeding: Option<u64>,
    rss_kib_baseline: Option<u64>,
    loaded: usize,
    rss_kib_loaded: Option<u64>,
    bytes_per_loaded_doc: Option<f64>,
    batch: usize,
    waves: Vec<Wave>,
    rss_kib_max_in_waves: Option<u64>,
    rss_kib_after_waves_settled: Option<u64>,
    server_usage: Option<ServerUsage>,
}

pub async fn run(args: MemoryArgs) -> anyhow::Result<()> {
    validate(&args)?;
    let mut target = Target::open(&args.common).await?;
    let outcome = measure(&args, &mut target).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    emit(args.common.json, &summary(&report), &report)?;
    if report.waves.iter().any(|w| w.missing > 0) {
        bail!("a wave's client did not receive every document");
    }
    Ok(())
}

fn validate(args: &MemoryArgs) -> anyhow::Result<()> {
    if args.docs == 0 || args.seeders == 0 || args.batch == 0 {
        bail!("--docs, --seeders and --batch must be at least 1");
    }
    if args.loaded > args.docs || args.batch > args.docs {
        bail!("--loaded and --batch must not exceed --docs");
    }
    Ok(())
}

async fn measure(args: &MemoryArgs, target: &mut Target) -> anyhow::Result<MemoryReport> {
    let timeout = args.common.timeout();
    let settle = Duration::from_secs(args.settle_secs);
    let counters = Arc::new(Counters::default());
    let seeded = seed::seed(target, &args.common, &counters, args.docs, args.seeders).await?;
    let rss_kib_after_seeding = rss(target);
    target.restart(&args.common).await?;
    let target = &*target;
    tokio::time::sleep(settle).await;
    let rss_kib_baseline = rss(target);

    let holder = holder(
        target,
        &args.common,
        &counters,
        "memory-holder".into(),
        timeout,
    )
    .await?;
    seed::open_all(&holder, seeded.ids[..args.loaded].to_vec(), timeout).await?;
    let rss_kib_loaded = rss(target);
    holder.stop().await;
    let bytes_per_loaded_doc = rss_kib_baseline
        .zip(rss_kib_loaded)
        .filter(|_| args.loaded > 0)
        .map(|(base, loaded)| (loaded as f64 - base as f64) * 1024.0 / args.loaded as f64);
    tokio::time::sleep(settle).await;

    let waves = run_waves(args, target, &counters, &seeded.ids).await?;
    tokio::time::sleep(settle).await;
    Ok(MemoryReport {
        workload: "memory",
        server: target.kind,
        url: target.display_url(),
        unix_time: unix_time(),
        docs: args.docs,
        doc_bytes: seeded.doc_bytes,
        seed_secs: seeded.secs,
        rss_kib_after_seeding,
        rss_kib_baseline,
        loaded: args.loaded,
        rss_kib_loaded,
        bytes_per_loaded_doc,
        batch: args.batch,
        rss_kib_max_in_waves: waves.iter().filter_map(|w| w.rss_kib).max(),
        waves,
        rss_kib_after_waves_settled: rss(target),
        server_usage: None,
    })
}

/// Each wave's client opens the next batch (wrapping around), holds it, and leaves.
async fn run_waves(
    args: &MemoryArgs,
    target: &Target,
    counters: &Arc<Counters>,
    ids: &[DocumentId],
) -> anyhow::Result<Vec<Wave>> {
    let timeout = args.common.timeout();
    let count = args.waves.unwrap_or_else(|| ids.len().div_ceil(args.batch));
    let mut waves = Vec::with_capacity(count);
    let pause = Duration::try_from_secs_f64(args.wave_pause_secs)
        .context("--wave-pause-secs must be a non-negative number of seconds")?;
    for w in 0..count {
        if w > 0 {
            tokio::time::sleep(pause).await;
        }
        let started = Instant::now();
        let batch: Vec<DocumentId> = (0..args.batch)
            .map(|i| ids[(w * args.batch + i) % ids.len()])
            .collect();
        let name = format!("memory-wave-{w}");
        let client = holder(target, &args.common, counters, name, timeout).await?;
        let opened = seed::open_all(&client, batch, timeout).await;
        let missing = client.call(|_, h| h.missing.len()).await?;
        client.stop().await;
        waves.push(Wave {
            opened_so_far: (w + 1) * args.batch,
            secs: started.elapsed().as_secs_f64(),
            rss_kib: rss(target),
            missing,
        });
        if let Err(e) = opened {
            tracing::error!("wave {w}: {e:#}; no further waves");
            break;
        }
    }
    Ok(waves)
}

async fn holder(
    target: &Target,
    common: &CommonArgs,
    counters: &Arc<Counters>,
    name: String,
    timeout: Duration,
) -> anyhow::Result<Peer<Holder>> {
    let peer = Peer::start(target.peer(name, common, counters), Holder::default());
    peer.wait_ready(timeout).await?;
    Ok(peer)
}

fn rss(target: &Target) -> Option<u64> {
    target.usage().and_then(|u| u.rss_kib)
}

fn summary(r: &MemoryReport) -> Summary {
    let mut s = Summary::of("memory", r.server, &r.url);
    s.line(
        "documents",
        format!(
            "{} (~{} bytes each), seeded in {:.1} s",
            r.docs, r.doc_bytes, r.seed_secs
        ),
    );
    s.line("RSS after seeding", mib(r.rss_kib_after_seeding));
    s.line("RSS baseline", mib(r.rss_kib_baseline));
    s.line(
        "loaded",
        format!(
            "{} documents held by one client: RSS {}, {} per document",
            r.loaded,
            mib(r.rss_kib_loaded),
            r.bytes_per_loaded_doc
                .map_or_else(|| "n/a".into(), |b| format!("{:.0} bytes", b))
        ),
    );
    let last = r.waves.last();
    let missing: usize = r.waves.iter().map(|w| w.missing).sum();
    if missing > 0 {
        s.line(
            "NOT RECEIVED",
            format!("{missing} documents in the last wave"),
        );
    }
    s.line(
        "waves",
        format!(
            "{} of {} documents, {} opened in all: RSS max {}, after the last {}",
            r.waves.len(),
            r.batch,
            last.map_or(0, |w| w.opened_so_far),
            mib(r.rss_kib_max_in_waves),
            mib(last.and_then(|w| w.rss_kib)),
        ),
    );
    s.line("RSS settled at the end", mib(r.rss_kib_after_waves_settled));
    s
}
