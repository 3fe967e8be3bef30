//! A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries
//! (`/usr/lib/postgresql/*/bin`), `initdb` into a temporary directory, `pg_ctl start` on a
//! free port (socket in the same directory), removed again when dropped.
//!
//! PostgreSQL refuses to run as root, so when the tests run as root the cluster runs as
//! the system user `postgres` (`runuser -u postgres --`), which owns the directory.
//!
//! A test binary shares one cluster ([`test_database`]: a fresh database per test) so that
//! the suite does not start dozens of clusters on a small machine. Statics are never
//! dropped, so each cluster also has a watchdog shell that stops it and removes its
//! directory once the process that started it is gone, however it ended.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use rand::distr::{Alphanumeric, SampleString};

/// Set to `1` to skip the tests that need PostgreSQL (they pass without running).
pub const SKIP_ENV: &str = "WISH_SKIP_POSTGRES";

/// Why a cluster could not be started or used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. Install Debian's \
         `postgresql` package (scripts/test-all.sh does), or set {SKIP_ENV}=1 to skip the \
         PostgreSQL tests"
    )]
    NotInstalled,
    #[error("{command} failed: {detail}")]
    Command { command: String, detail: String },
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
}

/// A running cluster in a temporary directory. Stopped and removed on drop.
pub struct Cluster {
    root: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres_user: bool,
    watchdog: Mutex<Option<Child>>,
}

