//! `bench relay`: one writer, N readers following one document; latency from the
//! writer's local change until each reader has applied it.
//!
//! Pacing: in lockstep (default) change k+1 is made once every reader has applied change
//! k, so each sample is one change crossing an otherwise idle server. With `--rate R`
//! changes are made every 1/R s whether or not readers kept up (if the writer falls
//! behind, the next change waits a full interval).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{bail, Context};
use automerge::ChangeHash;
use hdrhistogram::Histogram;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientEvent};

use super::ack::{self, ServerHeads};
use super::args::RelayArgs;
use super::counter;
use super::counters::{Counters, Traffic};
use super::peer::{Behaviour, Peer};
use super::report::{self, emit, traffic_lines, unix_time, usage_lines, Latency, Summary};
use super::spawn::{ServerKind, ServerUsage};
use super::target::Target;

/// When the writer made each change, by change number (index 0 is the creation).
type SentTimes = Arc<Vec<OnceLock<Instant>>>;

/// A reader: records, inside its task, the latency of every change it applies.
struct Reader {
    index: usize,
    doc: DocumentId,
    warmup: u64,
    sent: SentTimes,
    /// The last counter value applied.
    seen: u64,
    histogram: Histogram<u64>,
    /// Applied values with no recorded send time (a bug or a misbehaving server).
    unmatched: u64,
    progress: mpsc::UnboundedSender<(usize, u64)>,
}

impl Behaviour for Reader {
    fn on_event(&mut self, driver: &ClientDriver, event: &ClientEvent, at: Instant) {
        let ClientEvent::DocChanged(doc) = event else {
            return;
        };
        if *doc != self.doc {
            return;
        }
        let Some(value) = driver.document(doc).and_then(counter::read) else {
            return;
        };
        if value <= self.seen {
            return;
        }
        self.record_up_to(value, at);
        self.seen = value;
        let _ = self.progress.send((self.index, value));
    }
}

impl Reader {
    /// Records every change from `seen + 1` to `value` as arrived at `at`.
    fn record_up_to(&mut self, value: u64, at: Instant) {
        let last = self.sent.len() as u64 - 1;
        if value > last {
            self.unmatched += 1;
        }
        for k in self.seen + 1..=value.min(last) {
            let sent = usize::try_from(k).ok().and_then(|i| self.sent[i].get());
            match sent {
                Some(sent) if k > self.warmup => report::record(&mut self.histogram, at - *sent),
                Some(_) => {}
                None => self.unmatched += 1,
            }
        }
    }
}

#[derive(Serialize)]
struct RelayReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    unix_time: u64,
    readers: usize,
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
    if args.clients == 0 || args.changes == 0 {
        bail!("--clients and --changes must be at least 1");
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
    let total = args.warmup + args.changes;
    let sent: SentTimes = Arc::new((0..=total).map(|_| OnceLock::new()).collect());

    let writer = Peer::start(
        target.peer("bench-writer".into(), &args.common, counters),
        ServerHeads::default(),
    );
    writer.wait_ready(timeout).await?;
    let (doc, created) = writer.call(|driver, _| counter::create(driver)).await??;
    let heads = vec![created];
    writer
        .wait_until("the server to hold the document", timeout, move |_, s| {
            s.has(&doc, &heads)
        })
        .await?;

    let (progress_tx, mut progress) = mpsc::unbounded_channel();
    let readers = start_readers(args, target, counters, doc, &sent, &progress_tx).await?;
    tracing::info!(readers = readers.len(), %doc, "readers follow the document; measuring");

    let started = Instant::now();
    let mut levels = vec![0u64; readers.len()];
    match args.rate {
        None => lockstep(&writer, doc, &sent, &mut progress, &mut levels, timeout).await?,
        Some(rate) => fixed_rate(&writer, doc, &sent, rate, &mut progress, &mut levels).await?,
    }
    wait_all(&mut progress, &mut levels, total, timeout).await?;
    let measured_secs = started.elapsed().as_secs_f64();

    let final_heads = writer.call(move |d, _| counter::heads(d, &doc)).await?;
    let (histogram, converged, unmatched) = collect(&readers, doc, final_heads).await?;
    for reader in readers {
        reader.stop().await;
    }
    writer.stop().await;

    Ok(RelayReport {
        workload: "relay",
        server: target.kind,
        url: target.display_url(),
        unix_time: unix_time(),
        readers: levels.len(),
        changes: args.changes,
        warmup: args.warmup,
        pacing: args
            .rate
            .map_or_else(|| "lockstep".into(), |rate| format!("fixed rate {rate}/s")),
        client_storage_ids: !args.common.ephemeral_clients,
        latency: Latency::of(&histogram),
        readers_converged: converged,
        converged: converged == levels.len(),
        unmatched_changes: unmatched,
        traffic: None,
        measured_secs,
        server_usage: None,
    })
}

