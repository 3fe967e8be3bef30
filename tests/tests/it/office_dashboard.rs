//! The office console at `/office` in a real browser: a server seeded with the demo
//! community, headless Chromium driven by `tests/js/dashboard.mjs` (playwright-core), which
//! signs in as the administrator (管理员登录, the bootstrap token), chooses 全部时间, waits
//! for the key figures and charts, fails on any console or page error and saves a
//! screenshot to `tests/artifacts/office-dashboard.png`.
//!
//! Requirements: the built app (`scripts/build-app.sh`, which bundles the console into
//! `wasm/app/dist/office`), `node` (20+) and `npm` on PATH, and Chromium at
//! `/usr/bin/chromium` (`scripts/test-all.sh` installs Debian's `chromium` when it is
//! missing). Node modules are installed with `npm ci` the first time a test needs them.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{anyhow, ensure, Context};
use serde_json::Value;
use wish_tests::node::{ensure_node_env, run_script};
use wish_tests::{http, temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

const CHROMIUM: &str = "/usr/bin/chromium";

/// Upper bound for the browser script; it times out by itself well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(120);

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
        .args(["demo", "--communities", "1", "--data"])
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
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist");
    ensure!(
        app.join("office/index.html").is_file(),
        "the office console is not built: run scripts/build-app.sh"
    );
    let app = app.display().to_string();
    let server = TestServer::start_with_args(BIN, data.path(), &["--app-dir", &app])?;

    // The page and its assets are served by the binary itself.
    let page = http::request(&server.addr, "GET", "/office", None, None)?;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("/office/console.js"),
        "{}",
        page.text()
    );
    for asset in [
        "/office/console.js",
        "/office/office.css",
        "/office/report.js",
    ] {
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
    for chart in [
        "weeks",
        "communities",
        "modules",
        "channels",
        "claim",
        "roster",
        "ratings",
    ] {
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
    let args = [
        OsStr::new("--url"),
        OsStr::new(url),
        OsStr::new("--token"),
        OsStr::new(TEST_TOKEN),
        OsStr::new("--screenshot"),
        screenshot.as_os_str(),
        OsStr::new("--chromium"),
        OsStr::new(CHROMIUM),
    ];
    run_script("dashboard.mjs", &args, PROCESS_TIMEOUT)
}
