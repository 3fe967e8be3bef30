//! 派单 and 我的任务 in real headless Chromium (`tests/js/dispatch-tasks.mjs`, step
//! functions in `tests/js/dispatch-steps.mjs`): on the demo community the coordinator of
//! the center station publishes a home-visit wish (medical, two places) and sees the
//! suggestions (the medical experts and the hospital unit, with their reasons); it sends
//! the wish to 周立华. Her tablet, enrolled with a code at another station, lists the wish
//! under 我的任务 after sync with the badge and 开始服务 as the next step. A partner's
//! tablet (唐晓燕 of 幸福社区健康服务中心) claims the same wish as its unit; the server
//! accepts it and assigns the second place; it then posts an offer to the 资源清单 in its
//! unit's name. Screenshots: `tests/artifacts/dispatch-*.png`.
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
/// Upper bound for the browser script; its own waits time out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(400);
const EXPERT: &str = "周立华";

#[test]
fn a_coordinator_dispatches_to_a_suggested_expert_who_sees_it_in_my_tasks() -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 3)?;
    let (server, community) = (&scene.server, &scene.community);
    let code = |role: &str, person: &str, stations: &[&str]| {
        let body =
            json!({ "role": role, "person": person, "community": community, "stations": stations });
        fixtures::enrollment_code(server, &body)
    };
    let coordinator = code("coordinator", "p01", &["center"])?;
    // 周立华 (p23), an expert of the medical module, serves from another station.
    let expert = code("volunteer", "p23", &["jinxiu"])?;
    // 唐晓燕 (p24) of the hospital unit, on a partner device.
    let partner = code("partner", "p24", &[])?;
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--coordinator-code",
        &coordinator,
        "--expert-code",
        &expert,
        "--partner-code",
        &partner,
        "--expert",
        EXPERT,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("dispatch-tasks.mjs", &args, PROCESS_TIMEOUT)?;
    check(&seen)
}

fn check(seen: &Value) -> anyhow::Result<()> {
    assert_eq!(seen["ok"], true, "{seen}");
    let suggested = seen["suggested"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = suggested
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&EXPERT), "{seen}");
    assert!(
        names.contains(&"幸福社区健康服务中心"),
        "the hospital unit: {seen}"
    );
    assert!(!names.contains(&"林晓梅"), "never the coordinator: {seen}");
    let expert = suggested.iter().find(|s| s["name"] == EXPERT);
    let reasons = expert.map(|s| s["reasons"].clone()).unwrap_or_default();
    assert!(
        reasons
            .as_array()
            .is_some_and(|r| r.contains(&json!("module")) && r.contains(&json!("skill"))),
        "{seen}"
    );
    assert_eq!(seen["tasks"]["badge"], 1, "{seen}");
    assert_eq!(seen["tasks"]["next"], "start", "{seen}");
    let meta = seen["tasks"]["meta"].as_str().unwrap_or_default();
    assert!(meta.contains("林晓梅"), "dispatched by, by name: {seen}");
    assert_eq!(seen["unit_claim"]["claimant"], "u-hospital", "{seen}");
    assert_eq!(seen["unit_claim"]["state"], "assigned", "{seen}");
    let offers = seen["offers"].as_array().cloned().unwrap_or_default();
    assert!(offers.contains(&json!("测试：慢病随访上门服务")), "{seen}");
    assert!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 5,
        "{seen}"
    );
    Ok(())
}
