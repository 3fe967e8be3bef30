//! `bench ingest`: every client edits its own documents as fast as the server
//! acknowledges (at most `--in-flight` unacknowledged changes per document); the figure
//! is changes acknowledged per second during the measured window.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use automerge::ChangeHash;
use hdrhistogram::Histogram;
use serde::Serialize;
use tokio::time::Instant;
use wish_client_core::proto::{DocumentId, WireMessage};
use wish_client_core::sync::ClientDriver;

use crate::ack::{self, server_heads, AckMode};
use crate::args::IngestArgs;
use crate::counter;
use crate::counters::{Counters, Traffic};
use crate::peer::{Behaviour, Peer};
use crate::report::{self, emit, traffic_lines, unix_time, usage_lines, Latency, Summary};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;
use crate::volunteers::{self, Volunteer};

/// What a writer writes: the counter document, or wishes as an enrolled volunteer.
#[derive(Clone)]
enum Content {
    Counter,
    Wishes(Volunteer),
}

impl Content {
    fn create(&self, driver: &mut ClientDriver) -> anyhow::Result<(DocumentId, ChangeHash)> {
        match self {
            Content::Counter => counter::create(driver),
            Content::Wishes(volunteer) => volunteers::collect(driver, volunteer, unix_ms()),
        }
    }

    fn change(
        &self,
        driver: &mut ClientDriver,
        id: DocumentId,
        n: u64,
    ) -> anyhow::Result<ChangeHash> {
        match self {
            Content::Counter => counter::set(driver, id, n),
            Content::Wishes(_) => volunteers::correct_title(driver, id, n),
        }
    }
}

fn unix_ms() -> u64 {
    wish_client_core::native::now_ms()
}

/// One document a client writes, and its changes the server has not acknowledged.
struct DocTrack {
    id: DocumentId,
    /// Changes made (the creation is change 0).
    made: u64,
    /// Changes acknowledged: every change below this number.
    acked: u64,
    /// Unacknowledged changes: (number, hash, when made).
    pending: VecDeque<(u64, ChangeHash, Instant)>,
}

impl DocTrack {
    fn created(id: DocumentId, hash: ChangeHash, at: Instant) -> Self {
        Self {
            id,
            made: 1,
            acked: 0,
            pending: VecDeque::from([(0, hash, at)]),
        }
    }

    /// The number of the newest change in `heads`, if any is pending.
    fn newest_in(&self, heads: &[ChangeHash]) -> Option<u64> {
        self.pending
            .iter()
            .rev()
            .find(|(_, hash, _)| heads.contains(hash))
            .map(|(n, _, _)| *n)
    }
}

/// The measured window, set when the run starts.
#[derive(Clone, Copy)]
struct Window {
    start: Instant,
    end: Instant,
}

impl Window {
    fn contains(&self, at: Instant) -> bool {
        self.start <= at && at <= self.end
    }
}

/// A writing client.
struct Writer {
    content: Content,
    mode: AckMode,
    in_flight: u64,
    docs: Vec<DocTrack>,
    window: Option<Window>,
    made_in_window: u64,
    acked_in_window: u64,
    /// Latency from a change until its acknowledgement, for changes made in the window.
    histogram: Histogram<u64>,
    errors: u64,
}

impl Behaviour for Writer {
    fn on_message(&mut self, message: &WireMessage, at: Instant) {
        if let Some((doc, heads)) = server_heads(message, self.mode) {
            self.acknowledge(doc, &heads, at);
        }
    }

    fn poll(&mut self, driver: &mut ClientDriver) {
        let Some(window) = self.window else {
            return;
        };
        let now = Instant::now();
        if now > window.end {
            return;
        }
        for index in 0..self.docs.len() {
            while self.docs[index].made - self.docs[index].acked < self.in_flight {
                if !self.make_change(driver, index, now) {
                    break;
                }
            }
        }
    }
}

