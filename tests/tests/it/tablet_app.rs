//! The tablet web app in real headless Chromium (`tests/js/tablet.mjs`, playwright-core):
//! two tablets of one station lose the network, collect wishes and edit the same wish, one
//! claims a wish and reloads while offline, the network returns, and both converge with
//! every record saved on the server. The server's own view is then checked through the
//! office API. Screenshots of the main screens go to `tests/artifacts/tablet-*.png`.
//!
//! Requirements: the built app (`scripts/build-app.sh`, which `scripts/test-all.sh` runs
//! first), `node` and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::time::Duration;

use anyhow::anyhow;
use serde_json::{json, Value};
use wish_tests::browser;
use wish_tests::fixtures::{self};
use wish_tests::node::run_script;
use wish_tests::{http, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
/// Upper bound for the browser script; its own waits time out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(400);

#[test]
fn two_offline_tablets_converge_and_show_every_record_saved() -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 40)?;
    let (server, community) = (&scene.server, &scene.community);
    let shell = http::request(&server.addr, "GET", "/", None, None)?;
    assert_eq!(shell.status, 200, "{}", shell.text());
    assert!(
        shell.text().contains("manifest.webmanifest"),
        "{}",
        shell.text()
    );

    let volunteer = enrollment_code(server, "volunteer", "p05", community)?;
    let coordinator = enrollment_code(server, "coordinator", "p01", community)?;
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--code-a",
        &volunteer,
        "--code-b",
        &coordinator,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("tablet.mjs", &args, PROCESS_TIMEOUT)?;
    assert_eq!(seen["ok"], true, "{seen}");
    assert!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 10,
        "{seen}"
    );
    check_server_view(server, &seen)
}

/// What the server holds after the tablets converged: both offline wishes, the claim
/// assigned by the server's arbitration, the title the coordinator chose.
fn check_server_view(server: &TestServer, seen: &Value) -> anyhow::Result<()> {
    let list = http::request(
        &server.addr,
        "GET",
        "/api/v1/office/wishes?per_page=1000",
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(list.status, 200, "{}", list.text());
    let items = list.json()?["items"].clone();
    let items = items.as_array().ok_or_else(|| anyhow!("no items"))?;
    let by_doc = |doc: &Value| items.iter().find(|i| i["doc_id"] == *doc).cloned();
    for title in seen["collected"].as_array().into_iter().flatten() {
        assert!(
            items.iter().any(|i| i["title"] == *title),
            "{title} is not on the server"
        );
    }
    let claimed = by_doc(&seen["claim_doc"]).ok_or_else(|| anyhow!("claimed wish missing"))?;
    assert_eq!(claimed["status"], "assigned", "{claimed}");
    let shared = by_doc(&seen["shared_doc"]).ok_or_else(|| anyhow!("shared wish missing"))?;
    assert_eq!(shared["title"], seen["resolved_title"], "{shared}");
    Ok(())
}

/// An enrollment code for a person of the demo's center station.
fn enrollment_code(
    server: &TestServer,
    role: &str,
    person: &str,
    community: &str,
) -> anyhow::Result<String> {
    let body =
        json!({ "role": role, "person": person, "community": community, "stations": ["center"] });
    fixtures::enrollment_code(server, &body)
}
