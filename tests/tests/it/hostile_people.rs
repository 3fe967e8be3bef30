//! Hostile devices against the coordinator's documents (`tests/js/hostile-people.mjs`):
//! the stock JS automerge-repo client with normally enrolled tokens — a volunteer, a
//! coordinator of another station, a station's shared tablet (驿站公用平板) — writes the
//! community directory, the catalogue, a station's roster template, shifts and
//! check-ins as the screens never would. Writes to a document the device may write are
//! refused by the named rule (live signal, `GET /api/v1/refusals`); writes to a document
//! it may only read are dropped (never stored nor relayed; the writer is told); a document it may not read
//! is unavailable. In every case the server's copy is unchanged and the attacker keeps
//! syncing. The honest control: the shared tablet signing in the person on the shift.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::{json, Value};
use wish_tests::fixtures::{demo_community, enroll_in, seed_demo};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

struct Device {
    token: String,
    id: String,
}

struct Scene {
    server: TestServer,
    _dir: tempfile::TempDir,
    community: String,
}

impl Scene {
    fn start() -> anyhow::Result<Self> {
        let dir = temp_dir();
        let community = demo_community(&seed_demo(BIN, dir.path(), 3)?)?;
        let server = TestServer::start(BIN, dir.path())?;
        Ok(Self {
            server,
            _dir: dir,
            community,
        })
    }

    fn device(&self, role: &str, person: &str, station: &str) -> anyhow::Result<Device> {
        let (token, id) = enroll_in(&self.server, &self.community, role, person, &[station])?;
        Ok(Device { token, id })
    }

    /// Runs one attack by `who` against `station`'s documents; returns what it printed.
    fn attack(&self, who: &Device, station: &str, name: &str) -> anyhow::Result<Value> {
        let url = self.server.ws_url_for(&who.token);
        let observer = self.server.ws_url();
        let community = format!("automerge:{}", self.community);
        let args = [
            "--url",
            &url,
            "--observer",
            &observer,
            "--community",
            &community,
            "--station",
            station,
            "--attack",
            name,
            "--device",
            &who.id,
        ];
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        run_script("hostile-people.mjs", &args, Duration::from_secs(90))
    }

    fn refusals(&self, who: &Device) -> anyhow::Result<Value> {
        let response = request(
            &self.server.addr,
            "GET",
            "/api/v1/refusals",
            Some(&who.token),
            None,
        )?;
        anyhow::ensure!(response.status == 200, "refusals: {}", response.status);
        response.json()
    }
}

/// The attack was refused by `rule`, reported to the writer, and the writer still syncs.
fn refused(
    scene: &Scene,
    who: &Device,
    station: &str,
    attack: &str,
    rule: &str,
) -> anyhow::Result<Value> {
    let result = scene.attack(who, station, attack)?;
    assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
    assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
    let listed = scene.refusals(who)?;
    let found = listed["refusals"]
        .as_array()
        .is_some_and(|all| all.iter().any(|r| r["rule"] == rule));
    assert!(found, "{attack}: not in GET /api/v1/refusals: {listed}");
    Ok(result["observer"].clone())
}

/// The device may only read the document: the change is neither stored nor relayed, and
/// the writer is told (`access.read-only`) rather than left waiting for "saved".
fn dropped(scene: &Scene, who: &Device, station: &str, attack: &str) -> anyhow::Result<Value> {
    refused(scene, who, station, attack, "access.read-only")
}

fn untouched_shift(observer: &Value) {
    assert_eq!(
        observer["shift"]["assignees"],
        json!({ "p05": { "kind": "person" } }),
        "{observer}"
    );
    assert_eq!(observer["shift"]["checkins"], json!({}), "{observer}");
}

#[tokio::test]
async fn a_volunteer_may_not_edit_the_directory_or_the_catalogue() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.device("volunteer", "p05", "center")?;
    // Volunteers may write the community only to post their own offers (资源清单).
    for attack in ["add-person", "edit-catalogue", "deactivate-person"] {
        let observer = refused(&scene, &volunteer, "center", attack, "community.directory")?;
        assert!(
            !observer["people"]
                .as_array()
                .is_some_and(|p| p.contains(&json!("p-forged"))),
            "{observer}"
        );
        assert_eq!(observer["c4_points"], 30, "{observer}");
        assert_eq!(observer["coordinator_left"], Value::Null, "{observer}");
    }
    Ok(())
}

#[tokio::test]
async fn a_volunteer_may_not_check_in_others_or_keep_the_roster() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.device("volunteer", "p06", "center")?;
    untouched_shift(&refused(
        &scene,
        &volunteer,
        "center",
        "checkin-other",
        "station.checkins",
    )?);
    let observer = refused(
        &scene,
        &volunteer,
        "center",
        "edit-template",
        "station.template",
    )?;
    assert_eq!(observer["template"], json!({}), "{observer}");
    untouched_shift(&refused(
        &scene,
        &volunteer,
        "center",
        "delete-shift",
        "station.shifts",
    )?);
    Ok(())
}

#[tokio::test]
async fn a_coordinator_may_not_keep_another_stations_roster() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let coordinator = scene.device("coordinator", "p01", "center")?;
    untouched_shift(&dropped(&scene, &coordinator, "jinxiu", "delete-shift")?);
    untouched_shift(&dropped(&scene, &coordinator, "jinxiu", "checkin-other")?);
    Ok(())
}

#[tokio::test]
async fn a_shared_tablet_signs_in_only_people_on_its_stations_shifts() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let tablet = scene.device("station_tablet", "tablet-center", "center")?;
    let rule = "station.checkins.shared-tablet";
    untouched_shift(&refused(
        &scene,
        &tablet,
        "center",
        "tablet-not-on-shift",
        rule,
    )?);
    untouched_shift(&refused(
        &scene,
        &tablet,
        "center",
        "tablet-other-device",
        rule,
    )?);
    untouched_shift(&refused(
        &scene,
        &tablet,
        "center",
        "tablet-edits-roster",
        "station.shifts",
    )?);
    let observer = dropped(&scene, &tablet, "center", "add-person")?;
    assert!(
        !observer["people"]
            .as_array()
            .is_some_and(|p| p.contains(&json!("p-forged"))),
        "{observer}"
    );
    // Another station's roster is not even readable.
    let elsewhere = scene.attack(&tablet, "jinxiu", "tablet-honest")?;
    assert_eq!(elsewhere["unavailable"], true, "{elsewhere}");
    untouched_shift(&elsewhere["observer"]);
    // The honest control: the person on the shift, signed in by this tablet.
    let honest = scene.attack(&tablet, "center", "tablet-honest")?;
    assert_eq!(honest["refused"], Value::Null, "{honest}");
    let checkin = &honest["observer"]["shift"]["checkins"]["p05"];
    assert_eq!(checkin["device"], tablet.id.as_str(), "{honest}");
    Ok(())
}
