//! Hostile claims against 派单 and claims as a unit or a group (`tests/js/hostile-dispatch.mjs`):
//! the stock JS automerge-repo client with normally enrolled tokens — a volunteer, a
//! partner (共建单位) whose directory entry names its unit — writes claims the screens
//! never would, on a published wish: a dispatch in another's name (with and without the
//! coordinator's assignment), its own claim marked dispatched, a unit claim by a
//! volunteer, a partner's claim as another unit, a 帮帮团 claim led by someone else. Each
//! is refused by the named rule (live signal and `GET /api/v1/refusals`), the server's
//! copy keeps no trace of it, and the attacker keeps syncing. The honest control: the
//! partner claims as its own unit, accepted and assigned by the server's arbitration.
//! The lists: a volunteer posts an offer in an expert's name, a partner as another unit,
//! a volunteer retires an offer, moves a project, links a wish to a project or books it
//! against an offer: each refused; posting one's own offer (or the unit's) is accepted.

use std::ffi::OsStr;
use std::time::Duration;

use serde_json::Value;
use wish_tests::fixtures::{demo_community, enroll_in, seed_demo};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const STATION: &str = "center";

struct Device {
    token: String,
    id: String,
    person: String,
}

struct Scene {
    server: TestServer,
    _dir: tempfile::TempDir,
    community: String,
}

impl Scene {
    fn start() -> anyhow::Result<Self> {
        let dir = temp_dir();
        let community = demo_community(&seed_demo(BIN, dir.path(), 1)?)?;
        let server = TestServer::start(BIN, dir.path())?;
        Ok(Self {
            server,
            _dir: dir,
            community,
        })
    }

    fn device(&self, role: &str, person: &str, stations: &[&str]) -> anyhow::Result<Device> {
        let (token, id) = enroll_in(&self.server, &self.community, role, person, stations)?;
        Ok(Device {
            token,
            id,
            person: person.to_owned(),
        })
    }

    /// Runs one attack by `who`; returns what the script printed.
    fn attack(&self, who: &Device, name: &str) -> anyhow::Result<Value> {
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
            STATION,
            "--attack",
            name,
            "--person",
            &who.person,
            "--device",
            &who.id,
        ];
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        run_script("hostile-dispatch.mjs", &args, Duration::from_secs(90))
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

    fn volunteer(&self) -> anyhow::Result<Device> {
        self.device("volunteer", "p06", &[STATION])
    }

    /// 唐晓燕 of 幸福社区健康服务中心 (`u-hospital`) on a partner device.
    fn partner(&self) -> anyhow::Result<Device> {
        self.device("partner", "p24", &[])
    }
}

/// The attack was refused by `rule`, reported to the writer, nothing of it stored, and
/// the writer still syncs.
fn refused(scene: &Scene, who: &Device, attack: &str, rule: &str) -> anyhow::Result<()> {
    let result = scene.attack(who, attack)?;
    assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
    assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
    let claim = result["claim"].as_str().unwrap_or_default();
    let observer = &result["observer"];
    assert!(
        observer["claims"].get(claim).is_none(),
        "{attack}: claim stored {result}"
    );
    assert_eq!(
        observer["assigned"].as_array().map(Vec::len),
        Some(0),
        "{attack}: {result}"
    );
    let listed = scene.refusals(who)?;
    let found = listed["refusals"]
        .as_array()
        .is_some_and(|all| all.iter().any(|r| r["rule"] == rule));
    assert!(found, "{attack}: not in GET /api/v1/refusals: {listed}");
    Ok(())
}

#[tokio::test]
async fn a_volunteer_may_not_dispatch_in_another_name() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.volunteer()?;
    refused(&scene, &volunteer, "dispatch-for-other", "wish.claims.add")?;
    // Both entries break a rule; the assignment is the first the server judges.
    refused(
        &scene,
        &volunteer,
        "dispatch-and-assign",
        "wish.assigned.add",
    )?;
    refused(
        &scene,
        &volunteer,
        "own-claim-marked-dispatched",
        "wish.claims.add",
    )
}

#[tokio::test]
async fn a_volunteer_may_not_claim_as_a_unit_or_for_another_groups_lead() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.volunteer()?;
    refused(&scene, &volunteer, "unit-as-volunteer", "wish.claims.unit")?;
    refused(
        &scene,
        &volunteer,
        "group-for-other-lead",
        "wish.claims.group",
    )
}

#[tokio::test]
async fn a_partner_claims_as_its_own_unit_only() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let partner = scene.partner()?;
    refused(&scene, &partner, "unit-as-other-unit", "wish.claims.unit")?;
    let honest = scene.attack(&partner, "unit-own")?;
    assert_eq!(honest["refused"], Value::Null, "{honest}");
    let claim = honest["claim"].as_str().unwrap_or_default();
    let observer = &honest["observer"];
    assert_eq!(
        observer["claims"][claim]["claimant"], "u-hospital",
        "{honest}"
    );
    assert!(
        observer["assigned"]
            .as_array()
            .is_some_and(|a| a.iter().any(|c| c == claim)),
        "the server's arbitration assigns the unit's claim: {honest}"
    );
    Ok(())
}

/// A list attack was refused by `rule`, reported, and the writer still syncs; returns
/// the server's copy of the lists.
fn refused_on_lists(
    scene: &Scene,
    who: &Device,
    attack: &str,
    rule: &str,
) -> anyhow::Result<Value> {
    let result = scene.attack(who, attack)?;
    assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
    assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
    let observer = result["observer"].clone();
    assert_eq!(observer["offer"], Value::Null, "{attack}: {result}");
    assert_eq!(observer["o01_active"], true, "{attack}: {result}");
    assert_eq!(observer["pr3_status"], "planned", "{attack}: {result}");
    Ok(observer)
}

#[tokio::test]
async fn members_post_only_their_own_offers_and_only_staff_keep_the_lists() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.volunteer()?;
    let partner = scene.partner()?;
    refused_on_lists(
        &scene,
        &volunteer,
        "offer-as-other",
        "community.offers.post",
    )?;
    refused_on_lists(
        &scene,
        &partner,
        "offer-as-other-unit",
        "community.offers.post",
    )?;
    refused_on_lists(&scene, &volunteer, "retire-offer", "community.offers.keep")?;
    refused_on_lists(&scene, &volunteer, "advance-project", "community.projects")?;
    for (who, honest) in [(&volunteer, "offer-own"), (&partner, "offer-own-unit")] {
        let result = scene.attack(who, honest)?;
        assert_eq!(result["refused"], Value::Null, "{honest}: {result}");
        assert!(
            result["observer"]["offer"].is_object(),
            "{honest}: {result}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_volunteer_may_not_link_a_project_or_book_an_offer() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let volunteer = scene.volunteer()?;
    let linked = scene.attack(&volunteer, "link-project")?;
    assert_eq!(linked["refused"]["rule"], "wish.project", "{linked}");
    assert_eq!(linked["observer"]["project"], Value::Null, "{linked}");
    refused(
        &scene,
        &volunteer,
        "book-offer-as-volunteer",
        "wish.claims.add",
    )
}
