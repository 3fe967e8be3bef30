//! `bench soak`: many clients for a long time, with churn. Each client follows one of D
//! documents (like a station's tablets) and edits its own key every few seconds; now
//! and then a client drops offline, edits there, and comes back. The server's memory is
//! sampled throughout. At the end every client must hold every edit of its document,
//! and after a restart of the server a fresh client must find every edit there too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use clap::Args;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientInput};

use crate::args::CommonArgs;
use crate::counters::{Counters, Traffic};
use crate::peer::{now_ms, Peer};
use crate::reconnect_storm::{create_held, edit, holds, tablet_key};
use crate::report::{emit, mib, unix_time, Summary};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;

#[derive(Args, Debug, Clone)]
pub struct SoakArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Connected clients.
    #[arg(long, default_value_t = 1000)]
    pub clients: usize,
    /// Documents; client i follows document i mod D.
    #[arg(long, default_value_t = 100)]
    pub docs: usize,
    /// How long the clients edit and churn.
    #[arg(long, default_value_t = 600)]
    pub duration_secs: u64,
    /// Mean seconds between two edits of one client.
    #[arg(long, default_value_t = 10.0)]
    pub edit_every_secs: f64,
    /// Clients going offline per second, over all clients.
    #[arg(long, default_value_t = 5.0)]
    pub churn_per_sec: f64,
    /// Longest offline spell, seconds (each lasts 1 s to this).
    #[arg(long, default_value_t = 10)]
    pub max_offline_secs: u64,
    /// Seconds between two memory samples of the server.
    #[arg(long, default_value_t = 10)]
    pub sample_secs: u64,
}

#[derive(Serialize)]
struct Sample {
    at_secs: f64,
    rss_kib: Option<u64>,
    cpu_secs: Option<f64>,
}

#[derive(Serialize)]
struct SoakReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    unix_time: u64,
    clients: usize,
    docs: usize,
    duration_secs: u64,
    edits: u64,
    offline_spells: u64,
    samples: Vec<Sample>,
    /// Mean RSS over the first and the last fifth of the run, KiB.
    rss_kib_first_fifth: Option<u64>,
    rss_kib_last_fifth: Option<u64>,
    rss_kib_max: Option<u64>,
    /// From the end of the churn until every client held every edit of its document (or
    /// the timeout, when some never did).
    converge_secs: f64,
    /// Clients that held every edit of their document within the timeout.
    clients_converged: usize,
    /// Documents a fresh client found complete after the server restarted.
    verified_after_restart: Option<usize>,
    /// The soaked server's memory and CPU, read just before the restart.
    soaked_server: Option<ServerUsage>,
    traffic: Traffic,
    /// The restarted server's usage (after the verification).
    server_usage: Option<ServerUsage>,
}

/// Edits made by each client, shared with the client tasks.
type EditCounts = Arc<Vec<AtomicU64>>;

pub async fn run(args: SoakArgs) -> anyhow::Result<()> {
    validate(&args)?;
    let mut target = Target::open(&args.common).await?;
    let outcome = measure(&args, &mut target).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    let complete = report.verified_after_restart.is_none_or(|n| n == args.docs);
    emit(args.common.json, &summary(&report), &report)?;
    if report.clients_converged < args.clients {
        bail!("some clients never held every edit of their document");
    }
    if !complete {
        bail!("edits were missing after the server restarted");
    }
    Ok(())
}

fn validate(args: &SoakArgs) -> anyhow::Result<()> {
    if args.clients == 0 || args.docs == 0 || args.docs > args.clients {
        bail!("--clients and --docs must be at least 1, and --docs at most --clients");
    }
    let rates = [args.edit_every_secs, args.churn_per_sec];
    if rates.iter().any(|r| !r.is_finite() || *r < 0.0) || args.edit_every_secs < 0.1 {
        bail!("--edit-every-secs must be at least 0.1 and --churn-per-sec not negative");
    }
    if args.max_offline_secs == 0 || args.sample_secs == 0 {
        bail!("--max-offline-secs and --sample-secs must be at least 1");
    }
    Ok(())
}

