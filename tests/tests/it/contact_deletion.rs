//! Deleting a resident's contact reaches native clients: a client that holds the contact
//! document deletes its files when the server deletes it (`doc-unavailable`, and the
//! wish's `contact` set to null), whether it was online then or comes online later.

use std::path::Path;
use std::time::Duration;

use automerge::Automerge;
use wish_client_core::native::{FsStore, NativeClient};
use wish_client_core::proto::DocumentId;
use wish_tests::clients::{client, upload, SYNC_TIMEOUT};
use wish_tests::fixtures::{collected_on, enroll};
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// Whether any file of the document is left in the client's store.
fn has_files(dir: &Path, doc: DocumentId) -> anyhow::Result<bool> {
    Ok(FsStore::new(dir)?.doc_dir(&doc).exists())
}

/// Waits until the client holds the document neither in memory nor on disk.
async fn wait_forgotten(c: &NativeClient, dir: &Path, doc: DocumentId) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + SYNC_TIMEOUT;
    while c.read(doc, |_| ()).await?.is_some() || has_files(dir, doc)? {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the contact {doc} is still held"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

fn contact_is_null(wish: &Automerge) -> bool {
    use automerge::{ReadDoc, Value, ROOT};
    matches!(wish.get(ROOT, "contact"), Ok(Some((Value::Scalar(s), _))) if s.is_null())
}

fn delete_contact(server: &TestServer, contact: DocumentId) -> anyhow::Result<()> {
    let path = format!("/api/v1/contacts/{contact}");
    let deleted = request(&server.addr, "DELETE", &path, Some(TEST_TOKEN), None)?;
    anyhow::ensure!(deleted.status == 202, "{}", deleted.text());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_and_offline_holders_delete_the_contact_files() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let (token, device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let url = format!("ws://{}/sync?token={token}", server.addr);
    let (online_dir, offline_dir) = (temp_dir(), temp_dir());
    let online = client(&url, online_dir.path(), false).await?;
    let offline = client(&url, offline_dir.path(), false).await?;
    let (wish_id, wish, contact_id, contact) = collected_on(&device, "A", "p-li", 11)?;
    for c in [&online, &offline] {
        upload(c, wish_id, &wish).await?;
        upload(c, contact_id, &contact).await?;
    }
    assert!(has_files(online_dir.path(), contact_id)?);
    assert!(has_files(offline_dir.path(), contact_id)?);
    offline.go_offline().await?;

    delete_contact(&server, contact_id)?;
    wait_forgotten(&online, online_dir.path(), contact_id).await?;
    assert!(
        has_files(offline_dir.path(), contact_id)?,
        "the offline client could not have heard yet"
    );
    offline.go_online().await?;
    wait_forgotten(&offline, offline_dir.path(), contact_id).await?;
    // The wish stays, with no contact link.
    assert!(has_files(online_dir.path(), wish_id)?);
    let unlinked = online.read(wish_id, contact_is_null).await?;
    assert_eq!(unlinked, Some(true), "the wish still links the contact");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_restarted_after_the_deletion_drops_the_stored_contact() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let (token, device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let url = format!("ws://{}/sync?token={token}", server.addr);
    let dir = temp_dir();
    let (wish_id, wish, contact_id, contact) = collected_on(&device, "A", "p-li", 12)?;
    {
        let tablet = client(&url, dir.path(), false).await?;
        upload(&tablet, wish_id, &wish).await?;
        upload(&tablet, contact_id, &contact).await?;
        tablet.go_offline().await?;
    }
    delete_contact(&server, contact_id)?;
    let tablet = client(&url, dir.path(), false).await?;
    wait_forgotten(&tablet, dir.path(), contact_id).await?;
    Ok(())
}
