//! Administrative scope and the HTTP abuse limits, against a real server process: each
//! test is one attack a stolen or malicious device could try over REST or `/sync`, and
//! checks that it is refused with a clear error.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use automerge::Automerge;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use wish_client_core::model::community::Person;
use wish_client_core::model::Role as PersonRole;
use wish_client_core::ops::community::{add_person, create_community, NewCommunity};
use wish_client_core::proto::{encode, DocumentId, PeerId, WireMessage};
use wish_tests::clients::{client, upload, SYNC_TIMEOUT};
use wish_tests::fixtures::{collected_in, wish_with_contact};
use wish_tests::http::{request, Response};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// Enrolls a device with the bootstrap token; returns (token, device id).
fn enroll_in(
    server: &TestServer,
    role: &str,
    person: &str,
    community: &str,
    stations: &[&str],
) -> anyhow::Result<(String, String)> {
    let body =
        json!({ "role": role, "person": person, "community": community, "stations": stations });
    let code = call(
        server,
        "POST",
        "/api/v1/enrollments",
        TEST_TOKEN,
        Some(&body),
    )?;
    anyhow::ensure!(code.status == 200, "enrollment: {}", code.text());
    let code = code.json()?["code"].as_str().unwrap_or_default().to_owned();
    let body = json!({ "code": code, "name": person });
    let redeemed = request(&server.addr, "POST", "/api/v1/enroll", None, Some(&body))?;
    anyhow::ensure!(redeemed.status == 200, "redeem: {}", redeemed.text());
    let value = redeemed.json()?;
    Ok((
        value["token"].as_str().unwrap_or_default().to_owned(),
        value["device"]["device_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ))
}

fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> anyhow::Result<Response> {
    request(&server.addr, method, path, Some(token), body)
}

/// Asserts a refusal: the status and that the message says `why`.
fn refused(response: &Response, status: u16, why: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    assert!(
        response.text().contains(why),
        "expected {why:?} in {}",
        response.text()
    );
}

/// The community `c1` with the people `p-li` and `p-wang` in its directory.
fn community_c1() -> anyhow::Result<Automerge> {
    let mut doc = Automerge::new();
    let profile = NewCommunity {
        id: "c1".into(),
        name: "幸福社区".into(),
        district: "test".into(),
    };
    create_community(&mut doc, &profile, 1)?;
    for id in ["p-li", "p-wang"] {
        let person = Person {
            id: id.into(),
            name: id.into(),
            role: PersonRole::Volunteer,
            modules: Vec::new(),
            skills: Vec::new(),
            party_member: false,
            unit: None,
            stations: Vec::new(),
            left_at: None,
        };
        add_person(&mut doc, &person, 2)?;
    }
    Ok(doc)
}

/// Uploads `community_c1` with the bootstrap token.
async fn upload_directory(server: &TestServer) -> anyhow::Result<()> {
    let dir = temp_dir();
    let admin = client(&server.ws_url(), dir.path(), false).await?;
    upload(&admin, DocumentId::from_bytes([77; 16]), &community_c1()?).await
}

#[test]
fn nobody_is_raised_to_administrator_and_no_device_changes_itself() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let (office, office_id) = enroll_in(&server, "office", "p-o", "c1", &[])?;
    let (_, volunteer_id) = enroll_in(&server, "volunteer", "p-v", "c1", &["A"])?;
    let admin_role = json!({ "role": "administrator" });
    for target in [&office_id, &volunteer_id] {
        let path = format!("/api/v1/devices/{target}");
        let raised = call(&server, "PATCH", &path, &office, Some(&admin_role))?;
        refused(&raised, 403, "administrator");
    }
    let own = format!("/api/v1/devices/{office_id}");
    let changed = call(
        &server,
        "PATCH",
        &own,
        &office,
        Some(&json!({ "stations": ["A"] })),
    )?;
    refused(&changed, 403, "its own record");
    let by_bootstrap = call(&server, "PATCH", &own, TEST_TOKEN, Some(&admin_role))?;
    refused(&by_bootstrap, 403, "administrator");
    let code = json!({ "role": "administrator", "person": "p-x", "community": "c1" });
    let enrolled = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        TEST_TOKEN,
        Some(&code),
    )?;
    refused(&enrolled, 403, "administrator");
    let devices = call(&server, "GET", "/api/v1/devices", TEST_TOKEN, None)?.json()?;
    let roles: Vec<&str> = devices
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["role"].as_str())
        .collect();
    assert_eq!(roles, ["office", "volunteer"]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_manages_devices_and_codes_of_its_own_community_only() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    upload_directory(&server).await?;
    let (office, _) = enroll_in(&server, "office", "p-o", "c1", &[])?;
    let (_, own_id) = enroll_in(&server, "volunteer", "p-li", "c1", &["A"])?;
    let (_, other_id) = enroll_in(&server, "volunteer", "p-x", "c2", &["X"])?;
    let revoke = format!("/api/v1/devices/{other_id}/revoke");
    refused(
        &call(&server, "POST", &revoke, &office, None)?,
        403,
        "communities it covers",
    );
    let patch = format!("/api/v1/devices/{other_id}");
    let moved = call(
        &server,
        "PATCH",
        &patch,
        &office,
        Some(&json!({ "stations": ["A"] })),
    )?;
    refused(&moved, 403, "communities it covers");
    let code =
        json!({ "role": "volunteer", "person": "p-x", "community": "c2", "stations": ["X"] });
    let created = call(&server, "POST", "/api/v1/enrollments", &office, Some(&code))?;
    refused(&created, 403, "communities it covers");
    let listed = call(&server, "GET", "/api/v1/devices", &office, None)?.json()?;
    let ids: Vec<&str> = listed
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["device_id"].as_str())
        .collect();
    assert!(ids.contains(&own_id.as_str()) && !ids.contains(&other_id.as_str()));
    let revoke_own = format!("/api/v1/devices/{own_id}/revoke");
    assert_eq!(
        call(&server, "POST", &revoke_own, &office, None)?.status,
        200
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enrolled_person_must_be_in_the_community_directory() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let (office, _) = enroll_in(&server, "office", "p-o", "c1", &[])?;
    let code = |person: &str| json!({ "role": "volunteer", "person": person, "community": "c1", "stations": ["A"] });
    let before = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &office,
        Some(&code("p-li")),
    )?;
    refused(&before, 400, "no directory");
    upload_directory(&server).await?;
    let listed = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &office,
        Some(&code("p-li")),
    )?;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let unknown = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &office,
        Some(&code("p-ghost")),
    )?;
    refused(&unknown, 400, "not in the directory");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_enroll_list_and_revoke_only_volunteers_and_partners_of_their_stations(
) -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    upload_directory(&server).await?;
    let (coordinator, _) = enroll_in(&server, "coordinator", "p-k", "c1", &["A"])?;
    let (_, own) = enroll_in(&server, "volunteer", "p-li", "c1", &["A"])?;
    let mut others = Vec::new();
    for (role, community, stations) in [
        ("volunteer", "c1", vec!["B"]),
        ("coordinator", "c1", vec!["A"]),
        ("office", "c1", vec![]),
        ("volunteer", "c2", vec!["A"]),
    ] {
        others.push(enroll_in(&server, role, "p-x", community, &stations)?.1);
    }
    let listed = call(&server, "GET", "/api/v1/devices", &coordinator, None)?.json()?;
    let ids: Vec<&str> = listed
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["device_id"].as_str())
        .collect();
    assert_eq!(ids, [own.as_str()]);
    for other in &others {
        let path = format!("/api/v1/devices/{other}/revoke");
        let revoked = call(&server, "POST", &path, &coordinator, None)?;
        refused(&revoked, 403, "their own stations");
    }
    for (role, community, station) in [
        ("coordinator", "c1", "A"),
        ("office", "c1", "A"),
        ("volunteer", "c1", "B"),
        ("volunteer", "c2", "A"),
    ] {
        let code = json!({ "role": role, "person": "p-wang", "community": community, "stations": [station] });
        let created = call(
            &server,
            "POST",
            "/api/v1/enrollments",
            &coordinator,
            Some(&code),
        )?;
        refused(&created, 403, "their own stations");
    }
    let code =
        json!({ "role": "partner", "person": "p-wang", "community": "c1", "stations": ["A"] });
    let created = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &coordinator,
        Some(&code),
    )?;
    assert_eq!(created.status, 200, "{}", created.text());
    // The station's shared tablet: enrolled by its coordinator from the 设备 screen, for
    // exactly one station, labelled by the server (it impersonates nobody).
    let tablet = json!({ "role": "station_tablet", "person": "p-wang", "community": "c1", "stations": ["A"] });
    let created = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &coordinator,
        Some(&tablet),
    )?;
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(created.json()?["person"], "tablet-A");
    let two = json!({ "role": "station_tablet", "person": "", "community": "c1", "stations": ["A", "B"] });
    let created = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &coordinator,
        Some(&two),
    )?;
    assert_ne!(created.status, 200, "{}", created.text());
    let path = format!("/api/v1/devices/{own}/revoke");
    assert_eq!(
        call(&server, "POST", &path, &coordinator, None)?.status,
        200
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_delete_refuses_other_documents_and_contacts_out_of_scope() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let dir = temp_dir();
    let admin = client(&server.ws_url(), dir.path(), false).await?;
    let (wish_id, wish, contact_id, contact) = wish_with_contact("A", "p-li", 9)?;
    upload(&admin, wish_id, &wish).await?;
    upload(&admin, contact_id, &contact).await?;
    let (station_b, _) = enroll_in(&server, "coordinator", "p-k", "c1", &["B"])?;
    let (other_office, _) = enroll_in(&server, "office", "p-o", "c2", &[])?;
    let (station_a, _) = enroll_in(&server, "coordinator", "p-k", "c1", &["A"])?;
    let contact_path = format!("/api/v1/contacts/{contact_id}");
    for token in [&station_b, &other_office] {
        let deleted = call(&server, "DELETE", &contact_path, token, None)?;
        refused(&deleted, 403, "may not delete contacts");
    }
    let wish_path = format!("/api/v1/contacts/{wish_id}");
    let deleted = call(&server, "DELETE", &wish_path, &station_a, None)?;
    refused(&deleted, 403, "only contact documents");
    let by_bootstrap = call(&server, "DELETE", &wish_path, TEST_TOKEN, None)?;
    refused(&by_bootstrap, 403, "only contact documents");
    let fresh_dir = temp_dir();
    let fresh = client(&server.ws_url(), fresh_dir.path(), false).await?;
    fresh.open(wish_id).await?;
    fresh
        .wait_until(
            wish_id,
            SYNC_TIMEOUT,
            "the wish is still served",
            move |d| {
                d.document(&wish_id)
                    .is_some_and(|w| !w.get_heads().is_empty())
            },
        )
        .await?;
    let deleted = call(&server, "DELETE", &contact_path, &station_a, None)?;
    assert_eq!(deleted.status, 202, "{}", deleted.text());
    let audit = call(&server, "GET", "/api/v1/audit", TEST_TOKEN, None)?.text();
    assert!(audit.contains("contact-delete-refused") && audit.contains("contact-deleted"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_and_summary_answer_with_the_callers_community_only() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let dir = temp_dir();
    let admin = client(&server.ws_url(), dir.path(), false).await?;
    let (wish_id, wish, _, _) = wish_with_contact("A", "p-li", 5)?;
    upload(&admin, wish_id, &wish).await?;
    let (own, own_id) = enroll_in(&server, "office", "p-o", "c1", &[])?;
    let (other, other_id) = enroll_in(&server, "office", "p-o", "c2", &[])?;
    let total = |token: &str| -> anyhow::Result<u64> {
        let summary = call(&server, "GET", "/api/v1/summary", token, None)?.json()?;
        Ok(summary["total"].as_u64().unwrap_or_default())
    };
    assert_eq!(total(&own)?, 1);
    assert_eq!(total(&other)?, 0);
    assert_eq!(total(TEST_TOKEN)?, 1);
    let devices = |token: &str| -> anyhow::Result<Vec<String>> {
        let audit = call(&server, "GET", "/api/v1/audit", token, None)?.json()?;
        Ok(audit
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["device"].as_str().map(str::to_owned))
            .collect())
    };
    let seen = devices(&other)?;
    assert!(seen.contains(&other_id), "{seen:?}");
    assert!(seen.iter().all(|d| *d == other_id), "{seen:?}");
    assert!(devices(TEST_TOKEN)?.contains(&own_id));
    Ok(())
}

/// An office device of a 街道 (home `c1`, covering `c2`): every office endpoint answers
/// with `c1` and `c2` and breaks figures down by community; asking for `c3`, outside the
/// set, is refused; it cannot enroll an office device covering `c3`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_covering_a_street_sees_its_communities_and_asks_for_no_other(
) -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let dir = temp_dir();
    let admin = client(&server.ws_url(), dir.path(), false).await?;
    for (seed, community) in [(21, "c1"), (22, "c2"), (23, "c3")] {
        let (wish_id, wish, _, _) = collected_in(community, "d-test", "A", "p-li", seed)?;
        upload(&admin, wish_id, &wish).await?;
    }
    let street = enroll_office(&server, "c1", &["c2"])?;
    let single = enroll_office(&server, "c2", &[])?;
    let get = |token: &str, path: &str| call(&server, "GET", path, token, None);
    let summary = get(&street, "/api/v1/office/summary")?.json()?;
    assert_eq!(summary["total"], 2, "{summary}");
    assert_eq!(summary["by_community"], json!({ "c1": 1, "c2": 1 }));
    let narrowed = get(&street, "/api/v1/office/summary?community=c2")?.json()?;
    assert_eq!(
        (narrowed["total"].clone(), narrowed["community"].clone()),
        (json!(1), json!("c2"))
    );
    assert_eq!(get(&street, "/api/v1/office/wishes")?.json()?["total"], 2);
    assert_eq!(get(&street, "/api/v1/summary")?.json()?["total"], 2);
    let table = get(&street, "/api/v1/office/communities")?.json()?;
    let rows: Vec<&str> = table["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["community"].as_str())
        .collect();
    assert_eq!(rows, ["c1", "c2"], "{table}");
    for path in [
        "/api/v1/office/summary?community=c3",
        "/api/v1/office/wishes?community=c3",
        "/api/v1/office/overdue?community=c3",
        "/api/v1/office/durations?community=c3",
        "/api/v1/office/lists?community=c3",
        "/api/v1/office/roster-coverage?community=c3",
        "/api/v1/office/report?month=2023-11&community=c3",
        "/api/v1/office/export/wishes.csv?community=c3",
        "/api/v1/office/export/service-records.csv?community=c3",
        "/api/v1/office/communities?community=c3",
        "/api/v1/office/participation?community=c3",
        "/api/v1/office/ratings?community=c3",
    ] {
        refused(&get(&street, path)?, 403, "communities it covers");
    }
    refused(
        &get(&single, "/api/v1/office/summary?community=c1")?,
        403,
        "communities it covers",
    );
    assert_eq!(get(&single, "/api/v1/office/summary")?.json()?["total"], 1);
    assert_eq!(
        get(TEST_TOKEN, "/api/v1/office/summary")?.json()?["total"],
        3
    );
    let wider = json!({ "role": "office", "person": "p-o2", "community": "c1", "covers": ["c3"] });
    let code = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        &street,
        Some(&wider),
    )?;
    refused(&code, 403, "communities it covers");
    Ok(())
}

