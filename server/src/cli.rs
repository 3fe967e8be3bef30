//! The `wish-station` command line.

mod bootstrap_token;
mod contact;
mod demo;
mod device;
pub(crate) mod doc_writer;
mod import;
mod migrate;
mod serve;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "wish-station",
    version,
    about = "Wish Station (心愿驿站) sync server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the sync server.
    Serve(serve::ServeArgs),
    /// Seed a data directory with a realistic demo community (server stopped).
    Demo(demo::DemoArgs),
    /// Import paper wish cards from a CSV file (server stopped).
    Import(import::ImportArgs),
    /// Enrollment codes and devices (server stopped; use the API while it runs).
    Device(device::DeviceArgs),
    /// Delete a resident's contact document (server stopped; use the API while it runs).
    Contact(contact::ContactArgs),
    /// Show the audit log (server stopped; use the API while it runs).
    Audit(contact::AuditArgs),
    /// Copy a whole store between a data directory and PostgreSQL (servers stopped).
    Migrate(migrate::MigrateArgs),
}

/// Parses the arguments, runs the command and returns the process exit code.
pub fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Import(args) => import::run(args),
        Command::Device(args) => device::run(args),
        Command::Contact(args) => contact::run(args),
        Command::Audit(args) => contact::run_audit(args),
        Command::Migrate(args) => migrate::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Printed once, plainly: not through tracing, whose colour codes would end up in
        // scripts' logs.
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// automerge instruments `load_incremental` with an INFO span whose fields include the
/// whole document's `Debug` output (every change hash): with `info` logging that span
/// cost a quarter of a following client's CPU per received change. Its own INFO-level
/// output is of no use to operators, so it is raised to WARN unless `RUST_LOG` names it.
const QUIET_AUTOMERGE: &str = "automerge=warn";

/// Logs to stderr at `RUST_LOG` (default `info`), coloured only on a terminal; shared with
/// `wish-bench`.
pub fn init_tracing() {
    let from_env = std::env::var("RUST_LOG").unwrap_or_default();
    let mut filter = tracing_subscriber::EnvFilter::try_new(&from_env)
        .ok()
        .filter(|_| !from_env.trim().is_empty())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new("info"));
    if !from_env.contains("automerge") {
        if let Ok(directive) = QUIET_AUTOMERGE.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// A multi-threaded tokio runtime for commands that need one.
pub(crate) fn tokio_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
