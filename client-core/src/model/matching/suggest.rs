//! 派单 suggestions: who in the directory fits a wish, ranked, with the reasons.
//!
//! A coordinator opens a published wish and sees people and partner units whose modules,
//! skills or standing offers (资源清单) fit it. A candidate's modules and skills are its
//! own (people) together with those of its active offers; a unit has only its offers.
//!
//! ```text
//! score = 2 for the wish's module + 1 per skill found in the title or text
//!       + 1 when the candidate has a fitting offer + 1 for a person of the wish's station
//! ```
//!
//! Candidates with no module, skill or offer fit are left out; the station only breaks
//! ties between fitting people. Order: best score, then lightest load (active claims not
//! yet resolved, over every wish the caller passes), then name, then id.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{offer_skill_hits, MODULE_SCORE};
use crate::model::community::{Offer, Person, Unit};
use crate::model::{ClaimKind, CommunityView, MemberKind, Module, Role, WishStatus, WishView};

/// Why a candidate fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Serves the wish's module (智囊团模块).
    Module { module: Module },
    /// A skill of the candidate appears in the wish.
    Skill { skill: String },
    /// A fitting offer of the resource list.
    Offer { offer: String, title: String },
    /// A person of the wish's own station.
    Station { station: String },
}

/// One candidate for a wish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// `person` or `unit`: the kind of the claim a dispatch writes.
    pub kind: ClaimKind,
    pub id: String,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<Reason>,
    /// Active claims the candidate holds that are not resolved yet (current load).
    pub load: usize,
}

/// Ranks the directory's active people (not coordinators) and units for `wish`. `wishes`
/// are every wish the caller holds, for the candidates' load. Candidates already holding
/// an active claim on the wish are left out; so is everyone when the wish has no free
/// place or is not open for claiming.
pub fn suggest_claimants(
    wish: &WishView,
    community: &CommunityView,
    wishes: &[WishView],
) -> Vec<Suggestion> {
    if !open_for_dispatch(wish) {
        return Vec::new();
    }
    let holding: BTreeSet<&str> = wish
        .active_claims()
        .iter()
        .map(|c| c.claimant.as_str())
        .collect();
    let people = community
        .people
        .values()
        .filter(|p| p.is_active() && p.role != Role::Coordinator)
        .filter_map(|p| person_fit(wish, community, p));
    let units = community
        .units
        .values()
        .filter_map(|u| unit_fit(wish, community, u));
    let mut found: Vec<Suggestion> = people
        .chain(units)
        .filter(|s| !holding.contains(s.id.as_str()))
        .map(|mut s| {
            s.load = load_of(&s.id, wishes);
            s
        })
        .collect();
    found.sort_by(|a, b| {
        let key = |s: &Suggestion| (std::cmp::Reverse(s.score), s.load);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    found
}

/// Active claims of `claimant` (as claimant or group member) not yet resolved, on wishes
/// not closed or rejected.
pub fn load_of(claimant: &str, wishes: &[WishView]) -> usize {
    wishes
        .iter()
        .filter(|w| !matches!(w.status(), WishStatus::Closed | WishStatus::Rejected))
        .flat_map(|w| {
            w.active_claims()
                .into_iter()
                .filter(move |c| w.resolution_of(&c.id).is_none())
        })
        .filter(|c| c.claimant == claimant || c.members.iter().any(|m| m == claimant))
        .count()
}

fn open_for_dispatch(wish: &WishView) -> bool {
    wish.free_capacity() > 0
        && matches!(
            wish.status(),
            WishStatus::Published
                | WishStatus::Claimed
                | WishStatus::Assigned
                | WishStatus::InProgress
        )
}

fn person_fit(wish: &WishView, community: &CommunityView, person: &Person) -> Option<Suggestion> {
    let offers = offers_of(community, MemberKind::Person, &person.id);
    let mut fit = Fit::new(wish, &person.modules, &person.skills, &offers);
    if fit.score == 0 {
        return None;
    }
    if person.stations.contains(&wish.station) {
        fit.score += 1;
        fit.reasons.push(Reason::Station {
            station: wish.station.clone(),
        });
    }
    Some(fit.into_suggestion(ClaimKind::Person, &person.id, &person.name))
}

fn unit_fit(wish: &WishView, community: &CommunityView, unit: &Unit) -> Option<Suggestion> {
    let offers = offers_of(community, MemberKind::Unit, &unit.id);
    let fit = Fit::new(wish, &[], &[], &offers);
    (fit.score > 0).then(|| fit.into_suggestion(ClaimKind::Unit, &unit.id, &unit.name))
}

fn offers_of<'a>(community: &'a CommunityView, kind: MemberKind, id: &str) -> Vec<&'a Offer> {
    community
        .offers
        .values()
        .filter(|o| o.active && o.provider_kind == kind && o.provider == id)
        .collect()
}

/// The module, skill and offer part of a candidate's score.
struct Fit {
    score: u32,
    reasons: Vec<Reason>,
}

impl Fit {
    fn new(wish: &WishView, modules: &[Module], skills: &[String], offers: &[&Offer]) -> Self {
        let mut fit = Fit {
            score: 0,
            reasons: Vec::new(),
        };
        let module = wish.module.or(wish.suggested_module);
        let serves = |m: Module| modules.contains(&m) || offers.iter().any(|o| o.module == m);
        if let Some(module) = module.filter(|m| serves(*m)) {
            fit.score += MODULE_SCORE;
            fit.reasons.push(Reason::Module { module });
        }
        let all_skills: BTreeSet<String> = skills
            .iter()
            .chain(offers.iter().flat_map(|o| o.skills.iter()))
            .map(|s| s.trim().to_owned())
            .collect();
        for skill in all_skills.into_iter().filter(|s| in_wish(wish, s)) {
            fit.score += 1;
            fit.reasons.push(Reason::Skill { skill });
        }
        let fitting = offers
            .iter()
            .filter(|o| module == Some(o.module) || offer_skill_hits(wish, &o.skills) > 0);
        if let Some(offer) = fitting.min_by(|a, b| a.id.cmp(&b.id)) {
            fit.score += 1;
            fit.reasons.push(Reason::Offer {
                offer: offer.id.clone(),
                title: offer.title.clone(),
            });
        }
        fit
    }

    fn into_suggestion(self, kind: ClaimKind, id: &str, name: &str) -> Suggestion {
        Suggestion {
            kind,
            id: id.to_owned(),
            name: name.to_owned(),
            score: self.score,
            reasons: self.reasons,
            load: 0,
        }
    }
}

fn in_wish(wish: &WishView, skill: &str) -> bool {
    offer_skill_hits(wish, &[skill.to_owned()]) > 0
}
