//! The office computer in a real browser (`tests/js/office-report.mjs`, headless
//! Chromium): a wrong code is refused in words; enrolled with a code made through the API
//! (no token typed), it shows stations and volunteers by name; the monthly report prints
//! to an A4 PDF with the month's figures; signing out forgets the device token.
//! Screenshots and the PDF go to `tests/artifacts/`.
//!
//! The PDF is checked as a PDF (header, pages); its text is checked on the page in print
//! media (`office_console.rs` reads the text out of the PDF itself, with pdf.js).

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use anyhow::{ensure, Context};
use serde_json::{json, Value};
use wish_tests::fixtures::{demo_community, enrollment_code, seed_demo};
use wish_tests::http::request;
use wish_tests::node::{ensure_node_env, run_script};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const CHROMIUM: &str = "/usr/bin/chromium";
const PROCESS_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn the_office_computer_signs_in_with_a_code_and_prints_the_monthly_report() -> anyhow::Result<()> {
    ensure!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing (scripts/test-all.sh installs Debian's chromium)"
    );
    ensure_node_env()?;
    let data = temp_dir();
    let community = demo_community(&seed_demo(BIN, data.path(), 60)?)?;
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/dist");
    ensure!(
        app.join("office/index.html").is_file(),
        "the office console is not built: run scripts/build-app.sh"
    );
    let app = app.display().to_string();
    let server = TestServer::start_with_args(BIN, data.path(), &["--app-dir", &app])?;
    let code = enrollment_code(
        &server,
        &json!({ "role": "office", "person": "p-office", "community": community }),
    )?;
    let month = wish_server::aggregate::format_local(wish_server::clock::now_ms())[..7].to_owned();
    let path = format!("/api/v1/office/report?month={month}");
    let report = request(&server.addr, "GET", &path, Some(TEST_TOKEN), None)?.json()?;

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&artifacts)?;
    let pdf = artifacts.join("office-report.pdf");
    let _ = std::fs::remove_file(&pdf);
    let seen = browse(
        &format!("http://{}", server.addr),
        &code,
        &month,
        &artifacts,
        &pdf,
    )?;

    signed_in_by_name(&seen["dashboard"], &names(&server, &community)?)?;
    report_shows_the_month(&seen["report"], &report)?;
    pdf_is_printed(&pdf)?;
    assert_eq!(seen["signed_out"]["token_after"], Value::Null, "{seen}");
    assert_eq!(seen["signed_out"]["main_hidden"], true, "{seen}");
    Ok(())
}

/// Station and member names of the community's directory.
fn names(server: &TestServer, community: &str) -> anyhow::Result<Vec<String>> {
    let path = "/api/v1/office/names";
    let names = request(&server.addr, "GET", path, Some(TEST_TOKEN), None)?.json()?;
    let directory = &names["directories"][community];
    Ok(["people", "units", "stations"]
        .iter()
        .filter_map(|f| directory[f].as_object())
        .flat_map(|m| m.values().filter_map(Value::as_str).map(str::to_owned))
        .collect())
}

fn signed_in_by_name(dashboard: &Value, names: &[String]) -> anyhow::Result<()> {
    let sign_in = dashboard["sign_in_text"].as_str().unwrap_or_default();
    assert!(sign_in.contains("登记本电脑"), "{sign_in}");
    let refused = dashboard["refused_text"].as_str().unwrap_or_default();
    assert!(refused.contains("登记码无效"), "a wrong code: {refused}");
    for word in ["令牌", "文档"] {
        assert!(!sign_in.contains(word), "developer word {word}: {sign_in}");
        let text = dashboard["dashboard_text"].as_str().unwrap_or_default();
        assert!(
            !text.contains(word),
            "developer word {word} on the dashboard"
        );
    }
    assert_eq!(dashboard["stored_token"], true, "{dashboard}");
    for list in ["volunteer_names", "station_names"] {
        let shown: Vec<&str> = dashboard[list]
            .as_array()
            .context("a list")?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        ensure!(!shown.is_empty(), "{list} empty: {dashboard}");
        for name in &shown {
            assert!(
                names.iter().any(|n| n == name),
                "{list}: {name} is not a name"
            );
        }
    }
    Ok(())
}

fn report_shows_the_month(seen: &Value, report: &Value) -> anyhow::Result<()> {
    let text = seen["text"].as_str().unwrap_or_default();
    let label = report["label"].as_str().unwrap_or_default();
    assert!(
        text.contains(label) && text.contains("心愿驿站工作报告"),
        "{text}"
    );
    for list in ["需求清单", "资源清单", "项目清单", "已完成项目", "党员"] {
        assert!(text.contains(list), "{list} missing: {text}");
    }
    for figure in ["collected", "resolved", "needs_open", "offers", "projects"] {
        let shown = seen["figures"][figure].as_str().unwrap_or_default();
        let value = report["figures"][figure].as_u64().unwrap_or(u64::MAX);
        assert_eq!(shown.replace(',', ""), value.to_string(), "{figure}");
    }
    assert_eq!(seen["toolbar_hidden"], true, "the toolbar prints: {seen}");
    assert!(seen["charts"].as_u64().unwrap_or(0) > 0, "no chart: {seen}");
    Ok(())
}

fn pdf_is_printed(pdf: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(pdf).with_context(|| format!("no PDF at {}", pdf.display()))?;
    ensure!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let pages = bytes.windows(11).filter(|w| w == b"/Type /Page").count();
    ensure!(pages >= 1, "the PDF has no page");
    ensure!(bytes.len() > 10_000, "the PDF is {} bytes", bytes.len());
    Ok(())
}

fn browse(
    url: &str,
    code: &str,
    month: &str,
    artifacts: &Path,
    pdf: &Path,
) -> anyhow::Result<Value> {
    let args = [
        OsStr::new("--url"),
        OsStr::new(url),
        OsStr::new("--code"),
        OsStr::new(code),
        OsStr::new("--month"),
        OsStr::new(month),
        OsStr::new("--artifacts"),
        artifacts.as_os_str(),
        OsStr::new("--pdf"),
        pdf.as_os_str(),
        OsStr::new("--chromium"),
        OsStr::new(CHROMIUM),
    ];
    run_script("office-report.mjs", &args, PROCESS_TIMEOUT)
}