/// Enrolls an office device of `community` covering `covers`; returns its token.
fn enroll_office(server: &TestServer, community: &str, covers: &[&str]) -> anyhow::Result<String> {
    let body =
        json!({ "role": "office", "person": "p-o", "community": community, "covers": covers });
    let code = call(
        server,
        "POST",
        "/api/v1/enrollments",
        TEST_TOKEN,
        Some(&body),
    )?;
    anyhow::ensure!(code.status == 200, "enrollment: {}", code.text());
    let code = code.json()?["code"].as_str().unwrap_or_default().to_owned();
    let redeemed = request(
        &server.addr,
        "POST",
        "/api/v1/enroll",
        None,
        Some(&json!({ "code": code, "name": "街道办" })),
    )?;
    anyhow::ensure!(redeemed.status == 200, "redeem: {}", redeemed.text());
    Ok(redeemed.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[test]
fn concurrent_redeems_of_one_code_enroll_exactly_one_device() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let body =
        json!({ "role": "volunteer", "person": "p-li", "community": "c1", "stations": ["A"] });
    let code = call(
        &server,
        "POST",
        "/api/v1/enrollments",
        TEST_TOKEN,
        Some(&body),
    )?
    .json()?["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let addr = server.addr.clone();
    let attempts: Vec<_> = (0..16)
        .map(|i| {
            let (addr, code) = (addr.clone(), code.clone());
            std::thread::spawn(move || {
                let body = json!({ "code": code, "name": format!("tablet {i}") });
                request(&addr, "POST", "/api/v1/enroll", None, Some(&body)).map(|r| r.status)
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(
            attempt
                .join()
                .map_err(|_| anyhow::anyhow!("thread panicked"))??,
        );
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 403),
        "{statuses:?}"
    );
    let devices = call(&server, "GET", "/api/v1/devices", TEST_TOKEN, None)?.json()?;
    assert_eq!(devices.as_array().map(Vec::len), Some(1));
    Ok(())
}

fn join_frame(peer: &str) -> Message {
    let join = WireMessage::Join {
        sender_id: PeerId::new(peer),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    };
    Message::Binary(encode(&join).into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_with_another_devices_peer_id_leaves_that_device_connected() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let (holder, _) = enroll_in(&server, "volunteer", "p-li", "c1", &["A"])?;
    let (intruder, _) = enroll_in(&server, "volunteer", "p-x", "c1", &["A"])?;
    let (mut held, _) = connect_async(server.ws_url_for(&holder)).await?;
    held.send(join_frame("peer-li")).await?;
    let answer = tokio::time::timeout(SYNC_TIMEOUT, held.next()).await?;
    assert!(
        matches!(answer, Some(Ok(Message::Binary(_)))),
        "no peer message"
    );
    let (mut taken, _) = connect_async(server.ws_url_for(&intruder)).await?;
    taken.send(join_frame("peer-li")).await?;
    let intruder_closed = tokio::time::timeout(SYNC_TIMEOUT, async {
        while let Some(Ok(message)) = taken.next().await {
            if matches!(message, Message::Close(_)) {
                return true;
            }
        }
        true
    })
    .await;
    assert_eq!(
        intruder_closed.ok(),
        Some(true),
        "the intruder stayed connected"
    );
    let holder_event = tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match held.next().await {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => return format!("{other:?}"),
            }
        }
    })
    .await;
    assert!(
        holder_event.is_err(),
        "the holder's socket ended: {holder_event:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_and_token_lifetimes_are_bounded_and_a_live_socket_closes_at_expiry(
) -> anyhow::Result<()> {
    let data = temp_dir();
    let (token, _) = device_expiring_in(data.path(), Duration::from_secs(3))?;
    let server = TestServer::start(BIN, data.path())?;
    for (field, value) in [
        ("expires_in_minutes", 30 * 24 * 60 + 1),
        ("token_days", 366),
    ] {
        let mut body =
            json!({ "role": "volunteer", "person": "p-li", "community": "c1", "stations": ["A"] });
        body[field] = json!(value);
        let created = call(
            &server,
            "POST",
            "/api/v1/enrollments",
            TEST_TOKEN,
            Some(&body),
        )?;
        refused(&created, 400, field);
    }
    let (mut socket, _) = connect_async(server.ws_url_for(&token)).await?;
    socket.send(join_frame("peer-expiring")).await?;
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Close(Some(frame)) = message {
                return frame.reason.to_string();
            }
        }
        String::new()
    })
    .await?;
    assert!(closed.contains("expired"), "closed with {closed:?}");
    Ok(())
}

