//! Names, not ids, in the office's exports and leaderboard, and the monthly report
//! (`/api/v1/office/report`, `.xlsx`): read back with calamine over the demo community,
//! scoped like every office endpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use anyhow::{anyhow, ensure};
use calamine::{Reader, Xlsx};
use serde_json::{json, Value};
use wish_tests::fixtures::{demo_community, enrollment_code, redeem, seed_demo};
use wish_tests::http::{request, Response};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

fn get(server: &TestServer, path: &str, token: &str) -> anyhow::Result<Response> {
    request(&server.addr, "GET", path, Some(token), None)
}

fn get_json(server: &TestServer, path: &str) -> anyhow::Result<Value> {
    let response = get(server, path, TEST_TOKEN)?;
    ensure!(response.status == 200, "{path}: {}", response.text());
    response.json()
}

/// A sheet of an XLSX answer as rows of text.
fn sheet(response: Response, name: &str) -> anyhow::Result<Vec<Vec<String>>> {
    ensure!(response.status == 200, "{}", response.text());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(response.body))?;
    let range = book.worksheet_range(name)?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect())
}

/// The column of `header` in the first row.
fn column(rows: &[Vec<String>], header: &str) -> anyhow::Result<usize> {
    rows.first()
        .and_then(|h| h.iter().position(|c| c == header))
        .ok_or_else(|| anyhow!("no column {header} in {:?}", rows.first()))
}

/// The demo's directory as `/api/v1/office/names` gives it.
struct Directory {
    community_name: String,
    /// Person and unit names, and their ids.
    member_names: BTreeSet<String>,
    member_ids: BTreeSet<String>,
    station_names: BTreeSet<String>,
    station_ids: BTreeSet<String>,
}

fn directory(server: &TestServer, community: &str) -> anyhow::Result<Directory> {
    let names = get_json(server, "/api/v1/office/names")?;
    let own = &names["directories"][community];
    let map = |field: &str| -> BTreeMap<String, String> {
        serde_json::from_value(own[field].clone()).unwrap_or_default()
    };
    let (people, units, stations) = (map("people"), map("units"), map("stations"));
    ensure!(
        !people.is_empty() && !stations.is_empty(),
        "no directory: {names}"
    );
    Ok(Directory {
        community_name: names["communities"][community]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        member_names: people.values().chain(units.values()).cloned().collect(),
        member_ids: people.keys().chain(units.keys()).cloned().collect(),
        station_names: stations.values().cloned().collect(),
        station_ids: stations.keys().cloned().collect(),
    })
}

fn seeded() -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let data = temp_dir();
    let report = seed_demo(BIN, data.path(), 60)?;
    let community = demo_community(&report)?;
    let server = TestServer::start(BIN, data.path())?;
    Ok((data, server, community))
}

#[test]
fn exports_and_the_leaderboard_name_people_and_stations() -> anyhow::Result<()> {
    let (_data, server, community) = seeded()?;
    let dir = directory(&server, &community)?;
    leaderboard_names_claimants(&server, &dir)?;
    listed_wishes_carry_names(&server, &dir)?;
    wishes_export_names(&server, &dir)?;
    service_records_name_volunteers(&server, &dir)?;
    ledger_names_accounts(&server, &dir)?;
    Ok(())
}

fn leaderboard_names_claimants(server: &TestServer, dir: &Directory) -> anyhow::Result<()> {
    let board = get_json(server, "/api/v1/office/volunteers?per_page=100")?;
    let rows = board["leaderboard"].as_array().cloned().unwrap_or_default();
    ensure!(!rows.is_empty(), "{board}");
    for row in &rows {
        let name = row["name"].as_str().unwrap_or_default();
        assert!(dir.member_names.contains(name), "{row}");
        assert_ne!(name, row["claimant"].as_str().unwrap_or_default());
    }
    Ok(())
}

/// The wish list and overdue answers carry the names next to the ids.
fn listed_wishes_carry_names(server: &TestServer, dir: &Directory) -> anyhow::Result<()> {
    for path in [
        "/api/v1/office/wishes?per_page=100",
        "/api/v1/office/overdue?per_page=100",
    ] {
        let page = get_json(server, path)?;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        ensure!(!items.is_empty(), "{path}: {page}");
        for item in &items {
            let names = &item["names"];
            assert_eq!(names["community"], dir.community_name.as_str(), "{item}");
            let station = names["station"].as_str().unwrap_or_default();
            assert!(dir.station_names.contains(station), "{item}");
            let claimants = names["claimants"].as_array().map_or(0, Vec::len);
            assert_eq!(claimants, item["claimants"].as_array().map_or(0, Vec::len));
        }
    }
    Ok(())
}

