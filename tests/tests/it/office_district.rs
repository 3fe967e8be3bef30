//! The street office's comparison figures against a recount of the documents: a district
//! demo (three communities) read back from the store with the server stopped, then every
//! per-community figure of `/api/v1/office/communities`, the party-member shares of
//! `/participation`, the ratings of `/ratings` and the summary, each over all wishes and
//! over a date range (`from`/`to` as local dates: the wishes created in it), compared
//! with what the documents say.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use automerge::Automerge;
use serde_json::Value;
use wish_client_core::model::wish::WishSummary;
use wish_client_core::model::{CommunityView, StationView, WishView};
use wish_client_core::storage_keys::{chunk_kind, ChunkKind};
use wish_server::aggregate::{format_local, parse_local_date};
use wish_server::storage::{RedbStore, Storage};
use wish_tests::fixtures::seed_demo_district;
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");
const DAY_MS: u64 = 86_400_000;

/// A wish as the documents tell it, with its community's party members.
struct Counted {
    summary: WishSummary,
}

/// Every wish of every community, by community id, and each community's party members.
struct Recount {
    wishes: BTreeMap<String, Vec<Counted>>,
    party: HashMap<String, BTreeSet<String>>,
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

/// Follows each community → stations → wishes in the store (server stopped).
fn recount(data: &Path, communities: &[String]) -> anyhow::Result<Recount> {
    let store = RedbStore::open(&data.join("wish-station.redb"))?;
    let mut out = Recount {
        wishes: BTreeMap::new(),
        party: HashMap::new(),
    };
    for community in communities {
        let view = CommunityView::read(&load(&store, community)?)?;
        let party = view.people.iter().filter(|(_, p)| p.party_member);
        out.party
            .insert(community.clone(), party.map(|(id, _)| id.clone()).collect());
        let wishes = out.wishes.entry(community.clone()).or_default();
        for station in view.stations.values() {
            let station = StationView::read(&load(&store, &station.doc)?)?;
            for wish_doc in station.wishes.keys() {
                let summary = WishView::read(&load(&store, wish_doc)?)?.summary();
                wishes.push(Counted { summary });
            }
        }
    }
    Ok(out)
}

/// The figures of one community's wishes created in `[from, to)`, computed the way the
/// brief defines them (not the way the index does).
#[derive(Debug, Default, PartialEq)]
struct Expected {
    wishes: u64,
    claimed: u64,
    completed: u64,
    closed_other: u64,
    rated: u64,
    rating_sum: u64,
    volunteers: BTreeSet<String>,
    hours_milli: u64,
    claims: u64,
    party_claims: u64,
    claimant_milli: u64,
    party_milli: u64,
}

fn expected(recount: &Recount, community: &str, from: u64, to: u64) -> Expected {
    let party = recount.party.get(community).cloned().unwrap_or_default();
    let mut e = Expected::default();
    let wishes = recount.wishes.get(community).into_iter().flatten();
    for w in wishes.map(|c| &c.summary) {
        if !(from..to).contains(&w.created_at) {
            continue;
        }
        e.wishes += 1;
        e.claimed += u64::from(w.first_claim_at.is_some());
        let fulfilled = w.status == "closed" && w.close_reason.as_deref() == Some("fulfilled");
        e.completed += u64::from(fulfilled);
        let finished = w.status == "closed" || w.status == "rejected";
        e.closed_other += u64::from(finished && !fulfilled);
        if let Some(r) = w.rating.filter(|r| (1..=5).contains(r)) {
            e.rated += 1;
            e.rating_sum += u64::from(r);
        }
        let milli = (w.hours.max(0.0) * 1000.0).round() as u64;
        e.hours_milli += milli;
        let n = w.claimants.len() as u64;
        for (i, claimant) in w.claimants.iter().enumerate() {
            // Equal shares; the first claimant takes the remainder.
            let share = milli / n + if i == 0 { milli % n } else { 0 };
            e.volunteers.insert(claimant.clone());
            e.claims += 1;
            e.claimant_milli += share;
            if party.contains(claimant) {
                e.party_claims += 1;
                e.party_milli += share;
            }
        }
    }
    e
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or(u64::MAX)
}

/// One `/communities` row against the recount.
fn row_matches(row: &Value, e: &Expected) {
    let c = row["community"].as_str().unwrap_or_default();
    assert_eq!(num(&row["wishes"]), e.wishes, "{c} wishes");
    assert_eq!(num(&row["claimed"]), e.claimed, "{c} claimed");
    assert_eq!(num(&row["completed"]), e.completed, "{c} completed");
    assert_eq!(
        num(&row["closed_other"]),
        e.closed_other,
        "{c} closed other"
    );
    assert_eq!(num(&row["rated"]), e.rated, "{c} rated");
    let average = (e.rated > 0).then(|| round2(e.rating_sum as f64 / e.rated as f64));
    assert_eq!(row["average_rating"].as_f64(), average, "{c} average");
    assert_eq!(
        num(&row["volunteers_active"]),
        e.volunteers.len() as u64,
        "{c} volunteers"
    );
    let hours = round2(e.hours_milli as f64 / 1000.0);
    assert_eq!(row["service_hours"].as_f64(), Some(hours), "{c} hours");
    let claims = share(e.party_claims, e.claims);
    assert_eq!(
        row["party_claim_share"].as_f64(),
        claims,
        "{c} party claims"
    );
    let hours = share(e.party_milli, e.claimant_milli);
    assert_eq!(row["party_hours_share"].as_f64(), hours, "{c} party hours");
    let open = e.wishes - e.closed_other - e.completed;
    assert!(num(&row["open_overdue"]) <= open, "{c} overdue > open");
}

/// Runs the district demo; returns the community ids and the office code it printed.
fn demo(data: &Path) -> anyhow::Result<(Vec<String>, String)> {
    let report = seed_demo_district(BIN, data, 150, 3)?;
    let communities: Vec<String> = report
        .lines()
        .filter_map(|l| l.strip_prefix("community: automerge:"))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    let code = report
        .lines()
        .find(|l| l.contains("街道 office"))
        .and_then(|l| l.rsplit(' ').next())
        .ok_or_else(|| anyhow::anyhow!("no office code in {report}"))?;
    anyhow::ensure!(communities.len() == 3, "{report}");
    Ok((communities, code.to_owned()))
}

#[test]
fn district_figures_match_a_recount_per_community_and_in_a_date_range() -> anyhow::Result<()> {
    let data = temp_dir();
    let (communities, code) = demo(data.path())?;
    let recount = recount(data.path(), &communities)?;
    let server = TestServer::start(BIN, data.path())?;
    let (token, _) = wish_tests::fixtures::redeem(&server, &code, "街道办")?;
    let get = |path: &str| -> anyhow::Result<Value> {
        let response = request(&server.addr, "GET", path, Some(&token), None)?;
        anyhow::ensure!(response.status == 200, "{path}: {}", response.text());
        response.json()
    };

    // The date range: from the date of the first quarter's wish to the date of the
    // third quarter's, both inclusive, as local dates.
    let mut times: Vec<u64> = recount
        .wishes
        .values()
        .flatten()
        .map(|w| w.summary.created_at)
        .collect();
    times.sort_unstable();
    let date = |ms: u64| format_local(ms)[..10].to_owned();
    let (from, to) = (
        date(times[times.len() / 4]),
        date(times[times.len() * 3 / 4]),
    );
    let from_ms = parse_local_date(&from).unwrap_or(0);
    let to_ms = parse_local_date(&to).map_or(u64::MAX, |t| t + DAY_MS);
    let windows = [
        (String::new(), 0, u64::MAX),
        (format!("from={from}&to={to}"), from_ms, to_ms),
    ];
    for (query, start, end) in &windows {
        let inside = times.iter().filter(|t| (start..end).contains(t)).count() as u64;
        assert!(inside > 0, "empty window {query}");
        let table = get(&format!("/api/v1/office/communities?{query}"))?;
        let rows = table["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 3, "{table}");
        let mut names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["和平社区", "幸福社区", "阳光社区"]);
        let mut all = Expected::default();
        for row in &rows {
            assert!(num(&row["stations"]) >= 1, "{row}");
            let community = row["community"].as_str().unwrap_or_default();
            let e = expected(&recount, community, *start, *end);
            row_matches(row, &e);
            all.wishes += e.wishes;
            all.claims += e.claims;
            all.party_claims += e.party_claims;
            all.rated += e.rated;
            all.rating_sum += e.rating_sum;
        }
        assert_eq!(all.wishes, inside, "{query}");
        assert!(
            all.party_claims > 0 && all.party_claims < all.claims,
            "{query}"
        );
        assert!(all.rated > 0, "{query}");
        let summary = get(&format!("/api/v1/office/summary?{query}"))?;
        assert_eq!(num(&summary["total"]), inside, "{query}");
        let participation = get(&format!("/api/v1/office/participation?{query}"))?;
        let overall = &participation["overall"];
        assert_eq!(num(&overall["claims"]), all.claims, "{query}");
        assert_eq!(num(&overall["party_claims"]), all.party_claims, "{query}");
        assert_eq!(
            participation["by_community"].as_array().map(Vec::len),
            Some(3)
        );
        let ratings = get(&format!("/api/v1/office/ratings?{query}"))?;
        assert_eq!(num(&ratings["rated"]), all.rated, "{query}");
        let by_claimant = ratings["by_claimant"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(by_claimant.iter().all(|r| {
            let name = r["name"].as_str().unwrap_or_default();
            !name.is_empty() && !name.contains("未登记")
        }));
        let units = ratings["by_unit"].as_array().cloned().unwrap_or_default();
        assert!(units.iter().all(|r| r["kind"] == "unit"));
    }
    // A window outside every wish has three empty rows, and `from` after `to` is refused.
    let empty = get("/api/v1/office/communities?from=2001-01-01&to=2001-01-31")?;
    let rows = empty["rows"].as_array().cloned().unwrap_or_default();
    assert!(rows.len() == 3 && rows.iter().all(|r| num(&r["wishes"]) == 0));
    let backwards = request(
        &server.addr,
        "GET",
        &format!("/api/v1/office/summary?from={to}&to={from}"),
        Some(&token),
        None,
    )?;
    assert_eq!(backwards.status, 400, "{}", backwards.text());
    Ok(())
}
