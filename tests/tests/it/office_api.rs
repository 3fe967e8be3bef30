//! The office API against real server processes: figures recounted from the documents
//! that `wish-station demo` wrote, paging and filters, exports (CSV with BOM, XLSX read
//! back), community scopes, and figures that follow wishes synced after start.

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use automerge::Automerge;
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};
use wish_client_core::model::{CommunityView, StationView, WishView};
use wish_client_core::storage_keys::{chunk_kind, ChunkKind};
use wish_server::storage::{RedbStore, Storage};
use wish_tests::clients::{client, SYNC_TIMEOUT};
use wish_tests::fixtures::wish_with_contact;
use wish_tests::http::{request, Response};
use wish_tests::{temp_dir, TestServer, TEST_TOKEN};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// What the documents themselves say, counted without the server.
#[derive(Default)]
struct Recount {
    wishes: Vec<Counted>,
}

struct Counted {
    status: String,
    module: String,
    station: (String, String),
    created_at: u64,
    title: String,
    rating: Option<u8>,
    resolved: bool,
}

impl Recount {
    fn by<K: Ord>(&self, key: impl Fn(&Counted) -> K) -> BTreeMap<K, u64> {
        let mut out = BTreeMap::new();
        for wish in &self.wishes {
            *out.entry(key(wish)).or_default() += 1;
        }
        out
    }

    fn count(&self, keep: impl Fn(&Counted) -> bool) -> u64 {
        self.wishes.iter().filter(|w| keep(w)).count() as u64
    }
}

