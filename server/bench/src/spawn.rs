//! Starting a server process on a loopback port for a run, and reading its memory and CPU
//! use from `/proc` before stopping it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde::Serialize;

/// How long a server may take to print `listening on ADDR`.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Which server a run targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerKind {
    /// Wish Station, started by this bench.
    Ours,
    /// The automerge-repo JS reference server, started by this bench.
    Reference,
    /// A server given by `--url`.
    External,
}

/// Memory and CPU use of a spawned server, from `/proc/PID/status` and `/proc/PID/stat`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServerUsage {
    /// Peak resident set size (VmHWM), KiB.
    pub peak_rss_kib: Option<u64>,
    /// Resident set size at the end of the run (VmRSS), KiB.
    pub rss_kib: Option<u64>,
    /// User plus system CPU time over the server's life, seconds.
    pub cpu_secs: Option<f64>,
}

impl ServerUsage {
    /// The usage of two processes together (memory and CPU summed).
    pub fn plus(self, other: ServerUsage) -> ServerUsage {
        fn sum<T: std::ops::Add<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            }
        }
        ServerUsage {
            peak_rss_kib: sum(self.peak_rss_kib, other.peak_rss_kib),
            rss_kib: sum(self.rss_kib, other.rss_kib),
            cpu_secs: sum(self.cpu_secs, other.cpu_secs),
        }
    }
}

/// A running server process; killed if dropped without [`Spawned::stop`].
pub struct Spawned {
    child: Child,
    pub url: String,
    pub kind: ServerKind,
}

impl Spawned {
    /// Starts `SERVER_BIN serve` (a `wish-station`) on `data_dir`, with `extra` arguments.
    pub fn ours(server_bin: &Path, data_dir: &Path, extra: &[String]) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        let token = format!("bench-{}", uuid::Uuid::new_v4().simple());
        let mut command = Command::new(server_bin);
        command
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--bootstrap-token",
                &token,
            ])
            .arg("--data")
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "warn");
        Self::start(command, ServerKind::Ours, &token)
    }

    /// Starts `node SCRIPT --port 0 --data DATA_DIR` (the JS reference server).
    pub fn reference(script: &Path, data_dir: &Path) -> anyhow::Result<Self> {
        let modules = script
            .parent()
            .map(|dir| dir.join("node_modules"))
            .unwrap_or_else(|| PathBuf::from("node_modules"));
        if !script.is_file() || !modules.is_dir() {
            bail!(
                "reference server not found at {} (or its node_modules is missing: run `npm ci` in its folder)",
                script.display()
            );
        }
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        let mut command = Command::new("node");
        command
            .arg(script)
            .args(["--port", "0", "--data"])
            .arg(data_dir);
        Self::start(command, ServerKind::Reference, "bench")
    }

    fn start(mut command: Command, kind: ServerKind, token: &str) -> anyhow::Result<Self> {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {command:?}"))?;
        let addr = match listening_address(&mut child) {
            Ok(addr) => addr,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        let url = format!("ws://{addr}/sync?token={token}");
        tracing::info!(?kind, pid = child.id(), %url, "server started");
        Ok(Self { child, url, kind })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Current memory and CPU use of the process.
    pub fn usage(&self) -> ServerUsage {
        usage_of(self.pid())
    }

    /// Reads the usage, sends SIGTERM, waits (killing it after a timeout).
    pub fn stop(mut self) -> anyhow::Result<ServerUsage> {
        let usage = self.usage();
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(usage);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        tracing::warn!(pid = %pid, "server did not stop after SIGTERM; killing it");
        self.child.kill()?;
        self.child.wait()?;
        Ok(usage)
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads stdout until `listening on ADDR`, then keeps draining it in a thread so the
/// server never blocks on a full pipe.
fn listening_address(child: &mut Child) -> anyhow::Result<String> {
    let stdout = child.stdout.take().context("server has no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("listening on ") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        }
    });
    let addr = rx.recv_timeout(START_TIMEOUT).map_err(|_| {
        anyhow::anyhow!("server did not print `listening on ADDR` within {START_TIMEOUT:?}")
    })?;
    let ip = addr
        .rsplit_once(':')
        .map(|(host, _)| host)
        .unwrap_or_default();
    if ip != "127.0.0.1" {
        bail!("server listens on {addr}, not on 127.0.0.1");
    }
    Ok(addr)
}

fn usage_of(pid: u32) -> ServerUsage {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    ServerUsage {
        peak_rss_kib: status_kib(&status, "VmHWM:"),
        rss_kib: status_kib(&status, "VmRSS:"),
        cpu_secs: cpu_secs(&stat),
    }
}

/// A `Name:   1234 kB` line of `/proc/PID/status`.
fn status_kib(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// utime + stime (fields 14 and 15 of `/proc/PID/stat`) in seconds.
fn cpu_secs(stat: &str) -> Option<f64> {
    // The command name (field 2) may contain spaces; fields after it follow the last ')'.
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state), so field N is at index N - 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / clock_ticks_per_sec())
}

fn clock_ticks_per_sec() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_status_and_stat() {
        let status = "Name:\tx\nVmHWM:\t  20480 kB\nVmRSS:\t   1024 kB\n";
        assert_eq!(status_kib(status, "VmHWM:"), Some(20480));
        assert_eq!(status_kib(status, "VmRSS:"), Some(1024));
        let stat = "42 (a b) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0";
        let secs = cpu_secs(stat).unwrap();
        assert!(secs > 0.0);
    }
}
