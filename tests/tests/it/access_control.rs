//! Devices, roles and access control, through real WebSockets against a real server.

use std::time::Duration;

use automerge::Automerge;
use futures_util::StreamExt;
use serde_json::json;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Error as WsError;
use wish_client_core::native::NativeClient;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::ClientEvent;
use wish_tests::clients::{client, upload, SYNC_TIMEOUT};
use wish_tests::fixtures::{collected_on, enroll, wish_with_contact};
use wish_tests::http::request;
use wish_tests::{temp_dir, Backend, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

// Each case on redb and on PostgreSQL.
on_both_backends!(async:
    revoked_and_expired_tokens_get_401_and_revoking_closes_live_connections,
    volunteers_get_doc_unavailable_for_contacts_they_may_not_see,
    a_read_only_peers_changes_are_neither_stored_nor_relayed,
    a_deleted_contact_cannot_be_uploaded_again_and_holders_are_told,
    changes_by_another_devices_actor_are_refused_unless_the_device_may_relay,
    a_role_change_applies_to_a_live_connection_without_reconnecting,
);

/// Opens a document and waits for the server's answer: true if it arrived, false if the
/// server said it is unavailable.
async fn opens(c: &NativeClient, id: DocumentId) -> anyhow::Result<bool> {
    let mut events = c.events();
    c.open(id).await?;
    let deadline = tokio::time::Instant::now() + SYNC_TIMEOUT;
    loop {
        if c.read(id, |d| !d.get_heads().is_empty()).await? == Some(true) {
            return Ok(true);
        }
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => anyhow::bail!("no answer for {id}"),
            Ok(Ok(ClientEvent::DocUnavailable(doc))) if doc == id => return Ok(false),
            Ok(_) => {}
        }
    }
}

/// Waits until the server says `doc` is unavailable. `None` on timeout; otherwise whether
/// the client reconnected meanwhile.
async fn told_unavailable(
    events: &mut tokio::sync::broadcast::Receiver<ClientEvent>,
    doc: DocumentId,
) -> Option<bool> {
    let mut reconnected = false;
    let told = tokio::time::timeout(SYNC_TIMEOUT, async {
        loop {
            match events.recv().await {
                Ok(ClientEvent::DocUnavailable(d)) if d == doc => return,
                Ok(ClientEvent::Connected { .. }) => reconnected = true,
                _ => {}
            }
        }
    })
    .await;
    told.ok().map(|()| reconnected)
}

async fn expect_401(url: &str) -> anyhow::Result<String> {
    match connect_async(url).await {
        Err(WsError::Http(response)) => {
            anyhow::ensure!(response.status() == 401, "status {}", response.status());
            Ok(
                String::from_utf8_lossy(response.body().as_deref().unwrap_or_default())
                    .into_owned(),
            )
        }
        Err(other) => anyhow::bail!("expected 401, got {other}"),
        Ok(_) => anyhow::bail!("expected 401, got a connection"),
    }
}