fn wishes_export_names(server: &TestServer, dir: &Directory) -> anyhow::Result<()> {
    let rows = sheet(
        get(server, "/api/v1/office/export/wishes.xlsx", TEST_TOKEN)?,
        "心愿清单",
    )?;
    assert_eq!(rows[0][0], "标题", "{:?}", rows[0]);
    let last = rows[0].len() - 1;
    assert_eq!(rows[0][last], "文档编号");
    let (community, station) = (column(&rows, "社区")?, column(&rows, "驿站")?);
    let (claimants, claimant_ids) = (column(&rows, "认领方")?, column(&rows, "认领方编号")?);
    let station_id = column(&rows, "驿站编号")?;
    assert!(
        community < column(&rows, "心愿编号")?,
        "ids come last: {:?}",
        rows[0]
    );
    let mut named_claimants = 0;
    for row in &rows[1..] {
        assert_eq!(row[community], dir.community_name, "{row:?}");
        assert!(dir.station_names.contains(&row[station]), "{row:?}");
        assert!(dir.station_ids.contains(&row[station_id]), "{row:?}");
        for (name, id) in row[claimants]
            .split('、')
            .zip(row[claimant_ids].split('、'))
        {
            if id.is_empty() {
                continue;
            }
            assert!(dir.member_names.contains(name), "{row:?}");
            assert!(dir.member_ids.contains(id), "{row:?}");
            named_claimants += 1;
        }
        no_personal_data(row)?;
    }
    ensure!(named_claimants > 0, "no claimant in the export");
    Ok(())
}

fn service_records_name_volunteers(server: &TestServer, dir: &Directory) -> anyhow::Result<()> {
    let path = "/api/v1/office/export/service-records.xlsx";
    let rows = sheet(get(server, path, TEST_TOKEN)?, "志愿服务记录")?;
    assert_eq!(rows[0][0], "志愿者姓名", "{:?}", rows[0]);
    let recorder = column(&rows, "记录人姓名")?;
    let (volunteer_id, recorder_id) = (column(&rows, "志愿者编号")?, column(&rows, "记录人编号")?);
    assert!(recorder < column(&rows, "记录编号")?, "{:?}", rows[0]);
    ensure!(rows.len() > 1, "no service records");
    for row in &rows[1..] {
        assert!(dir.member_names.contains(&row[0]), "{row:?}");
        assert!(dir.member_ids.contains(&row[volunteer_id]), "{row:?}");
        assert!(
            dir.member_names.contains(&row[recorder]) || row[recorder].ends_with("（未登记）"),
            "{row:?}"
        );
        assert!(!row[recorder_id].is_empty(), "{row:?}");
        assert_eq!(row[column(&rows, "社区")?], dir.community_name);
        no_personal_data(row)?;
    }
    Ok(())
}

fn ledger_names_accounts(server: &TestServer, dir: &Directory) -> anyhow::Result<()> {
    let path = "/api/v1/office/export/ledger.xlsx";
    let rows = sheet(get(server, path, TEST_TOKEN)?, "积分账本")?;
    let (account, account_id) = (column(&rows, "账户")?, column(&rows, "账户编号")?);
    assert!(account < account_id, "{:?}", rows[0]);
    for row in &rows[1..] {
        let id = &row[account_id];
        if let Some(member) = id.split_once(':').map(|(_, id)| id) {
            if dir.member_ids.contains(member) {
                assert!(dir.member_names.contains(&row[account]), "{row:?}");
            }
        }
        assert!(
            !row[account].contains(':'),
            "an account id as its name: {row:?}"
        );
    }
    Ok(())
}

/// No cell looks like a resident's phone number (the only personal data exports could
/// leak: wish, ledger and directory rows hold no residents' names).
fn no_personal_data(row: &[String]) -> anyhow::Result<()> {
    for cell in row {
        let digits = cell.chars().filter(char::is_ascii_digit).count();
        let phone = digits == 11 && cell.starts_with('1') && cell.len() == 11;
        ensure!(!phone, "a phone number in {row:?}");
    }
    Ok(())
}

