//! Helpers shared by the integration tests: real server processes on port 0, native clients.

pub mod browser;
pub mod clients;
pub mod fixtures;
pub mod http;
pub mod node;
pub mod setup;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The token every test server accepts as its bootstrap (administrator) token.
pub const TEST_TOKEN: &str = "test-bootstrap-token";

/// The storage backend a test server runs on: each engine suite runs its main cases on
/// both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Redb,
    Postgres,
}

/// A test server's store: its data directory's redb file, or a database of the test
/// binary's throwaway PostgreSQL cluster (`wish-pg-cluster`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestStore {
    Redb,
    Postgres(String),
}

impl Backend {
    /// A fresh store on this backend; `None` when `WISH_SKIP_POSTGRES=1` skips PostgreSQL.
    pub fn store(self) -> Option<TestStore> {
        match self {
            Self::Redb => Some(TestStore::Redb),
            Self::Postgres => wish_pg_cluster::test_database().map(TestStore::Postgres),
        }
    }
}

impl TestStore {
    /// The `serve` arguments that choose this store.
    fn args(&self) -> Vec<&str> {
        match self {
            Self::Redb => Vec::new(),
            Self::Postgres(url) => vec!["--storage", url],
        }
    }
}

/// A `wish-station serve` process on a free loopback port, killed when dropped.
pub struct TestServer {
    child: Child,
    pub addr: String,
    pub data_dir: PathBuf,
}

impl TestServer {
    /// Starts the server binary on `data_dir` and waits until it is listening.
    pub fn start(binary: &str, data_dir: &Path) -> anyhow::Result<Self> {
        Self::start_with_args(binary, data_dir, &[])
    }

    /// Like [`TestServer::start`], with extra `serve` arguments.
    pub fn start_with_args(binary: &str, data_dir: &Path, extra: &[&str]) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args(["serve", "--bootstrap-token", TEST_TOKEN])
            .args(listen_arg(extra))
            .arg("--data")
            .arg(data_dir)
            .args(extra)
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let addr = read_listening_line(&mut child)?;
        Ok(Self {
            child,
            addr,
            data_dir: data_dir.to_owned(),
        })
    }

    /// Starts the server binary on `data_dir` with its store on `store`.
    pub fn start_on(binary: &str, data_dir: &Path, store: &TestStore) -> anyhow::Result<Self> {
        Self::start_with_args(binary, data_dir, &store.args())
    }

    /// Restarts a server on the same data directory and address as a stopped one.
    pub fn restart(binary: &str, data_dir: &Path, addr: &str) -> anyhow::Result<Self> {
        Self::restart_on(binary, data_dir, addr, &TestStore::Redb)
    }

    /// Restarts a server on the same data directory, store and address as a stopped one.
    pub fn restart_on(
        binary: &str,
        data_dir: &Path,
        addr: &str,
        store: &TestStore,
    ) -> anyhow::Result<Self> {
        let mut last_error = None;
        let mut args = vec!["--listen", addr];
        args.extend(store.args());
        // The old socket may linger for a moment after a kill.
        for _ in 0..50 {
            match Self::start_with_args(binary, data_dir, &args) {
                Ok(server) => return Ok(server),
                Err(e) => last_error = Some(e),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("restart failed")))
    }

    /// `ws://ADDR/sync?token=TOKEN` with the bootstrap token.
    pub fn ws_url(&self) -> String {
        self.ws_url_for(TEST_TOKEN)
    }

    /// `ws://ADDR/sync?token=TOKEN` with a device's token.
    pub fn ws_url_for(&self, token: &str) -> String {
        format!("ws://{}/sync?token={token}", self.addr)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Kills the process with SIGKILL and waits for it.
    pub fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// Sends SIGTERM and waits for a graceful exit.
    pub fn terminate(mut self) -> anyhow::Result<std::process::ExitStatus> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        Ok(self.child.wait()?)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `--listen 127.0.0.1:0` unless the extra arguments choose an address.
fn listen_arg(extra: &[&str]) -> &'static [&'static str] {
    if extra.contains(&"--listen") {
        &[]
    } else {
        &["--listen", "127.0.0.1:0"]
    }
}

/// Reads stdout until the server announces `listening on ADDR`, then drains the rest in a
/// background thread so the server never blocks on a full pipe.
fn read_listening_line(child: &mut Child) -> anyhow::Result<String> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !sent {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                    sent = true;
                }
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .map_err(|_| anyhow::anyhow!("server did not report its address within 30 s"))
}

/// A fresh temporary directory for a test's data.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("wish-test-")
        .tempdir()
        .expect("create temp dir")
}
