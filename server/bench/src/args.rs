//! Command-line arguments of `wish-bench`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::ack::AckMode;

/// Which server to load: exactly one of these.
#[derive(Args, Debug, Clone)]
#[group(required = true, multiple = false)]
pub struct TargetArgs {
    /// WebSocket URL of a running server, e.g. ws://127.0.0.1:8080/sync?token=TOKEN.
    #[arg(long)]
    pub url: Option<String>,
    /// Start `wish-station serve` (see --server-bin) on DATA_DIR for the run.
    #[arg(long, value_name = "DATA_DIR")]
    pub spawn_ours: Option<PathBuf>,
    /// Start the JS reference server (node) on DATA_DIR for the run.
    #[arg(long, value_name = "DATA_DIR")]
    pub spawn_reference: Option<PathBuf>,
}

/// Arguments every workload takes.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// An extra argument for a spawned `wish-station serve` (repeatable), e.g.
    /// `--server-arg=--idle-unload-secs=5`.
    #[arg(long = "server-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub server_args: Vec<String>,
    /// The store of a --spawn-ours server when not its data directory's redb file: a
    /// PostgreSQL URL, passed on as `serve --storage URL` (the database must be empty or
    /// hold what the run expects).
    #[arg(long, value_name = "URL", requires = "spawn_ours")]
    pub storage: Option<String>,
    /// The `wish-station` executable for --spawn-ours; by default the one next to this
    /// `wish-bench` (cargo builds both into the same target directory).
    #[arg(long, env = "WISH_STATION_BIN", value_name = "PATH")]
    pub server_bin: Option<PathBuf>,
    /// The reference server script, for --spawn-reference.
    #[arg(long, default_value = "tests/js/reference-server.mjs")]
    pub reference_script: PathBuf,
    /// Allow a --url that is not on the loopback interface.
    #[arg(long)]
    pub allow_remote: bool,
    /// Clients join as ephemeral peers (no storage id). By default each advertises a
    /// storage id, like a tablet with IndexedDB, so the server keeps its sync state.
    #[arg(long)]
    pub ephemeral_clients: bool,
    /// Limit for each phase (connecting, each wait for sync), in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
    /// Print one JSON line on stdout (the summary goes to stderr).
    #[arg(long)]
    pub json: bool,
}

impl CommonArgs {
    /// The server executable --spawn-ours starts.
    pub fn server_bin(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.server_bin {
            return Ok(path.clone());
        }
        let here = std::env::current_exe()?;
        let sibling = here.with_file_name(format!("wish-station{}", std::env::consts::EXE_SUFFIX));
        anyhow::ensure!(
            sibling.is_file(),
            "no wish-station executable at {} for --spawn-ours: build it \
             (`cargo build -p wish-server`, with --release for figures) or give --server-bin",
            sibling.display()
        );
        Ok(sibling)
    }

    /// The extra `serve` arguments of a --spawn-ours server: --storage, then --server-arg.
    pub fn spawn_args(&self) -> Vec<String> {
        let storage = self
            .storage
            .iter()
            .flat_map(|url| ["--storage".to_owned(), url.clone()]);
        storage.chain(self.server_args.iter().cloned()).collect()
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }
}

#[derive(Args, Debug, Clone)]
pub struct RelayArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Reader clients (each document's writer is one more connection).
    #[arg(long, default_value_t = 100)]
    pub clients: usize,
    /// Documents, each with its own writer; the readers are shared out over them.
    #[arg(long, default_value_t = 1)]
    pub docs: usize,
    /// Measured changes (per writer).
    #[arg(long, default_value_t = 500)]
    pub changes: u64,
    /// Changes made before the measured ones and not recorded.
    #[arg(long, default_value_t = 50)]
    pub warmup: u64,
    /// Make changes at this fixed rate per second per writer instead of in lockstep (by
    /// default change k+1 is made once every reader of the document applied change k).
    #[arg(long)]
    pub rate: Option<f64>,
}

#[derive(Args, Debug, Clone)]
pub struct IngestArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Writing clients.
    #[arg(long, default_value_t = 20)]
    pub clients: usize,
    /// Documents each client creates and edits.
    #[arg(long, default_value_t = 5)]
    pub docs_per_client: usize,
    /// Length of the measured window.
    #[arg(long, default_value_t = 20)]
    pub duration_secs: u64,
    /// Unacknowledged changes allowed per document.
    #[arg(long, default_value_t = 1)]
    pub in_flight: u64,
    /// How acknowledgements are observed; probed from the server when not given.
    #[arg(long, value_enum)]
    pub ack: Option<AckMode>,
    /// Write as enrolled volunteer tablets (wish documents, every change reviewed by the
    /// write rules) instead of with the administrator token on untyped documents. Needs
    /// `--spawn-ours`: the devices are enrolled in its data directory before it starts.
    #[arg(long)]
    pub as_volunteers: bool,
}
