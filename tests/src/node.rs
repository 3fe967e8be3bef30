//! Running the Node.js scripts in `tests/js` from Rust tests: installs the pinned npm
//! packages once per test process, runs a script with a time limit, and returns the JSON
//! object it printed last.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context};
use serde_json::Value;

/// The `tests/js` folder.
pub fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Checks that Node.js is installed and installs the node modules once per test process.
/// Parallel tests share the outcome, so `npm ci` never runs twice at the same time.
pub fn ensure_node_env() -> anyhow::Result<()> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| prepare_node_env().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

/// Runs `node tests/js/<script> <args...>` and returns the JSON object it printed last.
/// Fails with the script's stderr if it exits non-zero or runs longer than `timeout`.
pub fn run_script(
    script: &str,
    args: &[&std::ffi::OsStr],
    timeout: Duration,
) -> anyhow::Result<Value> {
    ensure_node_env()?;
    let mut child = Command::new("node")
        .arg(js_dir().join(script))
        .args(args)
        .current_dir(js_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("spawn node")?;
    let (status, stdout, stderr) = wait_with_timeout(&mut child, timeout)?;
    let describe = || {
        format!(
            "`{script} {}`",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    ensure!(
        status.success(),
        "{} failed ({status}):\nstderr: {stderr}\nstdout: {stdout}",
        describe()
    );
    let line = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| anyhow!("{} printed nothing; stderr: {stderr}", describe()))?;
    serde_json::from_str(line)
        .with_context(|| format!("{} printed invalid JSON: {line}", describe()))
}

fn prepare_node_env() -> anyhow::Result<()> {
    let version = Command::new("node")
        .arg("--version")
        .output()
        .context("`node` was not found on PATH: these tests need Node.js 20 or newer and npm (scripts/test-all.sh installs them)")?;
    ensure!(version.status.success(), "`node --version` failed");
    let dir = js_dir();
    if node_modules_up_to_date(&dir) {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .context("`npm` was not found on PATH: these tests need npm to install tests/js")?;
    ensure!(
        output.status.success(),
        "`npm ci` in {} failed ({}):\n{}{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// npm writes `node_modules/.package-lock.json` at the end of a successful install, so it
/// is missing after an interrupted install, and older than `package-lock.json` when the
/// dependencies changed since.
fn node_modules_up_to_date(dir: &Path) -> bool {
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (
        modified(dir.join("node_modules").join(".package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    }
}

/// Waits for a child, collecting its output, and kills it after `timeout`.
fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> anyhow::Result<(std::process::ExitStatus, String, String)> {
    // Read both pipes in threads so a chatty child never blocks on a full pipe.
    let stdout = read_in_thread(child.stdout.take());
    let stderr = read_in_thread(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "node did not exit within {timeout:?}; stderr so far: {}",
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok((
        status,
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    ))
}

fn read_in_thread(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}
