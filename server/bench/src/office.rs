//! `wish-bench office`: times every office query over a synthetic index of N
//! wishes (`OfficeIndex::synthetic`), in process, without HTTP. The target is a p50 under
//! 100 ms for each query; the command fails if one is over.

use std::hint::black_box;
use std::io::Write as _;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use wish_server::aggregate::{
    parse_local_date, synthetic_party, CommunitySet, Members, OfficeIndex, OverdueQuery,
    OverdueTargets, Paging, RatingNames, Window, WishFilter, SYNTHETIC_NOW_MS,
};

/// The p50 every query must stay under, in milliseconds.
const TARGET_P50_MS: f64 = 100.0;

/// Rows the CSV export renders per read-lock hold (`http/office/export.rs`).
const EXPORT_CHUNK: usize = 4096;

#[derive(Args, Debug, Clone)]
pub struct OfficeArgs {
    /// Wishes in the synthetic index.
    #[arg(long, default_value_t = 1_000_000)]
    pub wishes: usize,
    /// Communities they are spread over (a district).
    #[arg(long, default_value_t = 30)]
    pub communities: usize,
    /// Seed of the synthetic data (the same seed gives the same index).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Times each query is run.
    #[arg(long, default_value_t = 20)]
    pub repeat: usize,
    /// Print one JSON line on stdout (the summary goes to stderr).
    #[arg(long)]
    pub json: bool,
}

/// One query's timings.
#[derive(Debug, Serialize)]
struct QueryTiming {
    query: String,
    /// What the query returned (rows matched, items on the page, ...), to show it did work.
    result: String,
    p50_ms: f64,
    max_ms: f64,
}

#[derive(Debug, Serialize)]
struct OfficeReport {
    wishes: usize,
    communities: usize,
    seed: u64,
    repeat: usize,
    build_ms: f64,
    heap_bytes_estimate: usize,
    process_rss_bytes: Option<u64>,
    process_peak_rss_bytes: Option<u64>,
    target_p50_ms: f64,
    queries: Vec<QueryTiming>,
}

pub fn run(args: OfficeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let index = OfficeIndex::synthetic_in(args.wishes, Some(args.communities), args.seed);
    let build_ms = ms(started.elapsed());
    eprintln!(
        "built an index of {} wishes in {build_ms:.0} ms",
        index.len()
    );
    let queries = time_queries(&index, args.repeat.max(1));
    let report = OfficeReport {
        wishes: index.len(),
        communities: args.communities,
        seed: args.seed,
        repeat: args.repeat.max(1),
        build_ms,
        heap_bytes_estimate: index.heap_bytes(),
        process_rss_bytes: proc_status_bytes("VmRSS:"),
        process_peak_rss_bytes: proc_status_bytes("VmHWM:"),
        target_p50_ms: TARGET_P50_MS,
        queries,
    };
    print(&report, args.json)?;
    let slow: Vec<&str> = report
        .queries
        .iter()
        .filter(|q| q.p50_ms > TARGET_P50_MS)
        .map(|q| q.query.as_str())
        .collect();
    if !slow.is_empty() {
        anyhow::bail!("p50 over {TARGET_P50_MS} ms: {}", slow.join(", "));
    }
    Ok(())
}

/// A query: its name and a closure describing its result.
type Query<'a> = (String, Box<dyn Fn() -> String + 'a>);
/// The same, named by a literal.
type NamedQuery<'a> = (&'static str, Box<dyn Fn() -> String + 'a>);

fn time_queries(index: &OfficeIndex, repeat: usize) -> Vec<QueryTiming> {
    let party = synthetic_party(index);
    let mut all: Vec<Query<'_>> = queries(index)
        .into_iter()
        .map(|(name, run)| (name.to_owned(), run))
        .collect();
    all.extend(console_queries(index, &party));
    all.into_iter()
        .map(|(name, query)| time(name, repeat, &*query))
        .collect()
}

fn time(query: String, repeat: usize, run: &dyn Fn() -> String) -> QueryTiming {
    let mut samples = Vec::with_capacity(repeat);
    let mut result = String::new();
    for _ in 0..repeat {
        let started = Instant::now();
        result = black_box(run());
        samples.push(started.elapsed());
    }
    samples.sort();
    QueryTiming {
        query,
        result,
        p50_ms: ms(samples[(samples.len() - 1) / 2]),
        max_ms: ms(samples[samples.len() - 1]),
    }
}

