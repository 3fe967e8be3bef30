//! Two `wish-station serve` processes on one PostgreSQL database (issue 18), with real
//! WebSocket clients on each: the native client and one stock JS automerge-repo client.
//! A change accepted by one process reaches the other's peers; a claim race across them
//! is arbitrated once; a contact deleted and a device revoked through one are gone on the
//! other; a process killed mid-ingest and a PostgreSQL restart lose nothing acknowledged.
//!
//! The database is a throwaway cluster (`wish-pg-cluster`); `WISH_SKIP_POSTGRES=1` skips
//! these tests.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use automerge::{Automerge, ReadDoc, ROOT};
use futures_util::StreamExt;
use tokio_tungstenite::connect_async;
use wish_client_core::model::{ClaimKind, WishView};
use wish_client_core::native::{FsStore, NativeClient};
use wish_client_core::ops::wish;
use wish_client_core::ops::Stamp;
use wish_client_core::proto::DocumentId;
use wish_tests::clients::{
    client, create_list_doc, push_item, upload, wait_for_items, SYNC_TIMEOUT,
};
use wish_tests::fixtures::{collected_on, enroll, enrollment_code, wish_with_contact};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// Two processes on one database, each with its own data directory.
struct Pair {
    a: TestServer,
    b: TestServer,
    _dirs: tempfile::TempDir,
}

fn start_pair(database: &str) -> anyhow::Result<Pair> {
    let dirs = temp_dir();
    let args = ["--storage", database];
    let a = TestServer::start_with_args(BIN, &dirs.path().join("a"), &args)?;
    let b = TestServer::start_with_args(BIN, &dirs.path().join("b"), &args)?;
    Ok(Pair { a, b, _dirs: dirs })
}

/// Runs a command of `tests/js/interop.mjs` (the stock automerge-repo client).
fn interop(command: &str, url: &str, args: &[&str]) -> anyhow::Result<serde_json::Value> {
    let mut all: Vec<&OsStr> = vec![OsStr::new(command), OsStr::new("--url"), OsStr::new(url)];
    all.extend(args.iter().map(OsStr::new));
    run_script("interop.mjs", &all, Duration::from_secs(60))
}

