//! `GET /metrics`: after a native client has synced a document, the Prometheus counters
//! have moved and the text is well-formed.

use std::collections::HashMap;

use wish_client_core::native::NativeClient;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::ClientEvent;
use wish_tests::clients::{client, create_list_doc, push_item, SYNC_TIMEOUT};
use wish_tests::fixtures::{enroll, wish_with_contact};
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

const HISTOGRAMS: [&str; 2] = [
    "wish_commit_duration_seconds",
    "wish_relay_duration_seconds",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_a_synced_document() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let local = temp_dir();
    let tablet = client(&server.ws_url(), local.path(), false).await?;
    let doc = create_list_doc(&tablet).await?;
    push_item(&tablet, doc, "first".into()).await?;
    tablet.wait_saved(doc, SYNC_TIMEOUT).await?;

    let text = scrape(&server).await?;
    let samples = parse(&text)?;
    let value = |name: &str| samples.get(name).copied().unwrap_or(-1.0);

    assert!(value("wish_commits_total") > 0.0, "{text}");
    assert!(value("wish_messages_received_total") > 0.0, "{text}");
    assert!(value("wish_messages_sent_total") > 0.0, "{text}");
    assert!(value("wish_bytes_received_total") > 0.0, "{text}");
    assert!(value("wish_connections") >= 1.0, "{text}");
    assert!(value("wish_peers_joined") >= 1.0, "{text}");
    assert!(value("wish_documents_loaded") >= 1.0, "{text}");
    assert!(value("wish_documents_loaded_total") >= 1.0, "{text}");
    assert_eq!(
        value("wish_refused_total{kind=\"refused-change\"}"),
        0.0,
        "{text}"
    );
    for name in HISTOGRAMS {
        check_histogram(&text, &samples, name)?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_a_refused_access() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let admin_dir = temp_dir();
    let admin = client(&server.ws_url(), admin_dir.path(), false).await?;
    let (wish_id, wish, contact_id, contact) = wish_with_contact("B", "p-zhao", 1)?;
    for (id, doc) in [(wish_id, wish), (contact_id, contact)] {
        let bytes = doc.save();
        admin
            .with_driver(move |d| d.import_document(id, &bytes))
            .await??;
        admin.wait_saved(id, SYNC_TIMEOUT).await?;
    }
    let (token, _) = enroll(&server, "volunteer", "p-li", &["A"], 30)?;
    let tablet_dir = temp_dir();
    let url = format!("ws://{}/sync?token={token}", server.addr);
    let tablet = client(&url, tablet_dir.path(), false).await?;
    wait_unavailable(&tablet, contact_id).await?;

    let text = scrape(&server).await?;
    let samples = parse(&text)?;
    let refused = samples.get("wish_refused_total{kind=\"doc-unavailable\"}");
    assert!(refused.is_some_and(|n| *n >= 1.0), "{text}");
    Ok(())
}

/// Opens a document and waits until the server answers that it is unavailable.
async fn wait_unavailable(c: &NativeClient, id: DocumentId) -> anyhow::Result<()> {
    let mut events = c.events();
    c.open(id).await?;
    let deadline = tokio::time::Instant::now() + SYNC_TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => anyhow::bail!("no doc-unavailable for {id}"),
            Ok(Ok(ClientEvent::DocUnavailable(doc))) if doc == id => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// `GET /metrics` (no token): the body, after checking the status.
async fn scrape(server: &TestServer) -> anyhow::Result<String> {
    let addr = server.addr.clone();
    let response = tokio::task::spawn_blocking(move || {
        wish_tests::http::request(&addr, "GET", "/metrics", None, None)
    })
    .await??;
    anyhow::ensure!(response.status == 200, "{}", response.text());
    Ok(response.text())
}

/// Every sample line as `name{labels}` → value; fails on a line that is not
/// `NAME[{LABELS}] NUMBER` or a `# HELP`/`# TYPE` comment, or without the OpenMetrics
/// `# EOF` as the last line.
fn parse(text: &str) -> anyhow::Result<HashMap<String, f64>> {
    let mut samples = HashMap::new();
    let text = text
        .strip_suffix("# EOF\n")
        .ok_or_else(|| anyhow::anyhow!("no # EOF at the end"))?;
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        let (name, value) = line
            .rsplit_once(' ')
            .ok_or_else(|| anyhow::anyhow!("no value: {line}"))?;
        let well_named = name
            .chars()
            .take_while(|c| *c != '{')
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
        anyhow::ensure!(well_named && !name.is_empty(), "bad name: {line}");
        samples.insert(name.to_owned(), value.parse::<f64>()?);
    }
    Ok(samples)
}

/// Buckets are declared, ascending in `le`, cumulative, end with `+Inf` equal to `_count`,
/// and the histogram has at least one observation.
fn check_histogram(text: &str, samples: &HashMap<String, f64>, name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        text.contains(&format!("# TYPE {name} histogram\n")),
        "{name}: no TYPE"
    );
    let prefix = format!("{name}_bucket{{le=\"");
    let mut last = (f64::NEG_INFINITY, 0.0);
    let mut bounds = 0;
    for line in text.lines().filter(|l| l.starts_with(&prefix)) {
        let rest = &line[prefix.len()..];
        let (le, count) = rest
            .split_once("\"} ")
            .ok_or_else(|| anyhow::anyhow!("bad bucket: {line}"))?;
        let le: f64 = if le == "+Inf" {
            f64::INFINITY
        } else {
            le.parse()?
        };
        let count: f64 = count.parse()?;
        anyhow::ensure!(
            le > last.0 && count >= last.1,
            "{name}: buckets out of order: {line}"
        );
        last = (le, count);
        bounds += 1;
    }
    let count = samples.get(&format!("{name}_count")).copied();
    anyhow::ensure!(
        bounds > 1 && last.0 == f64::INFINITY,
        "{name}: no +Inf bucket"
    );
    anyhow::ensure!(
        count == Some(last.1),
        "{name}: +Inf bucket differs from _count"
    );
    anyhow::ensure!(last.1 > 0.0, "{name}: nothing observed");
    anyhow::ensure!(
        samples.contains_key(&format!("{name}_sum")),
        "{name}: no _sum"
    );
    Ok(())
}