impl Writer {
    fn acknowledge(&mut self, doc: DocumentId, heads: &[ChangeHash], at: Instant) {
        let Some(track) = self.docs.iter_mut().find(|t| t.id == doc) else {
            return;
        };
        let Some(newest) = track.newest_in(heads) else {
            return;
        };
        while let Some((n, _, made_at)) = track.pending.front().copied() {
            if n > newest {
                break;
            }
            track.pending.pop_front();
            if let Some(window) = self.window.filter(|w| w.contains(made_at)) {
                report::record(&mut self.histogram, at - made_at);
                if window.contains(at) {
                    self.acked_in_window += 1;
                }
            }
        }
        track.acked = newest + 1;
    }

    /// Makes the next change of document `index`; false if it failed.
    fn make_change(&mut self, driver: &mut ClientDriver, index: usize, now: Instant) -> bool {
        let track = &mut self.docs[index];
        match self.content.change(driver, track.id, track.made) {
            Ok(hash) => {
                track.pending.push_back((track.made, hash, now));
                track.made += 1;
                self.made_in_window += 1;
                true
            }
            Err(e) => {
                self.errors += 1;
                tracing::error!(doc = %track.id, error = %e, "local change failed");
                false
            }
        }
    }

    fn all_acked(&self) -> bool {
        self.docs.iter().all(|t| t.pending.is_empty())
    }
}

#[derive(Serialize)]
struct IngestReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    unix_time: u64,
    clients: usize,
    docs_per_client: usize,
    in_flight: u64,
    ack: AckMode,
    ack_meaning: &'static str,
    client_storage_ids: bool,
    /// Written as enrolled volunteers (every change reviewed by the write rules).
    as_volunteers: bool,
    duration_secs: f64,
    changes_per_sec: f64,
    acked_changes: u64,
    made_changes: u64,
    ack_latency: Latency,
    docs_converged: usize,
    docs: usize,
    converged: bool,
    local_errors: u64,
    traffic: Option<Traffic>,
    server_usage: Option<ServerUsage>,
}

pub async fn run(args: IngestArgs) -> anyhow::Result<()> {
    if args.clients == 0 || args.docs_per_client == 0 || args.duration_secs == 0 {
        bail!("--clients, --docs-per-client and --duration-secs must be at least 1");
    }
    if args.in_flight == 0 {
        bail!("--in-flight must be at least 1");
    }
    let writers = enroll_writers(&args)?;
    let target = Target::open(&args.common).await?;
    let counters = Arc::new(Counters::default());
    let outcome = measure(&args, &target, &counters, writers).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    report.traffic = Some(counters.snapshot());
    emit(args.common.json, &summary(&report), &report)?;
    if !report.converged {
        bail!("not every document converged on the server");
    }
    Ok(())
}

/// What each writer writes; with `--as-volunteers`, enrolls their devices first.
fn enroll_writers(args: &IngestArgs) -> anyhow::Result<Vec<Content>> {
    if !args.as_volunteers {
        return Ok(vec![Content::Counter; args.clients]);
    }
    let Some(dir) = &args.common.target.spawn_ours else {
        bail!("--as-volunteers needs --spawn-ours (devices are enrolled in its data directory)");
    };
    std::fs::create_dir_all(dir)?;
    let enrolled = volunteers::enroll(dir, args.clients, unix_ms())?;
    Ok(enrolled.into_iter().map(Content::Wishes).collect())
}

