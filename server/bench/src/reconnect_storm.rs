//! `bench reconnect-storm`: N tablets follow the same D documents, go offline, each makes
//! K edits spread over the documents, and all reconnect at the same moment.
//!
//! Figures: the time from the reconnect until every tablet's documents are saved on the
//! server (every tablet's own edits held there), the time until every tablet holds every
//! other tablet's edits, frames per tablet and document during the storm, and the
//! server's CPU time during the storm (spawned servers only).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use clap::Args;
use serde::Serialize;
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientInput};

use crate::ack::{self, AckMode, ServerHeads};
use crate::args::CommonArgs;
use crate::counter;
use crate::counters::{Counters, Traffic};
use crate::peer::{now_ms, Peer};
use crate::report::{emit, Summary};
use crate::spawn::{ServerKind, ServerUsage};
use crate::target::Target;

#[derive(Args, Debug, Clone)]
pub struct ReconnectStormArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Tablets.
    #[arg(long, default_value_t = 50)]
    pub tablets: usize,
    /// Documents every tablet follows.
    #[arg(long, default_value_t = 20)]
    pub docs: usize,
    /// Offline edits per tablet, spread round-robin over the documents.
    #[arg(long, default_value_t = 20)]
    pub edits: usize,
}

#[derive(Serialize)]
struct StormReport {
    workload: &'static str,
    server: ServerKind,
    url: String,
    tablets: usize,
    docs: usize,
    edits_per_tablet: usize,
    /// How the server acknowledges changes (`remote-heads` is after its commit).
    ack: AckMode,
    /// From the simultaneous reconnect until every tablet's edits are durably on the
    /// server (`is_saved_on_server`; only with `remote-heads` acknowledgements).
    all_saved_secs: Option<f64>,
    /// From the reconnect until every tablet's heads equal the heads the server reported,
    /// in any way, for every document.
    all_in_step_secs: f64,
    /// From the reconnect until every tablet holds every tablet's edits.
    all_converged_secs: f64,
    /// Frames the tablets sent during the storm, per tablet and document.
    frames_out_per_tablet_doc: f64,
    /// Frames the tablets received during the storm, per tablet and document.
    frames_in_per_tablet_doc: f64,
    /// `sync` frames received during the storm, per tablet and document.
    sync_in_per_tablet_doc: f64,
    storm_traffic: Traffic,
    /// Server CPU seconds from the reconnect until convergence (spawned servers).
    server_cpu_storm_secs: Option<f64>,
    server_usage: Option<ServerUsage>,
}

/// Each tablet writes its own key `t{index}` in a document: edits never conflict, and the
/// converged value of every key is known.
pub(crate) fn tablet_key(tablet: usize) -> String {
    format!("t{tablet}")
}

pub(crate) fn edit(
    driver: &mut ClientDriver,
    doc: DocumentId,
    key: &str,
    value: i64,
) -> anyhow::Result<()> {
    driver.change(doc, |d| {
        let mut tx = d.transaction();
        tx.put(ROOT, key, value)?;
        tx.commit();
        Ok::<_, automerge::AutomergeError>(())
    })??;
    Ok(())
}

/// Has `peer` create `count` documents (each with `created = 1`) and waits until the
/// server holds all of them.
pub(crate) async fn create_held(
    peer: &Peer<ServerHeads>,
    count: usize,
    timeout: Duration,
) -> anyhow::Result<Vec<DocumentId>> {
    let docs = peer
        .call(move |driver, _| -> anyhow::Result<Vec<DocumentId>> {
            (0..count)
                .map(|_| {
                    let id = driver.create_document(rand::random())?;
                    edit(driver, id, "created", 1)?;
                    Ok(id)
                })
                .collect()
        })
        .await??;
    let all = docs.clone();
    peer.wait_until("the server to hold the documents", timeout, move |d, s| {
        all.iter().all(|id| s.has(id, &counter::heads(d, id)))
    })
    .await?;
    Ok(docs)
}

/// What every document must hold once converged: `(key, value)` of every tablet that
/// edited it.
fn expected(args: &ReconnectStormArgs) -> Vec<Vec<(String, i64)>> {
    let mut expected = vec![Vec::new(); args.docs];
    for tablet in 0..args.tablets {
        let mut last = vec![None; args.docs];
        for e in 0..args.edits {
            last[(tablet + e) % args.docs] = Some(e as i64 + 1);
        }
        for (d, value) in last.into_iter().enumerate() {
            if let Some(value) = value {
                expected[d].push((tablet_key(tablet), value));
            }
        }
    }
    expected
}

pub(crate) fn holds(driver: &ClientDriver, doc: &DocumentId, want: &[(String, i64)]) -> bool {
    let Some(d) = driver.document(doc) else {
        return false;
    };
    want.iter().all(|(key, value)| {
        d.get(ROOT, key.as_str())
            .ok()
            .flatten()
            .and_then(|(v, _)| v.as_i64())
            == Some(*value)
    })
}

