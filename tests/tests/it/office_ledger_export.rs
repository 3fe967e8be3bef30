//! The ledger export (`/api/v1/office/export/ledger.csv` and `.xlsx`): every posting of
//! every entry, each entry summing to zero, and as many entries of each kind as the demo
//! wrote; and the service records as a workbook.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use anyhow::{anyhow, ensure, Context};
use calamine::{Reader, Xlsx};
use wish_tests::fixtures::seed_demo;
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// Seeds the demo; returns the entry counts it printed: `(earn, award, redeem)`.
fn seed(data: &std::path::Path) -> anyhow::Result<(usize, usize, usize)> {
    let stdout = seed_demo(BIN, data, 40)?;
    let line = stdout
        .lines()
        .find(|l| l.starts_with("ledger:"))
        .ok_or_else(|| anyhow!("no ledger line in {stdout}"))?;
    let inside = line
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside)
        .ok_or_else(|| anyhow!("unexpected ledger line {line}"))?;
    let count = |kind: &str| -> anyhow::Result<usize> {
        inside
            .split(',')
            .find(|part| part.contains(kind))
            .and_then(|part| part.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| anyhow!("no {kind} count in {line}"))
    };
    Ok((count("earn")?, count("award")?, count("redeem")?))
}

#[test]
fn the_ledger_export_holds_every_balanced_entry() -> anyhow::Result<()> {
    let data = temp_dir();
    let (earn, award, redeem) = seed(data.path())?;
    let server = TestServer::start(BIN, data.path())?;
    let export = request(
        &server.addr,
        "GET",
        "/api/v1/office/export/ledger.csv",
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(export.status, 200, "{}", export.text());
    let text = export.text();
    let text = text
        .strip_prefix('\u{feff}')
        .ok_or_else(|| anyhow!("no BOM"))?;
    let mut lines = text.lines();
    assert!(lines
        .next()
        .is_some_and(|h| h.starts_with("记账时间,类型,账户,积分,时长（小时）")
            && h.contains("条目编号,账户编号")));

    let mut sums: BTreeMap<String, (i64, f64)> = BTreeMap::new();
    let mut kinds: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        ensure!(cells.len() >= 14, "short row {line}");
        let (entry, kind) = (cells[10].to_owned(), cells[1].to_owned());
        let points: i64 = cells[3]
            .parse()
            .with_context(|| format!("points in {line}"))?;
        let hours: f64 = cells[4]
            .parse()
            .with_context(|| format!("hours in {line}"))?;
        let sum = sums.entry(entry.clone()).or_default();
        sum.0 += points;
        sum.1 += hours;
        kinds.entry(kind).or_default().insert(entry);
    }
    for (entry, (points, hours)) in &sums {
        assert_eq!(*points, 0, "entry {entry} does not balance in points");
        assert!(
            hours.abs() < 1e-9,
            "entry {entry} does not balance in hours"
        );
    }
    let entries = |label: &str| kinds.get(label).map_or(0, BTreeSet::len);
    assert_eq!(entries("服务积分"), earn, "{kinds:?}");
    assert_eq!(entries("奖励积分"), award, "{kinds:?}");
    assert_eq!(entries("积分兑换"), redeem, "{kinds:?}");

    // The same rows as Excel workbooks, read back with Chinese intact.
    let postings = text.lines().count() - 1;
    let ledger = workbook(&server, "ledger.xlsx", "积分账本")?;
    assert_eq!(
        ledger.len(),
        postings + 1,
        "header plus one row per posting"
    );
    assert_eq!(ledger[0][0], "记账时间");
    assert!(
        ledger.iter().skip(1).any(|r| r[1] == "积分兑换"),
        "{ledger:?}"
    );
    let records = workbook(&server, "service-records.xlsx", "志愿服务记录")?;
    assert_eq!(records[0][0], "志愿者姓名");
    let unreversed_earns = records.len() - 1;
    assert!(
        unreversed_earns > 0 && unreversed_earns <= earn,
        "{records:?}"
    );
    Ok(())
}

/// An export workbook's sheet as rows of text cells.
fn workbook(server: &TestServer, file: &str, sheet: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let response = request(
        &server.addr,
        "GET",
        &format!("/api/v1/office/export/{file}"),
        Some(TEST_TOKEN),
        None,
    )?;
    ensure!(response.status == 200, "{file}: {}", response.text());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(response.body))?;
    let range = book.worksheet_range(sheet)?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect())
}