/// Runs `demo` into `data`; returns the community document id it prints.
fn demo(data: &Path) -> anyhow::Result<String> {
    let out = Command::new(BIN)
        .args(["demo", "--communities", "1", "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    anyhow::ensure!(out.status.success(), "demo failed: {stdout}");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("community: "))
        .ok_or_else(|| anyhow::anyhow!("no community line in {stdout}"))?;
    let url = line.split_whitespace().next().unwrap_or_default();
    Ok(url.trim_start_matches("automerge:").to_owned())
}

fn load(store: &RedbStore, id: &str) -> anyhow::Result<Automerge> {
    let mut doc = Automerge::new();
    for (key, bytes) in store.load_range(&[id.to_owned()])? {
        if matches!(
            chunk_kind(&key),
            Some(ChunkKind::Snapshot | ChunkKind::Incremental)
        ) {
            doc.load_incremental(&bytes)?;
        }
    }
    Ok(doc)
}

/// Follows community → stations → wishes in the store (server stopped) and counts.
fn recount(data: &Path, community: &str) -> anyhow::Result<Recount> {
    let store = RedbStore::open(&data.join("wish-station.redb"))?;
    let view = CommunityView::read(&load(&store, community)?)?;
    let mut recount = Recount::default();
    for station in view.stations.values() {
        let station = StationView::read(&load(&store, &station.doc)?)?;
        for wish_doc in station.wishes.keys() {
            let wish = WishView::read(&load(&store, wish_doc)?)?;
            let summary = wish.summary();
            recount.wishes.push(Counted {
                status: wish.status().as_str().to_owned(),
                module: wish.module.map_or("untriaged", |m| m.as_str()).to_owned(),
                station: (wish.community.clone(), wish.station.clone()),
                created_at: wish.created_at,
                title: wish.title.clone(),
                rating: summary.rating,
                resolved: summary.resolved_at.is_some(),
            });
        }
    }
    Ok(recount)
}

fn get(server: &TestServer, path: &str, token: Option<&str>) -> anyhow::Result<Response> {
    request(&server.addr, "GET", path, token, None)
}

fn get_json(server: &TestServer, path: &str) -> anyhow::Result<Value> {
    let response = get(server, path, Some(TEST_TOKEN))?;
    anyhow::ensure!(
        response.status == 200,
        "{path}: {} {}",
        response.status,
        response.text()
    );
    response.json()
}

fn num(value: &Value) -> u64 {
    value.as_u64().unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_figures_match_a_recount_of_the_demo_documents() -> anyhow::Result<()> {
    let data = temp_dir();
    let community = demo(data.path())?;
    let recount = recount(data.path(), &community)?;
    assert!(
        recount.wishes.len() >= 400,
        "{} wishes",
        recount.wishes.len()
    );
    let server = TestServer::start(BIN, data.path())?;
    counts_match(&server, &recount)?;
    pages_and_filters_agree(&server, &recount)?;
    reports_agree(&server, &recount)?;
    exports_hold_every_wish(&server, &recount)?;
    openapi_lists_every_endpoint(&server)?;
    Ok(())
}

fn counts_match(server: &TestServer, recount: &Recount) -> anyhow::Result<()> {
    let summary = get_json(server, "/api/v1/office/summary")?;
    assert_eq!(num(&summary["total"]), recount.wishes.len() as u64);
    for (status, n) in recount.by(|w| w.status.clone()) {
        assert_eq!(num(&summary["by_status"][&status]), n, "status {status}");
    }
    for (module, n) in recount.by(|w| w.module.clone()) {
        assert_eq!(num(&summary["by_module"][&module]), n, "module {module}");
    }
    let stations = recount.by(|w| w.station.clone());
    let reported = summary["by_station"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(reported.len(), stations.len(), "{reported:?}");
    for row in reported {
        let key = (
            row["community"].as_str().unwrap_or_default().to_owned(),
            row["station"].as_str().unwrap_or_default().to_owned(),
        );
        assert_eq!(
            Some(&num(&row["count"])),
            stations.get(&key),
            "station {key:?}"
        );
    }
    let weeks: u64 = summary["by_week"]
        .as_array()
        .map_or(0, |w| w.iter().map(|r| num(&r["created"])).sum());
    assert_eq!(weeks, recount.wishes.len() as u64);
    Ok(())
}

fn pages_and_filters_agree(server: &TestServer, recount: &Recount) -> anyhow::Result<()> {
    let mut seen = HashSet::new();
    let mut last = u64::MAX;
    for page in 1.. {
        let list = get_json(
            server,
            &format!("/api/v1/office/wishes?page={page}&per_page=37"),
        )?;
        assert_eq!(num(&list["total"]), recount.wishes.len() as u64);
        let items = list["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for item in items {
            let created = num(&item["created_at"]);
            assert!(created <= last, "not newest first");
            last = created;
            assert!(
                seen.insert(item["doc_id"].to_string()),
                "{item} listed twice"
            );
        }
    }
    assert_eq!(seen.len(), recount.wishes.len());
    for (status, n) in recount.by(|w| w.status.clone()) {
        let list = get_json(
            server,
            &format!("/api/v1/office/wishes?status={status}&per_page=1"),
        )?;
        assert_eq!(num(&list["total"]), n, "status {status}");
    }
    let list = get_json(
        server,
        "/api/v1/office/wishes?status=closed,rated&module=law&per_page=1000",
    )?;
    let expected =
        recount.count(|w| ["closed", "rated"].contains(&w.status.as_str()) && w.module == "law");
    assert_eq!(num(&list["total"]), expected);
    for item in list["items"].as_array().cloned().unwrap_or_default() {
        assert_eq!(item["module"], "law");
        assert!(
            item["status"] == "closed" || item["status"] == "rated",
            "{item}"
        );
    }
    let mut times: Vec<u64> = recount.wishes.iter().map(|w| w.created_at).collect();
    times.sort_unstable();
    let (from, to) = (times[times.len() / 4], times[times.len() * 3 / 4]);
    let list = get_json(
        server,
        &format!("/api/v1/office/wishes?from={from}&to={to}&per_page=1"),
    )?;
    let expected = recount.count(|w| (from..to).contains(&w.created_at));
    assert_eq!(num(&list["total"]), expected);
    let station = &recount.wishes[0].station.1;
    let list = get_json(
        server,
        &format!("/api/v1/office/wishes?station={station}&per_page=1"),
    )?;
    assert_eq!(
        num(&list["total"]),
        recount.count(|w| &w.station.1 == station)
    );
    Ok(())
}

fn reports_agree(server: &TestServer, recount: &Recount) -> anyhow::Result<()> {
    let satisfaction = get_json(server, "/api/v1/office/satisfaction")?;
    let ratings = recount.by(|w| w.rating);
    assert_eq!(
        num(&satisfaction["rated"]),
        recount.count(|w| w.rating.is_some())
    );
    for score in 1..=5u8 {
        let expected = ratings.get(&Some(score)).copied().unwrap_or(0);
        assert_eq!(
            num(&satisfaction["distribution"][score.to_string()]),
            expected
        );
    }
    let durations = get_json(server, "/api/v1/office/durations")?;
    let resolve = &durations["time_to_resolve"];
    assert_eq!(num(&resolve["count"]), recount.count(|w| w.resolved));
    let buckets: u64 = resolve["buckets"]
        .as_array()
        .map_or(0, |b| b.iter().map(|x| num(&x["count"])).sum());
    assert_eq!(buckets, num(&resolve["count"]));
    assert!(resolve["p50_hours"].as_f64() <= resolve["p90_hours"].as_f64());
    let open = [
        "collected",
        "verified",
        "published",
        "claimed",
        "assigned",
        "in_progress",
    ];
    let far_future = get_json(server, "/api/v1/office/overdue?now=4102444800000")?;
    assert_eq!(
        num(&far_future["total"]),
        recount.count(|w| open.contains(&w.status.as_str()))
    );
    let at_epoch = get_json(server, "/api/v1/office/overdue?now=1")?;
    assert_eq!(num(&at_epoch["total"]), 0);
    let volunteers = get_json(server, "/api/v1/office/volunteers?per_page=5")?;
    let summary = get_json(server, "/api/v1/office/summary")?;
    let (total, shared) = (
        summary["hours"].as_f64(),
        volunteers["total_hours"].as_f64(),
    );
    assert!(
        total.zip(shared).is_some_and(|(a, b)| (a - b).abs() < 0.01),
        "{total:?} {shared:?}"
    );
    let board = volunteers["leaderboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!board.is_empty() && board.len() <= 5);
    assert!(board
        .windows(2)
        .all(|p| p[0]["hours"].as_f64() >= p[1]["hours"].as_f64()));
    Ok(())
}

fn exports_hold_every_wish(server: &TestServer, recount: &Recount) -> anyhow::Result<()> {
    let csv = get(server, "/api/v1/office/export/wishes.csv", Some(TEST_TOKEN))?;
    assert_eq!(csv.status, 200, "{}", csv.text());
    assert!(csv.body.starts_with(&[0xEF, 0xBB, 0xBF]), "no UTF-8 BOM");
    let text = csv.text();
    let header = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('\u{feff}');
    assert!(
        header.starts_with("标题,社区,驿站,模块,状态,渠道,紧急程度,创建时间")
            && header.ends_with("心愿编号,社区编号,驿站编号,认领方编号,文档编号"),
        "{header}"
    );
    assert!(
        text.contains(&recount.wishes[0].title),
        "a known title is missing"
    );
    assert_eq!(text.matches("\r\n").count(), recount.wishes.len() + 1);
    let closed = get(
        server,
        "/api/v1/office/export/wishes.csv?status=closed",
        Some(TEST_TOKEN),
    )?;
    let lines = closed.text().matches("\r\n").count() as u64;
    assert_eq!(lines, recount.count(|w| w.status == "closed") + 1);

    let xlsx = get(
        server,
        "/api/v1/office/export/wishes.xlsx",
        Some(TEST_TOKEN),
    )?;
    assert_eq!(xlsx.status, 200, "{}", xlsx.text());
    assert!(xlsx.body.starts_with(b"PK"), "not a zip file");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body))?;
    let sheet = book.worksheet_range("心愿清单")?;
    assert_eq!(sheet.height(), recount.wishes.len() + 1);
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("标题".into())));
    assert_eq!(sheet.get((0, 17)), Some(&Data::String("心愿编号".into())));
    let titles: HashSet<String> = (1..sheet.height())
        .filter_map(|r| sheet.get((r, 0)).map(|c| c.to_string()))
        .collect();
    assert!(titles.contains(&recount.wishes[0].title));
    Ok(())
}

fn openapi_lists_every_endpoint(server: &TestServer) -> anyhow::Result<()> {
    let doc = get(server, "/api/v1/openapi.json", None)?.json()?;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "summary",
        "wishes",
        "durations",
        "satisfaction",
        "overdue",
        "volunteers",
        "export/wishes.csv",
        "export/wishes.xlsx",
    ] {
        let key = format!("/api/v1/office/{path}");
        assert!(doc["paths"][&key]["get"].is_object(), "{key} missing");
    }
    Ok(())
}