async fn measure(args: &SoakArgs, target: &mut Target) -> anyhow::Result<SoakReport> {
    let timeout = args.common.timeout();
    let counters = Arc::new(Counters::default());
    let docs = create_docs(args, target, &counters).await?;
    let clients = connect_clients(args, target, &counters, &docs).await?;
    tracing::info!(clients = clients.len(), docs = docs.len(), "soaking");

    let edits: EditCounts = Arc::new((0..args.clients).map(|_| AtomicU64::new(0)).collect());
    let spells = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.duration_secs);
    let sampler = sample_until(target, deadline, Duration::from_secs(args.sample_secs));
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, peer)| {
            let life = Life::new(args, i, docs[i % docs.len()], &edits, &spells, deadline);
            tokio::spawn(life.run(peer))
        })
        .collect();
    let samples = sampler.await;
    let mut clients = Vec::with_capacity(tasks.len());
    for task in tasks {
        clients.push(task.await??);
    }

    let expected = expected(args, &docs, &edits);
    // One deadline for all: a server that cannot catch up is reported, not waited on
    // client by client.
    let settle = Instant::now();
    let deadline = settle + timeout;
    let mut clients_converged = 0;
    for (i, peer) in clients.iter().enumerate() {
        let (doc, want) = (docs[i % docs.len()], expected[i % docs.len()].clone());
        let left = deadline.saturating_duration_since(Instant::now());
        let held = peer
            .wait_until("every edit of its document", left, move |d, _| {
                holds(d, &doc, &want)
            })
            .await;
        match held {
            Ok(()) => clients_converged += 1,
            Err(e) => tracing::warn!("client {i}: {e:#}"),
        }
    }
    let converge_secs = settle.elapsed().as_secs_f64();
    for peer in clients {
        peer.stop().await;
    }
    let traffic = counters.snapshot();
    let soaked_server = target.usage();
    let verified_after_restart = verify_after_restart(args, target, &docs, &expected).await?;
    let mut report = report(
        args,
        target,
        samples,
        &edits,
        &spells,
        converge_secs,
        verified_after_restart,
        traffic,
    );
    report.soaked_server = soaked_server;
    report.clients_converged = clients_converged;
    Ok(report)
}

/// One setup client creates the documents and waits until the server holds them.
async fn create_docs(
    args: &SoakArgs,
    target: &Target,
    counters: &Arc<Counters>,
) -> anyhow::Result<Vec<DocumentId>> {
    let timeout = args.common.timeout();
    let setup = Peer::start(
        target.peer("soak-setup".into(), &args.common, counters),
        crate::ack::ServerHeads::default(),
    );
    setup.wait_ready(timeout).await?;
    let docs = create_held(&setup, args.docs, timeout).await?;
    setup.stop().await;
    Ok(docs)
}

/// Connects every client and waits until each holds its document.
async fn connect_clients(
    args: &SoakArgs,
    target: &Target,
    counters: &Arc<Counters>,
    docs: &[DocumentId],
) -> anyhow::Result<Vec<Peer<()>>> {
    let timeout = args.common.timeout();
    let clients: Vec<Peer<()>> = (0..args.clients)
        .map(|i| Peer::start(target.peer(format!("soak-{i}"), &args.common, counters), ()))
        .collect();
    for (i, peer) in clients.iter().enumerate() {
        let doc = docs[i % docs.len()];
        peer.wait_ready(timeout).await?;
        peer.call(move |driver, _| driver.open_document(doc))
            .await?;
    }
    for (i, peer) in clients.iter().enumerate() {
        let doc = docs[i % docs.len()];
        let want = vec![("created".to_owned(), 1)];
        peer.wait_until("its document", timeout, move |d, _| holds(d, &doc, &want))
            .await?;
    }
    Ok(clients)
}