/// Enrolls a volunteer directly in the stopped server's directory, with a token that
/// expires `after` from now (the API only grants whole days).
fn device_expiring_in(data: &std::path::Path, after: Duration) -> anyhow::Result<(String, String)> {
    use wish_server::directory::{Directory, NewEnrollment};
    let store = wish_server::server::open_store(data)?;
    let directory = Directory::load(TEST_TOKEN, store)?;
    let day_ms = 86_400_000;
    let now = wish_server::clock::now_ms();
    let issued = now - day_ms + u64::try_from(after.as_millis())?;
    let request = NewEnrollment {
        covers: Vec::new(),
        role: wish_server::access::Role::Volunteer,
        person: "p-li".into(),
        community: "c1".into(),
        stations: vec!["A".into()],
        expires_in_minutes: Some(2 * 24 * 60),
        token_days: Some(1),
        created_by: "test".into(),
    };
    let (code, _) = directory.create_enrollment(request, issued)?;
    let (token, device) = directory.redeem(&code, "tablet", issued)?;
    Ok((token, device.device_id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_per_device_are_capped() -> anyhow::Result<()> {
    let data = temp_dir();
    let server =
        TestServer::start_with_args(BIN, data.path(), &["--max-connections-per-device", "2"])?;
    let (token, _) = enroll_in(&server, "volunteer", "p-li", "c1", &["A"])?;
    let first = connect_async(server.ws_url_for(&token)).await?;
    let second = connect_async(server.ws_url_for(&token)).await?;
    match connect_async(server.ws_url_for(&token)).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 429),
        Err(other) => anyhow::bail!("expected 429, got {other}"),
        Ok(_) => anyhow::bail!("a third connection of one device was accepted"),
    }
    drop((first, second));
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if connect_async(server.ws_url_for(&token)).await.is_ok() {
            return Ok(());
        }
    }
    anyhow::bail!("closed connections did not free their places")
}