/// Every query the office API serves, with the parameters a dashboard would use. Each
/// JSON report is also serialized, as the handler does.
fn queries(a: &OfficeIndex) -> Vec<NamedQuery<'_>> {
    let community = CommunitySet::from_option(first_community(a).as_deref());
    let street = CommunitySet::of(communities(a).into_iter().take(10));
    let street_2 = street.clone();
    let deep = deep_filter();
    let deep_page = middle_page(a, &deep);
    let page_1 = Paging::new(Some(1), Some(50));
    let chunk = first_chunk(a);
    vec![
        (
            "summary (all)",
            Box::new(|| json(&a.summary(&CommunitySet::all()))),
        ),
        (
            "summary (one community)",
            Box::new(move || json(&a.summary(&community))),
        ),
        (
            "summary (a 街道 of 10 communities)",
            Box::new(move || json(&a.summary(&street))),
        ),
        (
            "volunteers page 1 (a 街道 of 10 communities)",
            Box::new(move || json(&a.volunteers(&street_2, page_1))),
        ),
        (
            "wishes page 1 (no filter)",
            Box::new(move || json(&a.list(&WishFilter::default(), page_1))),
        ),
        (
            "wishes deep page (filtered)",
            Box::new(move || json(&a.list(&deep, deep_page))),
        ),
        (
            "durations (all)",
            Box::new(|| json(&a.durations(&CommunitySet::all(), None))),
        ),
        (
            "durations (module law)",
            Box::new(|| json(&a.durations(&CommunitySet::all(), Some("law")))),
        ),
        (
            "satisfaction",
            Box::new(|| json(&a.satisfaction(&CommunitySet::all()))),
        ),
        (
            "overdue page 1",
            Box::new(move || json(&a.overdue(&overdue_query(page_1)))),
        ),
        (
            "volunteers leaderboard page 1",
            Box::new(move || json(&a.volunteers(&CommunitySet::all(), page_1))),
        ),
        (
            "monthly report: a month's steps (all)",
            Box::new(|| {
                json(&a.window_steps(&CommunitySet::all(), last_month(), SYNTHETIC_NOW_MS))
            }),
        ),
        (
            "export: select every row",
            Box::new(|| rows(a.select(&WishFilter::default()).len())),
        ),
        (
            "export: select filtered rows",
            Box::new(|| rows(a.select(&deep_filter()).len())),
        ),
        (
            "export: items of one chunk",
            Box::new(move || items(a, &chunk)),
        ),
    ]
}

/// The console's queries (issue 15): the comparison of every community, party
/// participation and ratings, over all wishes, and each figure over a month and a quarter
/// (the wishes created in it), overdue under an office's own targets.
fn console_queries<'a>(a: &'a OfficeIndex, party: &'a Members) -> Vec<Query<'a>> {
    let date = |text: &str| parse_local_date(text);
    // The dashboard's ranges are calendar months (UTC+8) before the synthetic present,
    // 2026-01-01; the custom one has partial months at both ends (scanned).
    let month = Window::new(date("2025-12-01"), date("2026-01-01"));
    let quarter = Window::new(date("2025-10-01"), date("2026-01-01"));
    let year = Window::new(date("2025-01-01"), date("2026-01-01"));
    let custom = Window::new(date("2025-11-20"), date("2025-12-12"));
    let mut out = Vec::new();
    for (label, window) in [
        ("all", Window::ALL),
        ("month", month),
        ("quarter", quarter),
        ("year", year),
        ("custom 22 days", custom),
    ] {
        let ask = Console { a, party, window };
        out.push(query(
            format!("communities: 30 rows ({label})"),
            move || ask.comparison(),
        ));
        out.push(query(format!("participation ({label})"), move || {
            ask.participation()
        }));
        out.push(query(format!("ratings page 1 ({label})"), move || {
            ask.ratings()
        }));
        if window.is_all() {
            continue;
        }
        out.push(query(format!("summary ({label})"), move || ask.summary()));
        out.push(query(format!("durations ({label})"), move || {
            ask.durations()
        }));
        out.push(query(format!("satisfaction ({label})"), move || {
            ask.satisfaction()
        }));
        out.push(query(format!("volunteers page 1 ({label})"), move || {
            ask.volunteers()
        }));
        out.push(query(format!("wishes page 1 ({label})"), move || {
            ask.list()
        }));
        out.push(query(
            format!("overdue page 1, office targets ({label})"),
            move || ask.overdue(),
        ));
    }
    out
}

fn query<'a>(name: String, run: impl Fn() -> String + 'a) -> Query<'a> {
    (name, Box::new(run))
}

/// The console's questions about every community over one window.
#[derive(Clone, Copy)]
struct Console<'a> {
    a: &'a OfficeIndex,
    party: &'a Members,
    window: Window,
}

