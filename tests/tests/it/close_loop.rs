//! Closing the loop (issue 14) in real headless Chromium (`tests/js/close-loop.mjs`,
//! step functions in `tests/js/loop-steps.mjs`): on the demo community, coordinator A
//! publishes a wish; the volunteer 李春生 claims it, the server assigns it, he resolves
//! it with 服务内容 and 3 hours; coordinators A and B, both cut from the server, confirm
//! the hours and reconnect — the ledger holds one earn entry for the claim; he records
//! the resident's rating on their behalf (代评) and a 回访; A closes the wish as
//! fulfilled and publishes its 微故事; A's attempt to redeem an item above his balance
//! is refused on screen; 星级公示 lists names and stars. Screenshots go to
//! `tests/artifacts/loop-*.png`.
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
/// 李春生, a volunteer of the demo's 中心驿站.
const VOLUNTEER: &str = "p06";
const PROCESS_TIMEOUT: Duration = Duration::from_secs(400);

#[test]
fn resolve_confirm_offline_twice_rate_on_behalf_story_points_and_stars() -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 5)?;
    let (server, community) = (&scene.server, &scene.community);
    let code = |role: &str, person: &str| {
        let body = json!({ "role": role, "person": person, "community": community, "stations": ["center"] });
        fixtures::enrollment_code(server, &body)
    };
    let (a, b, v) = (
        code("coordinator", "p01")?,
        code("coordinator", "p02")?,
        code("volunteer", VOLUNTEER)?,
    );
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--coordinator-code",
        &a,
        "--coordinator2-code",
        &b,
        "--volunteer-code",
        &v,
        "--volunteer",
        VOLUNTEER,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("close-loop.mjs", &args, PROCESS_TIMEOUT)?;
    check(&seen);
    Ok(())
}

fn check(seen: &Value) {
    eprintln!("close the loop, ms per step: {}", seen["timings_ms"]);
    assert_eq!(seen["ok"], true, "{seen}");
    // Two confirmations written offline, one earn entry in the ledger.
    assert_eq!(seen["confirmations"], 2, "{seen}");
    assert_eq!(seen["earn_lines"], 1, "{seen}");
    assert_eq!(seen["statement_points"], seen["lines_sum"], "{seen}");
    let rating = &seen["rating"];
    assert_eq!(
        (rating["score"].as_u64(), rating["on_behalf"].as_bool()),
        (Some(5), Some(true)),
        "{seen}"
    );
    assert_eq!(rating["by"], VOLUNTEER, "the claimant recorded it: {seen}");
    let overdraw = &seen["overdraw"];
    assert!(
        overdraw["toast"]
            .as_str()
            .is_some_and(|t| t.contains("积分不足")),
        "{seen}"
    );
    assert_eq!(
        overdraw["lines_before"], overdraw["lines_after"],
        "nothing written: {seen}"
    );
    let stories = seen["stories"].as_array().cloned().unwrap_or_default();
    assert!(
        stories
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.contains("视频通话"))),
        "{seen}"
    );
    let stars = seen["stars"].as_array().cloned().unwrap_or_default();
    assert!(stars.iter().any(|r| r["name"] == "李春生"), "{seen}");
    assert!(stars.iter().all(|r| r["name"].as_str().is_some_and(|n| !n.starts_with('p')) && r["stars"].is_u64()), "{seen}");
    assert!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 7,
        "{seen}"
    );
}
