//! The office's roster coverage, three lists and volunteer service records over a server
//! seeded by `demo`: the figures come from the office rows the demo writes with its
//! documents, and must agree with a recount from the documents themselves, read from the
//! store before the server starts.

use std::path::Path;
use std::process::Command;

use anyhow::{anyhow, ensure, Context};
use automerge::Automerge;
use serde_json::Value;
use wish_client_core::model::station::Shift;
use wish_client_core::model::{CommunityView, LedgerKind, LedgerView, StationView};
use wish_client_core::proto::DocumentId;
use wish_server::aggregate::{format_local, parse_local_date};
use wish_server::storage::Storage;
use wish_tests::{http, temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// What the demo wrote, recounted from its documents.
struct Seeded {
    stations: Vec<StationView>,
    community: CommunityView,
    ledger: LedgerView,
    printed_shifts: usize,
    printed_earns: usize,
}

fn number_before(text: &str, marker: &str) -> anyhow::Result<usize> {
    let head = text
        .split(marker)
        .next()
        .filter(|_| text.contains(marker))
        .ok_or_else(|| anyhow!("no {marker:?} in {text}"))?;
    let word = head.split_whitespace().last().unwrap_or_default();
    let digits = word.trim_start_matches('(');
    digits
        .parse()
        .with_context(|| format!("{digits:?} before {marker:?}"))
}

fn url_in(line: &str) -> Option<DocumentId> {
    line.split_whitespace()
        .find(|w| w.starts_with("automerge:"))
        .and_then(|w| w.parse().ok())
}

fn load(storage: &dyn Storage, id: &DocumentId) -> anyhow::Result<Automerge> {
    let mut doc = Automerge::new();
    let chunks = storage.load_range(&[id.to_string()])?;
    for (key, bytes) in chunks {
        if key
            .get(1)
            .is_some_and(|k| k == "snapshot" || k == "incremental")
        {
            doc.load_incremental(&bytes)?;
        }
    }
    Ok(doc)
}

fn seed(data: &Path) -> anyhow::Result<Seeded> {
    let out = Command::new(BIN)
        .args(["demo", "--communities", "1", "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .output()
        .context("run demo")?;
    let stdout = String::from_utf8(out.stdout)?;
    ensure!(
        out.status.success(),
        "demo failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |prefix: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .ok_or_else(|| anyhow!("no {prefix:?} line in {stdout}"))
    };
    let community_id = url_in(line("community: ")?).ok_or_else(|| anyhow!("community url"))?;
    let ledger_line = line("ledger: ")?;
    let ledger_id = url_in(ledger_line).ok_or_else(|| anyhow!("ledger url"))?;
    let printed_earns = number_before(ledger_line, " earn,")?;
    let printed_shifts = number_before(line("directory: ")?, " roster shifts")?;
    let station_ids: Vec<DocumentId> = stdout
        .lines()
        .skip_while(|l| *l != "stations:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(url_in)
        .collect();
    ensure!(!station_ids.is_empty(), "no stations in {stdout}");

    let storage = wish_server::server::open_store(data)?;
    let stations = station_ids
        .iter()
        .map(|id| Ok(StationView::read(&load(storage.as_ref(), id)?)?))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let community = CommunityView::read(&load(storage.as_ref(), &community_id)?)?;
    let ledger = LedgerView::read(&load(storage.as_ref(), &ledger_id)?)?;
    drop(storage);
    Ok(Seeded {
        stations,
        community,
        ledger,
        printed_shifts,
        printed_earns,
    })
}

fn get(server: &TestServer, path: &str) -> anyhow::Result<http::Response> {
    let response = http::request(&server.addr, "GET", path, Some(TEST_TOKEN), None)?;
    ensure!(response.status == 200, "{path}: {}", response.text());
    Ok(response)
}

fn count(value: &Value) -> usize {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX)
}

#[test]
fn roster_lists_and_service_records_agree_with_the_demo_documents() -> anyhow::Result<()> {
    let data = temp_dir();
    let seeded = seed(data.path())?;
    let server = TestServer::start(BIN, data.path())?;

    // Roster coverage: every shift of every station, none loaded from documents.
    let shifts: Vec<_> = seeded
        .stations
        .iter()
        .flat_map(|s| s.shifts.values())
        .collect();
    assert!(!shifts.is_empty(), "the demo made no shifts");
    assert_eq!(shifts.len(), seeded.printed_shifts);
    // "Now" is noon of the middle roster day, so some shifts are past and some are not,
    // whatever the clock says.
    let mut dates: Vec<&str> = shifts.iter().map(|s| s.date.as_str()).collect();
    dates.sort_unstable();
    let middle = dates[dates.len() / 2];
    let now_ms = parse_local_date(middle).ok_or_else(|| anyhow!("date {middle}"))? + 12 * 3_600_000;
    let now = format_local(now_ms);
    let is_past = |s: &Shift| format!("{} {}", s.date, s.end) <= now;
    let roster = get(
        &server,
        &format!("/api/v1/office/roster-coverage?now={now_ms}"),
    )?
    .json()?;
    let totals = &roster["totals"];
    assert_eq!(
        count(&totals["stations"]),
        seeded.stations.len(),
        "{roster}"
    );
    assert_eq!(count(&totals["shifts"]), shifts.len(), "{roster}");
    let uncovered = shifts.iter().filter(|s| s.assignees.is_empty()).count();
    assert_eq!(count(&totals["uncovered"]), uncovered, "{roster}");
    assert_eq!(count(&totals["covered"]), shifts.len() - uncovered);
    let past = shifts.iter().filter(|s| is_past(s)).count();
    assert!(past > 0 && past < shifts.len(), "{roster}");
    assert_eq!(count(&totals["past"]), past, "{roster}");
    let missed = shifts
        .iter()
        .filter(|s| is_past(s) && s.checkins.is_empty())
        .count();
    assert_eq!(count(&totals["past_without_checkin"]), missed, "{roster}");
    let listed: usize = roster["stations"]
        .as_array()
        .ok_or_else(|| anyhow!("no stations: {roster}"))?
        .iter()
        .map(|s| s["uncovered_shifts"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(listed, uncovered);

    // A one-day range holds exactly that day's shifts.
    let day = shifts[0].date.clone();
    let on_day = shifts.iter().filter(|s| s.date == day).count();
    let path = format!("/api/v1/office/roster-coverage?from={day}&to={day}&now={now_ms}");
    let one_day = get(&server, &path)?.json()?;
    assert_eq!(count(&one_day["totals"]["shifts"]), on_day, "{one_day}");
    let bad = http::request(
        &server.addr,
        "GET",
        "/api/v1/office/roster-coverage?from=yesterday",
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(bad.status, 400);

    // The three lists.
    let lists = get(&server, "/api/v1/office/lists")?.json()?;
    let c = &seeded.community;
    assert!(!c.offers.is_empty() && !c.projects.is_empty());
    assert_eq!(count(&lists["offers"]["total"]), c.offers.len(), "{lists}");
    let active = c.offers.values().filter(|o| o.active).count();
    assert_eq!(count(&lists["offers"]["active"]), active);
    assert_eq!(count(&lists["projects"]["total"]), c.projects.len());
    let by_status: usize = lists["projects"]["by_status"]
        .as_object()
        .map_or(0, |m| m.values().map(count).sum());
    assert_eq!(by_status, c.projects.len());
    let summary = get(&server, "/api/v1/office/summary")?.json()?;
    let open: usize = [
        "collected",
        "verified",
        "published",
        "claimed",
        "assigned",
        "in_progress",
    ]
    .iter()
    .map(|s| summary["by_status"][s].as_u64().map_or(0, |n| n as usize))
    .sum();
    assert!(open > 0, "{summary}");
    assert_eq!(count(&lists["needs"]["open"]), open, "{lists}");
    let by_module: usize = lists["needs"]["by_module"]
        .as_object()
        .map_or(0, |m| m.values().map(count).sum());
    assert_eq!(by_module, open);
    for suggestion in lists["suggestions"].as_array().into_iter().flatten() {
        let module = suggestion["module"].as_str().unwrap_or_default();
        let offers = suggestion["offers"].as_array().cloned().unwrap_or_default();
        assert!(!offers.is_empty(), "{suggestion}");
        for offer in offers {
            let offer = c
                .offers
                .get(offer.as_str().unwrap_or_default())
                .ok_or_else(|| anyhow!("unknown offer in {suggestion}"))?;
            assert_eq!(offer.module.as_str(), module);
            assert!(offer.active);
        }
    }

    // Volunteer service records: one row per earn entry not reversed.
    let earns: Vec<_> = seeded
        .ledger
        .entries
        .values()
        .filter(|e| e.kind == LedgerKind::Earn)
        .filter(|e| seeded.ledger.reversal_of(&e.id).is_none())
        .collect();
    assert!(!earns.is_empty(), "the demo confirmed no hours");
    let all_earns = seeded
        .ledger
        .entries
        .values()
        .filter(|e| e.kind == LedgerKind::Earn)
        .count();
    assert_eq!(all_earns, seeded.printed_earns);
    let csv = get(&server, "/api/v1/office/export/service-records.csv")?;
    assert!(csv.body.starts_with("\u{feff}".as_bytes()), "no BOM");
    let text = csv.text();
    let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
    let header = lines.next().unwrap_or_default();
    for column in [
        "志愿者姓名",
        "服务内容",
        "服务时间",
        "服务时长（小时）",
        "服务评价",
        "记录人姓名",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), earns.len(), "{text}");
    for earn in &earns {
        let row = rows
            .iter()
            .find(|r| r.contains(&format!(",{},", earn.id)))
            .ok_or_else(|| anyhow!("no row for {}", earn.id))?;
        assert!(row.contains(&earn.by), "{row}");
    }
    // Every record names its wish's title, joined from the office index.
    let titled = rows
        .iter()
        .filter(|r| r.split(',').nth(1).is_some_and(|t| !t.is_empty()))
        .count();
    assert_eq!(titled, rows.len(), "{text}");

    // The endpoints are described.
    let openapi = get(&server, "/api/v1/openapi.json")?.json()?;
    for path in [
        "/api/v1/office/roster-coverage",
        "/api/v1/office/lists",
        "/api/v1/office/export/service-records.csv",
    ] {
        assert!(openapi["paths"][path]["get"].is_object(), "{path}");
    }
    let anonymous = http::request(&server.addr, "GET", "/api/v1/office/lists", None, None)?;
    assert_eq!(anonymous.status, 401);
    Ok(())
}