impl Cluster {
    /// Creates and starts a new cluster (about a second).
    pub fn start() -> Result<Self, ClusterError> {
        let bin = find_binaries().ok_or(ClusterError::NotInstalled)?;
        let as_postgres_user = running_as_root()?;
        let root = tempfile::Builder::new().prefix("wish-pg-").tempdir()?;
        if as_postgres_user {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(root.path()))?;
        }
        let mut cluster = Self {
            root,
            bin,
            port: 0,
            as_postgres_user,
            watchdog: Mutex::new(None),
        };
        cluster.init()?;
        cluster.start_on_a_free_port()?;
        cluster.spawn_watchdog()?;
        Ok(cluster)
    }

    /// The TCP port the cluster listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL for `database` as the superuser `postgres` (trust authentication).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates an empty database with a random name and returns its URL. Callable from
    /// async tests too: the synchronous client runs on a thread of its own, since it
    /// panics inside a tokio runtime.
    pub fn create_database(&self) -> Result<String, ClusterError> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| self.create_database_here())
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn create_database_here(&self) -> Result<String, ClusterError> {
        let name = format!(
            "t_{}",
            Alphanumeric
                .sample_string(&mut rand::rng(), 12)
                .to_lowercase()
        );
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(self.url(&name))
    }

    /// Restarts the cluster (fast shutdown: open sessions are cut, as in a failover).
    pub fn restart(&self) -> Result<(), ClusterError> {
        self.pg_ctl(&["restart", "-m", "fast", "-w", "-t", "60"])
    }

    /// Stops the cluster without removing it (`immediate`: as if the machine lost power).
    pub fn stop_immediately(&self) -> Result<(), ClusterError> {
        self.pg_ctl(&["stop", "-m", "immediate", "-w"])
    }

    /// Starts a stopped cluster again on the same port.
    pub fn start_again(&self) -> Result<(), ClusterError> {
        self.pg_ctl(&["start", "-w", "-t", "60", "-o", &self.server_options()])
    }

    fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn init(&self) -> Result<(), ClusterError> {
        let initdb = self.bin.join("initdb");
        let data = self.data_dir();
        let mut command = self.command(&initdb);
        command.args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        // initdb's own final fsync only; the running cluster keeps fsync on.
        command.arg("--no-sync").arg("-D").arg(&data);
        run(&mut command)
    }

    fn start_on_a_free_port(&mut self) -> Result<(), ClusterError> {
        // Another process may take the port between our probe and the start: try again.
        let mut last = None;
        for _ in 0..3 {
            self.port = free_port()?;
            match self.start_again() {
                Ok(()) => return Ok(()),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or(ClusterError::NotInstalled))
    }

    fn server_options(&self) -> String {
        format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on \
             -c max_connections=300 -c shared_buffers=64MB",
            self.port,
            self.root.path().display()
        )
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), ClusterError> {
        let mut command = self.command(&self.bin.join("pg_ctl"));
        command.arg("-D").arg(self.data_dir());
        command.arg("-l").arg(self.root.path().join("log"));
        command.args(args);
        run(&mut command).map_err(|error| self.with_log(error))
    }

    /// The server log's tail added to a failure, since that is where PostgreSQL says why.
    fn with_log(&self, error: ClusterError) -> ClusterError {
        let log = std::fs::read_to_string(self.root.path().join("log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(10).collect();
        match error {
            ClusterError::Command { command, detail } => ClusterError::Command {
                command,
                detail: format!("{detail}\nserver log:\n{}", tail.join("\n")),
            },
            other => other,
        }
    }

    fn command(&self, program: &Path) -> Command {
        if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    /// A shell that waits for this process to end, then stops the cluster and removes it.
    fn spawn_watchdog(&self) -> Result<(), ClusterError> {
        let pg_ctl = self.bin.join("pg_ctl");
        let runuser = if self.as_postgres_user {
            "runuser -u postgres -- "
        } else {
            ""
        };
        let script = format!(
            "trap '' INT; while kill -0 {pid} 2>/dev/null && [ -d '{data}' ]; do sleep 1; done; \
             [ -d '{data}' ] && {runuser}'{pg_ctl}' -D '{data}' stop -m immediate >/dev/null 2>&1; \
             rm -rf '{root}'",
            pid = std::process::id(),
            data = self.data_dir().display(),
            pg_ctl = pg_ctl.display(),
            root = self.root.path().display(),
        );
        let child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        *self.watchdog.lock().unwrap_or_else(|p| p.into_inner()) = Some(child);
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop_immediately();
        if let Some(mut watchdog) = self
            .watchdog
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        // The TempDir removes the directory after this.
    }
}

/// Whether PostgreSQL tests should be skipped (`WISH_SKIP_POSTGRES=1`).
pub fn skip_requested() -> bool {
    std::env::var(SKIP_ENV).is_ok_and(|v| v == "1")
}

/// The cluster this process shares between its tests, started on first use.
pub fn shared() -> Result<&'static Cluster, &'static ClusterError> {
    static SHARED: OnceLock<Result<Cluster, ClusterError>> = OnceLock::new();
    SHARED.get_or_init(Cluster::start).as_ref()
}

/// A fresh, empty database on the shared cluster, for one test: `None` when
/// `WISH_SKIP_POSTGRES=1` (the test then returns early). Panics with the reason when
/// PostgreSQL is not installed or will not start, so that a missing installation fails
/// the suite rather than passing it silently.
pub fn test_database() -> Option<String> {
    if skip_requested() {
        eprintln!("{SKIP_ENV}=1: skipping a PostgreSQL test");
        return None;
    }
    let cluster = match shared() {
        Ok(cluster) => cluster,
        Err(error) => panic!("PostgreSQL test cluster: {error}"),
    };
    match cluster.create_database() {
        Ok(url) => Some(url),
        Err(error) => panic!("PostgreSQL test database: {error}"),
    }
}

/// The newest installed PostgreSQL's `bin` directory.
pub fn find_binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> Result<bool, ClusterError> {
    let output = Command::new("id").arg("-u").output()?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn free_port() -> Result<u16, ClusterError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn run(command: &mut Command) -> Result<(), ClusterError> {
    let output = command.stdin(Stdio::null()).output()?;
    if output.status.success() {
        return Ok(());
    }
    Err(ClusterError::Command {
        command: format!("{command:?}"),
        detail: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_answers_restarts_and_is_removed_on_drop() {
        if skip_requested() {
            return;
        }
        let cluster = Cluster::start().expect("PostgreSQL must be installed for this test");
        let root = cluster.root.path().to_owned();
        let url = cluster.create_database().unwrap();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let row = client.query_one("SHOW fsync", &[]).unwrap();
        assert_eq!(row.get::<_, String>(0), "on");
        cluster.restart().unwrap();
        assert!(
            client.simple_query("SELECT 1").is_err(),
            "restart cuts sessions"
        );
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.simple_query("SELECT 1").unwrap();
        drop(cluster);
        assert!(!root.exists(), "{} is left behind", root.display());
    }
}
