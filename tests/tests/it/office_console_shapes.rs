//! The console's hand-written JSON types (`wasm/app/office/src/types.ts`) against a real
//! server's answers: for every office endpoint the console reads, each object's keys must
//! be exactly the fields of the TypeScript interface that describes it (both ways), so a
//! field renamed, added or dropped on the Rust side fails here instead of showing "–" or
//! `undefined` on the office's screen.
//!
//! The interfaces are read from the file itself (field lines `  name: …` or `  name?: …`,
//! `extends` followed), so the check cannot drift from what the compiler sees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{anyhow, ensure, Context};
use serde_json::{json, Value};
use wish_tests::fixtures::{redeem, seed_demo_district};
use wish_tests::http::request;
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

/// (endpoint, where in its answer (`*` = any element that has the rest), interface).
const GETS: &[(&str, &str, &str)] = &[
    ("summary", "", "Summary"),
    ("summary", "/by_station/*", "StationCount"),
    ("summary", "/by_week/*", "WeekCount"),
    ("durations", "", "Durations"),
    ("durations", "/time_to_claim", "Duration"),
    ("durations", "/time_to_claim/buckets/*", "Bucket"),
    ("satisfaction", "", "Satisfaction"),
    ("satisfaction", "/by_module/*", "Rated"),
    ("satisfaction", "/by_station/*", "StationRated"),
    ("wishes", "", "WishPage"),
    ("wishes", "/items/*", "WishRow"),
    ("wishes", "/items/*/names", "WishNames"),
    ("overdue", "", "Overdue"),
    ("overdue", "/items/*", "OverdueRow"),
    ("overdue", "/targets/*", "Target"),
    ("volunteers", "", "Volunteers"),
    ("volunteers", "/leaderboard/*", "LeaderRow"),
    ("names", "", "Names"),
    ("names", "/directories/*", "Directory"),
    ("roster-coverage", "", "RosterCoverage"),
    ("roster-coverage", "/totals", "CoverageTotals"),
    ("roster-coverage", "/stations/*", "StationCoverage"),
    ("roster-coverage", "/stations/*/missed_shifts/*", "Shift"),
    ("lists", "", "Lists"),
    ("lists", "/offers/items/*", "Offer"),
    ("lists", "/projects/items/*", "Project"),
    ("lists", "/suggestions/*", "Suggestion"),
    ("communities", "", "Communities"),
    ("communities", "/rows/*", "CommunityRow"),
    ("participation", "", "Participation"),
    ("participation", "/overall", "PartyFigures"),
    ("participation", "/by_community/*", "CommunityParty"),
    ("ratings", "", "Ratings"),
    ("ratings", "/by_unit/*", "UnitRating"),
    ("ratings", "/by_claimant/*", "ClaimantRating"),
    ("overdue-targets", "", "OverdueTargets"),
];

#[test]
fn the_console_types_have_the_keys_of_the_office_api() -> anyhow::Result<()> {
    let types = interfaces(&std::fs::read_to_string(types_file())?)?;
    let data = temp_dir();
    let printed = seed_demo_district(BIN, data.path(), 90, 3)?;
    let server = TestServer::start(BIN, data.path())?;
    let (token, _) = redeem(&server, &office_code(&printed)?, "街道办公室电脑")?;
    let get = |path: &str| -> anyhow::Result<Value> {
        let response = request(
            &server.addr,
            "GET",
            &format!("/api/v1/office/{path}"),
            Some(&token),
            None,
        )?;
        ensure!(
            response.status == 200,
            "{path}: {} {}",
            response.status,
            response.text()
        );
        response.json()
    };

    let mut problems = Vec::new();
    let month = wish_server::aggregate::format_local(wish_server::clock::now_ms())[..7].to_owned();
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    for (endpoint, _, _) in GETS {
        if !answers.contains_key(*endpoint) {
            answers.insert((*endpoint).to_owned(), get(endpoint)?);
        }
    }
    answers.insert("report".into(), get(&format!("report?month={month}"))?);
    for (endpoint, pointer, interface) in GETS {
        compare(
            &answers[*endpoint],
            endpoint,
            pointer,
            interface,
            &types,
            &mut problems,
        );
    }
    for (pointer, interface) in [
        ("", "Report"),
        ("/figures", "ReportFigures"),
        ("/by_module/*", "ReportModule"),
        ("/by_station/*", "ReportStation"),
        ("/volunteers/*", "ReportVolunteer"),
    ] {
        compare(
            &answers["report"],
            "report",
            pointer,
            interface,
            &types,
            &mut problems,
        );
    }

    // A claimed, open wish: its detail (claimants, timeline) and the 督办 answer.
    let open = get("wishes?status=claimed,assigned,in_progress&per_page=1")?;
    let doc = open["items"][0]["doc_id"]
        .as_str()
        .ok_or_else(|| anyhow!("no open claimed wish: {open}"))?
        .to_owned();
    let detail = get(&format!("wishes/{doc}"))?;
    for (pointer, interface) in [
        ("", "WishDetail"),
        ("/claimants/*", "Claimant"),
        ("/timeline/*", "TimelineEntry"),
    ] {
        compare(
            &detail,
            "wishes/{doc}",
            pointer,
            interface,
            &types,
            &mut problems,
        );
    }
    let path = format!("/api/v1/office/wishes/{doc}/supervise");
    let marked = request(
        &server.addr,
        "POST",
        &path,
        Some(&token),
        Some(&json!({ "note": "请本周内上门回访" })),
    )?;
    ensure!(
        marked.status == 200,
        "supervise: {} {}",
        marked.status,
        marked.text()
    );
    let marked = marked.json()?;
    compare(
        &marked,
        "supervise",
        "",
        "Supervised",
        &types,
        &mut problems,
    );
    compare(
        &marked,
        "supervise",
        "/supervision",
        "Supervision",
        &types,
        &mut problems,
    );

    ensure!(
        problems.is_empty(),
        "types.ts differs from the office API:\n{}",
        problems.join("\n")
    );
    Ok(())
}

