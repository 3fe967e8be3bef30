//! Hostile devices: a stock JS automerge-repo client with a normally enrolled volunteer
//! token writes what the tablet's screens never would (`tests/js/hostile.mjs`). Every
//! attack must be refused by the write rules (`server/src/rules/table.rs`) with the named
//! rule, leave no trace in the server's copy, be reported to the writer (live signal and
//! `GET /api/v1/refusals`), and leave the attacker's and other peers' sessions running.

use std::ffi::OsStr;
use std::time::Duration;

use automerge::Automerge;
use serde_json::Value;
use wish_client_core::ops::{wish, Stamp};
use wish_client_core::proto::DocumentId;
use wish_tests::clients::{client, upload};
use wish_tests::fixtures::{enroll, wish_with_contact};
use wish_tests::http::request;
use wish_tests::node::run_script;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const ATTACKER: &str = "p-attacker";

/// A published wish of station `s1` with capacity 2, on the wall.
fn published_wish(seed: u8) -> anyhow::Result<(DocumentId, Automerge)> {
    let (id, mut doc, _, _) = wish_with_contact("s1", "p-col", seed)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        use automerge::transaction::Transactable;
        tx.put(automerge::ROOT, "capacity", 2_u64)?;
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let stamp = |id| Stamp {
        id,
        by: "p-coord",
        device: "d-coord",
        now_ms: 1_700_000_100_000,
    };
    wish::verify(&mut doc, stamp("ev-verify"))?;
    wish::publish(&mut doc, stamp("ev-publish"))?;
    Ok((id, doc))
}

struct Scene {
    server: TestServer,
    _dir: tempfile::TempDir,
    attacker_token: String,
    attacker_device: String,
}

impl Scene {
    fn start() -> anyhow::Result<Self> {
        let dir = temp_dir();
        let server = TestServer::start(BIN, dir.path())?;
        let (attacker_token, attacker_device) =
            enroll(&server, "volunteer", ATTACKER, &["s2"], 30)?;
        Ok(Self {
            server,
            _dir: dir,
            attacker_token,
            attacker_device,
        })
    }

    /// Uploads a fresh published wish with the bootstrap token.
    async fn seed(&self, seed: u8) -> anyhow::Result<DocumentId> {
        let (id, doc) = published_wish(seed)?;
        let local = temp_dir();
        let admin = client(&self.server.ws_url(), local.path(), false).await?;
        upload(&admin, id, &doc).await?;
        Ok(id)
    }

    /// Runs one attack; returns what the script printed.
    fn attack(&self, doc: DocumentId, name: &str) -> anyhow::Result<Value> {
        let url = format!(
            "ws://{}/sync?token={}",
            self.server.addr, self.attacker_token
        );
        let doc_url = format!("automerge:{doc}");
        let observer = self.server.ws_url();
        let args: Vec<&OsStr> = [
            "--url",
            &url,
            "--observer",
            &observer,
            "--doc",
            &doc_url,
            "--attack",
            name,
            "--person",
            ATTACKER,
            "--device",
            &self.attacker_device,
        ]
        .into_iter()
        .map(OsStr::new)
        .collect();
        run_script("hostile.mjs", &args, Duration::from_secs(60))
    }

    fn refusals(&self) -> anyhow::Result<Value> {
        let response = request(
            &self.server.addr,
            "GET",
            "/api/v1/refusals",
            Some(&self.attacker_token),
            None,
        )?;
        anyhow::ensure!(response.status == 200, "refusals: {}", response.status);
        response.json()
    }
}

/// Seeds a wish, runs the attack, and checks the refusal end to end.
async fn refused(scene: &Scene, seed: u8, attack: &str, rule: &str) -> anyhow::Result<Value> {
    let doc = scene.seed(seed).await?;
    let result = scene.attack(doc, attack)?;
    assert_eq!(result["refused"]["rule"], rule, "{attack}: {result}");
    assert!(
        result["refused"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains(" / ")),
        "{attack}: the reason is bilingual: {result}"
    );
    assert_eq!(result["stillSyncing"], true, "{attack}: {result}");
    let listed = scene.refusals()?;
    let doc_id = doc.to_string();
    let found = listed["refusals"].as_array().is_some_and(|all| {
        all.iter()
            .any(|r| r["doc"] == doc_id.as_str() && r["rule"] == rule)
    });
    assert!(found, "{attack}: not in GET /api/v1/refusals: {listed}");
    Ok(result["observer"].clone())
}

#[tokio::test]
async fn forged_server_assignment_is_refused_and_grants_nothing() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 1, "forge-assignment", "wish.assigned.add").await?;
    assert_eq!(observer["assigned"], serde_json::json!({}), "{observer}");
    assert_eq!(observer["claims"], serde_json::json!({}), "{observer}");
    Ok(())
}

#[tokio::test]
async fn assignments_beyond_capacity_are_refused() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 2, "over-capacity", "wish.assigned.add").await?;
    assert_eq!(observer["assigned"], serde_json::json!({}), "{observer}");
    Ok(())
}

#[tokio::test]
async fn claims_in_another_name_are_refused() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 3, "claim-as-other", "wish.claims.add").await?;
    assert_eq!(observer["claims"], serde_json::json!({}), "{observer}");
    Ok(())
}

#[tokio::test]
async fn details_cannot_be_rewritten_by_a_claimant() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 4, "retitle", "wish.details").await?;
    assert_eq!(observer["title"], "需要上门问诊");
    Ok(())
}

#[tokio::test]
async fn events_are_append_only() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 5, "delete-collected", "wish.events.append-only").await?;
    let kinds: Vec<&str> = observer["events"]
        .as_object()
        .map(|events| events.values().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(kinds.contains(&"collected"), "{observer}");
    Ok(())
}

#[tokio::test]
async fn a_wish_cannot_be_moved_out_of_its_station() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 6, "move-station", "wish.fixed").await?;
    assert_eq!(observer["station"], "s1");
    Ok(())
}

#[tokio::test]
async fn acting_as_coordinator_or_in_another_name_is_refused() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    // Rating ends the wish's time on the wall, so an outsider loses write access by it.
    refused(&scene, 7, "rate-as-other", "access").await?;
    refused(&scene, 8, "publish-as-volunteer", "wish.events.review").await?;
    Ok(())
}

#[tokio::test]
async fn the_servers_actor_is_reserved() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 9, "server-actor", "server-actor").await?;
    assert_eq!(observer["title"], "需要上门问诊");
    Ok(())
}

#[tokio::test]
async fn only_the_coordinator_links_a_contact() -> anyhow::Result<()> {
    let scene = Scene::start()?;
    let observer = refused(&scene, 10, "relink-contact", "wish.contact").await?;
    assert_ne!(
        observer["contact"], "4XJzcmnmqdBhDAvmkEXoLmXeuQyc",
        "{observer}"
    );
    Ok(())
}
