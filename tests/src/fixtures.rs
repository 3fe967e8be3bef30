//! Documents that follow docs/schema.md, built with the domain operations.

use automerge::Automerge;
use serde_json::json;
use wish_client_core::model::{Channel, Urgency};
use wish_client_core::ops::wish::{collect_wish, CollectWish, NewContact};
use wish_client_core::proto::DocumentId;

use crate::http::request;
use crate::{TestServer, TEST_TOKEN};

/// A wish and its contact document, collected by `collector` at `station` (stamped with
/// device `d-test`: upload it with the bootstrap token, or use [`collected_on`]).
pub fn wish_with_contact(
    station: &str,
    collector: &str,
    seed: u8,
) -> anyhow::Result<(DocumentId, Automerge, DocumentId, Automerge)> {
    collected_on("d-test", station, collector, seed)
}

/// A wish and its contact collected on `device`: what that enrolled tablet would upload
/// (the write rules refuse entries stamped with another device).
pub fn collected_on(
    device: &str,
    station: &str,
    collector: &str,
    seed: u8,
) -> anyhow::Result<(DocumentId, Automerge, DocumentId, Automerge)> {
    collected_in("c1", device, station, collector, seed)
}

/// [`collected_on`] in another community than `c1`.
pub fn collected_in(
    community: &str,
    device: &str,
    station: &str,
    collector: &str,
    seed: u8,
) -> anyhow::Result<(DocumentId, Automerge, DocumentId, Automerge)> {
    let (wish_id, contact_id) = (
        DocumentId::from_bytes([seed; 16]),
        DocumentId::from_bytes([seed.wrapping_add(100); 16]),
    );
    let (mut wish, mut contact) = (Automerge::new(), Automerge::new());
    let input = CollectWish {
        wish_id: format!("w{seed}"),
        wish_doc: wish_id.to_string(),
        community: community.into(),
        station: station.into(),
        title: "需要上门问诊".into(),
        text: "独居老人，行动不便".into(),
        suggested_module: None,
        channel: Channel::DoorToDoor,
        compound: "幸福小区".into(),
        building: "3栋".into(),
        urgency: Urgency::High,
        capacity: 1,
        on_behalf: true,
        collected_by: collector.into(),
        device: device.into(),
        event_id: format!("e{seed}"),
        now_ms: 1_700_000_000_000,
        contact: Some(NewContact {
            doc_id: contact_id.to_string(),
            name: "测试居民".into(),
            phone: "13800000000".into(),
            room: "1201".into(),
            vulnerability: vec!["living_alone".into()],
            notes: String::new(),
            consent_given: true,
            consent_on_behalf: false,
        }),
    };
    collect_wish(&mut wish, &mut contact, input)?;
    Ok((wish_id, wish, contact_id, contact))
}

/// Enrolls a device of community `c1` through the API; returns its token and device id.
pub fn enroll(
    server: &TestServer,
    role: &str,
    person: &str,
    stations: &[&str],
    token_days: u64,
) -> anyhow::Result<(String, String)> {
    let body = json!({ "role": role, "person": person, "community": "c1", "stations": stations, "token_days": token_days });
    redeem(server, &enrollment_code(server, &body)?, person)
}

/// Enrolls a device of `community` (a document id, e.g. the demo's) through the API;
/// returns its token and device id.
pub fn enroll_in(
    server: &TestServer,
    community: &str,
    role: &str,
    person: &str,
    stations: &[&str],
) -> anyhow::Result<(String, String)> {
    let body =
        json!({ "role": role, "person": person, "community": community, "stations": stations });
    redeem(server, &enrollment_code(server, &body)?, person)
}

/// Creates an enrollment code with the bootstrap token; `body` as `POST /api/v1/enrollments`.
pub fn enrollment_code(server: &TestServer, body: &serde_json::Value) -> anyhow::Result<String> {
    let created = request(
        &server.addr,
        "POST",
        "/api/v1/enrollments",
        Some(TEST_TOKEN),
        Some(body),
    )?;
    anyhow::ensure!(
        created.status == 200,
        "enrollment: {} {}",
        created.status,
        created.text()
    );
    created.json()?["code"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no code in {}", created.text()))
}

/// Redeems an enrollment code; returns the device token and device id.
pub fn redeem(server: &TestServer, code: &str, name: &str) -> anyhow::Result<(String, String)> {
    let redeemed = request(
        &server.addr,
        "POST",
        "/api/v1/enroll",
        None,
        Some(&json!({ "code": code, "name": name })),
    )?;
    anyhow::ensure!(
        redeemed.status == 200,
        "redeem: {} {}",
        redeemed.status,
        redeemed.text()
    );
    let value = redeemed.json()?;
    Ok((
        value["token"].as_str().unwrap_or_default().to_owned(),
        value["device"]["device_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ))
}

/// Seeds `data` with the demo's first community alone (`wish-station demo
/// --communities 1` of `binary`), so that every wish is in it; returns what it printed.
pub fn seed_demo(binary: &str, data: &std::path::Path, wishes: u32) -> anyhow::Result<String> {
    seed_demo_district(binary, data, wishes, 1)
}

/// Seeds `data` with `communities` communities of the demo's district, `wishes` in all.
pub fn seed_demo_district(
    binary: &str,
    data: &std::path::Path,
    wishes: u32,
    communities: u8,
) -> anyhow::Result<String> {
    let output = std::process::Command::new(binary)
        .args(["demo", "--communities", &communities.to_string()])
        .args(["--wishes", &wishes.to_string(), "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .output()?;
    anyhow::ensure!(output.status.success(), "demo failed: {output:?}");
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The community document id in the demo's report.
pub fn demo_community(report: &str) -> anyhow::Result<String> {
    report
        .lines()
        .find_map(|l| l.strip_prefix("community: automerge:"))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the demo printed no community id: {report}"))
}
