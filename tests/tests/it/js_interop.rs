//! Interop with the real JavaScript automerge-repo client.
//!
//! Each test starts our server (`wish-station-test-server serve`) on a free port and runs
//! scenario commands of `tests/js/interop.mjs` with Node.js, one short-lived process per
//! command, so documents really cross process boundaries through the server. The scripts
//! print one JSON line on success and exit non-zero with a message on stderr otherwise.
//!
//! One test runs the scenarios against `tests/js/reference-server.mjs` (the automerge-repo
//! reference sync server) to show the scripts themselves are right.
//!
//! Requirements: `node` (20+) and `npm` on PATH. Node modules are installed with `npm ci`
//! the first time a test needs them.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{anyhow, ensure, Context};
use serde_json::{json, Value};
use wish_tests::node::{ensure_node_env, js_dir, run_script};
use wish_tests::{temp_dir, Backend, TestServer, TestStore};

const SERVER_BINARY: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

// These cases on redb and on PostgreSQL.
on_both_backends!(sync:
    js_clients_in_separate_processes_share_a_document_both_ways,
    js_concurrent_offline_edits_converge_through_our_server,
    js_offline_claims_on_a_capacity_one_wish_settle_on_one_assignment,
    js_document_survives_server_sigkill_and_restart,
);

/// Upper bound for one scenario process. The scripts time out by themselves after 20 s;
/// this only guards against a Node process that hangs regardless.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `node tests/js/interop.mjs <command> --url <url> <args...>` and returns the JSON
/// object it printed. Fails with the script's stderr if it exits non-zero.
fn interop(command: &str, url: &str, args: &[&str]) -> anyhow::Result<Value> {
    let mut all: Vec<&OsStr> = vec![OsStr::new(command), OsStr::new("--url"), OsStr::new(url)];
    all.extend(args.iter().map(OsStr::new));
    run_script("interop.mjs", &all, PROCESS_TIMEOUT)
}

/// The `automerge:` URL printed by `create`.
fn doc_url(created: &Value) -> anyhow::Result<String> {
    let url = created["url"]
        .as_str()
        .ok_or_else(|| anyhow!("create printed no url: {created}"))?;
    ensure!(url.starts_with("automerge:"), "not an automerge URL: {url}");
    Ok(url.to_owned())
}

/// Asserts the output of `concurrent`: both peers converged on a document with both edits.
fn assert_concurrent_converged(result: &Value) {
    assert_eq!(result["converged"], json!(true), "{result}");
    let doc = &result["doc"];
    assert_eq!(doc["a"], json!(1), "A's edit is missing: {result}");
    assert_eq!(doc["b"], json!(2), "B's edit is missing: {result}");
    let items = doc["items"].as_array().expect("items is a list");
    assert_eq!(items.len(), 3, "{result}");
    assert!(
        items.contains(&json!("from-a")) && items.contains(&json!("from-b")),
        "{result}"
    );
    // The merged heads are the two concurrent branches.
    assert_eq!(
        result["heads"].as_array().map(Vec::len),
        Some(2),
        "{result}"
    );
}

/// Asserts the output of `concurrent-text`: both splices merged into the same text.
fn assert_concurrent_text_converged(result: &Value) {
    assert_eq!(result["converged"], json!(true), "{result}");
    let text = result["text"].as_str().expect("text is a string");
    assert!(
        text == "The very slow brown fox!?" || text == "The very slow brown fox?!",
        "unexpected merged text {text:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The JS reference server, to check the scripts themselves.

/// `node tests/js/reference-server.mjs` on a free port, killed when dropped.
struct ReferenceServer {
    child: Child,
    addr: String,
}

impl ReferenceServer {
    fn start(data_dir: &Path) -> anyhow::Result<Self> {
        ensure_node_env()?;
        let mut child = Command::new("node")
            .arg(js_dir().join("reference-server.mjs"))
            .args(["--port", "0", "--data"])
            .arg(data_dir)
            .current_dir(js_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("spawn node reference-server.mjs")?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| anyhow!("reference server did not report its address within 30 s"))?;
        Ok(Self { child, addr })
    }

    fn ws_url(&self) -> String {
        format!("ws://{}/sync?token={}", self.addr, wish_tests::TEST_TOKEN)
    }
}

impl Drop for ReferenceServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// Tests against our server.

/// Starts our server after making sure Node.js and the node modules are ready, so that a
/// missing `node` is reported first and `npm ci` does not run while a server waits.
fn start_our_server(data_dir: &Path) -> anyhow::Result<TestServer> {
    start_our_server_on(data_dir, &TestStore::Redb)
}

/// Like [`start_our_server`], with the server's store on `store`.
fn start_our_server_on(data_dir: &Path, store: &TestStore) -> anyhow::Result<TestServer> {
    ensure_node_env()?;
    TestServer::start_on(SERVER_BINARY, data_dir, store)
}

/// A document created by one JS process is read by another, edited by a third and the
/// edit is seen by a fourth: every hop goes through the server.
fn js_clients_in_separate_processes_share_a_document_both_ways(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = start_our_server_on(data.path(), &store)?;
    let url = server.ws_url();

    let created = interop(
        "create",
        &url,
        &["--json", r#"{"title":"from js","count":3}"#],
    )?;
    let doc = doc_url(&created)?;

    let read = interop(
        "read",
        &url,
        &[
            "--doc",
            &doc,
            "--expect-key",
            "title",
            "--expect-value",
            "from js",
        ],
    )?;
    assert_eq!(read["doc"], json!({"title": "from js", "count": 3}));
    assert_eq!(
        read["heads"], created["heads"],
        "the reader got other heads than the creator"
    );

    let edited = interop(
        "edit",
        &url,
        &["--doc", &doc, "--set", r#"reply="from another process""#],
    )?;
    assert_eq!(edited["doc"]["reply"], json!("from another process"));

    let reread = interop(
        "read",
        &url,
        &[
            "--doc",
            &doc,
            "--wait-for",
            r#"{"reply":"from another process"}"#,
        ],
    )?;
    assert_eq!(
        reread["doc"],
        json!({"title": "from js", "count": 3, "reply": "from another process"})
    );
    assert_eq!(reread["heads"], edited["heads"]);
    Ok(())
}

/// Two JS peers edit the same map and list while offline and converge through our server.
fn js_concurrent_offline_edits_converge_through_our_server(backend: Backend) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = start_our_server_on(data.path(), &store)?;
    let result = interop("concurrent", &server.ws_url(), &[])?;
    assert_concurrent_converged(&result);
    Ok(())
}

/// Concurrent splices into one Automerge text field converge to the same text.
#[test]
fn js_concurrent_text_splices_converge_through_our_server() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = start_our_server(data.path())?;
    let result = interop("concurrent-text", &server.ws_url(), &[])?;
    assert_concurrent_text_converged(&result);
    Ok(())
}

/// Two JS partners claim a capacity-1 wish (docs/schema.md) concurrently while offline;
/// the server assigns exactly one claim and both replicas end with the same decision.
fn js_offline_claims_on_a_capacity_one_wish_settle_on_one_assignment(
    backend: Backend,
) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = start_our_server_on(data.path(), &store)?;
    let result = interop("claim-race", &server.ws_url(), &[])?;
    assert_eq!(result["settled"], json!(true), "{result}");
    assert_eq!(
        result["assigned"].as_array().map(Vec::len),
        Some(1),
        "{result}"
    );
    assert_eq!(result["claims"], json!(["claim-a", "claim-b"]), "{result}");
    Ok(())
}

/// A request for a document that was never created gets an explicit doc-unavailable.
#[test]
fn js_request_for_unknown_document_is_answered_unavailable() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = start_our_server(data.path())?;
    let result = interop("unavailable", &server.ws_url(), &[])?;
    assert_eq!(result["unavailable"], json!(true), "{result}");
    Ok(())
}

