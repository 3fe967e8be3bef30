//! The street office's console end to end in Chromium (`tests/js/office-console.mjs`), on
//! the district demo (three communities) with the codes the demo prints: a station tablet
//! enrolled as the coordinator; the office signs in with its code, sees the three
//! communities by name, filters by last month, this month, custom days and one community
//! (each key figure equal to the API's for the same period), sets an overdue target,
//! downloads the wishes workbook, opens one of the tablet's open wishes
//! from the list and marks it 督办; the tablet shows 街道督办 on the card and in the
//! detail; the monthly report is printed with `page.pdf` and its text read back (pdf.js).
//! Names everywhere, never ids or developer words; the Chinese screens hold no English.
//! Screenshots: `tests/artifacts/console-*.png`.
//!
//! Requirements as for `tablet_app.rs`: the built app (`scripts/build-app.sh`, the console
//! included), `node`, and Chromium at `/usr/bin/chromium`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, ensure, Context};
use serde_json::Value;
use wish_tests::fixtures::seed_demo_district;
use wish_tests::http::request;
use wish_tests::node::{ensure_node_env, run_script};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const CHROMIUM: &str = "/usr/bin/chromium";
const PROCESS_TIMEOUT: Duration = Duration::from_secs(420);
const COMMUNITY: &str = "幸福社区";
const NOTE: &str = "请本周内上门回访";

#[test]
fn the_office_filters_marks_a_wish_the_station_sees_it_and_prints_the_month() -> anyhow::Result<()>
{
    ensure!(Path::new(CHROMIUM).exists(), "{CHROMIUM} is missing");
    let app = app_dir();
    ensure!(
        app.join("index.html").is_file() && app.join("office/index.html").is_file(),
        "the app is not built: run scripts/build-app.sh"
    );
    ensure_node_env()?;
    let data = temp_dir();
    let printed = seed_demo_district(BIN, data.path(), 120, 3)?;
    let office_code = code(&printed, "街道 office")?;
    let coordinator_code = code(&printed, "驿站负责人")?;
    let app = app.display().to_string();
    let server = TestServer::start_with_args(BIN, data.path(), &["--app-dir", &app])?;
    let month = wish_server::aggregate::format_local(wish_server::clock::now_ms())[..7].to_owned();
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&artifacts)?;
    let pdf = artifacts.join("console-report.pdf");
    let _ = std::fs::remove_file(&pdf);

    let args = [
        "--url",
        &format!("http://{}", server.addr),
        "--code",
        &office_code,
        "--coordinator-code",
        &coordinator_code,
        "--community",
        COMMUNITY,
        "--month",
        &month,
        "--artifacts",
        &artifacts.display().to_string(),
        "--pdf",
        &pdf.display().to_string(),
        "--chromium",
        CHROMIUM,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let seen = run_script("office-console.mjs", &args, PROCESS_TIMEOUT)?;

    let api = Api(&server);
    let names = api.get("/api/v1/office/names")?;
    assert_eq!(
        seen["signed_in"]["stored_token"], true,
        "{}",
        seen["signed_in"]
    );
    the_district_is_shown_by_name(&seen, &names)?;
    figures_follow_the_filters(&seen, &api, &names)?;
    the_mark_reaches_the_tablet(&seen, &api)?;
    the_report_prints(&seen, &api, &month)?;
    for shot in seen["shots"].as_array().context("shots")? {
        let path = shot.as_str().context("a path")?;
        let size = std::fs::metadata(path)
            .with_context(|| path.to_owned())?
            .len();
        ensure!(size > 20_000, "{path} is {size} bytes");
    }
    Ok(())
}