async fn measure(
    args: &IngestArgs,
    target: &Target,
    counters: &Arc<Counters>,
    contents: Vec<Content>,
) -> anyhow::Result<IngestReport> {
    let timeout = args.common.timeout();
    let mode = match args.ack {
        Some(mode) => mode,
        None => {
            let peer = target.peer("bench".into(), &args.common, counters);
            ack::probe(peer, timeout, target.kind == ServerKind::Ours).await?
        }
    };
    tracing::info!(?mode, "acknowledgements: {}", mode.describe());
    let writers = start_writers(args, target, counters, mode, contents).await?;

    let window = Window {
        start: Instant::now(),
        end: Instant::now() + Duration::from_secs(args.duration_secs),
    };
    for writer in &writers {
        writer.call(move |_, w| w.window = Some(window)).await?;
    }
    tokio::time::sleep_until(window.end).await;
    tracing::info!("window over; waiting for the last acknowledgements");
    for writer in &writers {
        writer
            .wait_until("the last acknowledgements", timeout, |_, w| w.all_acked())
            .await?;
    }

    let totals = collect(&writers).await?;
    for writer in writers {
        writer.stop().await;
    }
    let duration = window.end.duration_since(window.start).as_secs_f64();
    let docs = totals.expected.len();
    let converged = verify(target, args, counters, totals.expected).await?;
    Ok(IngestReport {
        workload: "ingest",
        server: target.kind,
        url: target.display_url(),
        unix_time: unix_time(),
        clients: args.clients,
        docs_per_client: args.docs_per_client,
        in_flight: args.in_flight,
        ack: mode,
        ack_meaning: mode.describe(),
        client_storage_ids: !args.common.ephemeral_clients,
        as_volunteers: args.as_volunteers,
        duration_secs: duration,
        changes_per_sec: totals.acked as f64 / duration,
        acked_changes: totals.acked,
        made_changes: totals.made,
        ack_latency: Latency::of(&totals.histogram),
        docs_converged: converged,
        docs,
        converged: converged == docs,
        local_errors: totals.errors,
        traffic: None,
        server_usage: None,
    })
}

/// Connects the writers; each creates its documents and waits until the server has them.
async fn start_writers(
    args: &IngestArgs,
    target: &Target,
    counters: &Arc<Counters>,
    mode: AckMode,
    contents: Vec<Content>,
) -> anyhow::Result<Vec<Peer<Writer>>> {
    let timeout = args.common.timeout();
    let mut writers = Vec::with_capacity(args.clients);
    for (index, content) in contents.into_iter().enumerate() {
        let mut config = target.peer(format!("bench-ingest-{index}"), &args.common, counters);
        if let Content::Wishes(volunteer) = &content {
            config.url = volunteers::url_for(&target.url, volunteer);
        }
        let writer = Writer {
            content,
            mode,
            in_flight: args.in_flight,
            docs: Vec::new(),
            window: None,
            made_in_window: 0,
            acked_in_window: 0,
            histogram: report::histogram()?,
            errors: 0,
        };
        writers.push(Peer::start(config, writer));
    }
    let docs = args.docs_per_client;
    for writer in &writers {
        writer.wait_ready(timeout).await?;
        writer
            .call(move |driver, w| create_docs(driver, w, docs))
            .await??;
    }
    for writer in &writers {
        writer
            .wait_until("the server to hold the new documents", timeout, |_, w| {
                w.all_acked()
            })
            .await?;
    }
    Ok(writers)
}

fn create_docs(driver: &mut ClientDriver, writer: &mut Writer, count: usize) -> anyhow::Result<()> {
    for _ in 0..count {
        let (id, hash) = writer.content.create(driver)?;
        writer
            .docs
            .push(DocTrack::created(id, hash, Instant::now()));
    }
    Ok(())
}

struct Totals {
    acked: u64,
    made: u64,
    errors: u64,
    histogram: Histogram<u64>,
    /// Every document and the heads its writer ended with.
    expected: HashMap<DocumentId, Vec<ChangeHash>>,
}

async fn collect(writers: &[Peer<Writer>]) -> anyhow::Result<Totals> {
    let mut totals = Totals {
        acked: 0,
        made: 0,
        errors: 0,
        histogram: report::histogram()?,
        expected: HashMap::new(),
    };
    for writer in writers {
        let (acked, made, errors, histogram, heads) = writer
            .call(|driver, w| {
                let heads: Vec<_> = w
                    .docs
                    .iter()
                    .map(|t| (t.id, counter::heads(driver, &t.id)))
                    .collect();
                let h = w.histogram.clone();
                (w.acked_in_window, w.made_in_window, w.errors, h, heads)
            })
            .await?;
        totals.acked += acked;
        totals.made += made;
        totals.errors += errors;
        totals.histogram.add(&histogram)?;
        totals.expected.extend(heads);
    }
    Ok(totals)
}

