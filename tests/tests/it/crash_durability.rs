//! Every change a client has seen come back from the server survives the server being
//! stopped, and being killed with SIGKILL, between and during edits.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use wish_tests::clients::{
    client, create_list_doc, items, push_item, wait_for_items, SYNC_TIMEOUT,
};
use wish_tests::{temp_dir, Backend, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

// Each case on redb and on PostgreSQL.
on_both_backends!(async:
    changes_seen_by_another_client_survive_sigkill_during_a_burst,
    a_graceful_stop_keeps_every_saved_change_and_exits_cleanly,
    a_tablet_that_was_offline_during_a_crash_still_uploads_its_changes,
);

async fn changes_seen_by_another_client_survive_sigkill_during_a_burst(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server_dir = data.path().join("server");
    let mut server = TestServer::start_on(BIN, &server_dir, &store)?;
    let addr = server.addr.clone();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let setup_dir = temp_dir();
    let setup = client(&server.ws_url(), setup_dir.path(), false).await?;
    let doc = create_list_doc(&setup).await?;
    setup.wait_saved(doc, SYNC_TIMEOUT).await?;
    let mut survived_everything: Vec<String> = Vec::new();
    let mut seen_before_kills = 0;
    // CI runs a few rounds; `WISH_CRASH_ROUNDS=50` runs the full crash loop on demand.
    let rounds: usize = std::env::var("WISH_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    for round in 0..rounds {
        let (writer_dir, reader_dir) = (temp_dir(), temp_dir());
        let writer = client(&server.ws_url(), writer_dir.path(), false).await?;
        let reader = client(&server.ws_url(), reader_dir.path(), false).await?;
        for c in [&writer, &reader] {
            c.open(doc).await?;
            wait_for_items(c, doc, &survived_everything).await?;
        }
        // The writer appends as fast as it can; the server dies at a random moment.
        let burst = tokio::spawn({
            let writer = writer.clone();
            async move {
                for i in 0..200 {
                    if push_item(&writer, doc, format!("round{round}-{i:03}"))
                        .await
                        .is_err()
                    {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(rng.random_range(20..300))).await;
        server.kill()?;
        let seen_by_reader = items(&reader, doc).await?.unwrap_or_default();
        burst.abort();
        seen_before_kills += seen_by_reader.len();
        eprintln!(
            "round {round}: the reader had seen {} items before the kill",
            seen_by_reader.len()
        );
        server = TestServer::restart_on(BIN, &server_dir, &addr, &store)?;
        let fresh_dir = temp_dir();
        let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
        fresh.open(doc).await?;
        fresh
            .wait_until(doc, SYNC_TIMEOUT, "every acknowledged item", {
                let seen = seen_by_reader.clone();
                move |driver| {
                    driver.document(&doc).is_some_and(|d| {
                        let all = wish_tests::clients::read_items_of(d).unwrap_or_default();
                        seen.iter().all(|item| all.contains(item))
                    })
                }
            })
            .await
            .map_err(|e| {
                anyhow::anyhow!("round {round}: items the reader had seen were lost: {e}")
            })?;
        survived_everything = items(&fresh, doc).await?.unwrap_or_default();
        assert!(survived_everything.len() >= seen_by_reader.len());
    }
    // Without traffic before the kills the test would prove nothing.
    assert!(
        seen_before_kills > 0,
        "no item reached the reader before any kill"
    );
    Ok(())
}

async fn a_graceful_stop_keeps_every_saved_change_and_exits_cleanly(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server_dir = data.path().join("server");
    let server = TestServer::start_on(BIN, &server_dir, &store)?;
    let addr = server.addr.clone();
    let local = temp_dir();
    let writer = client(&server.ws_url(), local.path(), false).await?;
    let doc = create_list_doc(&writer).await?;
    let mut expected = Vec::new();
    for i in 0..20 {
        let item = format!("item-{i:02}");
        push_item(&writer, doc, item.clone()).await?;
        expected.push(item);
    }
    writer.wait_saved(doc, SYNC_TIMEOUT).await?;
    let status = server.terminate()?;
    assert!(status.success(), "server exited with {status}");
    let server = TestServer::restart_on(BIN, &server_dir, &addr, &store)?;
    let fresh_dir = temp_dir();
    let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
    fresh.open(doc).await?;
    wait_for_items(&fresh, doc, &expected).await?;
    Ok(())
}

async fn a_tablet_that_was_offline_during_a_crash_still_uploads_its_changes(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server_dir = data.path().join("server");
    let server = TestServer::start_on(BIN, &server_dir, &store)?;
    let addr = server.addr.clone();
    let tablet_dir = temp_dir();
    let tablet = client(&server.ws_url(), tablet_dir.path(), false).await?;
    let doc = create_list_doc(&tablet).await?;
    push_item(&tablet, doc, "online".into()).await?;
    tablet.wait_saved(doc, SYNC_TIMEOUT).await?;
    tablet.go_offline().await?;
    push_item(&tablet, doc, "in the stairwell".into()).await?;
    server.kill()?;
    let server = TestServer::restart_on(BIN, &server_dir, &addr, &store)?;
    tablet.go_online().await?;
    tablet.wait_saved(doc, SYNC_TIMEOUT).await?;
    let fresh_dir = temp_dir();
    let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
    fresh.open(doc).await?;
    wait_for_items(&fresh, doc, &["online".into(), "in the stairwell".into()]).await?;
    Ok(())
}