fn the_district_is_shown_by_name(seen: &Value, names: &Value) -> anyhow::Result<()> {
    let district = &seen["district"];
    let communities: BTreeSet<String> = names["communities"]
        .as_object()
        .context("communities")?
        .values()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert_eq!(communities.len(), 3, "{names}");
    assert_eq!(strings(&district["communities"]), communities, "{district}");
    assert_eq!(strings(&district["party_communities"]), communities);
    let known = directory_names(names);
    for list in [
        "volunteer_names",
        "claimant_names",
        "unit_names",
        "project_leads",
        "roster_stations",
    ] {
        let shown = strings(&district[list]);
        ensure!(!shown.is_empty(), "{list} is empty: {district}");
        let unknown: Vec<_> = shown.difference(&known).collect();
        ensure!(
            unknown.is_empty(),
            "{list} shows what is not a name: {unknown:?}"
        );
    }
    for (chart, points) in district["charts"].as_object().context("charts")? {
        ensure!(
            points.as_u64().unwrap_or(0) > 0,
            "{chart} draws nothing: {}",
            district["charts"]
        );
    }
    ensure!(
        district["charts"].as_object().map_or(0, |c| c.len()) >= 9,
        "{}",
        district["charts"]
    );
    assert_eq!(district["failed_panels"], 0, "{district}");
    for view in ["district", "community"] {
        assert_eq!(
            seen[view]["blank_charts"],
            serde_json::json!([]),
            "{view}: blank charts"
        );
    }
    for view in ["district", "last_month", "this_month", "community"] {
        no_ids_or_english(seen[view]["text"].as_str().unwrap_or_default(), names)?;
    }
    let english = seen["english"].as_str().unwrap_or_default();
    ensure!(
        english.contains("Communities compared") && !english.contains("各社区对比"),
        "{english}"
    );
    Ok(())
}

/// What office staff must never read on the Chinese screens: ids, developer words, English.
fn no_ids_or_english(text: &str, names: &Value) -> anyhow::Result<()> {
    for word in ["令牌", "文档", "undefined", "null", "NaN"] {
        ensure!(!text.contains(word), "{word:?} on the console");
    }
    for id in names["communities"]
        .as_object()
        .context("communities")?
        .keys()
    {
        ensure!(
            !text.contains(id.as_str()),
            "community id {id} on the console"
        );
    }
    let english: BTreeSet<&str> = text
        .split(|c: char| !c.is_ascii_alphabetic() && c != '-')
        .filter(|w| w.len() > 1 && w.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|w| !["English", "Excel"].contains(w))
        .collect();
    ensure!(
        english.is_empty(),
        "English or ids on the Chinese console: {english:?}"
    );
    Ok(())
}

/// Each period's and the community's key figure is the API's for the same days.
fn figures_follow_the_filters(seen: &Value, api: &Api, names: &Value) -> anyhow::Result<()> {
    let community = names["communities"]
        .as_object()
        .and_then(|m| m.iter().find(|(_, name)| *name == COMMUNITY))
        .map(|(id, _)| id.clone())
        .ok_or_else(|| anyhow!("{COMMUNITY} is not in {names}"))?;
    let last = &seen["last_month"];
    let this = &seen["this_month"];
    ensure!(
        last["range"]["from"] != this["range"]["from"],
        "the period did not change"
    );
    let custom = &seen["custom"];
    assert_eq!(
        custom["range"]["from"].as_str().map(|d| &d[8..]),
        Some("01"),
        "{}",
        custom["range"]
    );
    assert_eq!(
        custom["range"]["to"].as_str().map(|d| &d[8..]),
        Some("15"),
        "{}",
        custom["range"]
    );
    for (view, narrow) in [
        (last, ""),
        (this, ""),
        (custom, ""),
        (&seen["community"], community.as_str()),
    ] {
        let (from, to) = (
            view["range"]["from"].as_str().unwrap_or_default(),
            view["range"]["to"].as_str().unwrap_or_default(),
        );
        ensure!(
            from.len() == 10 && to.len() == 10,
            "no period: {}",
            view["range"]
        );
        let mut path = format!("/api/v1/office/summary?from={from}&to={to}");
        if !narrow.is_empty() {
            path.push_str(&format!("&community={narrow}"));
        }
        let summary = api.get(&path)?;
        assert_eq!(
            view["kpis"]["total"].as_str(),
            Some(summary["total"].to_string().as_str()),
            "{path}: {}",
            view["kpis"]
        );
    }
    // The targets form shows what the server answers after the save (a fresh load).
    assert_eq!(seen["targets"]["urgent"], 24, "{}", seen["targets"]);
    assert_eq!(
        seen["exported"]["name"], "心愿.xlsx",
        "{}",
        seen["exported"]
    );
    ensure!(
        seen["exported"]["size"].as_u64().unwrap_or(0) > 2_000,
        "{}",
        seen["exported"]
    );
    let one = &seen["community"];
    assert_eq!(
        strings(&one["communities"]),
        BTreeSet::from([COMMUNITY.to_owned()]),
        "{one}"
    );
    let stations: BTreeSet<String> = names["directories"][&community]["stations"]
        .as_object()
        .context("stations")?
        .values()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert_eq!(strings(&one["roster_stations"]), stations, "{one}");
    Ok(())
}