pub async fn run(args: ReconnectStormArgs) -> anyhow::Result<()> {
    if args.tablets == 0 || args.docs == 0 || args.edits == 0 {
        bail!("--tablets, --docs and --edits must be at least 1");
    }
    let target = Target::open(&args.common).await?;
    let server_pid = server_pid(&args.common);
    let counters = Arc::new(Counters::default());
    let outcome = measure(&args, &target, &counters, server_pid).await;
    let usage = target.finish()?;
    let mut report = outcome?;
    report.server_usage = usage;
    let mut s = Summary::default();
    s.line("workload", "reconnect-storm");
    s.line("server", format!("{:?} {}", report.server, report.url));
    s.line(
        "shape",
        format!(
            "{} tablets x {} documents, {} offline edits each",
            report.tablets, report.docs, report.edits_per_tablet
        ),
    );
    if let Some(saved) = report.all_saved_secs {
        s.line("all saved (durable)", format!("{saved:.3} s"));
    }
    s.line("all in step", format!("{:.3} s", report.all_in_step_secs));
    s.line(
        "all converged",
        format!("{:.3} s", report.all_converged_secs),
    );
    s.line(
        "frames / tablet-doc",
        format!(
            "{:.2} out, {:.2} in ({:.2} sync)",
            report.frames_out_per_tablet_doc,
            report.frames_in_per_tablet_doc,
            report.sync_in_per_tablet_doc
        ),
    );
    if let Some(cpu) = report.server_cpu_storm_secs {
        s.line("server CPU in storm", format!("{cpu:.2} s"));
    }
    if let Some(u) = &report.server_usage {
        s.line("server usage", format!("{u:?}"));
    }
    emit(args.common.json, &s, &report)
}

async fn measure(
    args: &ReconnectStormArgs,
    target: &Target,
    counters: &Arc<Counters>,
    server_pid: Option<u32>,
) -> anyhow::Result<StormReport> {
    let timeout = args.common.timeout();
    let peer = target.peer("storm".into(), &args.common, counters);
    let mode = ack::probe(peer, timeout, target.kind == ServerKind::Ours).await?;
    let tablets = start_tablets(args, target, counters).await?;
    let docs = create_held(&tablets[0], args.docs, timeout).await?;
    open_everywhere(&tablets, &docs, timeout).await?;
    edit_offline(&tablets, &docs, args.edits).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = counters.snapshot();
    let cpu_before = server_pid.and_then(cpu_secs);
    let start = Instant::now();
    reconnect_all(&tablets).await?;
    let times = storm_times(args, &tablets, &docs, mode, start).await?;
    let cpu_after = server_pid.and_then(cpu_secs);
    let storm = counters.snapshot().since(&before);
    for tablet in tablets {
        tablet.stop().await;
    }
    let pairs = (args.tablets * args.docs) as f64;
    Ok(StormReport {
        workload: "reconnect-storm",
        server: target.kind,
        url: target.display_url(),
        tablets: args.tablets,
        docs: args.docs,
        edits_per_tablet: args.edits,
        ack: mode,
        all_saved_secs: times.saved.map(|d| d.as_secs_f64()),
        all_in_step_secs: times.in_step.as_secs_f64(),
        all_converged_secs: times.converged.as_secs_f64(),
        frames_out_per_tablet_doc: storm.frames_out as f64 / pairs,
        frames_in_per_tablet_doc: storm.frames_in as f64 / pairs,
        sync_in_per_tablet_doc: storm.sync_in as f64 / pairs,
        storm_traffic: storm,
        server_cpu_storm_secs: cpu_before.zip(cpu_after).map(|(b, a)| a - b),
        server_usage: None,
    })
}

/// Connects every tablet and waits until each is ready.
async fn start_tablets(
    args: &ReconnectStormArgs,
    target: &Target,
    counters: &Arc<Counters>,
) -> anyhow::Result<Vec<Peer<ServerHeads>>> {
    let tablets: Vec<Peer<ServerHeads>> = (0..args.tablets)
        .map(|i| {
            let config = target.peer(format!("storm-{i}"), &args.common, counters);
            Peer::start(config, ServerHeads::default())
        })
        .collect();
    for tablet in &tablets {
        tablet.wait_ready(args.common.timeout()).await?;
    }
    Ok(tablets)
}