#[test]
fn a_request_head_sent_too_slowly_is_closed() -> anyhow::Result<()> {
    let data = temp_dir();
    let server =
        TestServer::start_with_args(BIN, data.path(), &["--header-read-timeout-secs", "1"])?;
    let mut slow = TcpStream::connect(&server.addr)?;
    slow.write_all(b"GET /healthz HT")?;
    slow.set_read_timeout(Some(Duration::from_secs(10)))?;
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let read = slow.read_to_end(&mut rest);
    assert!(
        read.is_ok(),
        "the server kept the connection open: {read:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        request(&server.addr, "GET", "/healthz", None, None)?.status,
        200
    );
    Ok(())
}

/// `GET /api/v1/devices` with a token and an `X-Forwarded-For` header.
fn devices_from(server: &TestServer, token: &str, forwarded: &str) -> anyhow::Result<u16> {
    let mut stream = TcpStream::connect(&server.addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = format!(
        "GET /api/v1/devices HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nX-Forwarded-For: {forwarded}\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no status in {text}"))
}

#[test]
fn failed_authentication_is_throttled_by_client_address() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let statuses: Vec<u16> = (0..25)
        .map(|_| devices_from(&server, "wrong-token", "10.0.0.1"))
        .collect::<anyhow::Result<_>>()?;
    assert_eq!(statuses[0], 401);
    assert_eq!(statuses[24], 429, "{statuses:?}");
    // Without a trusted proxy header the forwarded address is ignored: the socket's
    // address is throttled, whatever the header claims.
    assert_eq!(devices_from(&server, TEST_TOKEN, "10.0.0.2")?, 429);
    Ok(())
}