fn the_mark_reaches_the_tablet(seen: &Value, api: &Api) -> anyhow::Result<()> {
    let doc = seen["doc"].as_str().context("the wish marked")?;
    let marked = &seen["marked"];
    let mark = marked["mark"].as_str().unwrap_or_default();
    ensure!(mark.contains("街道督办") && mark.contains(NOTE), "{marked}");
    ensure!(
        marked["timeline"]
            .as_str()
            .unwrap_or_default()
            .contains(NOTE),
        "{marked}"
    );
    let shown = marked["text"].as_str().unwrap_or_default();
    for unknown in ["未登记", "street-office"] {
        ensure!(
            !shown.contains(unknown),
            "the detail names someone by id: {shown}"
        );
    }
    let detail = api.get(&format!("/api/v1/office/wishes/{doc}"))?;
    assert_eq!(detail["supervision"]["note"], NOTE, "{detail}");
    assert_eq!(marked["title"], detail["title"]);
    let tablet = &seen["tablet"];
    ensure!(
        tablet["card"]
            .as_str()
            .unwrap_or_default()
            .contains("街道督办"),
        "{tablet}"
    );
    let on_detail = tablet["detail"].as_str().unwrap_or_default();
    ensure!(
        !on_detail.contains("street-office"),
        "the tablet names the office by id: {on_detail}"
    );
    ensure!(
        on_detail.contains("街道督办") && on_detail.contains(NOTE),
        "{tablet}"
    );
    Ok(())
}

fn the_report_prints(seen: &Value, api: &Api, month: &str) -> anyhow::Result<()> {
    let report = api.get(&format!("/api/v1/office/report?month={month}"))?;
    let printed = &seen["report"];
    let text = printed["pdf_text"]["text"].as_str().unwrap_or_default();
    ensure!(
        printed["pdf_text"]["pages"].as_u64().unwrap_or(0) >= 2,
        "{}",
        printed["pdf_text"]["pages"]
    );
    let label = report["label"].as_str().unwrap_or_default();
    for words in [
        label,
        "心愿驿站工作报告",
        "需求清单",
        "资源清单",
        "项目清单",
        "已完成项目",
        "党员",
        "幸福社区",
        "阳光社区",
        "和平社区",
    ] {
        ensure!(text.contains(words), "the PDF lacks {words}: {text}");
    }
    for figure in [
        "collected",
        "resolved",
        "needs_open",
        "offers",
        "projects",
        "projects_done",
        "party_volunteers",
    ] {
        let shown = printed["figures"][figure]
            .as_str()
            .unwrap_or_default()
            .replace(',', "");
        assert_eq!(shown, report["figures"][figure].to_string(), "{figure}");
    }
    for (chart, points) in printed["charts"].as_object().context("report charts")? {
        ensure!(
            points.as_u64().unwrap_or(0) > 0,
            "report chart {chart} draws nothing"
        );
    }
    Ok(())
}

struct Api<'a>(&'a TestServer);

impl Api<'_> {
    fn get(&self, path: &str) -> anyhow::Result<Value> {
        let response = request(&self.0.addr, "GET", path, Some(TEST_TOKEN), None)?;
        ensure!(
            response.status == 200,
            "{path}: {} {}",
            response.status,
            response.text()
        );
        response.json()
    }
}

/// The code on the demo's line that mentions `who`.
fn code(printed: &str, who: &str) -> anyhow::Result<String> {
    printed
        .lines()
        .find(|l| l.contains("enrollment code") && l.contains(who))
        .and_then(|l| l.rsplit(' ').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the demo printed no code for {who}: {printed}"))
}

/// Every person, unit and station name of the directories, and the communities'.
fn directory_names(names: &Value) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for directory in names["directories"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        for part in ["people", "units", "stations"] {
            all.extend(
                directory[part]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.values())
                    .filter_map(|v| v.as_str().map(str::to_owned)),
            );
        }
    }
    all
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist")
}
