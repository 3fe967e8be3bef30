//! A wish's detail and 督办 over REST, and each office's own overdue targets, against a
//! real server seeded with the district demo: the 街道 office (covering the district)
//! opens a wish by name, marks it for follow-up, and a station tablet (a native client
//! with the coordinator's token) receives the mark by sync. Another community's office
//! and the station's coordinator are refused (403), an unknown wish is 404, a closed
//! one 409; targets are validated (400), the office's own, and survive a restart.

use std::time::Duration;

use serde_json::{json, Value};
use wish_client_core::model::WishView;
use wish_client_core::proto::DocumentId;
use wish_tests::clients::{client, SYNC_TIMEOUT};
use wish_tests::fixtures::{enroll_in, redeem, seed_demo_district};
use wish_tests::http::{request, request_bytes, Response};
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

struct District {
    communities: Vec<String>,
    code: String,
}

fn demo(data: &std::path::Path) -> anyhow::Result<District> {
    let report = seed_demo_district(BIN, data, 60, 3)?;
    let communities = report
        .lines()
        .filter_map(|l| l.strip_prefix("community: automerge:"))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    let code = report
        .lines()
        .find(|l| l.contains("街道 office"))
        .and_then(|l| l.rsplit(' ').next())
        .ok_or_else(|| anyhow::anyhow!("no office code in {report}"))?
        .to_owned();
    Ok(District { communities, code })
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

fn ok_json(response: Response, what: &str) -> anyhow::Result<Value> {
    anyhow::ensure!(
        response.status == 200,
        "{what}: {} {}",
        response.status,
        response.text()
    );
    response.json()
}

/// The first wish of `community` with `status`, as listed.
fn first_wish(
    server: &TestServer,
    token: &str,
    community: &str,
    status: &str,
) -> anyhow::Result<Value> {
    let path = format!("/api/v1/office/wishes?community={community}&status={status}&per_page=1");
    let list = ok_json(call(server, "GET", &path, token, None)?, &path)?;
    list["items"][0]
        .as_object()
        .map(|o| Value::Object(o.clone()))
        .ok_or_else(|| anyhow::anyhow!("no {status} wish in {community}: {list}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_opens_a_wish_marks_it_and_the_station_tablet_sees_the_mark(
) -> anyhow::Result<()> {
    let data = temp_dir();
    let district = demo(data.path())?;
    let (c1, c3) = (&district.communities[0], &district.communities[2]);
    let server = TestServer::start(BIN, data.path())?;
    let (office, _) = redeem(&server, &district.code, "街道办")?;
    let (other_office, _) = enroll_in(&server, c3, "office", "p-office3", &[])?;

    let wish = first_wish(&server, &office, c1, "published")?;
    let doc = wish["doc_id"].as_str().unwrap_or_default().to_owned();
    let station = wish["station"].as_str().unwrap_or_default().to_owned();
    let (coordinator, _) = enroll_in(&server, c1, "coordinator", "p-coord", &[&station])?;
    let path = format!("/api/v1/office/wishes/{doc}");
    let detail = ok_json(call(&server, "GET", &path, &office, None)?, "detail")?;
    assert_eq!(detail["doc_id"], doc.as_str());
    assert_eq!(detail["community_name"], "幸福社区", "{detail}");
    let station_name = detail["station_name"].as_str().unwrap_or_default();
    assert!(
        !station_name.is_empty() && !station_name.contains("未登记"),
        "{detail}"
    );
    let timeline = detail["timeline"].as_array().cloned().unwrap_or_default();
    assert!(
        timeline.iter().any(|s| s["kind"] == "collected"),
        "{detail}"
    );
    assert!(timeline
        .iter()
        .all(|s| s["by_name"].as_str().is_some_and(|n| !n.is_empty())));
    for personal in ["contact", "compound", "building"] {
        assert!(detail.get(personal).is_none(), "{personal} in {detail}");
    }
    assert!(detail["supervision"].is_null());

    let mark = format!("{path}/supervise");
    let note = json!({ "note": "请本周内上门回访" });
    for (who, token) in [
        ("coordinator", &coordinator),
        ("other office", &other_office),
    ] {
        let refused = call(&server, "POST", &mark, token, Some(&note))?;
        assert_eq!(refused.status, 403, "{who}: {}", refused.text());
    }
    assert_eq!(
        call(&server, "GET", &path, &other_office, None)?.status,
        403
    );
    let unknown = format!(
        "/api/v1/office/wishes/{}/supervise",
        DocumentId::from_bytes([7; 16])
    );
    assert_eq!(
        call(&server, "POST", &unknown, &office, Some(&note))?.status,
        404
    );
    let garbled = request_bytes(
        &server.addr,
        "POST",
        &mark,
        Some(&office),
        Some("application/json"),
        b"{note",
    )?;
    assert_eq!(garbled.status, 400, "{}", garbled.text());

    let marked = ok_json(call(&server, "POST", &mark, &office, Some(&note))?, "mark")?;
    assert_eq!(
        marked["supervision"]["note"], "请本周内上门回访",
        "{marked}"
    );
    let detail = ok_json(call(&server, "GET", &path, &office, None)?, "detail")?;
    assert_eq!(
        detail["supervision"]["note"], "请本周内上门回访",
        "{detail}"
    );
    assert!(detail["timeline"]
        .as_array()
        .is_some_and(|t| t.iter().any(|s| s["kind"] == "supervised")));

    // The station's tablet receives the mark by sync.
    let dir = temp_dir();
    let tablet = client(&server.ws_url_for(&coordinator), dir.path(), false).await?;
    let id: DocumentId = doc.parse()?;
    tablet.open(id).await?;
    tablet
        .wait_until(id, SYNC_TIMEOUT, "the 督办 mark", move |driver| {
            driver
                .document(&id)
                .and_then(|d| WishView::read(d).ok())
                .is_some_and(|w| {
                    w.supervision().and_then(|e| e.note.clone()).as_deref()
                        == Some("请本周内上门回访")
                })
        })
        .await?;

    let closed = first_wish(&server, &office, c1, "closed")?;
    let closed_mark = format!(
        "/api/v1/office/wishes/{}/supervise",
        closed["doc_id"].as_str().unwrap_or_default()
    );
    let refused = call(&server, "POST", &closed_mark, &office, Some(&note))?;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("已办结"), "{}", refused.text());

    let audit = ok_json(
        call(&server, "GET", "/api/v1/audit", &office, None)?,
        "audit",
    )?;
    assert!(
        audit.as_array().is_some_and(|a| a
            .iter()
            .any(|r| r["detail"].as_str().is_some_and(|d| d.contains("督办")))),
        "no 督办 in the audit log"
    );
    Ok(())
}

#[test]
fn overdue_targets_are_each_offices_own_and_survive_a_restart() -> anyhow::Result<()> {
    let data = temp_dir();
    let district = demo(data.path())?;
    let (c1, c2) = (&district.communities[0], &district.communities[1]);
    let server = TestServer::start(BIN, data.path())?;
    let (office, _) = redeem(&server, &district.code, "街道办")?;
    let (other_office, _) = enroll_in(&server, c2, "office", "p-office2", &[])?;
    let wish = first_wish(&server, &office, c1, "published")?;
    let station = wish["station"].as_str().unwrap_or_default();
    let (coordinator, _) = enroll_in(&server, c1, "coordinator", "p-coord", &[station])?;
    let path = "/api/v1/office/overdue-targets";
    let defaults = ok_json(call(&server, "GET", path, &office, None)?, "targets")?;
    assert_eq!(defaults["default"], true);
    assert_eq!(defaults["hours"]["urgent"], 48, "{defaults}");

    let bad = [
        json!({ "hours": { "urgent": 24, "high": 72, "normal": 240 } }),
        json!({ "hours": { "urgent": 0, "high": 72, "normal": 240, "low": 720 } }),
        json!({ "hours": { "urgent": 24, "high": 72, "normal": 240, "low": 720, "soon": 1 } }),
        json!({ "hours": { "urgent": 1.5, "high": 72, "normal": 240, "low": 720 } }),
        json!({ "hours": "fast" }),
    ];
    for body in &bad {
        let refused = call(&server, "PUT", path, &office, Some(body))?;
        assert_eq!(refused.status, 400, "{body}: {}", refused.text());
        assert!(!refused.text().is_empty());
    }
    let strict = json!({ "hours": { "urgent": 1, "high": 1, "normal": 1, "low": 1 } });
    assert_eq!(
        call(&server, "PUT", path, &coordinator, Some(&strict))?.status,
        403
    );
    let set = ok_json(call(&server, "PUT", path, &office, Some(&strict))?, "put")?;
    assert_eq!(
        (set["default"].clone(), set["hours"]["normal"].clone()),
        (json!(false), json!(1))
    );
    // Another office keeps the defaults; its overdue list is shorter.
    let theirs = ok_json(call(&server, "GET", path, &other_office, None)?, "theirs")?;
    assert_eq!(theirs["default"], true);
    let overdue = |token: &str| -> anyhow::Result<u64> {
        let path = format!("/api/v1/office/overdue?community={c2}&per_page=1");
        let report = ok_json(call(&server, "GET", &path, token, None)?, "overdue")?;
        Ok(report["total"].as_u64().unwrap_or(0))
    };
    let (mine, default) = (overdue(&office)?, overdue(&other_office)?);
    assert!(mine > default, "strict {mine} vs default {default}");
    let report = ok_json(
        call(
            &server,
            "GET",
            "/api/v1/office/overdue?per_page=1",
            &office,
            None,
        )?,
        "overdue",
    )?;
    assert!(report["targets"]
        .as_array()
        .is_some_and(|t| t.iter().all(|r| r["days"].as_f64() == Some(1.0 / 24.0))));

    let addr = server.addr.clone();
    server.kill()?;
    std::thread::sleep(Duration::from_millis(200));
    let server = TestServer::restart(BIN, data.path(), &addr)?;
    let kept = ok_json(call(&server, "GET", path, &office, None)?, "after restart")?;
    assert_eq!(
        (kept["default"].clone(), kept["hours"]["low"].clone()),
        (json!(false), json!(1))
    );
    Ok(())
}