impl Console<'_> {
    const PAGE_1: Paging = Paging {
        page: 1,
        per_page: 50,
    };

    fn comparison(&self) -> String {
        let targets = office_targets();
        let (all, now) = (CommunitySet::all(), SYNTHETIC_NOW_MS);
        json(
            &self
                .a
                .community_comparison(&all, self.window, now, Some(&targets), self.party),
        )
    }

    fn participation(&self) -> String {
        json(
            &self
                .a
                .participation(&CommunitySet::all(), self.window, self.party),
        )
    }

    fn ratings(&self) -> String {
        let names = RatingNames {
            party: self.party.clone(),
            units: Members::default(),
            unit_of: Default::default(),
        };
        json(
            &self
                .a
                .ratings(&CommunitySet::all(), self.window, &names, Self::PAGE_1),
        )
    }

    fn summary(&self) -> String {
        json(&self.a.summary_in(&CommunitySet::all(), self.window))
    }

    fn durations(&self) -> String {
        json(&self.a.durations_in(&CommunitySet::all(), None, self.window))
    }

    fn satisfaction(&self) -> String {
        json(&self.a.satisfaction_in(&CommunitySet::all(), self.window))
    }

    fn volunteers(&self) -> String {
        json(
            &self
                .a
                .volunteers_in(&CommunitySet::all(), Self::PAGE_1, self.window),
        )
    }

    fn filter(&self) -> WishFilter {
        WishFilter {
            from: self.window.from,
            to: self.window.to,
            ..WishFilter::default()
        }
    }

    fn list(&self) -> String {
        json(&self.a.list(&self.filter(), Self::PAGE_1))
    }

    fn overdue(&self) -> String {
        json(&self.a.overdue(&OverdueQuery {
            now: SYNTHETIC_NOW_MS,
            filter: self.filter(),
            paging: Self::PAGE_1,
            targets: Some(office_targets()),
        }))
    }
}

/// An office's own targets: a day for urgent wishes, ten for normal ones.
fn office_targets() -> OverdueTargets {
    let hours = [("urgent", 24), ("high", 72), ("normal", 240), ("low", 720)];
    OverdueTargets::from_hours(&hours.map(|(u, h)| (u.to_owned(), h)).into())
}

/// The 30 days before the synthetic present (the monthly report's wish figures).
fn last_month() -> u64 {
    SYNTHETIC_NOW_MS - 30 * 86_400_000
}

/// Closed or rated, from the wish box, urgent or high, created in the last 180 days.
fn deep_filter() -> WishFilter {
    WishFilter {
        statuses: vec!["closed".into(), "rated".into()],
        channels: vec!["wish_box".into(), "door_to_door".into()],
        urgencies: vec!["high".into(), "urgent".into()],
        from: Some(SYNTHETIC_NOW_MS - 180 * 86_400_000),
        to: Some(SYNTHETIC_NOW_MS),
        ..WishFilter::default()
    }
}

/// The middle page of a filtered list, 50 a page.
fn middle_page(a: &OfficeIndex, filter: &WishFilter) -> Paging {
    let pages = a.list(filter, Paging::new(Some(1), Some(50))).pages;
    Paging::new(Some((pages / 2).max(1)), Some(50))
}

fn first_community(a: &OfficeIndex) -> Option<String> {
    communities(a).into_iter().next()
}

fn communities(a: &OfficeIndex) -> Vec<String> {
    let all = a.summary(&CommunitySet::all()).by_community;
    all.into_keys().collect()
}

fn overdue_query(paging: Paging) -> OverdueQuery {
    OverdueQuery {
        now: SYNTHETIC_NOW_MS,
        filter: WishFilter::default(),
        paging,
        targets: None,
    }
}

/// Serializes a report as the handler would; describes it by its size.
fn json<T: Serialize>(report: &T) -> String {
    match serde_json::to_vec(report) {
        Ok(bytes) => format!("{} bytes of JSON", bytes.len()),
        Err(error) => format!("not serializable: {error}"),
    }
}

fn rows(n: usize) -> String {
    format!("{n} rows")
}

/// The first rows of an export of everything: what the CSV renders per lock hold.
fn first_chunk(a: &OfficeIndex) -> Vec<u32> {
    let mut rows = a.select(&WishFilter::default());
    rows.truncate(EXPORT_CHUNK);
    rows
}

fn items(a: &OfficeIndex, rows: &[u32]) -> String {
    format!("{} items", a.items(rows).len())
}

fn print(report: &OfficeReport, json: bool) -> anyhow::Result<()> {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    eprintln!(
        "{} wishes in {} communities (seed {}), build {:.0} ms, index ≈ {:.1} MiB (heap_bytes), process RSS {:.1} MiB (peak {:.1} MiB)",
        report.wishes,
        report.communities,
        report.seed,
        report.build_ms,
        mib(report.heap_bytes_estimate as u64),
        mib(report.process_rss_bytes.unwrap_or(0)),
        mib(report.process_peak_rss_bytes.unwrap_or(0)),
    );
    eprintln!("{:<32} {:>10} {:>10}  result", "query", "p50 ms", "max ms");
    for q in &report.queries {
        eprintln!(
            "{:<32} {:>10.3} {:>10.3}  {}",
            q.query, q.p50_ms, q.max_ms, q.result
        );
    }
    if json {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string(report)?)?;
    }
    Ok(())
}

/// A `/proc/self/status` field in kB, as bytes (Linux only).
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Milliseconds, to the microsecond.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1000.0
}