/// `YYYY-MM` of today, local time (UTC+8): the demo's wishes count back from today.
pub fn this_month() -> String {
    let now = wish_server::clock::now_ms();
    wish_server::aggregate::format_local(now)[..7].to_owned()
}

#[test]
fn the_monthly_report_counts_the_month_and_is_scoped() -> anyhow::Result<()> {
    let (_data, server, community) = seeded()?;
    let month = this_month();
    let report = get_json(&server, &format!("/api/v1/office/report?month={month}"))?;
    let figures = &report["figures"];
    let (first, last) = (format!("{month}-01"), month_end(&month));
    let listed = get_json(
        &server,
        &format!("/api/v1/office/wishes?from={first}&to={last}&per_page=1"),
    )?;
    assert_eq!(figures["collected"], listed["total"], "{report}");
    assert!(figures["collected"].as_u64().unwrap_or(0) > 0, "{report}");
    assert_eq!(report["scope_name"], "全部社区");
    let lists = get_json(&server, "/api/v1/office/lists")?;
    assert_eq!(figures["offers"], lists["offers"]["total"]);
    assert_eq!(figures["projects"], lists["projects"]["total"]);
    assert_eq!(figures["needs_open"], lists["needs"]["open"]);

    let book = get(
        &server,
        &format!("/api/v1/office/report.xlsx?month={month}"),
        TEST_TOKEN,
    )?;
    let overview = sheet(book, "概况")?;
    let collected = overview
        .iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with("新收集心愿")))
        .ok_or_else(|| anyhow!("no collected row: {overview:?}"))?;
    assert_eq!(collected[1], figures["collected"].to_string());
    for name in ["按服务模块", "按驿站", "志愿服务"] {
        let book = get(
            &server,
            &format!("/api/v1/office/report.xlsx?month={month}"),
            TEST_TOKEN,
        )?;
        let rows = sheet(book, name)?;
        assert!(rows.len() > 3, "sheet {name} is empty: {rows:?}");
    }
    let bad = get(&server, "/api/v1/office/report?month=2026-13", TEST_TOKEN)?;
    assert_eq!(bad.status, 400);
    scoped(&server, &community, &month)
}

/// The last day of `YYYY-MM` (the wish list's `to` is inclusive of a date).
fn month_end(month: &str) -> String {
    let (year, m): (i32, u32) = (
        month[..4].parse().unwrap_or(2026),
        month[5..].parse().unwrap_or(1),
    );
    let days = match m {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{month}-{days}")
}

/// Office devices see their own community, not another; volunteers see none.
fn scoped(server: &TestServer, community: &str, month: &str) -> anyhow::Result<()> {
    let device = |role: &str, community: &str, stations: Vec<&str>| -> anyhow::Result<String> {
        let body = json!({ "role": role, "person": format!("p-{role}"), "community": community,
            "stations": stations });
        Ok(redeem(server, &enrollment_code(server, &body)?, role)?.0)
    };
    let office = device("office", community, vec![])?;
    let other = device("office", "another-community", vec![])?;
    let volunteer = device("volunteer", community, vec!["A"])?;
    for path in [
        format!("/api/v1/office/report?month={month}"),
        format!("/api/v1/office/report.xlsx?month={month}"),
        "/api/v1/office/names".to_owned(),
    ] {
        assert_eq!(get(server, &path, &office)?.status, 200, "{path}");
        assert_eq!(get(server, &path, &volunteer)?.status, 403, "{path}");
        let foreign = format!("{path}{}community={community}", sep(&path));
        assert_eq!(get(server, &foreign, &other)?.status, 403, "{foreign}");
        assert_eq!(
            request(&server.addr, "GET", &path, None, None)?.status,
            401,
            "{path}"
        );
    }
    let theirs = get(server, "/api/v1/office/names", &other)?.json()?;
    assert!(
        theirs["communities"]
            .as_object()
            .is_some_and(|c| c.is_empty()),
        "{theirs}"
    );
    let own = get(
        server,
        &format!("/api/v1/office/report?month={month}"),
        &office,
    )?
    .json()?;
    assert_eq!(own["community"], community);
    let openapi = get_json(server, "/api/v1/openapi.json")?;
    for path in ["names", "report", "report.xlsx"] {
        let key = format!("/api/v1/office/{path}");
        assert!(openapi["paths"][&key]["get"].is_object(), "{key}");
    }
    Ok(())
}

fn sep(path: &str) -> char {
    if path.contains('?') {
        '&'
    } else {
        '?'
    }
}
