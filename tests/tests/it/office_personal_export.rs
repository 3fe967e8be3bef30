//! The one export with residents' personal data (`/api/v1/office/export/contacts.csv`):
//! office devices only, only when asked explicitly with a reason, and always in the audit
//! log. The other exports never hold contact details.

use anyhow::anyhow;
use serde_json::json;
use wish_tests::fixtures::{demo_community, enrollment_code, redeem, seed_demo};
use wish_tests::http::{request, Response};
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const PATH: &str = "/api/v1/office/export/contacts.csv";

/// Enrolls a device of the demo's center station; returns its token and device id.
fn token_for(server: &TestServer, role: &str, community: &str) -> anyhow::Result<(String, String)> {
    let body =
        json!({ "role": role, "person": "p01", "community": community, "stations": ["center"] });
    redeem(server, &enrollment_code(server, &body)?, role)
}

fn get(server: &TestServer, path: &str, token: &str) -> anyhow::Result<Response> {
    request(&server.addr, "GET", path, Some(token), None)
}

#[test]
fn personal_data_is_exported_only_on_request_and_always_audited() -> anyhow::Result<()> {
    let data = temp_dir();
    let community = demo_community(&seed_demo(BIN, data.path(), 40)?)?;
    let server = TestServer::start(BIN, data.path())?;
    let (office, office_device) = token_for(&server, "office", &community)?;
    let (coordinator, _) = token_for(&server, "coordinator", &community)?;

    // Not without asking, not without a reason, not for coordinators.
    assert_eq!(get(&server, PATH, &office)?.status, 400);
    let no_reason = format!("{PATH}?confirm=personal-data");
    assert_eq!(get(&server, &no_reason, &office)?.status, 400);
    let asked = format!("{PATH}?confirm=personal-data&reason=%E5%9B%9E%E8%AE%BF&station=center");
    assert_eq!(get(&server, &asked, &coordinator)?.status, 403);

    let export = get(&server, &asked, &office)?;
    assert_eq!(export.status, 200, "{}", export.text());
    let text = export.text();
    let text = text
        .strip_prefix('\u{feff}')
        .ok_or_else(|| anyhow!("no BOM"))?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.contains("居民姓名") && header.contains("电话"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    let station_total = get(
        &server,
        "/api/v1/office/wishes?station=center&per_page=1",
        &office,
    )?
    .json()?["total"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        rows.len() as u64,
        station_total,
        "one row per selected wish"
    );
    let with_phone = rows
        .iter()
        .filter(|r| r.split(',').nth(6).is_some_and(|phone| phone.len() >= 7))
        .count();
    assert!(with_phone > 0, "no contact details exported: {rows:?}");

    // The export is in the audit log with who, why and how many.
    let audit = get(&server, "/api/v1/audit", &office)?.json()?;
    let entry = audit
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["kind"] == "personal-data-export")
        .ok_or_else(|| anyhow!("no audit entry: {audit}"))?;
    assert_eq!(entry["device"], office_device.as_str(), "{entry}");
    let detail = entry["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("回访") && detail.contains(&format!("{station_total} wishes")),
        "{detail}"
    );

    // The ordinary export still holds no contact details.
    let plain = get(
        &server,
        "/api/v1/office/export/wishes.csv?station=center",
        &office,
    )?
    .text();
    let plain_header = plain.lines().next().unwrap_or_default();
    assert!(
        !plain_header.contains("居民姓名") && !plain_header.contains("门牌号"),
        "{plain_header}"
    );
    Ok(())
}
