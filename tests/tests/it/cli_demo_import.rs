//! The offline commands `demo` and `import` write documents a real server then serves:
//! summaries count them, and a native client opens them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};

use wish_client_core::model::{CommunityView, Module, StationView, WishStatus, WishView};
use wish_client_core::proto::DocumentId;
use wish_tests::clients::{client, SYNC_TIMEOUT};
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

const STATUSES: [WishStatus; 10] = [
    WishStatus::Collected,
    WishStatus::Verified,
    WishStatus::Published,
    WishStatus::Claimed,
    WishStatus::Assigned,
    WishStatus::InProgress,
    WishStatus::Resolved,
    WishStatus::Rated,
    WishStatus::Closed,
    WishStatus::Rejected,
];

const HEADER: &str = "station,title,text,channel,compound,building,urgency,suggested_module,\
                      resident_name,phone,room,consent,collected_by,collected_on";

/// Three good cards: quoted commas and newlines, Chinese values, a card without contact.
const GOOD_ROWS: &str = "\
center,帮忙安装路由器,\"宽带装好了，路由器不会设置，
孙子说要\"\"双频\"\"的\",心愿箱,幸福里,3栋,普通,综合,王某某,13800000123,502室,是,张桂芳,2024-05-01
锦绣花园红色驿站,楼道灯不亮,晚上很黑,door_to_door,锦绣花园,5栋,high,comprehensive,,,,,p07,
,咨询遗产继承,,phone,,,urgent,法律,李某某,13800000999,,yes,p01,2024-05-03
";

fn wish_station(args: &[&str]) -> anyhow::Result<Output> {
    Ok(Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()?)
}

/// Runs `demo` of one community into `data` and returns its document id.
fn demo(data: &Path, wishes: usize) -> anyhow::Result<DocumentId> {
    let dir = data.to_string_lossy();
    let wishes = wishes.to_string();
    let out = wish_station(&[
        "demo",
        "--communities",
        "1",
        "--data",
        &dir,
        "--wishes",
        &wishes,
    ])?;
    let stdout = String::from_utf8(out.stdout)?;
    anyhow::ensure!(
        out.status.success(),
        "demo failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("community: "))
        .ok_or_else(|| anyhow::anyhow!("no community line in {stdout}"))?;
    let url = line.split_whitespace().next().unwrap_or_default();
    Ok(url.parse()?)
}

fn import(data: &Path, csv: &Path, extra: &[&str]) -> anyhow::Result<Output> {
    let dir = data.to_string_lossy();
    let file = csv.to_string_lossy();
    let mut args = vec!["import", "--data", &dir, &file];
    args.extend_from_slice(extra);
    wish_station(&args)
}

/// `GET /api/v1/summary` over a hand-written HTTP/1.1 request.
fn summary(server: &TestServer) -> anyhow::Result<serde_json::Value> {
    let mut stream = TcpStream::connect(&server.addr)?;
    let request = format!(
        "GET /api/v1/summary HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TEST_TOKEN}\r\n\
         Connection: close\r\n\r\n",
        server.addr
    );
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow::anyhow!("malformed response {response:?}"))?;
    anyhow::ensure!(head.starts_with("HTTP/1.1 200"), "summary failed: {head}");
    anyhow::ensure!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "unexpected chunked response"
    );
    Ok(serde_json::from_str(body)?)
}

fn total(summary: &serde_json::Value) -> u64 {
    summary["total"].as_u64().unwrap_or(0)
}

