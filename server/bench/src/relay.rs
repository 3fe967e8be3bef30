//! `bench relay`: writers and readers following documents; latency from a writer's
//! local change until each reader of that document has applied it.
//!
//! With `--docs 1` (default) one writer and N readers share one document: a broadcast,
//! the worst case for a server. With `--docs D` the N readers are shared out over D
//! documents, each with its own writer (N + D connections), like stations whose tablets
//! follow their own station's documents.
//!
//! Pacing: in lockstep (default) a writer makes change k+1 once every reader of its
//! document has applied change k, so each sample is one change crossing the server. With
//! `--rate R` every writer makes R changes per second whether or not readers kept up
//! (writers' phases are spread over the interval; a writer that falls behind waits a full
//! interval for its next change).

mod group;
mod reader;

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use serde::Serialize;

use self::group::{Group, GroupResult, Pacing};
use crate::args::RelayArgs;
use crate::counters::{Counters, Traffic};
use crate::report::{self, emit, traffic_lines, unix_time, usage_lines, Latency, Summary};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;

#[derive(Serialize)]
struct RelayReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    unix_time: u64,
    readers: usize,
    documents: usize,
    changes: u64,
    warmup: u64,
    pacing: String,
    client_storage_ids: bool,
    latency: Latency,
    readers_converged: usize,
    converged: bool,
    unmatched_changes: u64,
    traffic: Option<Traffic>,
    measured_secs: f64,
    server_usage: Option<ServerUsage>,
}

pub async fn run(args: RelayArgs) -> anyhow::Result<()> {
    validate(&args)?;
    let target = Target::open(&args.common).await?;
    let counters = Arc::new(Counters::default());
    let outcome = measure(&args, &target, &counters).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    report.traffic = Some(counters.snapshot());
    emit(args.common.json, &summary(&report), &report)?;
    if !report.converged {
        bail!("not every reader converged to the writer's heads");
    }
    Ok(())
}

fn validate(args: &RelayArgs) -> anyhow::Result<()> {
    if args.clients == 0 || args.changes == 0 || args.docs == 0 {
        bail!("--clients, --docs and --changes must be at least 1");
    }
    if args.docs > args.clients {
        bail!("--docs must not exceed --clients (every document needs a reader)");
    }
    if let Some(rate) = args.rate {
        if !(rate.is_finite() && rate > 0.0 && rate <= 100_000.0) {
            bail!("--rate must be between 0 and 100000 changes per second");
        }
    }
    Ok(())
}

/// Everything of a run that talks to the server.
async fn measure(
    args: &RelayArgs,
    target: &Target,
    counters: &Arc<Counters>,
) -> anyhow::Result<RelayReport> {
    let timeout = args.common.timeout();
    let groups = start_groups(args, target, counters).await?;
    tracing::info!(
        readers = args.clients,
        documents = groups.len(),
        "readers follow their documents; measuring"
    );
    let started = tokio::time::Instant::now();
    let mut running = Vec::with_capacity(groups.len());
    for (g, mut group) in groups.into_iter().enumerate() {
        let pacing = pacing(args, g);
        running.push(tokio::spawn(async move {
            group.run(pacing, timeout).await.map(|()| group)
        }));
    }
    let mut finished = Vec::with_capacity(running.len());
    for task in running {
        finished.push(task.await??);
    }
    let measured_secs = started.elapsed().as_secs_f64();
    let mut results = Vec::with_capacity(finished.len());
    for group in finished {
        results.push(group.finish().await?);
    }
    report_of(args, target, &results, measured_secs)
}

/// Creates every document, then connects each document's readers.
async fn start_groups(
    args: &RelayArgs,
    target: &Target,
    counters: &Arc<Counters>,
) -> anyhow::Result<Vec<Group>> {
    let mut groups = Vec::with_capacity(args.docs);
    for g in 0..args.docs {
        let writer_name = if args.docs == 1 {
            "bench-writer".to_owned()
        } else {
            format!("bench-writer-{g}")
        };
        let created = Group::create(writer_name, args, target, counters).await?;
        let names = (0..args.clients)
            .filter(|i| i % args.docs == g)
            .map(|i| format!("bench-reader-{i}"))
            .collect();
        groups.push(Group::follow(created, names, args, target, counters).await?);
    }
    Ok(groups)
}

/// Group `g`'s pacing; fixed-rate writers start spread over one interval.
fn pacing(args: &RelayArgs, g: usize) -> Pacing {
    match args.rate {
        None => Pacing::Lockstep,
        Some(rate) => {
            let interval = Duration::from_secs_f64(1.0 / rate);
            let phase = interval.mul_f64(g as f64 / args.docs as f64);
            Pacing::Fixed { interval, phase }
        }
    }
}

fn report_of(
    args: &RelayArgs,
    target: &Target,
    results: &[GroupResult],
    measured_secs: f64,
) -> anyhow::Result<RelayReport> {
    let mut histogram = report::histogram()?;
    for result in results {
        histogram.add(&result.histogram)?;
    }
    let readers: usize = results.iter().map(|r| r.readers).sum();
    let converged: usize = results.iter().map(|r| r.converged).sum();
    Ok(RelayReport {
        workload: "relay",
        server: target.kind,
        url: target.display_url(),
        unix_time: unix_time(),
        readers,
        documents: results.len(),
        changes: args.changes,
        warmup: args.warmup,
        pacing: args.rate.map_or_else(
            || "lockstep".into(),
            |rate| format!("fixed rate {rate}/s per writer"),
        ),
        client_storage_ids: !args.common.ephemeral_clients,
        latency: Latency::of(&histogram),
        readers_converged: converged,
        converged: converged == readers,
        unmatched_changes: results.iter().map(|r| r.unmatched).sum(),
        traffic: None,
        measured_secs,
        server_usage: None,
    })
}

fn summary(report: &RelayReport) -> Summary {
    let mut s = Summary::default();
    s.line("workload", "relay (a writer and its readers per document)");
    s.line("server", format!("{:?} at {}", report.server, report.url));
    s.line("readers", report.readers);
    s.line(
        "documents",
        format!("{} (one writer each)", report.documents),
    );
    s.line(
        "changes",
        format!(
            "{} measured after {} warm-up",
            report.changes, report.warmup
        ),
    );
    s.line("pacing", &report.pacing);
    s.line("client storage ids", report.client_storage_ids);
    s.line("latency", report.latency.line());
    s.line(
        "converged",
        format!(
            "{}/{} readers hold the writer's heads",
            report.readers_converged, report.readers
        ),
    );
    s.line("measured for", format!("{:.2} s", report.measured_secs));
    traffic_lines(&mut s, report.traffic.as_ref());
    usage_lines(&mut s, report.server_usage.as_ref());
    s
}
