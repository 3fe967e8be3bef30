//! Issue 13's acceptance in one flow on one fresh server, through the screens only
//! (`tests/js/community-end-to-end.mjs` in headless Chromium, chaining the steps of the
//! setup and coordinator tests): 创建社区 on an empty data directory with two stations and
//! the coordinator enrolled on the spot; five people and a partner unit added by hand; 20
//! people imported from an XLSX; a volunteer code redeemed by its text in a second browser
//! context; next week's roster built from the template and staffed; the station's shared
//! tablet enrolled from 设备 in a third browser context, where a person on duty signs in
//! and out; 50 paper cards imported from a GB18030 CSV, which then show on the
//! volunteer's tablet. Screenshots of each screen go to `tests/artifacts/e2e-*.png`; the
//! first step that fails is named in the error.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`), `node`
//! and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::time::{Duration, Instant};

use anyhow::ensure;
use serde_json::{json, Value};
use wish_tests::browser;
use wish_tests::node::run_script;
use wish_tests::setup::{people_xlsx, read_setup_code, twenty_names, wish_cards_gb18030};
use wish_tests::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
/// Upper bound for the browser script; each of its waits times out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(240);
/// The station of the people, the roster, the shared tablet and the cards.
const STATION: &str = "和平里心愿驿站";
const SECOND_STATION: &str = "红星红色驿站";

/// The files the coordinator uploads, in a temporary folder.
struct Uploads {
    _dir: tempfile::TempDir,
    people: String,
    cards: String,
}

/// The XLSX of twenty people and the GB18030 CSV of fifty cards `volunteer` collected.
fn uploads(names: &[String], volunteer: &str) -> anyhow::Result<Uploads> {
    let dir = temp_dir();
    let people = dir.path().join("人员名单.xlsx");
    std::fs::write(&people, people_xlsx(names, STATION)?)?;
    let cards = dir.path().join("心愿卡.csv");
    std::fs::write(&cards, wish_cards_gb18030(50, STATION, volunteer))?;
    Ok(Uploads {
        people: people.display().to_string(),
        cards: cards.display().to_string(),
        _dir: dir,
    })
}

#[test]
fn a_fresh_server_becomes_a_working_community_through_the_screens_alone() -> anyhow::Result<()> {
    browser::ensure_ready()?;
    let data = temp_dir();
    let server = browser::serve_app(BIN, data.path())?;
    let code = read_setup_code(data.path())?;
    // The first name is a volunteer in `people_xlsx`: the volunteer code and the cards.
    let names = twenty_names();
    let files = uploads(&names, &names[0])?;
    let url = format!("http://{}", server.addr);
    let artifacts = browser::artifacts_dir();
    let all_names = names.join(",");
    let args = [
        ("--url", url.as_str()),
        ("--code", &code),
        ("--people", &files.people),
        ("--cards", &files.cards),
        ("--volunteer", &names[0]),
        ("--names", &all_names),
        ("--station", STATION),
        ("--second-station", SECOND_STATION),
        ("--artifacts", &artifacts),
        ("--chromium", browser::CHROMIUM),
    ];
    let args: Vec<&OsStr> = args
        .iter()
        .flat_map(|(flag, value)| [OsStr::new(*flag), OsStr::new(*value)])
        .collect();
    let started = Instant::now();
    let seen = run_script("community-end-to-end.mjs", &args, PROCESS_TIMEOUT)?;
    eprintln!(
        "end to end: {:.1} s in the browser; ms per step: {}",
        started.elapsed().as_secs_f64(),
        seen["timings_ms"]
    );
    check(&seen)?;
    ensure!(
        !data.path().join("setup-code").exists(),
        "the setup code is spent"
    );
    Ok(())
}

/// What the flow saw, step by step.
fn check(seen: &Value) -> anyhow::Result<()> {
    ensure!(seen["ok"] == true, "{seen}");
    ensure!(seen["setup_done"] == true, "community created: {seen}");
    ensure!(
        seen["people"].as_object().map(|p| p.len()) == Some(5),
        "five people added by hand: {seen}"
    );
    ensure!(
        seen["units"].as_object().map(|u| u.len()) == Some(1),
        "one partner unit: {seen}"
    );
    ensure!(
        seen["people_imported"] == 20,
        "people from the XLSX: {seen}"
    );
    ensure!(seen["volunteer_code"] == true, "volunteer code: {seen}");
    ensure!(
        seen["week"].as_array().map(Vec::len) == Some(7),
        "next week built: {seen}"
    );
    check_shared_tablet(seen)?;
    ensure!(seen["cards_imported"] == 50, "cards from the CSV: {seen}");
    ensure!(
        seen["volunteer_wishes"] == 50,
        "the cards on the volunteer's tablet: {seen}"
    );
    ensure!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 15,
        "a screenshot of each screen: {seen}"
    );
    Ok(())
}

/// The shared tablet is enrolled for one station under the server's label, not a
/// person, and the check-in it made reached the coordinator naming it.
fn check_shared_tablet(seen: &Value) -> anyhow::Result<()> {
    let tablet = &seen["shared_tablet"];
    ensure!(
        tablet["role"] == "station_tablet",
        "shared tablet role: {seen}"
    );
    ensure!(
        tablet["stations"].as_array().map(Vec::len) == Some(1),
        "shared tablet for one station: {seen}"
    );
    ensure!(
        tablet["person"]
            .as_str()
            .is_some_and(|p| p.starts_with("tablet-")),
        "the server labels the shared tablet: {seen}"
    );
    let checkin = &seen["checkin"];
    ensure!(
        checkin["in"].as_u64().is_some() && checkin["out"].as_u64().is_some(),
        "signed in and out: {seen}"
    );
    ensure!(
        checkin["device"] == tablet["device_id"] && tablet["device_id"] != json!(null),
        "the check-in names the shared tablet: {seen}"
    );
    Ok(())
}
