//! `GET /api/v1/office/participation` (party members' share of the claims and hours) and
//! `GET /api/v1/office/ratings` (stars per claimant and per partner unit), from each
//! community's claimant counters: claimant ids are a community's own, so figures are
//! gathered per community and then added up.

use serde::Serialize;

use super::communities::{Claims, Members};
use super::unit_ratings::{UnitMembers, UnitSums};
use super::{average, hours, round2};
use crate::aggregate::counters::{Parts, RatingSum};
use crate::aggregate::query::Paging;
use crate::aggregate::{CommunitySet, OfficeIndex, Window};

/// Claims and hours, and the party members' part of them.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Shares {
    /// Active claims: (wish, claimant) pairs.
    pub claims: u64,
    pub party_claims: u64,
    /// `party_claims / claims` (0..1), `None` without claims.
    pub claim_share: Option<f64>,
    /// Resolved hours of the wishes, shared equally among their claimants.
    pub hours: f64,
    pub party_hours: f64,
    pub hours_share: Option<f64>,
    /// Distinct claimants, and those who are party members.
    pub volunteers: usize,
    pub party_volunteers: usize,
}

impl From<Claims> for Shares {
    fn from(c: Claims) -> Self {
        Self {
            claims: c.claims,
            party_claims: c.party_claims,
            claim_share: c.claim_share(),
            hours: round2(hours(c.hours_milli)),
            party_hours: round2(hours(c.party_hours_milli)),
            hours_share: c.hours_share(),
            volunteers: c.volunteers,
            party_volunteers: c.party_volunteers,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ParticipationRow {
    pub community: String,
    /// Filled in by the HTTP handler from the directory.
    pub name: String,
    #[serde(flatten)]
    pub shares: Shares,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ParticipationReport {
    pub from: Option<u64>,
    pub to: Option<u64>,
    pub overall: Shares,
    pub by_community: Vec<ParticipationRow>,
}

/// One claimant's ratings (of the wishes it held a claim on).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ClaimantRating {
    /// The claimant's and community's names, filled in by the HTTP handler.
    pub name: String,
    /// `person` or `unit`.
    pub kind: String,
    pub party_member: bool,
    pub community_name: String,
    pub rated: u64,
    pub average: Option<f64>,
    pub claimant: String,
    pub community: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct RatingsReport {
    pub from: Option<u64>,
    pub to: Option<u64>,
    /// Rated wishes and their average stars.
    pub rated: u64,
    pub average: Option<f64>,
    /// Partner units (共建单位), most rated first: the wishes a unit claimed itself and
    /// those its registered people claimed.
    pub by_unit: Vec<ClaimantRating>,
    /// Claimants with ratings, people and units; `by_claimant` is one page of them,
    /// most rated first, then best rated.
    pub claimants: usize,
    pub page: usize,
    pub per_page: usize,
    pub by_claimant: Vec<ClaimantRating>,
}

impl OfficeIndex {
    /// Party members' share of the claims and hours of the wishes created in `window`.
    pub fn participation(
        &self,
        communities: &CommunitySet,
        window: Window,
        party: &Members,
    ) -> ParticipationReport {
        let mut overall = Claims::default();
        let mut by_community: Vec<ParticipationRow> = self
            .scopes_by_community(communities, window, Parts::VOLUNTEERS)
            .iter()
            .map(|(code, scope)| {
                let community = self.community_id(*code).to_owned();
                let claims = Claims::of(self, &community, scope, party);
                overall.add(&claims);
                ParticipationRow {
                    community,
                    name: String::new(),
                    shares: claims.into(),
                }
            })
            .collect();
        by_community.sort_by(|a, b| a.community.cmp(&b.community));
        ParticipationReport {
            from: window.from,
            to: window.to,
            overall: overall.into(),
            by_community,
        }
    }

    /// Ratings per claimant of the wishes created in `window`: every partner unit
    /// (`units`), and one page of every claimant, most rated first (then best rated).
    pub fn ratings(
        &self,
        communities: &CommunitySet,
        window: Window,
        directory: &RatingNames,
        paging: Paging,
    ) -> RatingsReport {
        let mut total = RatingSum::default();
        let mut all: Vec<(u32, u32, RatingSum)> = Vec::new();
        let mut by_unit = Vec::new();
        for (code, scope) in self.scopes_by_community(communities, window, Parts::CLAIMANT_RATINGS)
        {
            let community = self.community_id(code);
            total.count += scope.ratings.iter().sum::<u64>();
            total.sum += (1u64..).zip(scope.ratings).map(|(r, n)| r * n).sum::<u64>();
            let mut units = UnitSums::new(self, community, directory);
            for (claimant, sum) in &scope.rating_by_claimant {
                all.push((code, *claimant, *sum));
                units.add(*claimant, sum);
            }
            by_unit
                .extend(units.rows(|unit, sum| self.rating_row(community, unit, &sum, directory)));
        }
        let claimants = all.len();
        let order = |a: &(u32, u32, RatingSum), b: &(u32, u32, RatingSum)| {
            let key = |(_, _, s): &(u32, u32, RatingSum)| (s.count, s.sum * 1000 / s.count.max(1));
            key(b).cmp(&key(a)).then((a.0, a.1).cmp(&(b.0, b.1)))
        };
        // Only the first `end` need sorting: select them in linear time first.
        let end = paging.offset().saturating_add(paging.per_page);
        if end < all.len() {
            all.select_nth_unstable_by(end, order);
            all.truncate(end);
        }
        all.sort_unstable_by(order);
        let by_claimant = all
            .iter()
            .skip(paging.offset())
            .map(|(c, claimant, sum)| self.claimant_rating(*c, *claimant, sum, directory))
            .collect();
        RatingsReport {
            from: window.from,
            to: window.to,
            rated: total.count,
            average: average(&total),
            claimants,
            page: paging.page,
            per_page: paging.per_page,
            by_unit,
            by_claimant,
        }
    }

    fn claimant_rating(
        &self,
        community: u32,
        claimant: u32,
        sum: &RatingSum,
        directory: &RatingNames,
    ) -> ClaimantRating {
        let (community, claimant) = (
            self.community_id(community),
            self.dicts.claimant.name(claimant),
        );
        self.rating_row(community, claimant, sum, directory)
    }

    fn rating_row(
        &self,
        community: &str,
        claimant: &str,
        sum: &RatingSum,
        directory: &RatingNames,
    ) -> ClaimantRating {
        let unit = directory.units.contains(community, claimant);
        ClaimantRating {
            name: String::new(),
            kind: if unit { "unit" } else { "person" }.to_owned(),
            party_member: directory.party.contains(community, claimant),
            community_name: String::new(),
            rated: sum.count,
            average: average(sum),
            claimant: claimant.to_owned(),
            community: community.to_owned(),
        }
    }
}

/// What the ratings report needs from the directory.
#[derive(Debug, Clone, Default)]
pub struct RatingNames {
    pub party: Members,
    pub units: Members,
    /// The unit of each person registered under one (`DirectoryNames::unit_of`).
    pub unit_of: UnitMembers,
}
