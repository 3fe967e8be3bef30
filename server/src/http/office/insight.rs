//! The comparison endpoints: `GET /api/v1/office/communities` (one row per community),
//! `GET /api/v1/office/participation` (party members' share) and
//! `GET /api/v1/office/ratings` (stars per claimant and unit). The figures come from the
//! office index (`aggregate::reports`); the handlers only name communities, people and
//! units from the directory.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};

use super::handlers::with_index;
use super::names::{self, Names};
use super::params::Params;
use super::{caller, targets};
use crate::aggregate::{
    CommunityRow, ComparisonReport, ParticipationReport, RatingNames, RatingsReport,
};
use crate::http::api::ApiError;
use crate::http::AppState;
use crate::runtime::IndexSource;

type Args = (
    State<Arc<AppState>>,
    Extension<IndexSource>,
    HeaderMap,
    Query<Vec<(String, String)>>,
);

/// `GET /api/v1/office/communities?from&to`: one row per community in scope (those
/// without wishes in the window too), by name. Figures count the wishes created in the
/// window; `open_overdue` uses the caller's office targets.
#[utoipa::path(
    get,
    path = "/api/v1/office/communities",
    summary = "One row per community in scope, by name: wishes, claimed, completed, overdue, median times, rating, volunteers, hours, party members' shares",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::ComparisonReport), crate::http::office::openapi::Refusals)
)]
pub async fn communities(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<ComparisonReport>, ApiError> {
    let params = Params(query);
    let (who, scope) = caller(&state, &headers, params.one("community"))?;
    let window = params.window()?;
    let targets = targets::load(&state, &who).await?;
    let names = names::load(&state, &scope).await?;
    let party = names.party();
    let now = crate::clock::now_ms();
    let mut report = with_index(&index, &state, move |a| {
        a.community_comparison(&scope, window, now, targets.as_ref(), &party)
    })
    .await?;
    name_rows(&mut report.rows, &names);
    Ok(Json(report))
}

/// Names every row, adds the communities in scope without wishes, sorts by name.
fn name_rows(rows: &mut Vec<CommunityRow>, names: &Names) {
    for id in names.communities.keys() {
        if rows.iter().all(|r| &r.community != id) {
            rows.push(CommunityRow::empty(id));
        }
    }
    for row in rows.iter_mut() {
        row.name = names.community(&row.community);
        let stations = names.station_count(&row.community);
        row.stations = row.stations.max(stations);
    }
    rows.sort_by(|a, b| (&a.name, &a.community).cmp(&(&b.name, &b.community)));
}

/// `GET /api/v1/office/participation?from&to`
#[utoipa::path(
    get,
    path = "/api/v1/office/participation",
    summary = "Party members' share of claims and of hours, overall and per community",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window),
    responses((status = 200, description = "OK", body = crate::aggregate::ParticipationReport), crate::http::office::openapi::Refusals)
)]
pub async fn participation(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<ParticipationReport>, ApiError> {
    let params = Params(query);
    let (_, scope) = caller(&state, &headers, params.one("community"))?;
    let window = params.window()?;
    let names = names::load(&state, &scope).await?;
    let party = names.party();
    let mut report = with_index(&index, &state, move |a| {
        a.participation(&scope, window, &party)
    })
    .await?;
    for row in &mut report.by_community {
        row.name = names.community(&row.community);
    }
    report
        .by_community
        .sort_by(|a, b| (&a.name, &a.community).cmp(&(&b.name, &b.community)));
    Ok(Json(report))
}

/// `GET /api/v1/office/ratings?from&to[&page&per_page]`: every partner unit, and a page of
/// the claimants (most rated first).
#[utoipa::path(
    get,
    path = "/api/v1/office/ratings",
    summary = "Average stars and count per partner unit and per claimant (a page of claimants, most rated first)",
    params(crate::http::office::openapi::Scope, crate::http::office::openapi::Window, crate::http::office::openapi::Paged),
    responses((status = 200, description = "OK", body = crate::aggregate::RatingsReport), crate::http::office::openapi::Refusals)
)]
pub async fn ratings(
    (State(state), Extension(index), headers, Query(query)): Args,
) -> Result<Json<RatingsReport>, ApiError> {
    let params = Params(query);
    let (_, scope) = caller(&state, &headers, params.one("community"))?;
    let (window, paging) = (params.window()?, params.paging()?);
    let names = names::load(&state, &scope).await?;
    let directory = RatingNames {
        party: names.party(),
        units: names.units(),
        unit_of: names.unit_members(),
    };
    let mut report = with_index(&index, &state, move |a| {
        a.ratings(&scope, window, &directory, paging)
    })
    .await?;
    for row in report
        .by_claimant
        .iter_mut()
        .chain(report.by_unit.iter_mut())
    {
        row.name = names.member(&row.community, &row.claimant);
        row.community_name = names.community(&row.community);
    }
    report.by_unit.sort_by(|a, b| {
        (b.rated, &a.name, &a.community_name).cmp(&(a.rated, &b.name, &b.community_name))
    });
    Ok(Json(report))
}
