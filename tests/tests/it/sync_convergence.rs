//! Native clients edit several documents offline on several replicas, reconnect in random
//! orders, and converge through a real server over real WebSockets.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use wish_tests::clients::{client, create_list_doc, push_item, wait_for_items};
use wish_tests::{temp_dir, Backend, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

// Each case on redb and on PostgreSQL.
on_both_backends!(async:
    offline_edits_on_many_replicas_converge_whatever_the_reconnect_order,
    a_restarted_client_resumes_from_its_local_store,
);

async fn offline_edits_on_many_replicas_converge_whatever_the_reconnect_order(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let url = server.ws_url();
    let dirs: Vec<_> = (0..4).map(|_| temp_dir()).collect();
    let mut clients = Vec::new();
    for dir in &dirs {
        clients.push(client(&url, dir.path(), false).await?);
    }
    // Client 0 creates three documents; everyone opens them.
    let mut docs = Vec::new();
    for _ in 0..3 {
        let doc = create_list_doc(&clients[0]).await?;
        clients[0]
            .wait_saved(doc, wish_tests::clients::SYNC_TIMEOUT)
            .await?;
        docs.push(doc);
    }
    for c in &clients[1..] {
        for doc in &docs {
            c.open(*doc).await?;
            wait_for_items(c, *doc, &[]).await?;
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut expected: Vec<Vec<String>> = vec![Vec::new(); docs.len()];
    for round in 0..3 {
        for c in &clients {
            c.go_offline().await?;
        }
        for (ci, c) in clients.iter().enumerate() {
            for _ in 0..rng.random_range(1..5) {
                let di = rng.random_range(0..docs.len());
                let item = format!("r{round}-c{ci}-{}", expected[di].len());
                push_item(c, docs[di], item.clone()).await?;
                expected[di].push(item);
            }
        }
        let mut order: Vec<usize> = (0..clients.len()).collect();
        order.shuffle(&mut rng);
        for i in order {
            clients[i].go_online().await?;
        }
        for c in &clients {
            for (di, doc) in docs.iter().enumerate() {
                wait_for_items(c, *doc, &expected[di]).await?;
            }
        }
    }
    for c in &clients {
        for doc in &docs {
            c.wait_saved(*doc, wish_tests::clients::SYNC_TIMEOUT)
                .await?;
        }
    }
    Ok(())
}

async fn a_restarted_client_resumes_from_its_local_store(backend: Backend) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let url = server.ws_url();
    let local = temp_dir();
    let doc = {
        let first = client(&url, local.path(), false).await?;
        let doc = create_list_doc(&first).await?;
        push_item(&first, doc, "before restart".into()).await?;
        first
            .wait_saved(doc, wish_tests::clients::SYNC_TIMEOUT)
            .await?;
        doc
    };
    // A new process on the same directory holds the document before any network traffic.
    let again = client(&url, local.path(), true).await?;
    wait_for_items(&again, doc, &["before restart".into()]).await?;
    push_item(&again, doc, "offline after restart".into()).await?;
    again.go_online().await?;
    again
        .wait_saved(doc, wish_tests::clients::SYNC_TIMEOUT)
        .await?;
    let fresh_dir = temp_dir();
    let fresh = client(&url, fresh_dir.path(), false).await?;
    fresh.open(doc).await?;
    wait_for_items(
        &fresh,
        doc,
        &["before restart".into(), "offline after restart".into()],
    )
    .await?;
    Ok(())
}
