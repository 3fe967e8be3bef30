//! Issue 14's loop end to end in real headless Chromium, screens only
//! (`tests/js/dispatch-to-close.mjs`, chaining `dispatch-steps.mjs` and `loop-steps.mjs`):
//! 派单 to the suggested expert → the expert's 我的任务 on another browser context → start
//! and resolve with 服务内容 and hours → two coordinators confirm offline → the expert
//! records the resident's rating on their behalf (代评) and a 回访 → 销号 as 已圆梦 with a
//! 微故事 → exactly one earn entry for the expert. Screenshots: `tests/artifacts/flow-*.png`.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`), `node`
//! and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::{json, Value};
use wish_tests::browser;
use wish_tests::fixtures::{self};
use wish_tests::node::run_script;

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const PROCESS_TIMEOUT: Duration = Duration::from_secs(500);
/// 周立华, an expert of the medical module, serving from another station.
const EXPERT: (&str, &str) = ("周立华", "p23");

#[test]
fn dispatch_to_an_expert_then_resolve_confirm_rate_on_behalf_and_close() -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 3)?;
    let (server, community) = (&scene.server, &scene.community);
    let code = |role: &str, person: &str, station: &str| {
        let body = json!({ "role": role, "person": person, "community": community, "stations": [station] });
        fixtures::enrollment_code(server, &body)
    };
    let (a, b) = (
        code("coordinator", "p01", "center")?,
        code("coordinator", "p02", "center")?,
    );
    let expert = code("volunteer", EXPERT.1, "jinxiu")?;
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--coordinator-code",
        &a,
        "--coordinator2-code",
        &b,
        "--expert-code",
        &expert,
        "--expert",
        EXPERT.0,
        "--expert-id",
        EXPERT.1,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("dispatch-to-close.mjs", &args, PROCESS_TIMEOUT)?;
    check(&seen);
    Ok(())
}

fn check(seen: &Value) {
    assert_eq!(seen["ok"], true, "{seen}");
    let suggested = seen["suggested"].as_array().cloned().unwrap_or_default();
    assert!(suggested.contains(&json!(EXPERT.0)), "{seen}");
    assert_eq!(seen["tasks"]["badge"], 1, "{seen}");
    assert_eq!(
        seen["confirmations"], 2,
        "both offline confirmations: {seen}"
    );
    assert_eq!(seen["rating"]["on_behalf"], true, "代评: {seen}");
    assert_eq!(seen["earn_lines"], 1, "one earn entry, not two: {seen}");
    let stories = seen["stories"].as_array().cloned().unwrap_or_default();
    assert!(!stories.is_empty(), "{seen}");
    assert!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 6,
        "{seen}"
    );
}
