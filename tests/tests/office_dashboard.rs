//! The office dashboard at `/office` in a real browser: a server seeded with the demo
//! community, headless Chromium driven by `tests/js/dashboard.mjs` (playwright-core), which
//! enters the token, waits for the key figures and charts, fails on any console or page
//! error and saves a screenshot to `tests/artifacts/office-dashboard.png`.
//!
//! Requirements: `node` (20+) and `npm` on PATH, and Chromium at `/usr/bin/chromium`
//! (`scripts/test-all.sh` installs Debian's `chromium` when it is missing). Node modules are
//! installed with `npm ci` the first time a test needs them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context};
use serde_json::Value;
use wish_tests::{http, temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

const CHROMIUM: &str = "/usr/bin/chromium";

/// Upper bound for the browser script; it times out by itself well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(120);

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

#[test]
fn dashboard_renders_the_office_figures_in_chromium() -> anyhow::Result<()> {
    ensure!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the dashboard test needs Debian's `chromium` package; \
         `scripts/test-all.sh` installs it (apt-get install chromium)"
    );
    ensure_node_env()?;

    let data = temp_dir();
    let seeded = Command::new(BIN)
        .args(["demo", "--data"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .output()
        .context("run demo")?;
    ensure!(
        seeded.status.success(),
        "demo failed: {}{}",
        String::from_utf8_lossy(&seeded.stdout),
        String::from_utf8_lossy(&seeded.stderr)
    );
    let server = TestServer::start(BIN, data.path())?;

    // The page and its assets are served by the binary itself.
    let page = http::request(&server.addr, "GET", "/office", None, None)?;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("/office/office.js"), "{}", page.text());
    for asset in ["/office/office.js", "/office/office.css"] {
        let response = http::request(&server.addr, "GET", asset, None, None)?;
        assert_eq!(response.status, 200, "{asset}");
    }
    let missing = http::request(&server.addr, "GET", "/office/nothing.js", None, None)?;
    assert_eq!(missing.status, 404);

    let summary = http::request(
        &server.addr,
        "GET",
        "/api/v1/office/summary",
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(summary.status, 200, "{}", summary.text());
    let summary = summary.json()?;
    let total = summary["total"]
        .as_u64()
        .ok_or_else(|| anyhow!("summary has no total: {summary}"))?;
    assert!(total > 0, "the demo seeded no wishes: {summary}");

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&artifacts)?;
    let screenshot = artifacts.join("office-dashboard.png");
    let _ = std::fs::remove_file(&screenshot);

    let seen = dashboard(&format!("http://{}", server.addr), &screenshot)?;
    assert_eq!(seen["total"].as_u64(), Some(total), "{seen}");
    assert_eq!(seen["lang"], "zh-CN", "{seen}");
    for chart in ["weeks", "modules", "stations", "ratings"] {
        assert!(
            seen["bars"][chart].as_u64().unwrap_or(0) > 0,
            "chart {chart} drew nothing: {seen}"
        );
    }
    assert!(seen["wish_rows"].as_u64().unwrap_or(0) > 0, "{seen}");
    assert!(seen["volunteer_rows"].as_u64().unwrap_or(0) > 0, "{seen}");
    let hours = summary["hours"].as_f64().unwrap_or(0.0);
    let shown = seen["hours"].as_f64().unwrap_or(-1.0);
    assert!(
        (hours - shown).abs() < 0.06,
        "hours {hours} shown as {seen}"
    );
    let screenshot_size = std::fs::metadata(&screenshot)
        .with_context(|| format!("no screenshot at {}", screenshot.display()))?
        .len();
    assert!(
        screenshot_size > 10_000,
        "screenshot is {screenshot_size} bytes"
    );
    Ok(())
}

/// Runs `node tests/js/dashboard.mjs` and returns the JSON object it printed.
fn dashboard(url: &str, screenshot: &Path) -> anyhow::Result<Value> {
    let mut child = Command::new("node")
        .arg(js_dir().join("dashboard.mjs"))
        .args(["--url", url, "--token", TEST_TOKEN, "--screenshot"])
        .arg(screenshot)
        .args(["--chromium", CHROMIUM])
        .current_dir(js_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("spawn node")?;
    let (status, stdout, stderr) = wait_with_timeout(&mut child, PROCESS_TIMEOUT)?;
    ensure!(
        status.success(),
        "`dashboard.mjs` failed ({status}):\nstderr: {stderr}\nstdout: {stdout}"
    );
    let line = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| anyhow!("dashboard.mjs printed nothing; stderr: {stderr}"))?;
    serde_json::from_str(line)
        .with_context(|| format!("dashboard.mjs printed invalid JSON: {line}"))
}

// ---------------------------------------------------------------------------------------
// Node environment (as in js_interop.rs).

/// Checks that Node.js is installed and installs the node modules once per test process.
fn ensure_node_env() -> anyhow::Result<()> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| prepare_node_env().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

fn prepare_node_env() -> anyhow::Result<()> {
    let version = Command::new("node").arg("--version").output().context(
        "`node` was not found on PATH: the dashboard test needs Node.js 20 or newer and npm",
    )?;
    ensure!(version.status.success(), "`node --version` failed");

    let dir = js_dir();
    if node_modules_up_to_date(&dir) {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .context("`npm` was not found on PATH: the dashboard test needs npm to install tests/js")?;
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