/// Every tablet opens the documents (tablet 0 created them) and waits until it holds them.
async fn open_everywhere(
    tablets: &[Peer<ServerHeads>],
    docs: &[DocumentId],
    timeout: Duration,
) -> anyhow::Result<()> {
    for tablet in &tablets[1..] {
        let docs = docs.to_vec();
        tablet
            .call(move |driver, _| docs.iter().for_each(|id| driver.open_document(*id)))
            .await?;
    }
    let docs: Arc<[DocumentId]> = docs.into();
    slowest(
        tablets,
        "every document",
        timeout,
        Instant::now(),
        move |d, _| {
            docs.iter().all(|id| {
                d.document(id)
                    .and_then(|doc| doc.get(ROOT, "created").ok().flatten())
                    .is_some()
            })
        },
    )
    .await?;
    Ok(())
}

/// Every tablet goes offline and makes `edits` edits of its own key, round-robin over the
/// documents.
async fn edit_offline(
    tablets: &[Peer<ServerHeads>],
    docs: &[DocumentId],
    edits: usize,
) -> anyhow::Result<()> {
    for (index, tablet) in tablets.iter().enumerate() {
        let docs = docs.to_vec();
        tablet
            .call(move |driver, _| -> anyhow::Result<()> {
                let effects = driver.handle(now_ms(), ClientInput::GoOffline);
                driver.requeue(effects);
                let key = tablet_key(index);
                for e in 0..edits {
                    edit(driver, docs[(index + e) % docs.len()], &key, e as i64 + 1)?;
                }
                Ok(())
            })
            .await??;
    }
    Ok(())
}

/// The storm: every tablet reconnects at once.
async fn reconnect_all(tablets: &[Peer<ServerHeads>]) -> anyhow::Result<()> {
    let reconnects = tablets.iter().map(|tablet| {
        tablet.call(|driver, _| {
            let effects = driver.handle(now_ms(), ClientInput::Start);
            driver.requeue(effects);
        })
    });
    for result in futures_util::future::join_all(reconnects).await {
        result?;
    }
    Ok(())
}

/// From the reconnect until the last tablet reached each point.
struct StormTimes {
    /// Its edits durable on the server (only with durable acknowledgements).
    saved: Option<Duration>,
    /// Every tablet's edits held.
    converged: Duration,
    /// Its heads equal to the heads the server reported.
    in_step: Duration,
}

async fn storm_times(
    args: &ReconnectStormArgs,
    tablets: &[Peer<ServerHeads>],
    docs: &[DocumentId],
    mode: AckMode,
    start: Instant,
) -> anyhow::Result<StormTimes> {
    let timeout = args.common.timeout();
    let docs: Arc<[DocumentId]> = docs.into();
    let saved = if mode.durable() {
        let docs = docs.clone();
        let saved = slowest(
            tablets,
            "its edits saved on the server",
            timeout,
            start,
            move |d, _| docs.iter().all(|id| d.is_saved_on_server(id)),
        );
        Some(saved.await?)
    } else {
        None
    };
    let want: Arc<[Vec<(String, i64)>]> = expected(args).into();
    let held = docs.clone();
    let converged = slowest(
        tablets,
        "every tablet's edits",
        timeout,
        start,
        move |d, _| held.iter().zip(want.iter()).all(|(id, w)| holds(d, id, w)),
    )
    .await?;
    let in_step = slowest(
        tablets,
        "the server's heads",
        timeout,
        start,
        move |d, s| docs.iter().all(|id| s.has(id, &counter::heads(d, id))),
    )
    .await?;
    Ok(StormTimes {
        saved,
        converged,
        in_step,
    })
}

/// Waits on every tablet at once until `done` holds there; the time from `start` until the
/// last one got there.
async fn slowest(
    tablets: &[Peer<ServerHeads>],
    what: &str,
    timeout: Duration,
    start: Instant,
    done: impl Fn(&ClientDriver, &ServerHeads) -> bool + Send + Clone + 'static,
) -> anyhow::Result<Duration> {
    let waits = tablets.iter().map(|tablet| {
        let done = done.clone();
        async move {
            tablet
                .wait_until(what, timeout, done)
                .await
                .map(|()| start.elapsed())
        }
    });
    let mut last = Duration::ZERO;
    for result in futures_util::future::join_all(waits).await {
        last = last.max(result?);
    }
    Ok(last)
}

/// The pid of the server this run spawned: the process whose arguments hold
/// `--data DATA_DIR` (the bench itself has `--spawn-* DATA_DIR`).
pub fn server_pid(common: &CommonArgs) -> Option<u32> {
    let dir = common
        .target
        .spawn_ours
        .as_deref()
        .or(common.target.spawn_reference.as_deref())?;
    find_pid_with_data_dir(dir)
}

fn find_pid_with_data_dir(dir: &Path) -> Option<u32> {
    let dir = dir.to_string_lossy();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            args.windows(2)
                .any(|w| w[0] == b"--data" && w[1] == dir.as_bytes())
                .then_some(pid)
        })
}

/// utime + stime of a process, in seconds (assumes 100 clock ticks per second).
pub fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}
