//! The coordinator's screens in real headless Chromium (`tests/js/coordinator.mjs`, step
//! functions in `tests/js/coordinator-steps.mjs`): on the demo community, a coordinator's
//! tablet adds five people and a partner unit, edits one person and deactivates another,
//! builds next week's roster from the template (晚间一小时, 红色周末), assigns people and
//! the unit, swaps two people's shifts, hands a place over and puts a person on today's
//! shift; a second browser context enrolled as the station's shared tablet (驿站公用平板)
//! signs that person in and out and sees the roster; the coordinator sees the check-in,
//! which names the shared tablet; the people screen is checked in English too. Screenshots go to `tests/artifacts/coordinator-*.png` and
//! `station-tablet-duty.png`.
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
const STATION: &str = "center";
/// Upper bound for the browser script; its own waits time out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(400);

#[test]
fn a_coordinator_runs_people_units_roster_and_a_shared_tablet_from_the_screens(
) -> anyhow::Result<()> {
    let scene = browser::demo_scene(BIN, 5)?;
    let (server, community) = (&scene.server, &scene.community);
    let coordinator = json!({ "role": "coordinator", "person": "p01", "community": community, "stations": [STATION] });
    let tablet = json!({ "role": "station_tablet", "person": "tablet-center", "community": community, "stations": [STATION] });
    let coordinator = fixtures::enrollment_code(server, &coordinator)?;
    let tablet = fixtures::enrollment_code(server, &tablet)?;
    let artifacts = browser::artifacts_dir();
    let url = format!("http://{}", server.addr);
    let args = [
        "--url",
        &url,
        "--coordinator-code",
        &coordinator,
        "--tablet-code",
        &tablet,
        "--station",
        STATION,
        "--artifacts",
        &artifacts,
        "--chromium",
        browser::CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("coordinator.mjs", &args, PROCESS_TIMEOUT)?;
    check(&seen)
}

fn check(seen: &Value) -> anyhow::Result<()> {
    eprintln!("coordinator screens, ms per step: {}", seen["timings_ms"]);
    assert_eq!(seen["ok"], true, "{seen}");
    assert_eq!(
        seen["people"].as_object().map(|p| p.len()),
        Some(5),
        "{seen}"
    );
    assert_eq!(seen["search_blood_pressure"], json!(["孙医生"]), "{seen}");
    let card = seen["edited_card"].as_str().unwrap_or_default();
    assert!(
        card.contains("南山区人民医院") && card.contains("智能手机教学"),
        "{seen}"
    );
    assert_eq!(seen["picker_offers_left"], false, "{seen}");
    assert_eq!(seen["evenings"].as_array().map(Vec::len), Some(5), "{seen}");
    assert_eq!(
        seen["tablet_sees"],
        json!({ "person": true, "unit": true }),
        "{seen}"
    );
    let checkin = &seen["checkin"];
    assert!(
        checkin["in"].as_u64().is_some() && checkin["out"].as_u64().is_some(),
        "{seen}"
    );
    assert!(
        checkin["device"].as_str().is_some_and(|d| !d.is_empty()),
        "{seen}"
    );
    assert!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 6,
        "{seen}"
    );
    Ok(())
}
