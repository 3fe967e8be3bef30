//! `POST /api/v1/communities` on a real server process: a 街道 (office device) adds a
//! community and then covers it (its office endpoints name both); coordinators,
//! volunteers and shared tablets are refused; an office code may only cover communities
//! its issuer covers; the administrator may add one; a bad form is a 400 with a message.

use serde_json::{json, Value};
use wish_tests::http::{request, Response};
use wish_tests::setup::{read_setup_code, set_up, setup_body};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// A server set up with 和谐社区 (stations 一号站, 二号站) by its office account 王芳.
struct Street {
    server: TestServer,
    _data: tempfile::TempDir,
    office: String,
    /// 和谐社区's document id.
    harmony: String,
    /// 王芳's person id in 和谐社区's directory.
    person: String,
}

fn street() -> anyhow::Result<Street> {
    let data = temp_dir();
    let server = TestServer::start(BIN, data.path())?;
    let mut body = setup_body(&read_setup_code(data.path())?, &["一号站", "二号站"]);
    body["role"] = json!("office");
    let done = set_up(&server, &body)?;
    anyhow::ensure!(done.status == 200, "setup: {}", done.text());
    let done = done.json()?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    Ok(Street {
        office: text(&done["token"]),
        harmony: text(&done["device"]["community"]),
        person: text(&done["device"]["person"]),
        server,
        _data: data,
    })
}

/// The form of 新增社区: `name` with the stations named (no setup code).
fn community_body(name: &str, stations: &[&str]) -> Value {
    let stations: Vec<Value> = stations
        .iter()
        .map(|s| json!({ "name": s, "kind": "red_station", "address": "幸福路2号" }))
        .collect();
    json!({
        "community": { "name": name, "district": "和平街道" },
        "stations": stations,
        "person": "李书记",
        "role": "coordinator",
    })
}

fn add(street: &Street, token: &str, body: &Value) -> anyhow::Result<Response> {
    request(
        &street.server.addr,
        "POST",
        "/api/v1/communities",
        Some(token),
        Some(body),
    )
}

