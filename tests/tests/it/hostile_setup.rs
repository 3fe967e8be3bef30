//! The operations of issue 13 against callers who may not use them, on real server
//! processes: the setup code works once and never on a server that has a community; a
//! wrong code is refused, and the right one makes no administrator; volunteers may not import or make codes in bulk; the office may
//! not import wish cards; a coordinator may not import into another station or another
//! community, nor make codes for roles or stations it does not manage. Each refusal
//! leaves the server's data unchanged.

use serde_json::{json, Value};
use wish_tests::fixtures::{demo_community, enrollment_code, redeem, seed_demo};
use wish_tests::http::request;
use wish_tests::setup::{read_setup_code, set_up, setup_body, upload, wish_cards_gb18030};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

fn get(server: &TestServer, path: &str, token: Option<&str>) -> anyhow::Result<Value> {
    let response = request(&server.addr, "GET", path, token, None)?;
    anyhow::ensure!(response.status == 200, "{path}: {}", response.text());
    response.json()
}

fn setup_open(server: &TestServer) -> anyhow::Result<bool> {
    Ok(get(server, "/api/v1/setup", None)?["open"] == true)
}

/// Wishes the server holds, from the summary rows (bootstrap token: every community).
fn wish_total(server: &TestServer) -> anyhow::Result<u64> {
    let counts = get(server, "/api/v1/summary", Some(TEST_TOKEN))?;
    Ok(counts["total"].as_u64().unwrap_or_default())
}

#[test]
fn the_setup_code_works_once_and_a_wrong_one_never() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let code = read_setup_code(data.path())?;
    assert!(setup_open(&server)?);

    let wrong = set_up(&server, &setup_body("AAAA-BBBB-CCCC-DDDD", &["一号站"]))?;
    assert_eq!(wrong.status, 403, "{}", wrong.text());
    assert!(setup_open(&server)?, "a wrong code does not close setup");

    // The right code cannot make the first account an administrator (nor a volunteer).
    for role in ["administrator", "volunteer"] {
        let mut body = setup_body(&code, &["一号站"]);
        body["role"] = json!(role);
        let refused = set_up(&server, &body)?;
        assert_eq!(refused.status, 400, "{role}: {}", refused.text());
    }
    assert!(
        setup_open(&server)?,
        "a refused form does not spend the code"
    );

    let done = set_up(&server, &setup_body(&code, &["一号站", "二号站"]))?;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()?["device"]["role"], "coordinator");
    assert!(done.json()?["token"].as_str().is_some_and(|t| t.len() > 32));

    let again = set_up(&server, &setup_body(&code, &["三号站"]))?;
    assert_eq!(again.status, 403, "{}", again.text());
    assert!(again.text().contains("already set up"), "{}", again.text());
    assert!(!setup_open(&server)?);
    assert!(
        !data.path().join("setup-code").exists(),
        "the spent code file is deleted"
    );

    // A restart does not reopen setup: the server has a community.
    let addr = server.addr.clone();
    server.terminate()?;
    let server = TestServer::restart(BIN, data.path(), &addr)?;
    assert!(!setup_open(&server)?);
    let after_restart = set_up(&server, &setup_body(&code, &["四号站"]))?;
    assert_eq!(after_restart.status, 403, "{}", after_restart.text());
    Ok(())
}

#[test]
fn a_server_that_has_a_community_offers_no_setup() -> anyhow::Result<()> {
    let data = temp_dir();
    seed_demo(BIN, data.path(), 3)?;
    let server = TestServer::start(BIN, data.path())?;
    assert!(!setup_open(&server)?);
    assert!(!data.path().join("setup-code").exists());
    let attempt = set_up(&server, &setup_body("AAAA-BBBB-CCCC-DDDD", &["一号站"]))?;
    assert_eq!(attempt.status, 403, "{}", attempt.text());
    assert_eq!(wish_total(&server)?, 3);
    Ok(())
}

/// A server with two communities: 和谐社区 (set up on the screens' endpoint, coordinator
/// of its stations s1 and s2) and the demo's 幸福社区 (stations center, jinxiu, ...).
struct TwoCommunities {
    server: TestServer,
    _data: tempfile::TempDir,
    /// The first coordinator of 和谐社区.
    harmony: String,
    demo: String,
}

fn two_communities() -> anyhow::Result<TwoCommunities> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let code = read_setup_code(data.path())?;
    let done = set_up(&server, &setup_body(&code, &["一号站", "二号站"]))?;
    anyhow::ensure!(done.status == 200, "setup: {}", done.text());
    let harmony = done.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    server.terminate()?;
    let demo = demo_community(&seed_demo(BIN, data.path(), 5)?)?;
    let server = TestServer::start(BIN, data.path())?;
    Ok(TwoCommunities {
        server,
        _data: data,
        harmony,
        demo,
    })
}

