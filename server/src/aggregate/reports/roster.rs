//! Duty roster coverage (排班): per station, the shifts in a date range, the uncovered
//! ones (no assignees) and the past ones nobody checked in to, from the
//! `["station-summary", stationDocId]` rows. Served by `GET /api/v1/office/roster-coverage`
//! and used by the monthly report.

use serde::Serialize;

use crate::aggregate::{format_local, CommunitySet};
use crate::domain::office_rows::{ShiftSummary, StationSummary};

/// A shift as the report lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShiftRef {
    pub id: String,
    pub date: String,
    pub start: String,
    pub end: String,
}

/// One station's coverage.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StationCoverage {
    pub doc_id: String,
    pub station: String,
    pub community: String,
    pub name: String,
    pub shifts: usize,
    pub covered: usize,
    pub uncovered: usize,
    /// Shifts that ended before `now`.
    pub past: usize,
    /// Past shifts without any check-in.
    pub past_without_checkin: usize,
    pub uncovered_shifts: Vec<ShiftRef>,
    pub missed_shifts: Vec<ShiftRef>,
}

/// Totals over every station in scope.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct CoverageTotals {
    pub stations: usize,
    pub shifts: usize,
    pub covered: usize,
    pub uncovered: usize,
    pub past: usize,
    pub past_without_checkin: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CoverageReport {
    pub community: Option<String>,
    /// First date included (`YYYY-MM-DD`), if limited.
    pub from: Option<String>,
    /// Last date included (`YYYY-MM-DD`), if limited.
    pub to: Option<String>,
    /// The local time (UTC+8) that decides which shifts are past: `YYYY-MM-DD HH:MM`.
    pub now: String,
    pub totals: CoverageTotals,
    pub stations: Vec<StationCoverage>,
}

/// Coverage of the stations in `community` for shifts dated `from` to `to`
/// (`YYYY-MM-DD`, inclusive), past as of `now_ms` (the monthly report uses it too).
pub fn coverage_of(
    stations: Vec<(String, StationSummary)>,
    community: CommunitySet,
    from: Option<String>,
    to: Option<String>,
    now_ms: u64,
) -> CoverageReport {
    let now = format_local(now_ms);
    let range = |s: &ShiftSummary| {
        from.as_deref().is_none_or(|f| s.date.as_str() >= f)
            && to.as_deref().is_none_or(|t| s.date.as_str() <= t)
    };
    let mut report = CoverageReport {
        community: community.single().map(str::to_owned),
        from: from.clone(),
        to: to.clone(),
        now: now.clone(),
        totals: CoverageTotals::default(),
        stations: Vec::new(),
    };
    for (doc_id, station) in stations {
        if !community.contains(&station.community) {
            continue;
        }
        let coverage = station_coverage(doc_id, station, &range, &now);
        let t = &mut report.totals;
        t.stations += 1;
        t.shifts += coverage.shifts;
        t.covered += coverage.covered;
        t.uncovered += coverage.uncovered;
        t.past += coverage.past;
        t.past_without_checkin += coverage.past_without_checkin;
        report.stations.push(coverage);
    }
    report
        .stations
        .sort_by(|a, b| (&a.community, &a.station).cmp(&(&b.community, &b.station)));
    report
}

fn station_coverage(
    doc_id: String,
    station: StationSummary,
    range: &impl Fn(&ShiftSummary) -> bool,
    now: &str,
) -> StationCoverage {
    let shifts: Vec<&ShiftSummary> = station.shifts.iter().filter(|s| range(s)).collect();
    // `YYYY-MM-DD HH:MM` compares as text in time order.
    let past: Vec<&&ShiftSummary> = shifts
        .iter()
        .filter(|s| format!("{} {}", s.date, s.end).as_str() <= now)
        .collect();
    let uncovered_shifts: Vec<ShiftRef> = shifts
        .iter()
        .filter(|s| s.assignees == 0)
        .map(|s| shift_ref(s))
        .collect();
    let missed_shifts: Vec<ShiftRef> = past
        .iter()
        .filter(|s| s.checkins == 0)
        .map(|s| shift_ref(s))
        .collect();
    StationCoverage {
        doc_id,
        station: station.id,
        community: station.community,
        name: station.name,
        shifts: shifts.len(),
        covered: shifts.len() - uncovered_shifts.len(),
        uncovered: uncovered_shifts.len(),
        past: past.len(),
        past_without_checkin: missed_shifts.len(),
        uncovered_shifts,
        missed_shifts,
    }
}

fn shift_ref(s: &ShiftSummary) -> ShiftRef {
    ShiftRef {
        id: s.id.clone(),
        date: s.date.clone(),
        start: s.start.clone(),
        end: s.end.clone(),
    }
}