/// The schedule of one client: edit every few seconds; sometimes go offline, edit
/// there, and come back.
struct Life {
    index: usize,
    doc: DocumentId,
    edits: EditCounts,
    spells: Arc<AtomicU64>,
    deadline: Instant,
    rng: StdRng,
    edit_every: f64,
    /// Chance of an offline spell after each edit.
    churn_chance: f64,
    max_offline: f64,
}

impl Life {
    fn new(
        args: &SoakArgs,
        index: usize,
        doc: DocumentId,
        edits: &EditCounts,
        spells: &Arc<AtomicU64>,
        deadline: Instant,
    ) -> Self {
        // Each client has about one edit per `edit_every`; spells spread over all clients.
        let churn_chance = args.churn_per_sec * args.edit_every_secs / args.clients as f64;
        Self {
            index,
            doc,
            edits: edits.clone(),
            spells: spells.clone(),
            deadline,
            rng: StdRng::seed_from_u64(index as u64),
            edit_every: args.edit_every_secs,
            churn_chance: churn_chance.min(1.0),
            max_offline: args.max_offline_secs as f64,
        }
    }

    async fn run(mut self, peer: Peer<()>) -> anyhow::Result<Peer<()>> {
        loop {
            let pause = self.rng.random_range(0.5..1.5) * self.edit_every;
            tokio::time::sleep(Duration::from_secs_f64(pause)).await;
            if Instant::now() >= self.deadline {
                return Ok(peer);
            }
            self.edit(&peer).await?;
            if self.rng.random_bool(self.churn_chance) {
                self.offline_spell(&peer).await?;
            }
        }
    }

    async fn edit(&self, peer: &Peer<()>) -> anyhow::Result<()> {
        let value = self.edits[self.index].fetch_add(1, Ordering::Relaxed) + 1;
        let (doc, key) = (self.doc, tablet_key(self.index));
        let value = i64::try_from(value)?;
        peer.call(move |driver, _| edit(driver, doc, &key, value))
            .await?
    }

    /// Offline for 1 s to `max_offline`, with one edit made while offline.
    async fn offline_spell(&mut self, peer: &Peer<()>) -> anyhow::Result<()> {
        self.spells.fetch_add(1, Ordering::Relaxed);
        peer.call(|driver, _| requeue_input(driver, ClientInput::GoOffline))
            .await?;
        let half = Duration::from_secs_f64(self.rng.random_range(1.0..=self.max_offline) / 2.0);
        tokio::time::sleep(half).await;
        self.edit(peer).await?;
        tokio::time::sleep(half).await;
        peer.call(|driver, _| requeue_input(driver, ClientInput::Start))
            .await
    }
}

fn requeue_input(driver: &mut ClientDriver, input: ClientInput) {
    let effects = driver.handle(now_ms(), input);
    driver.requeue(effects);
}

/// Samples the server's memory and CPU until the deadline.
async fn sample_until(target: &Target, deadline: Instant, every: Duration) -> Vec<Sample> {
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut ticks = tokio::time::interval(every);
    while Instant::now() < deadline {
        ticks.tick().await;
        let usage = target.usage();
        samples.push(Sample {
            at_secs: started.elapsed().as_secs_f64(),
            rss_kib: usage.as_ref().and_then(|u| u.rss_kib),
            cpu_secs: usage.and_then(|u| u.cpu_secs),
        });
    }
    samples
}

/// For each document, `(key, edits)` of every client that edited it.
fn expected(args: &SoakArgs, docs: &[DocumentId], edits: &EditCounts) -> Vec<Vec<(String, i64)>> {
    let mut expected = vec![vec![("created".to_owned(), 1)]; docs.len()];
    for i in 0..args.clients {
        let made = edits[i].load(Ordering::Relaxed);
        if made > 0 {
            let value = i64::try_from(made).unwrap_or(i64::MAX);
            expected[i % docs.len()].push((tablet_key(i), value));
        }
    }
    expected
}