fn items_expected(prefixes: &[&str], n: usize) -> Vec<String> {
    prefixes
        .iter()
        .flat_map(|p| (0..n).map(move |k| format!("{p}-{k}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_on_two_processes_converge_native_and_js() -> anyhow::Result<()> {
    let Some(database) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let pair = start_pair(&database)?;
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    let on_a = client(&pair.a.ws_url(), dir_a.path(), false).await?;
    let on_b = client(&pair.b.ws_url(), dir_b.path(), false).await?;
    let doc = create_list_doc(&on_a).await?;
    on_a.wait_saved(doc, SYNC_TIMEOUT).await?;
    on_b.open(doc).await?;
    wait_for_items(&on_b, doc, &[]).await?;
    for k in 0..5 {
        push_item(&on_a, doc, format!("a-{k}")).await?;
        push_item(&on_b, doc, format!("b-{k}")).await?;
    }
    let all = items_expected(&["a", "b"], 5);
    wait_for_items(&on_a, doc, &all).await?;
    wait_for_items(&on_b, doc, &all).await?;
    // A stock automerge-repo client edits through process B; both sides see it.
    let url = format!("automerge:{doc}");
    interop("edit", &pair.b.ws_url(), &["--doc", &url, "--set", "js=1"])?;
    on_a.wait_until(doc, SYNC_TIMEOUT, "the JS edit", move |d| {
        d.document(&doc)
            .and_then(|d| d.get(ROOT, "js").ok().flatten())
            .is_some()
    })
    .await?;
    let read = interop(
        "read",
        &pair.a.ws_url(),
        &["--doc", &url, "--expect-key", "js", "--expect-value", "1"],
    )?;
    assert_eq!(
        read["doc"]["items"].as_array().map(Vec::len),
        Some(10),
        "{read}"
    );
    Ok(())
}

fn stamp<'a>(id: &'a str, by: &'a str) -> Stamp<'a> {
    Stamp {
        id,
        by,
        device: "d-test",
        now_ms: 1_700_000_100_000,
    }
}

/// A published wish with one place (the fixtures' capacity).
fn published_wish(seed: u8) -> anyhow::Result<(DocumentId, Automerge)> {
    let (wish_id, mut doc, _, _) = wish_with_contact("A", "p-li", seed)?;
    wish::verify(&mut doc, stamp(&format!("v{seed}"), "p-coord"))?;
    wish::publish(&mut doc, stamp(&format!("p{seed}"), "p-coord"))?;
    Ok((wish_id, doc))
}

async fn claim(c: &NativeClient, wish_id: DocumentId, who: &str) -> anyhow::Result<()> {
    let (id, who) = (format!("claim-{who}"), who.to_owned());
    c.change(wish_id, move |d| {
        wish::claim(d, stamp(&id, &who), ClaimKind::Person, &who, None).map_err(|e| e.to_string())
    })
    .await?
    .map_err(anyhow::Error::msg)
}

/// Waits until the client's wish has both claims and at least one assignment; returns
/// its assignments then.
async fn settled_assignments(c: &NativeClient, wish_id: DocumentId) -> anyhow::Result<usize> {
    c.wait_until(
        wish_id,
        SYNC_TIMEOUT,
        "both claims and an assignment",
        move |d| {
            d.document(&wish_id)
                .and_then(|doc| WishView::read(doc).ok())
                .is_some_and(|w| w.claims.len() == 2 && w.active_assignments() > 0)
        },
    )
    .await?;
    let count = c
        .read(wish_id, |d| {
            WishView::read(d).map(|w| w.active_assignments())
        })
        .await?;
    Ok(count.transpose()?.unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_race_across_processes_is_arbitrated_exactly_once() -> anyhow::Result<()> {
    let Some(database) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let pair = start_pair(&database)?;
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    let on_a = client(&pair.a.ws_url(), dir_a.path(), false).await?;
    let on_b = client(&pair.b.ws_url(), dir_b.path(), false).await?;
    for seed in 1..=4u8 {
        let (wish_id, doc) = published_wish(seed)?;
        upload(&on_a, wish_id, &doc).await?;
        on_b.open(wish_id).await?;
        on_b.wait_until(wish_id, SYNC_TIMEOUT, "the wish", move |d| {
            d.document(&wish_id)
                .is_some_and(|d| !d.get_heads().is_empty())
        })
        .await?;
        // Both claim the one place at once, through different processes.
        let (who_a, who_b) = (format!("vol-a{seed}"), format!("vol-b{seed}"));
        let (first, second) =
            tokio::join!(claim(&on_a, wish_id, &who_a), claim(&on_b, wish_id, &who_b));
        first?;
        second?;
        assert_eq!(
            settled_assignments(&on_a, wish_id).await?,
            1,
            "wish {seed} on A"
        );
        assert_eq!(
            settled_assignments(&on_b, wish_id).await?,
            1,
            "wish {seed} on B"
        );
        // Nothing more is assigned later either.
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let count = on_a
            .read(wish_id, |d| {
                WishView::read(d).map(|w| w.active_assignments())
            })
            .await?;
        assert_eq!(count.transpose()?, Some(1), "wish {seed} after a pause");
    }
    Ok(())
}

fn has_files(dir: &Path, doc: DocumentId) -> anyhow::Result<bool> {
    Ok(FsStore::new(dir)?.doc_dir(&doc).exists())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_revocation_and_codes_hold_on_both_processes() -> anyhow::Result<()> {
    let Some(database) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let pair = start_pair(&database)?;
    // A code is redeemed once, whichever process each redemption reaches.
    let body = serde_json::json!({ "role": "volunteer", "person": "p-zhao", "community": "c1", "stations": ["A"] });
    let code = enrollment_code(&pair.a, &body)?;
    let redeem = |server: &TestServer| {
        let body = serde_json::json!({ "code": code, "name": "tablet" });
        request(&server.addr, "POST", "/api/v1/enroll", None, Some(&body)).map(|r| r.status)
    };
    let statuses = [redeem(&pair.a)?, redeem(&pair.b)?];
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    // A tablet enrolled through A works on B, holding its own wish and contact.
    let (token, device) = enroll(&pair.a, "volunteer", "p-li", &["A"], 30)?;
    let url_b = pair.b.ws_url_for(&token);
    let dir = temp_dir();
    let tablet = client(&url_b, dir.path(), false).await?;
    let (wish_id, wish_doc, contact_id, contact) = collected_on(&device, "A", "p-li", 21)?;
    upload(&tablet, wish_id, &wish_doc).await?;
    upload(&tablet, contact_id, &contact).await?;
    // The contact is deleted through A: the tablet on B drops it.
    let path = format!("/api/v1/contacts/{contact_id}");
    let deleted = request(&pair.a.addr, "DELETE", &path, Some(TEST_TOKEN), None)?;
    assert_eq!(deleted.status, 202, "{}", deleted.text());
    let deadline = tokio::time::Instant::now() + SYNC_TIMEOUT;
    while tablet.read(contact_id, |_| ()).await?.is_some() || has_files(dir.path(), contact_id)? {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the contact is still held"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The device is revoked through A: its socket on B closes, and B refuses it.
    let (mut socket, _) = connect_async(&url_b).await?;
    let revoke = format!("/api/v1/devices/{device}/revoke");
    let revoked = request(&pair.a.addr, "POST", &revoke, Some(TEST_TOKEN), None)?;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    let closed = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    assert!(
        closed.is_ok(),
        "the revoked device's socket on B stayed open"
    );
    let refused = connect_async(&url_b).await;
    assert!(refused.is_err(), "B still accepts the revoked token");
    Ok(())
}

/// Pushes items `prefix-0..n` with the writer, recording after each push how many were
/// acknowledged (saved on the server) so far; kills `victim` once `kill_after` are pushed.
async fn ingest_until_killed(
    writer: &NativeClient,
    doc: DocumentId,
    n: usize,
    kill_after: usize,
    victim: TestServer,
) -> anyhow::Result<usize> {
    let mut acknowledged = 0;
    let mut victim = Some(victim);
    for k in 0..n {
        push_item(writer, doc, format!("w-{k}")).await?;
        tokio::time::sleep(Duration::from_millis(20)).await;
        if writer.is_saved_on_server(doc).await? {
            acknowledged = k + 1;
        }
        if k + 1 == kill_after {
            if let Some(server) = victim.take() {
                server.kill()?;
            }
        }
    }
    Ok(acknowledged)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_mid_ingest_loses_no_acknowledged_change() -> anyhow::Result<()> {
    let Some(database) = wish_pg_cluster::test_database() else {
        return Ok(());
    };
    let Pair { a, b, _dirs } = start_pair(&database)?;
    let url_b = b.ws_url();
    let (dir_w, dir_r) = (temp_dir(), temp_dir());
    let writer = client(&a.ws_url(), dir_w.path(), false).await?;
    let reader = client(&url_b, dir_r.path(), false).await?;
    let doc = create_list_doc(&writer).await?;
    writer.wait_saved(doc, SYNC_TIMEOUT).await?;
    reader.open(doc).await?;
    wait_for_items(&reader, doc, &[]).await?;
    let acknowledged = ingest_until_killed(&writer, doc, 60, 40, a).await?;
    assert!(
        acknowledged >= 10,
        "only {acknowledged} acknowledged before the kill"
    );
    // Every acknowledged item reached B (through PostgreSQL), without the writer.
    let wanted: Vec<String> = (0..acknowledged).map(|k| format!("w-{k}")).collect();
    reader
        .wait_until(doc, SYNC_TIMEOUT, "the acknowledged items", move |d| {
            let items = d
                .document(&doc)
                .and_then(wish_tests::clients::read_items_of);
            items.is_some_and(|items| wanted.iter().all(|w| items.contains(w)))
        })
        .await?;
    // The writer's tablet reconnects to B (its stored state, a new socket) and the rest
    // of what it wrote arrives too.
    drop(writer);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let moved = client(&url_b, dir_w.path(), false).await?;
    let everything: Vec<String> = (0..60).map(|k| format!("w-{k}")).collect();
    wait_for_items(&moved, doc, &everything).await?;
    wait_for_items(&reader, doc, &everything).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_mid_run_loses_nothing_acknowledged() -> anyhow::Result<()> {
    if wish_pg_cluster::skip_requested() {
        return Ok(());
    }
    // Its own cluster: restarting the shared one would cut the other tests' sessions.
    let cluster = wish_pg_cluster::Cluster::start()?;
    let pair = start_pair(&cluster.create_database()?)?;
    let (dir_w, dir_r) = (temp_dir(), temp_dir());
    let writer = client(&pair.a.ws_url(), dir_w.path(), false).await?;
    let reader = client(&pair.b.ws_url(), dir_r.path(), false).await?;
    let doc = create_list_doc(&writer).await?;
    writer.wait_saved(doc, SYNC_TIMEOUT).await?;
    reader.open(doc).await?;
    wait_for_items(&reader, doc, &[]).await?;
    for k in 0..10 {
        push_item(&writer, doc, format!("w-{k}")).await?;
    }
    writer.wait_saved(doc, SYNC_TIMEOUT).await?;
    let before: Vec<String> = (0..10).map(|k| format!("w-{k}")).collect();
    wait_for_items(&reader, doc, &before).await?;
    cluster.restart()?;
    for k in 10..20 {
        push_item(&writer, doc, format!("w-{k}")).await?;
        push_item(&reader, doc, format!("r-{k}")).await?;
    }
    let mut all: Vec<String> = (0..20).map(|k| format!("w-{k}")).collect();
    all.extend((10..20).map(|k| format!("r-{k}")));
    wait_for_items(&writer, doc, &all).await?;
    wait_for_items(&reader, doc, &all).await?;
    // And a fresh client of each process finds all of it in PostgreSQL.
    for server in [&pair.a, &pair.b] {
        let dir = temp_dir();
        let fresh = client(&server.ws_url(), dir.path(), false).await?;
        fresh.open(doc).await?;
        wait_for_items(&fresh, doc, &all).await?;
    }
    Ok(())
}