async fn revoked_and_expired_tokens_get_401_and_revoking_closes_live_connections(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let (token, device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let (mut socket, _) = connect_async(server.ws_url_for(&token)).await?;
    let revoked = request(
        &server.addr,
        "POST",
        &format!("/api/v1/devices/{device}/revoke"),
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    let closed = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    assert!(
        closed.is_ok(),
        "the revoked device's connection stayed open for more than 1 s"
    );
    assert!(expect_401(&server.ws_url_for(&token))
        .await?
        .contains("revoked"));
    let (expired, _) = enroll(&server, "volunteer", "p-wang", &["A"], 0)?;
    assert!(expect_401(&server.ws_url_for(&expired))
        .await?
        .contains("expired"));
    assert!(expect_401(&server.ws_url_for("wrong"))
        .await?
        .contains("invalid"));
    Ok(())
}

async fn volunteers_get_doc_unavailable_for_contacts_they_may_not_see(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let admin_dir = temp_dir();
    let admin = client(&server.ws_url(), admin_dir.path(), false).await?;
    let mut contacts = Vec::new();
    for (seed, station, collector) in [(1u8, "B", "p-zhao"), (2, "A", "p-other"), (3, "A", "p-li")]
    {
        let (wish_id, wish, contact_id, contact) = wish_with_contact(station, collector, seed)?;
        upload(&admin, wish_id, &wish).await?;
        upload(&admin, contact_id, &contact).await?;
        contacts.push(contact_id);
    }
    let (token, _) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let tablet_dir = temp_dir();
    let tablet = client(&server.ws_url_for(&token), tablet_dir.path(), false).await?;
    assert!(
        !opens(&tablet, contacts[0]).await?,
        "a contact of station B was shown"
    );
    assert!(
        !opens(&tablet, contacts[1]).await?,
        "a contact collected by someone else was shown"
    );
    assert!(
        opens(&tablet, contacts[2]).await?,
        "the volunteer's own contact was refused"
    );
    Ok(())
}

async fn a_read_only_peers_changes_are_neither_stored_nor_relayed(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server_dir = data.path().join("server");
    let server = TestServer::start_on(BIN, &server_dir, &store)?;
    let admin_dir = temp_dir();
    let admin = client(&server.ws_url(), admin_dir.path(), false).await?;
    // The ledger is read-only for volunteers.
    let ledger = admin
        .create(|doc| {
            let _ = wish_client_core::ops::ledger::create_ledger(doc, "c1", 1_700_000_000_000);
        })
        .await?;
    admin.wait_saved(ledger, SYNC_TIMEOUT).await?;
    let (token, _) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let tablet_dir = temp_dir();
    let tablet = client(&server.ws_url_for(&token), tablet_dir.path(), false).await?;
    assert!(opens(&tablet, ledger).await?);
    tablet
        .change(ledger, |doc| {
            use automerge::transaction::Transactable;
            let mut tx = doc.transaction();
            let _ = tx.put(automerge::ROOT, "forged", "by a volunteer");
            tx.commit();
        })
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let relayed = admin
        .read(ledger, |d| {
            automerge::ReadDoc::get(d, automerge::ROOT, "forged")
                .ok()
                .flatten()
                .is_some()
        })
        .await?;
    assert_eq!(relayed, Some(false), "a read-only change was relayed");
    assert!(
        !tablet.is_saved_on_server(ledger).await?,
        "a read-only change was acknowledged"
    );
    server.kill()?;
    let server = TestServer::start_on(BIN, &server_dir, &store)?;
    let fresh_dir = temp_dir();
    let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
    assert!(opens(&fresh, ledger).await?);
    let stored = fresh
        .read(ledger, |d| {
            automerge::ReadDoc::get(d, automerge::ROOT, "forged")
                .ok()
                .flatten()
                .is_some()
        })
        .await?;
    assert_eq!(stored, Some(false), "a read-only change was stored");
    Ok(())
}

async fn a_deleted_contact_cannot_be_uploaded_again_and_holders_are_told(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let (token, device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let tablet_dir = temp_dir();
    let tablet = client(&server.ws_url_for(&token), tablet_dir.path(), false).await?;
    let (wish_id, wish, contact_id, contact) = collected_on(&device, "A", "p-li", 7)?;
    upload(&tablet, wish_id, &wish).await?;
    upload(&tablet, contact_id, &contact).await?;
    let mut events = tablet.events();
    let deleted = request(
        &server.addr,
        "DELETE",
        &format!("/api/v1/contacts/{contact_id}"),
        Some(TEST_TOKEN),
        None,
    )?;
    assert_eq!(deleted.status, 202, "{}", deleted.text());
    let told = told_unavailable(&mut events, contact_id).await;
    assert!(
        told.is_some(),
        "the tablet holding the contact was not told"
    );
    // The wish no longer links the contact.
    tablet
        .wait_until(wish_id, SYNC_TIMEOUT, "contact unlinked", move |d| {
            d.document(&wish_id).is_some_and(|w| matches!(automerge::ReadDoc::get(w, automerge::ROOT, "contact"), Ok(Some((automerge::Value::Scalar(s), _))) if s.is_null()))
        })
        .await?;
    // The tablet still holds the contact and tries to upload it again from a new replica.
    let again_dir = temp_dir();
    let again = client(&server.ws_url_for(&token), again_dir.path(), false).await?;
    let bytes = contact.save();
    again
        .with_driver(move |d| d.import_document(contact_id, &bytes))
        .await??;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !again.is_saved_on_server(contact_id).await?,
        "a deleted contact was accepted again"
    );
    let fresh_dir = temp_dir();
    let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
    assert!(
        !opens(&fresh, contact_id).await?,
        "a deleted contact is still served"
    );
    let audit = request(&server.addr, "GET", "/api/v1/audit", Some(TEST_TOKEN), None)?.json()?;
    let kinds: Vec<&str> = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"contact-deleted"), "{kinds:?}");
    assert!(kinds.contains(&"refused-upload-of-deleted"), "{kinds:?}");
    Ok(())
}