/// The names of the communities a token's office endpoints see.
fn community_names(street: &Street, token: &str) -> anyhow::Result<Vec<String>> {
    let path = "/api/v1/office/names";
    let names = request(&street.server.addr, "GET", path, Some(token), None)?;
    anyhow::ensure!(names.status == 200, "names: {}", names.text());
    let names = names.json()?;
    let mut all: Vec<String> = names["communities"]
        .as_object()
        .map(|m| {
            m.values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    Ok(all)
}

/// Makes a code with `token` and redeems it; returns the new device's token.
fn enroll(street: &Street, token: &str, body: &Value) -> anyhow::Result<Response> {
    request(
        &street.server.addr,
        "POST",
        "/api/v1/enrollments",
        Some(token),
        Some(body),
    )
}

fn redeem(street: &Street, made: &Response) -> anyhow::Result<String> {
    anyhow::ensure!(made.status == 200, "code: {}", made.text());
    let code = made.json()?["code"].as_str().unwrap_or_default().to_owned();
    let body = json!({ "code": code, "name": "测试平板" });
    let done = request(
        &street.server.addr,
        "POST",
        "/api/v1/enroll",
        None,
        Some(&body),
    )?;
    anyhow::ensure!(done.status == 200, "redeem: {}", done.text());
    Ok(done.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// A device of 和谐社区 in `role`, enrolled by its office.
fn staff(street: &Street, role: &str, stations: &[&str]) -> anyhow::Result<String> {
    let body = json!({ "role": role, "person": street.person, "community": street.harmony, "stations": stations });
    redeem(street, &enroll(street, &street.office, &body)?)
}

#[test]
fn an_office_device_adds_a_community_and_then_covers_it() -> anyhow::Result<()> {
    let street = street()?;
    assert_eq!(community_names(&street, &street.office)?, ["和谐社区"]);

    let added = add(
        &street,
        &street.office,
        &community_body("幸福社区", &["幸福驿站"]),
    )?;
    assert_eq!(added.status, 200, "{}", added.text());
    let added = added.json()?;
    assert_eq!(added["name"], "幸福社区");
    assert_eq!(added["stations"], json!(["s1"]));
    let happiness = added["community"].as_str().unwrap_or_default().to_owned();

    assert_eq!(
        community_names(&street, &street.office)?,
        ["和谐社区", "幸福社区"],
        "the office that added it covers it at once"
    );
    let path = format!("/api/v1/office/summary?community={happiness}");
    let summary = request(
        &street.server.addr,
        "GET",
        &path,
        Some(&street.office),
        None,
    )?;
    assert_eq!(summary.status, 200, "{}", summary.text());

    // An office code covering both, made by that office: the new device sees both.
    let body = json!({ "role": "office", "person": street.person, "community": street.harmony, "covers": [happiness] });
    let second = redeem(&street, &enroll(&street, &street.office, &body)?)?;
    assert_eq!(community_names(&street, &second)?, ["和谐社区", "幸福社区"]);

    let audit = request(
        &street.server.addr,
        "GET",
        "/api/v1/audit",
        Some(TEST_TOKEN),
        None,
    )?;
    for kind in ["community-added", "covers-extended"] {
        assert!(
            audit.text().contains(kind),
            "{kind} audited: {}",
            audit.text()
        );
    }
    Ok(())
}

#[test]
fn coordinators_volunteers_and_shared_tablets_may_not_add_a_community() -> anyhow::Result<()> {
    let street = street()?;
    let coordinator = staff(&street, "coordinator", &["s1"])?;
    let volunteer = staff(&street, "volunteer", &["s1"])?;
    let tablet = staff(&street, "station_tablet", &["s2"])?;
    for (who, token) in [
        ("coordinator", &coordinator),
        ("volunteer", &volunteer),
        ("tablet", &tablet),
    ] {
        let refused = add(&street, token, &community_body("幸福社区", &["幸福驿站"]))?;
        assert_eq!(refused.status, 403, "{who}: {}", refused.text());
    }
    assert_eq!(
        community_names(&street, TEST_TOKEN)?,
        ["和谐社区"],
        "nothing was added"
    );
    Ok(())
}

#[test]
fn an_office_code_may_only_cover_communities_its_issuer_covers() -> anyhow::Result<()> {
    let street = street()?;
    // The administrator may add a community; nobody's covers change.
    let added = add(
        &street,
        TEST_TOKEN,
        &community_body("远方社区", &["远方驿站"]),
    )?;
    assert_eq!(added.status, 200, "{}", added.text());
    let far = added.json()?["community"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        community_names(&street, TEST_TOKEN)?,
        ["和谐社区", "远方社区"]
    );
    assert_eq!(community_names(&street, &street.office)?, ["和谐社区"]);

    let body = json!({ "role": "office", "person": street.person, "community": street.harmony, "covers": [far] });
    let refused = enroll(&street, &street.office, &body)?;
    assert_eq!(refused.status, 403, "{}", refused.text());
    Ok(())
}

#[test]
fn a_bad_form_is_refused_with_a_message() -> anyhow::Result<()> {
    let street = street()?;
    let nameless = add(
        &street,
        &street.office,
        &community_body("  ", &["幸福驿站"]),
    )?;
    assert_eq!(nameless.status, 400, "{}", nameless.text());
    assert!(
        nameless.text().contains("社区名称没有填"),
        "{}",
        nameless.text()
    );
    let stationless = add(&street, &street.office, &community_body("幸福社区", &[]))?;
    assert_eq!(stationless.status, 400, "{}", stationless.text());
    assert!(
        stationless.text().contains("请填写 1 到"),
        "{}",
        stationless.text()
    );
    assert_eq!(community_names(&street, &street.office)?, ["和谐社区"]);
    Ok(())
}

#[test]
fn a_second_community_of_the_same_name_in_the_same_street_is_refused() -> anyhow::Result<()> {
    let street = street()?;
    let first = add(
        &street,
        &street.office,
        &community_body("幸福社区", &["幸福驿站"]),
    )?;
    assert_eq!(first.status, 200, "{}", first.text());

    let again = add(
        &street,
        &street.office,
        &community_body(" 幸福社区 ", &["另一驿站"]),
    )?;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(
        again.text().contains("已经有一个幸福社区"),
        "{}",
        again.text()
    );
    let mut elsewhere = community_body("幸福社区", &["幸福驿站"]);
    elsewhere["community"]["district"] = json!("光明街道");
    let elsewhere = add(&street, &street.office, &elsewhere)?;
    assert_eq!(
        elsewhere.status,
        200,
        "the same name in another street: {}",
        elsewhere.text()
    );
    assert_eq!(
        community_names(&street, &street.office)?,
        ["和谐社区", "幸福社区", "幸福社区"],
        "nothing was added by the refused request"
    );
    Ok(())
}