fn count(summary: &serde_json::Value, map: &str, key: &str) -> u64 {
    summary[map][key].as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_served_counted_and_opened_by_a_client() -> anyhow::Result<()> {
    let data = temp_dir();
    let community = demo(data.path(), 400)?;
    let server = TestServer::start(BIN, data.path())?;
    let summary = summary(&server)?;
    assert!(total(&summary) >= 400, "{summary}");
    for status in STATUSES {
        assert!(
            count(&summary, "by_status", status.as_str()) > 0,
            "{status:?}: {summary}"
        );
    }
    for module in Module::ALL {
        assert!(
            count(&summary, "by_module", module.as_str()) > 0,
            "{module}: {summary}"
        );
    }

    // A client follows the links: community → station → one of its wishes.
    let dir = temp_dir();
    let client = client(&server.ws_url(), dir.path(), false).await?;
    let view = open(&client, community, |d| CommunityView::read(d).ok()).await?;
    assert_eq!(view.name, "幸福社区");
    let station_doc: DocumentId = view
        .stations
        .values()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no stations"))?
        .doc
        .parse()?;
    let station = open(&client, station_doc, |d| StationView::read(d).ok()).await?;
    assert!(!station.shifts.is_empty());
    let wish_doc: DocumentId = station
        .wishes
        .keys()
        .next()
        .ok_or_else(|| anyhow::anyhow!("station has no wishes"))?
        .parse()?;
    let wish = open(&client, wish_doc, |d| WishView::read(d).ok()).await?;
    assert!(!wish.title.is_empty());
    assert_eq!(wish.community, community.to_string());
    assert_eq!(wish.station, station.id);
    Ok(())
}

/// The demo seeds three communities of one district and prints an office code covering
/// them: the office device it enrolls sees every community's wishes and names.
#[test]
fn the_demo_seeds_a_district_and_an_office_code_covering_it() -> anyhow::Result<()> {
    let data = temp_dir();
    let dir = data.path().to_string_lossy();
    let out = wish_station(&["demo", "--data", &dir, "--wishes", "90"])?;
    let stdout = String::from_utf8(out.stdout)?;
    anyhow::ensure!(out.status.success(), "demo failed: {stdout}");
    let communities: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("community: "))
        .collect();
    assert_eq!(communities.len(), 3, "{stdout}");
    assert!(
        communities.iter().all(|c| c.ends_with("(南山区)")),
        "{communities:?}"
    );
    let code = stdout
        .lines()
        .find(|l| l.contains("街道 office"))
        .and_then(|l| l.rsplit(' ').next())
        .ok_or_else(|| anyhow::anyhow!("no office code in {stdout}"))?;
    let server = TestServer::start(BIN, data.path())?;
    let body = serde_json::json!({ "code": code, "name": "街道办" });
    let redeemed = request(&server.addr, "POST", "/api/v1/enroll", None, Some(&body))?;
    anyhow::ensure!(redeemed.status == 200, "redeem: {}", redeemed.text());
    let token = redeemed.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let get = |path: &str| request(&server.addr, "GET", path, Some(&token), None)?.json();
    let summary = get("/api/v1/office/summary")?;
    assert_eq!(total(&summary), 90, "{summary}");
    let by_community = summary["by_community"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert_eq!(by_community.len(), 3, "{summary}");
    assert!(
        by_community.values().all(|n| n.as_u64() >= Some(15)),
        "{summary}"
    );
    let names = get("/api/v1/office/names")?;
    let mut named: Vec<&str> = names["communities"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, n)| n.as_str())
        .collect();
    named.sort_unstable();
    assert_eq!(named, ["和平社区", "幸福社区", "阳光社区"], "{names}");
    Ok(())
}

/// Opens a document on the client and waits until `read` succeeds on it.
async fn open<T: Send + 'static>(
    client: &wish_client_core::native::NativeClient,
    doc: DocumentId,
    read: fn(&automerge::Automerge) -> Option<T>,
) -> anyhow::Result<T> {
    client.open(doc).await?;
    client
        .wait_until(doc, SYNC_TIMEOUT, "document readable", move |driver| {
            driver.document(&doc).and_then(read).is_some()
        })
        .await?;
    client
        .read(doc, read)
        .await?
        .flatten()
        .ok_or_else(|| anyhow::anyhow!("{doc} is not readable"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_good_cards_adds_them_to_the_summary() -> anyhow::Result<()> {
    let data = temp_dir();
    demo(data.path(), 20)?;
    let csv = data.path().join("cards.csv");
    std::fs::write(&csv, format!("\u{feff}{HEADER}\r\n{GOOD_ROWS}"))?;
    let out = import(data.path(), &csv, &["--station", "center"])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("imported 3 wishes"), "{stdout}");
    assert!(
        stdout.contains("station center: 2 wishes, added to its index"),
        "{stdout}"
    );

    let server = TestServer::start(BIN, data.path())?;
    let summary = summary(&server)?;
    assert_eq!(total(&summary), 23, "{summary}");
    assert!(count(&summary, "by_status", "collected") >= 3, "{summary}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_bad_rows_writes_nothing_and_names_each_bad_line() -> anyhow::Result<()> {
    let data = temp_dir();
    demo(data.path(), 20)?;
    let csv = data.path().join("cards.csv");
    let bad = format!(
        "{HEADER}\n{GOOD_ROWS}\
         center,路由器,,心愿箱,幸福里,3栋,很急,,,,,,p05,\n\
         center,上门问诊,,door_to_door,幸福里,3栋,,,王某某,,,no,p05,2024-02-30\n"
    );
    std::fs::write(&csv, bad)?;
    let out = import(data.path(), &csv, &["--station", "center"])?;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("line ")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines[0],
        "line 6: unknown urgency \"很急\"; expected low, normal, high, urgent or 低/普通/高/紧急"
    );
    assert!(
        lines[1].starts_with("line 7: collected_on \"2024-02-30\" is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let server = TestServer::start(BIN, data.path())?;
    assert_eq!(total(&summary(&server)?), 20);
    // While the server holds the data directory, offline commands refuse to run.
    let out = import(data.path(), &csv, &["--station", "center"])?;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is a server running on this data directory?"),
        "{stderr}"
    );
    Ok(())
}