/// Enrolls a device; returns its token.
fn enroll(
    server: &TestServer,
    role: &str,
    community: &str,
    stations: &[&str],
) -> anyhow::Result<String> {
    let body = json!({ "role": role, "person": format!("p-{role}"), "community": community, "stations": stations });
    let created = request(
        &server.addr,
        "POST",
        "/api/v1/enrollments",
        Some(TEST_TOKEN),
        Some(&body),
    )?;
    anyhow::ensure!(created.status == 200, "enrollment: {}", created.text());
    let code = created.json()?["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let body = json!({ "code": code, "name": role });
    let redeemed = request(&server.addr, "POST", "/api/v1/enroll", None, Some(&body))?;
    anyhow::ensure!(redeemed.status == 200, "redeem: {}", redeemed.text());
    Ok(redeemed.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn upload(server: &TestServer, dir: &Path, seeds: &[u8]) -> anyhow::Result<()> {
    let c = client(&server.ws_url(), dir, false).await?;
    for seed in seeds {
        let (wish_id, wish, contact_id, contact) = wish_with_contact("A", "p-li", *seed)?;
        for (id, doc) in [(wish_id, wish), (contact_id, contact)] {
            let bytes = doc.save();
            c.with_driver(move |d| d.import_document(id, &bytes))
                .await??;
            c.wait_saved(id, SYNC_TIMEOUT).await?;
        }
    }
    Ok(())
}

/// Polls the summary until it counts `expected` wishes.
fn wait_for_total(server: &TestServer, token: &str, expected: u64) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let summary = get(server, "/api/v1/office/summary", Some(token))?.json()?;
        if num(&summary["total"]) == expected || Instant::now() > deadline {
            return Ok(summary);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_scopes_follow_roles_and_figures_follow_synced_wishes() -> anyhow::Result<()> {
    let data = temp_dir();
    let server = TestServer::start(BIN, &data.path().join("server"))?;
    let office = enroll(&server, "office", "c1", &[])?;
    let other = enroll(&server, "office", "c2", &[])?;
    let volunteer = enroll(&server, "volunteer", "c1", &["A"])?;
    assert_eq!(num(&wait_for_total(&server, &office, 0)?["total"]), 0);

    let dir = temp_dir();
    upload(&server, dir.path(), &[11, 12, 13]).await?;
    let summary = wait_for_total(&server, &office, 3)?;
    assert_eq!(num(&summary["total"]), 3, "{summary}");
    assert_eq!(summary["community"], "c1");
    assert_eq!(num(&summary["by_status"]["collected"]), 3);
    assert_eq!(num(&wait_for_total(&server, &other, 0)?["total"]), 0);

    let path = "/api/v1/office/wishes?community=c1";
    assert_eq!(get(&server, path, Some(&other))?.status, 403);
    assert_eq!(get(&server, path, Some(&volunteer))?.status, 403);
    assert_eq!(get(&server, path, None)?.status, 401);
    assert_eq!(
        get(&server, "/api/v1/office/wishes?page=x", Some(&office))?.status,
        400
    );
    let list = get(&server, path, Some(&office))?.json()?;
    assert_eq!(num(&list["total"]), 3);
    let admin = get_json(&server, "/api/v1/office/summary?community=c2")?;
    assert_eq!(num(&admin["total"]), 0);

    let csv = get(&server, "/api/v1/office/export/wishes.csv", Some(&office))?.text();
    assert!(csv.contains("需要上门问诊"), "{csv}");
    for personal in ["测试居民", "13800000000", "1201"] {
        assert!(!csv.contains(personal), "personal data {personal} exported");
    }
    Ok(())
}