/// A document acknowledged to a JS client survives SIGKILL of the server: a restarted
/// server on the same data directory serves it to a fresh client.
fn js_document_survives_server_sigkill_and_restart(backend: Backend) -> anyhow::Result<()> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let data = temp_dir();
    let server = start_our_server_on(data.path(), &store)?;
    let created = interop(
        "create",
        &server.ws_url(),
        &["--json", r#"{"durable":"yes","n":7}"#],
    )?;
    let doc = doc_url(&created)?;
    server.kill()?;

    let restarted = start_our_server_on(data.path(), &store)?;
    let read = interop(
        "read",
        &restarted.ws_url(),
        &[
            "--doc",
            &doc,
            "--expect-key",
            "durable",
            "--expect-value",
            "yes",
        ],
    )?;
    assert_eq!(read["doc"], json!({"durable": "yes", "n": 7}));
    assert_eq!(read["heads"], created["heads"]);
    Ok(())
}

// ---------------------------------------------------------------------------------------
/// Writers' bursts and a follower through our server: every JS client ends showing
/// "saved" (its view of the server's heads is its own heads), although the server skips
/// `remote-heads-changed` where its sync message already carried those heads.
#[test]
fn js_clients_show_saved_after_bursts_through_our_server() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = start_our_server(data.path())?;
    let result = interop("saved", &server.ws_url(), &[])?;
    assert_eq!(result["saved"], json!(true), "{result}");
    // 50 changes from each writer, all in the log.
    assert_eq!(result["changes"], json!(100), "{result}");
    Ok(())
}

// The same scenarios against the reference server: if these fail, the scripts are wrong,
// not our server.

#[test]
fn js_scenarios_pass_against_reference_server() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = ReferenceServer::start(data.path())?;
    let url = server.ws_url();

    assert_concurrent_converged(&interop("concurrent", &url, &[])?);
    assert_concurrent_text_converged(&interop("concurrent-text", &url, &[])?);
    let unavailable = interop("unavailable", &url, &[])?;
    assert_eq!(unavailable["unavailable"], json!(true), "{unavailable}");
    assert_eq!(interop("saved", &url, &[])?["saved"], json!(true));
    Ok(())
}

/// A deleted contact document is unavailable to a JS client that asks for it by id.
#[test]
fn js_client_gets_doc_unavailable_for_a_deleted_contact() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = start_our_server(data.path())?;
    let (wish_id, wish, contact_id, contact) =
        wish_tests::fixtures::wish_with_contact("A", "p-li", 42)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = temp_dir();
        let admin = wish_tests::clients::client(&server.ws_url(), dir.path(), false).await?;
        for (id, doc) in [(wish_id, wish), (contact_id, contact)] {
            let bytes = doc.save();
            admin
                .with_driver(move |d| d.import_document(id, &bytes))
                .await??;
            admin
                .wait_saved(id, wish_tests::clients::SYNC_TIMEOUT)
                .await?;
        }
        anyhow::Ok(())
    })?;
    let path = format!("/api/v1/contacts/{contact_id}");
    let deleted = wish_tests::http::request(
        &server.addr,
        "DELETE",
        &path,
        Some(wish_tests::TEST_TOKEN),
        None,
    )?;
    ensure!(
        deleted.status == 202,
        "delete: {} {}",
        deleted.status,
        deleted.text()
    );
    let result = interop(
        "unavailable",
        &server.ws_url(),
        &["--doc", &contact_id.url()],
    )?;
    assert_eq!(result["unavailable"], json!(true), "{result}");
    Ok(())
}