/// A device of the demo community enrolled with the bootstrap token.
fn demo_device(
    setup: &TwoCommunities,
    role: &str,
    person: &str,
    stations: &[&str],
) -> anyhow::Result<String> {
    let body =
        json!({ "role": role, "person": person, "community": setup.demo, "stations": stations });
    let code = enrollment_code(&setup.server, &body)?;
    Ok(redeem(&setup.server, &code, person)?.0)
}

#[test]
fn imports_and_bulk_codes_are_refused_outside_the_callers_scope() -> anyhow::Result<()> {
    let setup = two_communities()?;
    let server = &setup.server;
    let volunteer = demo_device(&setup, "volunteer", "p05", &["center"])?;
    let office = demo_device(&setup, "office", "p01", &[])?;
    let coordinator = demo_device(&setup, "coordinator", "p01", &["center"])?;
    let before = wish_total(server)?;
    let jinxiu_cards = wish_cards_gb18030(3, "锦绣花园红色驿站", "张桂芳");
    let people = "姓名,类别\r\n新来的,志愿者\r\n".as_bytes();

    // A volunteer imports nothing and makes no codes.
    for path in [
        "/api/v1/import/wishes",
        "/api/v1/import/people?confirm=true",
    ] {
        let refused = upload(server, path, &volunteer, people)?;
        assert_eq!(refused.status, 403, "{path}: {}", refused.text());
    }
    let bulk = json!({ "role": "volunteer", "community": setup.demo, "stations": ["center"], "people": ["p05"] });
    let refused = request(
        &server.addr,
        "POST",
        "/api/v1/enrollments/bulk",
        Some(&volunteer),
        Some(&bulk),
    )?;
    assert_eq!(refused.status, 403, "{}", refused.text());

    // The office reads residents' contacts but does not write them: no wish cards.
    let refused = upload(
        server,
        "/api/v1/import/wishes?confirm=true",
        &office,
        &jinxiu_cards,
    )?;
    assert_eq!(refused.status, 403, "{}", refused.text());

    // A coordinator of center may not import into jinxiu (same community) ...
    let checked = upload(
        server,
        "/api/v1/import/wishes?confirm=true",
        &coordinator,
        &jinxiu_cards,
    )?;
    assert_eq!(checked.status, 200, "{}", checked.text());
    let report = checked.json()?;
    assert_eq!(report["imported"], 0, "{report}");
    assert_eq!(report["bad"], 3, "{report}");
    assert!(
        report
            .to_string()
            .contains("not one of the stations you coordinate"),
        "{report}"
    );

    // ... nor into another community's station, naming it or naming the community.
    let harmony_cards = wish_cards_gb18030(2, "一号站", "张桂芳");
    let path = format!(
        "/api/v1/import/wishes?confirm=true&community={}",
        setup.demo
    );
    for (token, cards) in [
        (&coordinator, &harmony_cards),
        (&setup.harmony, &jinxiu_cards),
    ] {
        let checked = upload(server, &path, token, cards)?;
        assert_eq!(checked.status, 200, "{}", checked.text());
        let report = checked.json()?;
        assert_eq!(report["imported"], 0, "{report}");
        assert!(report.to_string().contains("unknown station"), "{report}");
    }
    let into_demo = upload(
        server,
        "/api/v1/import/people?confirm=true&community=x",
        &setup.harmony,
        people,
    )?;
    assert_eq!(
        into_demo.json()?["imported"],
        1,
        "its own directory, whatever it names"
    );

    // Bulk codes: only the roles and stations a coordinator manages, only its people.
    let cases = [
        (
            json!({ "role": "coordinator", "community": setup.demo, "stations": ["center"], "people": ["p05"] }),
            403,
        ),
        (
            json!({ "role": "volunteer", "community": setup.demo, "stations": ["jinxiu"], "people": ["p07"] }),
            403,
        ),
        (
            json!({ "role": "volunteer", "community": setup.demo, "stations": ["center"], "people": ["p05", "nobody"] }),
            400,
        ),
    ];
    for (body, status) in cases {
        let answer = request(
            &server.addr,
            "POST",
            "/api/v1/enrollments/bulk",
            Some(&coordinator),
            Some(&body),
        )?;
        assert_eq!(answer.status, status, "{body}: {}", answer.text());
    }
    let allowed = json!({ "role": "volunteer", "community": setup.demo, "stations": ["center"], "people": ["p05", "p06"] });
    let answer = request(
        &server.addr,
        "POST",
        "/api/v1/enrollments/bulk",
        Some(&coordinator),
        Some(&allowed),
    )?;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()?["codes"].as_array().map(Vec::len), Some(2));

    assert_eq!(
        wish_total(server)?,
        before,
        "no refused import wrote a wish"
    );
    Ok(())
}
