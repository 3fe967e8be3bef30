//! 督办 (`wish.events.supervised`) against hostile devices (`tests/js/hostile-supervise.mjs`):
//! the stock JS automerge-repo client with a normally enrolled volunteer's or the
//! station coordinator's token adds a `supervised` event to one of its station's wishes,
//! stamped in its own name. The server refuses it with the rule (live signal and
//! `GET /api/v1/refusals`), keeps its copy unchanged, and the writer keeps syncing. The
//! honest control: the office device of the community makes the same write, accepted.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::Value;
use wish_tests::fixtures::{demo_community, enroll_in, seed_demo};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const RULE: &str = "wish.events.supervised";

/// Marks `wish` 督办 as the device `(token, id)` of `person`; returns what the script printed.
fn mark(
    server: &TestServer,
    wish: &str,
    device: &(String, String),
    person: &str,
) -> anyhow::Result<Value> {
    let url = server.ws_url_for(&device.0);
    let observer = server.ws_url();
    let wish = format!("automerge:{wish}");
    let args = [
        "--url",
        &url,
        "--observer",
        &observer,
        "--wish",
        &wish,
        "--person",
        person,
        "--device",
        &device.1,
    ];
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_script("hostile-supervise.mjs", &args, Duration::from_secs(90))
}

/// The first wish of the office list: (document id, station).
fn a_wish(server: &TestServer) -> anyhow::Result<(String, String)> {
    let page = request(
        &server.addr,
        "GET",
        "/api/v1/office/wishes?per_page=1",
        Some(TEST_TOKEN),
        None,
    )?
    .json()?;
    let item = &page["items"][0];
    let field = |name: &str| item[name].as_str().map(str::to_owned);
    field("doc_id")
        .zip(field("station"))
        .ok_or_else(|| anyhow::anyhow!("no wish in {page}"))
}

fn listed_refusal(server: &TestServer, token: &str) -> anyhow::Result<bool> {
    let listed = request(&server.addr, "GET", "/api/v1/refusals", Some(token), None)?.json()?;
    Ok(listed["refusals"]
        .as_array()
        .is_some_and(|all| all.iter().any(|r| r["rule"] == RULE)))
}

#[tokio::test]
async fn only_the_office_marks_a_wish_for_follow_up() -> anyhow::Result<()> {
    let dir = temp_dir();
    let community = demo_community(&seed_demo(BIN, dir.path(), 3)?)?;
    let server = TestServer::start(BIN, dir.path())?;
    let (wish, station) = a_wish(&server)?;
    for (role, person) in [("volunteer", "p05"), ("coordinator", "p01")] {
        let device = enroll_in(&server, &community, role, person, &[&station])?;
        let result = mark(&server, &wish, &device, person)?;
        assert_eq!(result["refused"]["rule"], RULE, "{role}: {result}");
        assert_eq!(
            result["supervised"],
            serde_json::json!([]),
            "{role}: {result}"
        );
        assert_eq!(result["stillSyncing"], true, "{role}: {result}");
        assert!(
            listed_refusal(&server, &device.0)?,
            "{role}: not in GET /api/v1/refusals"
        );
    }
    let office = enroll_in(&server, &community, "office", "street-office", &[])?;
    let honest = mark(&server, &wish, &office, "street-office")?;
    assert_eq!(honest["refused"], Value::Null, "{honest}");
    assert_eq!(
        honest["supervised"].as_array().map(Vec::len),
        Some(1),
        "{honest}"
    );
    Ok(())
}
