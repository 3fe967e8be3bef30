//! `wish-bench`: a load generator for any automerge-repo protocol "1" server.
//!
//! * `relay`: a writer and its readers follow each of D documents; the time from a
//!   writer's local change until each reader has applied it (same process, same clock).
//! * `ingest`: clients edit their own documents as fast as the server acknowledges; the
//!   figure is acknowledged changes per second.
//! * `office`: office queries over a synthetic index of a million wishes, in process.
//! * `reconnect-storm`: N tablets make offline edits, then all reconnect at once; the
//!   time until everything is saved and converged.
//! * `cold-sync`: a fresh client opens thousands of small documents at once.
//! * `memory`: memory per loaded document, and memory while waves of clients walk
//!   through many more stored documents than are in use.
//! * `soak`: many clients edit and churn for minutes; memory is sampled, and at the end
//!   every edit must be on every client and, after a restart, on the server.
//!
//! Both can start the server themselves (`--spawn-ours`, `--spawn-reference`) and then
//! report its peak memory and CPU time. This is a benchmark command, not a test.

mod ack;
mod args;
mod cold_sync;
mod counter;
mod counters;
mod ingest;
mod memory;
mod office;
mod peer;
mod reconnect_storm;
mod relay;
mod report;
mod seed;
mod soak;
mod spawn;
mod target;
mod volunteers;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use args::{IngestArgs, RelayArgs};

/// The same allocator as the `wish-station` server, so that in-process figures (the
/// `office` workload) match the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Load generator for any automerge-repo protocol "1" server, and for Wish Station's
/// office queries.
#[derive(Parser)]
#[command(name = "wish-bench", version)]
struct BenchArgs {
    #[command(subcommand)]
    workload: Workload,
}

#[derive(Subcommand)]
enum Workload {
    /// Latency from one writer's change until each of N readers has applied it.
    Relay(RelayArgs),
    /// Changes per second the server acknowledges, from many clients and documents.
    Ingest(IngestArgs),
    /// Office queries over a synthetic index of N wishes (in process, no server).
    Office(office::OfficeArgs),
    /// N tablets edit offline, then all reconnect at once: time until saved and converged.
    ReconnectStorm(reconnect_storm::ReconnectStormArgs),
    /// A fresh client opens N seeded documents at once: time until it holds all of them.
    ColdSync(cold_sync::ColdSyncArgs),
    /// Memory per loaded document, and memory while waves of clients walk through N
    /// stored documents.
    Memory(memory::MemoryArgs),
    /// Many clients for a long time with churn: memory stays flat, nothing is lost.
    Soak(soak::SoakArgs),
}

fn main() -> ExitCode {
    wish_server::cli::init_tracing();
    match run(BenchArgs::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: BenchArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match args.workload {
        Workload::Relay(args) => runtime.block_on(relay::run(args)),
        Workload::Ingest(args) => runtime.block_on(ingest::run(args)),
        Workload::Office(args) => office::run(args),
        Workload::ReconnectStorm(args) => runtime.block_on(reconnect_storm::run(args)),
        Workload::ColdSync(args) => runtime.block_on(cold_sync::run(args)),
        Workload::Memory(args) => runtime.block_on(memory::run(args)),
        Workload::Soak(args) => runtime.block_on(soak::run(args)),
    }
}