/// Opens every document from a fresh client; counts those whose heads match the writer's.
async fn verify(
    target: &Target,
    args: &IngestArgs,
    counters: &Arc<Counters>,
    expected: HashMap<DocumentId, Vec<ChangeHash>>,
) -> anyhow::Result<usize> {
    let timeout = args.common.timeout();
    let checker = Peer::start(
        target.peer("bench-verifier".into(), &args.common, counters),
        (),
    );
    checker.wait_ready(timeout).await?;
    let ids: Vec<DocumentId> = expected.keys().copied().collect();
    checker
        .call(move |driver, _| ids.into_iter().for_each(|id| driver.open_document(id)))
        .await?;
    let expected = Arc::new(expected);
    let all = expected.clone();
    let waited = checker
        .wait_until("every document on a fresh client", timeout, move |d, _| {
            all.iter().all(|(id, heads)| ack::holds(d, id, heads))
        })
        .await;
    if let Err(e) = waited {
        tracing::error!("convergence check: {e:#}");
    }
    let converged = checker
        .call(move |d, _| {
            expected
                .iter()
                .filter(|(id, heads)| ack::holds(d, id, heads))
                .count()
        })
        .await?;
    checker.stop().await;
    Ok(converged)
}

fn summary(report: &IngestReport) -> Summary {
    let mut s = Summary::default();
    s.line("workload", "ingest (each client edits its own documents)");
    s.line("server", format!("{:?} at {}", report.server, report.url));
    s.line(
        "clients x docs",
        format!(
            "{} x {} ({} in flight per document)",
            report.clients, report.docs_per_client, report.in_flight
        ),
    );
    s.line("client storage ids", report.client_storage_ids);
    let writes = if report.as_volunteers {
        "wishes, as enrolled volunteers (write rules on)"
    } else {
        "counter documents, administrator token (not reviewed)"
    };
    s.line("writes", writes);
    s.line("acknowledgement", report.ack_meaning);
    s.line(
        "throughput",
        format!(
            "{:.1} changes/s ({} acknowledged in {:.1} s, {} made)",
            report.changes_per_sec, report.acked_changes, report.duration_secs, report.made_changes
        ),
    );
    s.line("ack latency", report.ack_latency.line());
    s.line(
        "converged",
        format!(
            "{}/{} documents match on a fresh client",
            report.docs_converged, report.docs
        ),
    );
    s.line("local errors", report.local_errors);
    traffic_lines(&mut s, report.traffic.as_ref());
    usage_lines(&mut s, report.server_usage.as_ref());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acknowledgement_covers_every_earlier_change() {
        let at = Instant::now();
        let hashes: Vec<ChangeHash> = (1..=3u8).map(|i| ChangeHash([i; 32])).collect();
        let doc = DocumentId::from_bytes([7; 16]);
        let mut writer = Writer {
            content: Content::Counter,
            mode: AckMode::SyncHeads,
            in_flight: 3,
            docs: vec![DocTrack::created(doc, hashes[0], at)],
            window: Some(Window {
                start: at,
                end: at + Duration::from_secs(60),
            }),
            made_in_window: 0,
            acked_in_window: 0,
            histogram: report::histogram().unwrap(),
            errors: 0,
        };
        let track = &mut writer.docs[0];
        track.pending.push_back((1, hashes[1], at));
        track.pending.push_back((2, hashes[2], at));
        track.made = 3;
        writer.acknowledge(doc, &[ChangeHash([9; 32])], at);
        assert_eq!(writer.docs[0].acked, 0, "unknown heads acknowledge nothing");
        writer.acknowledge(doc, &[hashes[1]], at);
        assert_eq!(writer.docs[0].acked, 2);
        assert_eq!(writer.acked_in_window, 2);
        assert_eq!(writer.docs[0].pending.len(), 1);
    }
}