/// Connects every reader, opens the document on each and waits until each has it.
async fn start_readers(
    args: &RelayArgs,
    target: &Target,
    counters: &Arc<Counters>,
    doc: DocumentId,
    sent: &SentTimes,
    progress: &mpsc::UnboundedSender<(usize, u64)>,
) -> anyhow::Result<Vec<Peer<Reader>>> {
    let timeout = args.common.timeout();
    let mut readers = Vec::with_capacity(args.clients);
    for index in 0..args.clients {
        let reader = Reader {
            index,
            doc,
            warmup: args.warmup,
            sent: sent.clone(),
            seen: 0,
            histogram: report::histogram()?,
            unmatched: 0,
            progress: progress.clone(),
        };
        let config = target.peer(format!("bench-reader-{index}"), &args.common, counters);
        readers.push(Peer::start(config, reader));
    }
    for reader in &readers {
        reader.wait_ready(timeout).await?;
    }
    for reader in &readers {
        reader
            .call(move |driver, _| driver.open_document(doc))
            .await?;
    }
    for reader in &readers {
        reader
            .wait_until("the document", timeout, move |driver, _| {
                driver.document(&doc).and_then(counter::read).is_some()
            })
            .await?;
    }
    Ok(readers)
}

/// Makes change k with the time recorded in the writer's task, just before the change.
async fn make_change(
    writer: &Peer<ServerHeads>,
    doc: DocumentId,
    sent: &SentTimes,
    k: u64,
) -> anyhow::Result<()> {
    let sent = sent.clone();
    writer
        .call(move |driver, _| {
            let index = usize::try_from(k)?;
            let slot = sent.get(index).context("change number out of range")?;
            let _ = slot.set(Instant::now());
            counter::set(driver, doc, k)
        })
        .await??;
    Ok(())
}

async fn lockstep(
    writer: &Peer<ServerHeads>,
    doc: DocumentId,
    sent: &SentTimes,
    progress: &mut mpsc::UnboundedReceiver<(usize, u64)>,
    levels: &mut [u64],
    timeout: Duration,
) -> anyhow::Result<()> {
    for k in 1..sent.len() as u64 {
        make_change(writer, doc, sent, k).await?;
        wait_all(progress, levels, k, timeout).await?;
    }
    Ok(())
}

async fn fixed_rate(
    writer: &Peer<ServerHeads>,
    doc: DocumentId,
    sent: &SentTimes,
    rate: f64,
    progress: &mut mpsc::UnboundedReceiver<(usize, u64)>,
    levels: &mut [u64],
) -> anyhow::Result<()> {
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    for k in 1..sent.len() as u64 {
        ticks.tick().await;
        make_change(writer, doc, sent, k).await?;
        // Progress is only needed at the end; keep the channel short meanwhile.
        while let Ok((index, value)) = progress.try_recv() {
            if let Some(level) = levels.get_mut(index) {
                *level = (*level).max(value);
            }
        }
    }
    Ok(())
}

/// Waits until every reader reported applying change `k` (or a later one).
async fn wait_all(
    progress: &mut mpsc::UnboundedReceiver<(usize, u64)>,
    levels: &mut [u64],
    k: u64,
    timeout: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut behind = levels.iter().filter(|level| **level < k).count();
    while behind > 0 {
        let received = tokio::time::timeout_at(deadline, progress.recv()).await;
        let Ok(Some((index, value))) = received else {
            bail!("{behind} readers did not receive change {k} within {timeout:?}");
        };
        if let Some(level) = levels.get_mut(index) {
            if *level < k && value >= k {
                behind -= 1;
            }
            *level = (*level).max(value);
        }
    }
    Ok(())
}

/// Merges the readers' histograms; counts readers whose heads equal the writer's.
async fn collect(
    readers: &[Peer<Reader>],
    doc: DocumentId,
    final_heads: Vec<ChangeHash>,
) -> anyhow::Result<(Histogram<u64>, usize, u64)> {
    let mut merged = report::histogram()?;
    let mut converged = 0;
    let mut unmatched = 0;
    for reader in readers {
        let expected = final_heads.clone();
        let (histogram, holds, missing) = reader
            .call(move |driver, r| {
                let holds = ack::holds(driver, &doc, &expected);
                (r.histogram.clone(), holds, r.unmatched)
            })
            .await?;
        merged.add(&histogram)?;
        converged += usize::from(holds);
        unmatched += missing;
    }
    Ok((merged, converged, unmatched))
}

fn summary(report: &RelayReport) -> Summary {
    let mut s = Summary::default();
    s.line("workload", "relay (1 writer, N readers, 1 document)");
    s.line("server", format!("{:?} at {}", report.server, report.url));
    s.line("readers", report.readers);
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