fn compare(
    answer: &Value,
    endpoint: &str,
    pointer: &str,
    interface: &str,
    types: &BTreeMap<String, BTreeSet<String>>,
    problems: &mut Vec<String>,
) {
    let Some(fields) = types.get(interface) else {
        problems.push(format!("types.ts has no interface {interface}"));
        return;
    };
    let segments: Vec<&str> = pointer.split('/').filter(|s| !s.is_empty()).collect();
    let Some(object) = find(answer, &segments).and_then(Value::as_object) else {
        problems.push(format!("{endpoint}{pointer}: no such object in the answer (nothing to compare {interface} with)"));
        return;
    };
    let keys: BTreeSet<String> = object.keys().cloned().collect();
    let missing: Vec<_> = keys.difference(fields).collect();
    let extra: Vec<_> = fields.difference(&keys).collect();
    if !missing.is_empty() || !extra.is_empty() {
        problems.push(format!(
            "{endpoint}{pointer} vs {interface}: not typed {missing:?}, not answered {extra:?}"
        ));
    }
}

/// The value at `segments`; `*` takes the first element (of an array or object) that has
/// the rest of the path.
fn find<'a>(value: &'a Value, segments: &[&str]) -> Option<&'a Value> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(value);
    };
    if *first == "*" {
        let children: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => map.values().collect(),
            _ => return None,
        };
        return children.into_iter().find_map(|child| find(child, rest));
    }
    find(value.get(*first)?, rest)
}

/// Every `export interface` of the file: its field names, those of what it extends (or is
/// another name for: `export type A = B;`) included.
fn interfaces(source: &str) -> anyhow::Result<BTreeMap<String, BTreeSet<String>>> {
    let mut own: BTreeMap<String, (Option<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let alias = line
            .strip_prefix("export type ")
            .and_then(|rest| rest.strip_suffix(';'))
            .and_then(|rest| rest.split_once(" = "))
            .filter(|(_, base)| base.chars().all(|c| c.is_ascii_alphanumeric()));
        if let Some((name, base)) = alias {
            own.insert(name.to_owned(), (Some(base.to_owned()), BTreeSet::new()));
        } else if let Some(head) = line.strip_prefix("export interface ") {
            let mut words = head.split_whitespace();
            let name = words.next().context("an interface name")?.to_owned();
            let base = (words.next() == Some("extends"))
                .then(|| words.next().map(str::to_owned))
                .flatten();
            own.insert(name.clone(), (base, BTreeSet::new()));
            current = Some(name);
        } else if line.starts_with('}') {
            current = None;
        } else if let (Some(name), Some(field)) = (&current, field_name(line)) {
            if let Some((_, fields)) = own.get_mut(name) {
                fields.insert(field);
            }
        }
    }
    let mut all = BTreeMap::new();
    for name in own.keys() {
        let mut fields = BTreeSet::new();
        let mut next = Some(name.clone());
        while let Some(at) = next {
            let (base, mine) = own
                .get(&at)
                .ok_or_else(|| anyhow!("{name} extends unknown {at}"))?;
            fields.extend(mine.iter().cloned());
            next = base.clone();
        }
        all.insert(name.clone(), fields);
    }
    Ok(all)
}

/// `  name: type;` or `  name?: type;` at the interface's own indentation (two spaces).
fn field_name(line: &str) -> Option<String> {
    let rest = line.strip_prefix("  ")?;
    if rest.starts_with(' ') || rest.starts_with('/') {
        return None;
    }
    let (name, _) = rest.split_once(':')?;
    let name = name.trim_end_matches('?');
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then(|| name.to_owned())
}

fn office_code(printed: &str) -> anyhow::Result<String> {
    printed
        .lines()
        .find(|l| l.contains("街道 office"))
        .and_then(|l| l.rsplit(' ').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the demo printed no office code: {printed}"))
}

fn types_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm/app/office/src/types.ts")
}
