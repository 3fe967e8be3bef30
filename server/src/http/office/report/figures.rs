//! The month's figures and tables, gathered from the office index and the office rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use wish_client_core::model::Module;

use super::month::Month;
use crate::aggregate::coverage_of;
use crate::aggregate::{
    format_local, CommunitySet, OfficeIndex, OverdueQuery, Paging, ServiceTotals, Steps, Window,
    WindowSteps, WishFilter, UNTRIAGED,
};
use crate::domain::office_rows::{
    CommunitySummary, EarnSummary, StationSummary, COMMUNITY_PREFIX, STATION_PREFIX,
};
use crate::http::api::ApiError;
use crate::http::office::export::records::earns_in_scope;
use crate::http::office::handlers::with_index;
use crate::http::office::names::{self, Names};
use crate::http::office::rows;
use crate::http::AppState;
use crate::runtime::IndexSource;

/// Volunteers listed in the report.
const TOP_VOLUNTEERS: usize = 20;

/// The month's report, as the page and the workbook lay it out.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthReport {
    /// `YYYY-MM`.
    pub month: String,
    /// `2026年11月`.
    pub label: String,
    pub community: Option<String>,
    /// The community's name, or 全部社区 for the administrator's whole view.
    pub scope_name: String,
    /// When the report was made, local time.
    pub generated_at: String,
    pub figures: Figures,
    pub by_module: Vec<ModuleRow>,
    pub by_station: Vec<StationRow>,
    pub volunteers: Vec<VolunteerRow>,
}

/// The key figures.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Wishes collected (created) in the month.
    pub collected: u64,
    pub claimed: u64,
    pub resolved: u64,
    pub closed: u64,
    /// Open wishes past their target at the month's end (or now, for the current month).
    pub overdue: usize,
    /// 需求清单: wishes still waiting for help.
    pub needs_open: usize,
    /// 资源清单: offers, and those active.
    pub offers: usize,
    pub offers_active: usize,
    /// 项目清单: projects, those done, and those started in the month.
    pub projects: usize,
    pub projects_done: usize,
    pub projects_new: usize,
    /// Confirmed service hours (records of the month, none reversed).
    pub hours: f64,
    pub service_records: usize,
    pub volunteers: usize,
    /// Party members among the month's volunteers, their records and hours.
    pub party_volunteers: usize,
    pub party_records: usize,
    pub party_hours: f64,
    /// Ratings given for wishes resolved in the month.
    pub rated: u64,
    pub average_rating: Option<f64>,
    /// Shifts of the month, those with someone assigned, and the share (percent).
    pub shifts: usize,
    pub shifts_covered: usize,
    pub coverage_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModuleRow {
    pub module: String,
    pub label: String,
    pub collected: u64,
    pub resolved: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StationRow {
    pub community: String,
    pub station: String,
    pub collected: u64,
    pub resolved: u64,
    /// Shifts of the month and those covered.
    pub shifts: usize,
    pub shifts_covered: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = MonthVolunteerRow)]
pub struct VolunteerRow {
    pub name: String,
    pub community: String,
    pub party_member: bool,
    pub records: usize,
    pub hours: f64,
}

/// Gathers the month's report for the communities in `community`.
pub async fn gather(
    state: &Arc<AppState>,
    index: &IndexSource,
    community: CommunitySet,
    month: Month,
) -> Result<MonthReport, ApiError> {
    let names = names::load(state, &community).await?;
    let scope_name = scope_name(&community, &names);
    let wishes = wish_counts(state, index, community.clone(), month.clone()).await?;
    let mut report = MonthReport {
        month: month.key(),
        label: month.label(),
        community: community.single().map(str::to_owned),
        scope_name,
        generated_at: format_local(crate::clock::now_ms()),
        figures: wishes.figures.clone(),
        by_module: module_rows(&wishes.steps.by_module),
        by_station: Vec::new(),
        volunteers: Vec::new(),
    };
    add_lists(state, &mut report, &community, &month).await?;
    let earns = earns_in_scope(state, &community).await?;
    report.volunteers = add_service(&mut report.figures, &earns, &names, &month);
    report.by_station = add_roster(
        state,
        &mut report.figures,
        &wishes,
        &names,
        community,
        &month,
    )
    .await?;
    Ok(report)
}

/// The communities a report covers, in words: one community's name, 全部社区, or the
/// names of a 街道's or district's communities.
fn scope_name(community: &CommunitySet, names: &Names) -> String {
    match (community.single(), community.is_all()) {
        (Some(one), _) => names.community(one),
        (None, true) => "全部社区".to_owned(),
        (None, false) => {
            let listed = community.listed().into_iter().flatten();
            listed
                .map(|c| names.community(c))
                .collect::<Vec<_>>()
                .join("、")
        }
    }
}

/// What the index tells about the month: the wishes' steps and the overdue count.
struct WishCounts {
    figures: Figures,
    steps: WindowSteps,
}

