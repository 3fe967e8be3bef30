//! Hostile devices against closing the loop (`tests/js/hostile-loop.mjs`): the stock JS
//! automerge-repo client with normally enrolled tokens appends to a resolved wish what
//! the screens never would — a rating (代评) by someone who did not visit, a 回访 by a
//! claimant who released their claim, a 微故事 by a volunteer or of a wish not fulfilled.
//! Each is refused by its rule (live signal and `GET /api/v1/refusals`), the server's
//! copy keeps no such event, and the attacker keeps syncing. The honest controls: the
//! claimant's 代评 and 回访, the coordinator's story of a fulfilled wish. The points the
//! screens now operate (兑换, 表彰, 冲正) are tried on the ledger the same way: a volunteer
//! awarding themselves, a coordinator's unbalanced entry or rewritten entry.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::Value;
use wish_tests::fixtures::{demo_community, enroll_in, seed_demo};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

struct Scene {
    server: TestServer,
    _dir: tempfile::TempDir,
    community: String,
    ledger: String,
}

struct Device {
    token: String,
    id: String,
    person: &'static str,
}

impl Scene {
    fn start() -> anyhow::Result<Self> {
        let dir = temp_dir();
        let report = seed_demo(BIN, dir.path(), 3)?;
        let community = demo_community(&report)?;
        let ledger = report
            .lines()
            .find_map(|l| l.strip_prefix("ledger: "))
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("the demo printed no ledger: {report}"))?;
        let server = TestServer::start(BIN, dir.path())?;
        Ok(Self {
            server,
            _dir: dir,
            community,
            ledger,
        })
    }

    fn device(&self, role: &str, person: &'static str, station: &str) -> anyhow::Result<Device> {
        let (token, id) = enroll_in(&self.server, &self.community, role, person, &[station])?;
        Ok(Device { token, id, person })
    }

    /// Runs one attack by `who` on a fresh wish of 中心驿站 (closed as fulfilled or not).
    fn attack(&self, who: &Device, attack: &str, closed: bool) -> anyhow::Result<Value> {
        let url = self.server.ws_url_for(&who.token);
        let observer = self.server.ws_url();
        let mut args = vec![
            "--url",
            &url,
            "--observer",
            &observer,
            "--community",
            &self.community,
            "--ledger",
            &self.ledger,
            "--station",
            "center",
            "--attack",
            attack,
            "--person",
            who.person,
            "--device",
            &who.id,
        ];
        if closed {
            args.push("--closed");
        }
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        run_script("hostile-loop.mjs", &args, Duration::from_secs(90))
    }

    /// The attack was refused by `rule`, listed for the writer, and left no trace.
    fn refused(&self, who: &Device, attack: &str, closed: bool, rule: &str) -> anyhow::Result<()> {
        let result = self.attack(who, attack, closed)?;
        assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
        assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
        let kinds = result["kinds"].as_array().cloned().unwrap_or_default();
        assert!(
            !kinds
                .iter()
                .any(|k| ["rated", "visited", "story"].contains(&k.as_str().unwrap_or_default())),
            "{result}"
        );
        let response = request(
            &self.server.addr,
            "GET",
            "/api/v1/refusals",
            Some(&who.token),
            None,
        )?;
        let listed = response.json()?;
        let found = listed["refusals"]
            .as_array()
            .is_some_and(|all| all.iter().any(|r| r["rule"] == rule));
        assert!(found, "{attack}: not in GET /api/v1/refusals: {listed}");
        Ok(())
    }

    /// The honest control: accepted, and the server keeps the event.
    fn accepted(&self, who: &Device, attack: &str, closed: bool, kind: &str) -> anyhow::Result<()> {
        let result = self.attack(who, attack, closed)?;
        assert_eq!(result["refused"], Value::Null, "{attack}: {result}");
        let kinds = result["kinds"].as_array().cloned().unwrap_or_default();
        assert!(kinds.iter().any(|k| k == kind), "{attack}: {result}");
        Ok(())
    }
}

#[tokio::test]
async fn only_those_who_visit_record_the_residents_rating() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    // A volunteer of the station who neither collected nor claimed the wish.
    let other = scene.device("volunteer", "p05", "center")?;
    scene.refused(&other, "rate", false, "wish.events.rated")?;
    // Another station's volunteer whose claim was released.
    let released = scene.device("volunteer", "p07", "jinxiu")?;
    scene.refused(&released, "rate", false, "wish.events.rated")?;
    scene.refused(&released, "visit", false, "wish.events.visited")?;
    let claimant = scene.device("volunteer", "p06", "center")?;
    scene.accepted(&claimant, "rate", false, "rated")?;
    scene.accepted(&claimant, "visit", false, "visited")
}

#[tokio::test]
async fn only_the_coordinator_tells_the_story_of_a_fulfilled_wish() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.device("volunteer", "p06", "center")?;
    scene.refused(&volunteer, "story", true, "wish.events.story")?;
    let coordinator = scene.device("coordinator", "p01", "center")?;
    scene.refused(&coordinator, "story", false, "wish.events.story")?;
    scene.accepted(&coordinator, "story", true, "story")
}

#[tokio::test]
async fn the_ledger_takes_only_balanced_new_entries_from_coordinators() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.device("volunteer", "p06", "center")?;
    let result = scene.attack(&volunteer, "award-self", false)?;
    assert_eq!(result["refused"]["rule"], "access.read-only", "{result}");
    assert_eq!(
        (result["forged"].as_bool(), result["unchanged"].as_bool()),
        (Some(false), Some(true)),
        "{result}"
    );
    let coordinator = scene.device("coordinator", "p01", "center")?;
    for (attack, rule) in [
        ("unbalanced", "ledger.entries.add"),
        ("rewrite-entry", "ledger.entries.same-earn"),
    ] {
        let result = scene.attack(&coordinator, attack, false)?;
        assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
        assert_eq!(
            (result["forged"].as_bool(), result["unchanged"].as_bool()),
            (Some(false), Some(true)),
            "{attack}: {result}"
        );
        assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
    }
    let honest = scene.attack(&coordinator, "redeem-honest", false)?;
    assert_eq!(honest["refused"], Value::Null, "{honest}");
    assert_eq!(honest["forged"], true, "{honest}");
    Ok(())
}
