//! The two-way claim list (双向认领清单): needs on the wall matched to offers.

mod suggest;

use serde::{Deserialize, Serialize};

pub use suggest::{load_of, suggest_claimants, Reason, Suggestion};

use super::community::Offer;
use super::wall::on_wall;
use super::{CommunityView, WishView};

/// Score of a module match; each skill found in the wish adds one.
pub(crate) const MODULE_SCORE: u32 = 2;

/// An offer that fits a wish. Higher scores fit better.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    /// The wish's id.
    pub wish: String,
    /// The offer's id.
    pub offer: String,
    pub score: u32,
}

/// Matches wishes on the wall with free capacity to active offers: a module match (the
/// triaged module, else the suggested one) scores 2, each offer skill that appears in the
/// wish's title or text scores 1; pairs scoring 0 are left out. Sorted by wish id, then
/// best score first, then offer id. Call it to suggest claimants to a coordinator.
pub fn match_offers(wishes: &[WishView], community: &CommunityView) -> Vec<Match> {
    let mut matches: Vec<Match> = wishes
        .iter()
        .filter(|w| on_wall(w) && w.free_capacity() > 0)
        .flat_map(|w| community.offers.values().filter_map(move |o| score(w, o)))
        .collect();
    matches.sort_by(|a, b| {
        (&a.wish, std::cmp::Reverse(a.score), &a.offer).cmp(&(
            &b.wish,
            std::cmp::Reverse(b.score),
            &b.offer,
        ))
    });
    matches
}

fn score(wish: &WishView, offer: &Offer) -> Option<Match> {
    if !offer.active {
        return None;
    }
    let module = wish.module.or(wish.suggested_module);
    let module_score = if module == Some(offer.module) {
        MODULE_SCORE
    } else {
        0
    };
    let score = module_score + offer_skill_hits(wish, &offer.skills);
    (score > 0).then(|| Match {
        wish: wish.id.clone(),
        offer: offer.id.clone(),
        score,
    })
}

/// How many of `skills` appear (case-insensitively) in the wish's title or text.
pub(crate) fn offer_skill_hits(wish: &WishView, skills: &[String]) -> u32 {
    let haystack = format!("{} {}", wish.title, wish.text).to_lowercase();
    let hits = skills
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty() && haystack.contains(s.as_str()))
        .count();
    u32::try_from(hits).unwrap_or(u32::MAX)
}