async fn wish_counts(
    state: &AppState,
    index: &IndexSource,
    community: CommunitySet,
    month: Month,
) -> Result<WishCounts, ApiError> {
    with_index(index, state, move |a| count_wishes(a, community, &month)).await
}

fn count_wishes(a: &OfficeIndex, community: CommunitySet, month: &Month) -> WishCounts {
    let steps = a.window_steps(&community, month.from, month.to);
    let overdue = OverdueQuery {
        now: crate::clock::now_ms().min(month.to),
        filter: WishFilter {
            community,
            ..WishFilter::default()
        },
        paging: Paging::new(None, Some(1)),
        targets: None,
    };
    let figures = Figures {
        collected: steps.collected,
        claimed: steps.claimed,
        resolved: steps.resolved,
        closed: steps.closed,
        overdue: a.overdue(&overdue).total,
        needs_open: usize::try_from(steps.open_now).unwrap_or(usize::MAX),
        rated: steps.rated,
        average_rating: (steps.rated > 0).then(|| steps.rating_sum as f64 / steps.rated as f64),
        ..Figures::default()
    };
    WishCounts { figures, steps }
}

fn module_rows(modules: &BTreeMap<String, Steps>) -> Vec<ModuleRow> {
    let order = Module::ALL
        .iter()
        .map(|m| (m.as_str(), m.label_zh()))
        .chain(std::iter::once((UNTRIAGED, "未分流")));
    order
        .filter_map(|(code, label)| {
            let steps = modules.get(code)?;
            Some(ModuleRow {
                module: code.to_owned(),
                label: label.to_owned(),
                collected: steps.collected,
                resolved: steps.resolved,
            })
        })
        .collect()
}

/// The three lists: offers and projects from the community rows.
async fn add_lists(
    state: &AppState,
    report: &mut MonthReport,
    scope: &CommunitySet,
    month: &Month,
) -> Result<(), ApiError> {
    let communities: Vec<(String, CommunitySummary)> = rows::load(state, COMMUNITY_PREFIX).await?;
    let (offers, projects) = crate::aggregate::offers_and_projects(communities, scope);
    let f = &mut report.figures;
    f.offers = offers.total;
    f.offers_active = offers.active;
    f.projects = projects.total;
    f.projects_done = projects.by_status.get("done").copied().unwrap_or(0);
    f.projects_new = projects
        .items
        .iter()
        .filter(|p| month.contains(p.project.created_at))
        .count();
    Ok(())
}

/// Service hours of the month from the ledger's confirmed records; returns the
/// volunteers with the most hours.
fn add_service(
    f: &mut Figures,
    earns: &[(String, EarnSummary)],
    names: &Names,
    month: &Month,
) -> Vec<VolunteerRow> {
    let window = Window::new(Some(month.from), Some(month.to));
    let service = ServiceTotals::of(earns, window, &names.party());
    f.service_records = service.records;
    f.hours = service.hours;
    f.party_records = service.party_records;
    f.party_hours = service.party_hours;
    f.volunteers = service.volunteers;
    f.party_volunteers = service.party_volunteers;
    service
        .by_person
        .into_iter()
        .take(TOP_VOLUNTEERS)
        .map(|v| VolunteerRow {
            name: names.member(&v.community, &v.person),
            party_member: v.party_member,
            community: names.community(&v.community),
            records: v.records,
            hours: v.hours,
        })
        .collect()
}

/// Roster coverage of the month's shifts, and the per-station table.
async fn add_roster(
    state: &AppState,
    f: &mut Figures,
    wishes: &WishCounts,
    names: &Names,
    community: CommunitySet,
    month: &Month,
) -> Result<Vec<StationRow>, ApiError> {
    let stations: Vec<(String, StationSummary)> = rows::load(state, STATION_PREFIX).await?;
    let (first, last) = month.dates();
    let now = crate::clock::now_ms();
    let coverage = coverage_of(stations, community, Some(first), Some(last), now);
    f.shifts = coverage.totals.shifts;
    f.shifts_covered = coverage.totals.covered;
    f.coverage_percent = (f.shifts > 0).then(|| 100.0 * f.shifts_covered as f64 / f.shifts as f64);
    let mut table: BTreeMap<(String, String), StationRow> = BTreeMap::new();
    for (community, stations) in &wishes.steps.by_station {
        for (station, steps) in stations {
            let key = (community.clone(), station.clone());
            let row = table
                .entry(key.clone())
                .or_insert_with(|| station_row(names, &key));
            row.collected = steps.collected;
            row.resolved = steps.resolved;
        }
    }
    for s in &coverage.stations {
        let key = (s.community.clone(), s.station.clone());
        let row = table
            .entry(key.clone())
            .or_insert_with(|| station_row(names, &key));
        row.shifts = s.shifts;
        row.shifts_covered = s.covered;
    }
    Ok(table.into_values().collect())
}

fn station_row(names: &Names, (community, station): &(String, String)) -> StationRow {
    StationRow {
        community: names.community(community),
        station: names.station(community, station),
        collected: 0,
        resolved: 0,
        shifts: 0,
        shifts_covered: 0,
    }
}