/// Restarts a spawned server and has a fresh client read every document.
async fn verify_after_restart(
    args: &SoakArgs,
    target: &mut Target,
    docs: &[DocumentId],
    expected: &[Vec<(String, i64)>],
) -> anyhow::Result<Option<usize>> {
    if target.usage().is_none() {
        return Ok(None);
    }
    target.restart(&args.common).await?;
    let counters = Arc::new(Counters::default());
    let verifier = Peer::start(
        target.peer("soak-verifier".into(), &args.common, &counters),
        (),
    );
    verifier.wait_ready(args.common.timeout()).await?;
    let opened = docs.to_vec();
    verifier
        .call(move |driver, _| opened.iter().for_each(|id| driver.open_document(*id)))
        .await?;
    let (all, want) = (docs.to_vec(), expected.to_vec());
    let complete = move |d: &ClientDriver| {
        all.iter()
            .zip(&want)
            .filter(|(id, w)| holds(d, id, w))
            .count()
    };
    let check = complete.clone();
    let waited = verifier
        .wait_until(
            "every edit after the restart",
            args.common.timeout(),
            move |d, _| check(d) == d.document_ids().count(),
        )
        .await;
    let verified = verifier.call(move |d, _| complete(d)).await?;
    verifier.stop().await;
    if let Err(e) = waited {
        tracing::error!("{e:#}");
    }
    Ok(Some(verified))
}

#[allow(clippy::too_many_arguments)] // one report, assembled once
fn report(
    args: &SoakArgs,
    target: &Target,
    samples: Vec<Sample>,
    edits: &EditCounts,
    spells: &AtomicU64,
    converge_secs: f64,
    verified_after_restart: Option<usize>,
    traffic: Traffic,
) -> SoakReport {
    let fifth = samples.len().div_ceil(5).max(1);
    let mean = |part: &[Sample]| {
        let values: Vec<u64> = part.iter().filter_map(|s| s.rss_kib).collect();
        (!values.is_empty()).then(|| values.iter().sum::<u64>() / values.len() as u64)
    };
    SoakReport {
        workload: "soak",
        server: target.kind,
        url: target.display_url(),
        unix_time: unix_time(),
        clients: args.clients,
        docs: args.docs,
        duration_secs: args.duration_secs,
        edits: edits.iter().map(|e| e.load(Ordering::Relaxed)).sum(),
        offline_spells: spells.load(Ordering::Relaxed),
        rss_kib_first_fifth: mean(&samples[..fifth.min(samples.len())]),
        rss_kib_last_fifth: mean(&samples[samples.len().saturating_sub(fifth)..]),
        rss_kib_max: samples.iter().filter_map(|s| s.rss_kib).max(),
        samples,
        converge_secs,
        clients_converged: 0,
        verified_after_restart,
        soaked_server: None,
        traffic,
        server_usage: None,
    }
}

fn summary(r: &SoakReport) -> Summary {
    let mut s = Summary::of("soak", r.server, &r.url);
    s.line(
        "clients",
        format!(
            "{} on {} documents for {} s",
            r.clients, r.docs, r.duration_secs
        ),
    );
    s.line(
        "activity",
        format!("{} edits, {} offline spells", r.edits, r.offline_spells),
    );
    s.line(
        "server RSS",
        format!(
            "first fifth {}, last fifth {}, max {} ({} samples)",
            mib(r.rss_kib_first_fifth),
            mib(r.rss_kib_last_fifth),
            mib(r.rss_kib_max),
            r.samples.len()
        ),
    );
    s.line(
        "converged",
        format!("{:.2} s after the churn ended", r.converge_secs),
    );
    s.line(
        "after restart",
        r.verified_after_restart.map_or_else(
            || "not checked (server not spawned)".into(),
            |n| format!("{n}/{} documents hold every edit", r.docs),
        ),
    );
    s.line(
        "sockets lost",
        format!(
            "{} (problems {})",
            r.traffic.disconnects, r.traffic.problems
        ),
    );
    s
}
