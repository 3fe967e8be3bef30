//! `wish-station migrate` copies a store from redb to PostgreSQL and back: the server on
//! PostgreSQL answers what it answered on redb, and the round trip changes no key or value.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use wish_server::server::StoreLocation;
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

type Dump = BTreeMap<Vec<String>, Vec<u8>>;

fn wish_station(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    anyhow::ensure!(
        out.status.success(),
        "{args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(stdout)
}

fn migrate(from: &str, to: &str) -> anyhow::Result<String> {
    wish_station(&["migrate", "--from", from, "--to", to, "--batch-mib", "1"])
}

/// Every key and value of a store (read through the same `Storage` trait).
fn dump(location: &str) -> anyhow::Result<Dump> {
    let store = StoreLocation::parse(location).open(8 << 20)?;
    let mut all = Dump::new();
    let mut after: Option<Vec<String>> = None;
    loop {
        let page = store.load_page(after.as_deref(), 1 << 20)?;
        let Some((last, _)) = page.last() else {
            return Ok(all);
        };
        after = Some(last.clone());
        all.extend(page);
    }
}

/// The office counts the server answers, without anything that depends on the clock.
fn counts(server: &TestServer) -> anyhow::Result<serde_json::Value> {
    let answer = request(
        &server.addr,
        "GET",
        "/api/v1/summary",
        Some(TEST_TOKEN),
        None,
    )?;
    anyhow::ensure!(
        answer.status == 200,
        "summary: {} {}",
        answer.status,
        answer.text()
    );
    let summary = answer.json()?;
    Ok(serde_json::json!({
        "total": summary["total"],
        "by_status": summary["by_status"],
        "by_module": summary["by_module"],
    }))
}

fn served_counts(data: &Path, extra: &[&str]) -> anyhow::Result<serde_json::Value> {
    let server = TestServer::start_with_args(BIN, data, extra)?;
    let counts = counts(&server)?;
    server.terminate()?;
    Ok(counts)
}

#[test]
fn a_demo_store_moves_to_postgres_and_back_unchanged() -> anyhow::Result<()> {
    let Some(url) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let redb_dir = temp_dir();
    let redb = redb_dir.path().to_string_lossy().into_owned();
    wish_station(&[
        "demo",
        "--communities",
        "1",
        "--wishes",
        "60",
        "--data",
        &redb,
    ])?;
    let on_redb = served_counts(redb_dir.path(), &[])?;
    assert!(on_redb["total"].as_u64() >= Some(60), "{on_redb}");

    let out = migrate(&redb, &url)?;
    assert!(out.contains("migrate: copied"), "{out}");
    assert_eq!(
        dump(&url)?,
        dump(&redb)?,
        "redb → PostgreSQL copies every key"
    );

    let files = temp_dir();
    let on_postgres = served_counts(files.path(), &["--storage", &url])?;
    assert_eq!(
        on_postgres, on_redb,
        "the server on PostgreSQL answers the same"
    );

    let back_dir = temp_dir();
    let back = back_dir.path().to_string_lossy().into_owned();
    migrate(&url, &back)?;
    assert_eq!(
        dump(&back)?,
        dump(&url)?,
        "PostgreSQL → redb copies every key"
    );
    Ok(())
}

#[test]
fn migrate_refuses_a_non_empty_target() -> anyhow::Result<()> {
    let Some(url) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let dir = temp_dir();
    let data = dir.path().to_string_lossy().into_owned();
    wish_station(&[
        "demo",
        "--communities",
        "1",
        "--wishes",
        "5",
        "--data",
        &data,
    ])?;
    migrate(&data, &url)?;
    let again = Command::new(BIN)
        .args(["migrate", "--from", &data, "--to", &url])
        .output()?;
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("not empty"), "{stderr}");
    Ok(())
}