#[test]
fn behind_a_trusted_proxy_the_forwarded_address_is_throttled() -> anyhow::Result<()> {
    let data = temp_dir();
    let args = ["--trusted-proxy-header", "X-Forwarded-For"];
    let server = TestServer::start_with_args(BIN, data.path(), &args)?;
    for _ in 0..25 {
        devices_from(&server, "wrong-token", "10.0.0.1")?;
    }
    assert_eq!(devices_from(&server, TEST_TOKEN, "10.0.0.1")?, 429);
    assert_eq!(devices_from(&server, TEST_TOKEN, "6.6.6.6, 10.0.0.2")?, 200);
    Ok(())
}

#[test]
fn serve_refuses_a_short_bootstrap_token_and_generates_one_when_none_is_given() -> anyhow::Result<()>
{
    let data = temp_dir();
    let short = std::process::Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--bootstrap-token",
            "T",
            "--data",
        ])
        .arg(data.path())
        .env("RUST_LOG", "error")
        .env_remove("WISH_STATION_BOOTSTRAP_TOKEN")
        .output()?;
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 16"));
    let mut child = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .env_remove("WISH_STATION_BOOTSTRAP_TOKEN")
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let result = check_generated_token(&mut child, data.path());
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn check_generated_token(
    child: &mut std::process::Child,
    data: &std::path::Path,
) -> anyhow::Result<()> {
    use std::io::BufRead;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let path = data.join("bootstrap-token");
    let told = lines.next().transpose()?.unwrap_or_default();
    assert!(told.contains(&path.display().to_string()), "{told}");
    let addr = lines
        .next()
        .transpose()?
        .and_then(|l| l.strip_prefix("listening on ").map(str::to_owned))
        .ok_or_else(|| anyhow::anyhow!("no address"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let token = std::fs::read_to_string(&path)?.trim().to_owned();
    assert!(token.len() >= 16);
    let devices = request(&addr, "GET", "/api/v1/devices", Some(&token), None)?;
    assert_eq!(devices.status, 200, "{}", devices.text());
    Ok(())
}