/// A change made with an actor id that belongs to another device.
fn forged_change(original: &Automerge, note: &str) -> anyhow::Result<Vec<u8>> {
    use automerge::transaction::Transactable;
    let mut doc = Automerge::load(&original.save())?;
    let owner = doc
        .get_changes(&[])
        .first()
        .map(|c| c.actor_id().clone())
        .ok_or_else(|| anyhow::anyhow!("no changes"))?;
    doc.set_actor(owner);
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "title", note.to_owned())?;
    tx.commit();
    Ok(doc.save())
}

async fn changes_by_another_devices_actor_are_refused_unless_the_device_may_relay(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let (li, li_device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let (wang, wang_device) = enroll(&server, "volunteer", "p-wang", &["A"], 30)?;
    let (zhou, _) = enroll(&server, "coordinator", "p-zhou", &["A"], 30)?;
    let li_dir = temp_dir();
    let li_tablet = client(&server.ws_url_for(&li), li_dir.path(), false).await?;
    let (wish_id, wish, _, _) = collected_on(&li_device, "A", "p-li", 9)?;
    upload(&li_tablet, wish_id, &wish).await?;

    let forged = forged_change(&wish, "改过的标题")?;
    let wang_dir = temp_dir();
    let wang_tablet = client(&server.ws_url_for(&wang), wang_dir.path(), false).await?;
    let bytes = forged.clone();
    wang_tablet
        .with_driver(move |d| d.import_document(wish_id, &bytes))
        .await??;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        !wang_tablet.is_saved_on_server(wish_id).await?,
        "a change under another device's actor was accepted"
    );
    let audit = request(&server.addr, "GET", "/api/v1/audit", Some(TEST_TOKEN), None)?.json()?;
    let refused = audit
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r["kind"] == "refused-foreign-actor" && r["device"] == wang_device.as_str());
    assert!(refused, "the refusal was not audited: {audit}");

    let zhou_dir = temp_dir();
    let coordinator = client(&server.ws_url_for(&zhou), zhou_dir.path(), false).await?;
    coordinator
        .with_driver(move |d| d.import_document(wish_id, &forged))
        .await??;
    coordinator.wait_saved(wish_id, SYNC_TIMEOUT).await?;
    Ok(())
}

async fn a_role_change_applies_to_a_live_connection_without_reconnecting(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = TestServer::start_on(BIN, &data.path().join("server"), &store)?;
    let (token, device) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let tablet_dir = temp_dir();
    let tablet = client(&server.ws_url_for(&token), tablet_dir.path(), false).await?;
    let (wish_id, wish, contact_id, contact) = collected_on(&device, "A", "p-li", 21)?;
    upload(&tablet, wish_id, &wish).await?;
    upload(&tablet, contact_id, &contact).await?;
    let mut events = tablet.events();
    let moved = json!({ "stations": ["B"] });
    let changed = request(
        &server.addr,
        "PATCH",
        &format!("/api/v1/devices/{device}"),
        Some(TEST_TOKEN),
        Some(&moved),
    )?;
    assert_eq!(changed.status, 200, "{}", changed.text());
    // The tablet's next edit of the contact reaches a server that no longer lets it in;
    // a tablet told first has already deleted the contact, so there is nothing to edit.
    let edit = tablet
        .change(contact_id, |doc| {
            use automerge::transaction::Transactable;
            let mut tx = doc.transaction();
            let _ = tx.put(automerge::ROOT, "notes", "搬家了");
            tx.commit();
        })
        .await;
    if let Err(e) = edit {
        use wish_client_core::native::NativeError;
        use wish_client_core::sync::ClientError;
        anyhow::ensure!(
            matches!(e, NativeError::Client(ClientError::UnknownDocument(_))),
            "{e}"
        );
    }
    let reconnected = told_unavailable(&mut events, contact_id).await;
    assert!(
        reconnected.is_some(),
        "the moved volunteer still syncs the station A contact"
    );
    assert_eq!(
        reconnected,
        Some(false),
        "the role change needed a reconnect"
    );
    assert!(!tablet.is_saved_on_server(contact_id).await?);
    // A contact the device may no longer see is deleted from the tablet.
    tablet
        .wait_until(contact_id, SYNC_TIMEOUT, "contact deleted", move |d| {
            d.document(&contact_id).is_none()
        })
        .await?;
    Ok(())
}
