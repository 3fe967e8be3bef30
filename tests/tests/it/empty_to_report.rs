//! The mission's acceptance in one flow on one EMPTY server, through the screens only
//! (`tests/js/empty-to-report.mjs` in headless Chromium, chaining the setup, coordinator,
//! loop and console step modules): 创建社区 with the setup code the server wrote to its
//! data directory (as a person reads it off the console), two stations, the first account
//! 街道; people added by hand; a 驿站社工's and a volunteer's codes made on 设备 and
//! redeemed in their own browsers; one wish collected, verified, published, claimed,
//! resolved, confirmed, rated with a 回访 and closed with a story, a second left open; an
//! office code made on 设备 signs in at `/office`, which shows the community by name
//! with that wish's figures, opens its detail and marks the open wish 督办; the
//! coordinator's tablet shows 街道督办; the month's report printed with `page.pdf` and its
//! text read back; before the console, the 街道 adds 幸福社区 on screen (管理 → 新增社区)
//! and its office code covers both communities by name, so the console compares both
//! and the report is titled with both. No curl, no CLI, no bootstrap token. Screenshots go to
//! `tests/artifacts/e2e-report-*.png`.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`), `node`
//! and `npm`, and Debian's Chromium at `/usr/bin/chromium`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::ensure;
use serde_json::Value;
use wish_tests::node::run_script;
use wish_tests::setup::read_setup_code;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const CHROMIUM: &str = "/usr/bin/chromium";
/// Upper bound for the browser script; each of its waits times out well before this.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(300);
const COMMUNITY: &str = "和谐社区";
const STATION: &str = "和平里心愿驿站";
const SECOND_STATION: &str = "红星红色驿站";
/** The community the 街道 adds on screen (新增社区). */
const SECOND_COMMUNITY: &str = "幸福社区";

fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist")
}

#[test]
fn an_empty_server_reaches_the_monthly_report_through_the_screens_alone() -> anyhow::Result<()> {
    ensure!(Path::new(CHROMIUM).exists(), "{CHROMIUM} is missing");
    ensure!(
        app_dir().join("office/console.js").is_file(),
        "the app and console are not built: run scripts/build-app.sh"
    );
    let data = temp_dir();
    let app = app_dir().display().to_string();
    let server = TestServer::start_with_args(BIN, data.path(), &["--app-dir", &app])?;
    let code = read_setup_code(data.path())?;
    let url = format!("http://{}", server.addr);
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    let artifacts = artifacts.display().to_string();
    let args = [
        ("--url", url.as_str()),
        ("--code", &code),
        ("--station", STATION),
        ("--second-station", SECOND_STATION),
        ("--artifacts", &artifacts),
        ("--chromium", CHROMIUM),
    ];
    let args: Vec<&OsStr> = args
        .iter()
        .flat_map(|(flag, value)| [OsStr::new(*flag), OsStr::new(*value)])
        .collect();
    let seen = run_script("empty-to-report.mjs", &args, PROCESS_TIMEOUT)?;
    eprintln!("empty to report, ms per step: {}", seen["timings_ms"]);
    ensure!(seen["ok"] == true, "{seen}");
    // The 社区书记 finds the account that may enroll the stations' workers by that name.
    let first_role = seen["first_role"].as_str().unwrap_or_default();
    ensure!(
        first_role.contains("社区书记"),
        "first account: {first_role}"
    );
    let cards = &seen["code_cards"];
    ensure!(
        cards["coordinator"] == format!("赵志强 · {STATION}、{SECOND_STATION}")
            && cards["office"] == format!("王芳 · {COMMUNITY}、{SECOND_COMMUNITY}"),
        "codes named by person and place: {cards}"
    );
    let added = seen["community_added"].as_str().unwrap_or_default();
    ensure!(
        added.contains("已新增社区") && added.contains(SECOND_COMMUNITY),
        "新增社区: {added}"
    );
    check_second_community(&seen)?;
    check_loop(&seen)?;
    check_console(&seen)?;
    check_report(&seen)?;
    ensure!(
        seen["screenshots"].as_array().map_or(0, Vec::len) >= 15,
        "a screenshot of each screen: {seen}"
    );
    Ok(())
}

/// The 街道 staffed the community it added, on its own tablet (管理 → 当前社区): the
/// lead's code names the lead and the new station, and the lead's browser shows the new
/// community with the volunteer the 街道 added there.
fn check_second_community(seen: &Value) -> anyhow::Result<()> {
    let card = &seen["code_cards"]["second_coordinator"];
    ensure!(
        card == "李书记 · 幸福里心愿驿站",
        "the new community's lead code: {card}"
    );
    let lead = &seen["second_community"];
    ensure!(
        lead["lead_role"] == "coordinator"
            && lead["lead_stations"] == 1
            && lead["shown"]
                .as_str()
                .unwrap_or_default()
                .contains(SECOND_COMMUNITY),
        "the new community's lead enrolled: {lead}"
    );
    Ok(())
}

/// The wish went every step of the loop on the tablets.
fn check_loop(seen: &Value) -> anyhow::Result<()> {
    let kinds: Vec<&str> = seen["loop"]
        .as_array()
        .map(|k| k.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for kind in [
        "collected",
        "verified",
        "published",
        "claimed",
        "resolved",
        "confirmed",
        "rated",
        "visited",
        "closed",
    ] {
        ensure!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    Ok(())
}

/// The console named the community and counted the two wishes, one of them closed;
/// the 督办 reached the coordinator's tablet with its note.
fn check_console(seen: &Value) -> anyhow::Result<()> {
    let console = &seen["console"];
    ensure!(
        console["communities"] == serde_json::json!([COMMUNITY, SECOND_COMMUNITY]),
        "{console}"
    );
    ensure!(console["failed_panels"] == 0, "{console}");
    let kpis = &console["kpis"];
    ensure!(
        kpis["total"] == "2" && kpis["open"] == "1" && kpis["completed"] == "1",
        "{kpis}"
    );
    ensure!(kpis["rating"] == "5.00", "{kpis}");
    let mark = seen["supervised"]["mark"].as_str().unwrap_or_default();
    ensure!(
        mark.contains("街道督办") && mark.contains("请本周内上门查看"),
        "{mark}"
    );
    let tablet = seen["tablet_mark"].as_str().unwrap_or_default();
    ensure!(
        tablet.contains("街道督办") && tablet.contains("请本周内上门查看"),
        "{tablet}"
    );
    Ok(())
}

/// The printed report names the community and both stations, and counts the wishes.
fn check_report(seen: &Value) -> anyhow::Result<()> {
    let report = &seen["report"];
    let figures = &report["figures"];
    for (figure, value) in [
        ("collected", "2"),
        ("claimed", "1"),
        ("resolved", "1"),
        ("closed", "1"),
        ("hours", "2.0"),
    ] {
        ensure!(figures[figure] == value, "{figure}: {figures}");
    }
    let text = report["text"].as_str().unwrap_or_default();
    for words in [
        COMMUNITY,
        SECOND_COMMUNITY,
        STATION,
        SECOND_STATION,
        "新收集心愿2",
        "已销号1",
    ] {
        ensure!(
            text.contains(words),
            "the printed report lacks {words}: {text}"
        );
    }
    Ok(())
}
