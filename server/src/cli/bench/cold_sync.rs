//! `bench cold-sync`: seeds the server with N small wish-like documents through the
//! protocol, then times a fresh client (no local storage, like a new tablet) that opens
//! all of them at once until it holds every one.

use std::collections::HashSet;
use std::sync::Arc;

use anyhow::bail;
use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ROOT};
use clap::Args;
use serde::Serialize;
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientEvent};

use super::ack::ServerHeads;
use super::args::CommonArgs;
use super::counter;
use super::counters::{Counters, Traffic};
use super::peer::{Behaviour, Peer};
use super::reconnect_storm::{cpu_secs, server_pid};
use super::report::{emit, Summary};
use super::spawn::{ServerKind, ServerUsage};
use super::target::Target;

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

/// A small document shaped like a wish.
fn wish(driver: &mut ClientDriver, n: usize) -> anyhow::Result<DocumentId> {
    let id = driver.create_document(rand::random())?;
    driver.change(id, |doc| -> Result<(), automerge::AutomergeError> {
        let mut tx = doc.transaction();
        tx.put(ROOT, "type", "wish")?;
        tx.put(ROOT, "title", format!("Wish {n}: a winter coat, size 8"))?;
        tx.put(
            ROOT,
            "description",
            "Warm, waterproof, for walking to school; any colour is fine.",
        )?;
        tx.put(ROOT, "status", "open")?;
        tx.put(ROOT, "community", format!("community-{}", n % 40))?;
        tx.put(ROOT, "station", format!("station-{}", n % 160))?;
        tx.put(ROOT, "claimant", format!("claimant-{}", n % 12_500))?;
        tx.put(ROOT, "quantity", 1_i64)?;
        tx.put(ROOT, "created_ms", 1_790_000_000_000_i64 + n as i64)?;
        let tags = tx.put_object(ROOT, "tags", ObjType::List)?;
        tx.insert(&tags, 0, "clothing")?;
        tx.insert(&tags, 1, "children")?;
        tx.commit();
        Ok(())
    })??;
    Ok(id)
}

/// The fresh client: counts documents as they arrive.
#[derive(Default)]
struct Reader {
    missing: HashSet<DocumentId>,
    unavailable: u64,
}

impl Behaviour for Reader {
    fn on_event(&mut self, driver: &ClientDriver, event: &ClientEvent, _at: Instant) {
        match event {
            ClientEvent::DocChanged(id) if self.missing.contains(id) => {
                let arrived = driver
                    .document(id)
                    .and_then(|d| d.get(ROOT, "title").ok().flatten())
                    .is_some();
                if arrived {
                    self.missing.remove(id);
                }
            }
            ClientEvent::DocUnavailable(_) => self.unavailable += 1,
            _ => {}
        }
    }
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
    let seeders: Vec<Peer<ServerHeads>> = (0..args.seeders)
        .map(|i| {
            let config = target.peer(format!("seed-{i}"), &args.common, counters);
            Peer::start(config, ServerHeads::default())
        })
        .collect();
    for seeder in &seeders {
        seeder.wait_ready(timeout).await?;
    }
    let seed_start = Instant::now();
    let per = args.docs.div_ceil(args.seeders);
    let mut all = Vec::with_capacity(args.docs);
    let mut doc_bytes = 0;
    for (s, seeder) in seeders.iter().enumerate() {
        let range = (s * per)..((s + 1) * per).min(args.docs);
        let (ids, bytes) = seeder
            .call(
                move |driver, _| -> anyhow::Result<(Vec<DocumentId>, usize)> {
                    let ids = range
                        .map(|n| wish(driver, n))
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    let bytes = ids
                        .first()
                        .and_then(|id| driver.document(id))
                        .map_or(0, |d| d.save().len());
                    Ok((ids, bytes))
                },
            )
            .await??;
        doc_bytes = doc_bytes.max(bytes);
        all.extend(ids);
    }
    let seeded = seeders.iter().map(|seeder| {
        seeder.wait_until(
            "the server to hold every seeded document",
            timeout,
            |d, s| d.document_ids().all(|id| s.has(id, &counter::heads(d, id))),
        )
    });
    for result in futures_util::future::join_all(seeded).await {
        result?;
    }
    let seed_secs = seed_start.elapsed().as_secs_f64();
    for seeder in seeders {
        seeder.stop().await;
    }

    let traffic_counters = Arc::new(Counters::default());
    let reader = Peer::start(
        target.peer("cold-reader".into(), &args.common, &traffic_counters),
        Reader::default(),
    );
    reader.wait_ready(timeout).await?;
    let cpu_before = pid.and_then(cpu_secs);
    let start = Instant::now();
    reader
        .call(move |driver, r| {
            r.missing = all.iter().copied().collect();
            for id in all {
                driver.open_document(id);
            }
        })
        .await?;
    reader
        .wait_until("every document", timeout, |_, r| r.missing.is_empty())
        .await?;
    let cold_sync_secs = start.elapsed().as_secs_f64();
    let cpu_after = pid.and_then(cpu_secs);
    let unavailable = reader.call(|_, r| r.unavailable).await?;
    reader.stop().await;
    Ok(ColdSyncReport {
        workload: "cold-sync",
        server: target.kind,
        url: target.display_url(),
        docs: args.docs,
        doc_bytes,
        seed_secs,
        cold_sync_secs,
        docs_per_sec: args.docs as f64 / cold_sync_secs,
        unavailable,
        traffic: traffic_counters.snapshot(),
        server_cpu_cold_sync_secs: cpu_before.zip(cpu_after).map(|(b, a)| a - b),
        server_usage: None,
    })
}
