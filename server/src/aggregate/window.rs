//! Figures over a date range: the counters of the wishes *created* in `[from, to)`.
//!
//! Without a range every report borrows the precomputed counters (all wishes). With one,
//! the counters are those of the calendar months it covers whole, merged (`months.rs`:
//! kept per month of creation, for everything and per community), plus the rows created
//! in the partial months at its edges: a binary search in the list order (sorted by
//! creation time) and one pass over the keys there. The dashboard's ranges (this month,
//! last month, a quarter, a year) are whole months and scan nothing.

use std::borrow::Cow;
use std::collections::HashMap;

use super::counters::{Parts, Scope};
use super::months::{merged, Plan};
use super::row::Row;
use super::{CommunitySet, OfficeIndex};

/// A creation-time window in milliseconds: `from` inclusive, `to` exclusive; `None` on
/// either side leaves it open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<u64>,
    pub to: Option<u64>,
}

impl Window {
    /// Every wish, whenever created.
    pub const ALL: Window = Window {
        from: None,
        to: None,
    };

    pub fn new(from: Option<u64>, to: Option<u64>) -> Self {
        Self { from, to }
    }

    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    pub fn contains(&self, at: u64) -> bool {
        self.from.is_none_or(|from| at >= from) && self.to.is_none_or(|to| at < to)
    }
}

impl OfficeIndex {
    /// The counters of a set of communities over the wishes created in `window`: the
    /// month buckets it covers whole, merged, plus a scan of the rows at its edges.
    pub(crate) fn scope_in(
        &self,
        communities: &CommunitySet,
        window: Window,
        parts: Parts,
    ) -> Cow<'_, Scope> {
        let window = self.effective(window);
        if window.is_all() {
            return self.scope_or_empty(communities, parts);
        }
        let codes = self.community_codes(communities);
        let plan = Plan::of(window);
        let mut scope = match plan.months {
            None => Scope::default(),
            Some(months) if self.covers_every_community(communities) => {
                merged(&self.months.global, months, parts)
            }
            Some(months) => {
                let mut scope = Scope::default();
                for code in codes.iter().flatten() {
                    if let Some(buckets) = self.months.by_community.get(code) {
                        buckets
                            .range(months.0..months.1)
                            .for_each(|(_, s)| scope.merge_parts(s, parts));
                    }
                }
                scope
            }
        };
        for edge in &plan.edges {
            self.scan(*edge, codes.as_deref(), |_, row| {
                scope.apply_parts(row, 1, parts);
            });
        }
        Cow::Owned(scope)
    }

    /// The counters of each community of the set (by community code) over `window`;
    /// communities without wishes in it are left out.
    pub(crate) fn scopes_by_community(
        &self,
        communities: &CommunitySet,
        window: Window,
        parts: Parts,
    ) -> Vec<(u32, Cow<'_, Scope>)> {
        let window = self.effective(window);
        let codes = self.community_codes(communities);
        let wanted = |c: &u32| codes.as_ref().is_none_or(|codes| codes.contains(c));
        if window.is_all() {
            return self
                .communities
                .iter()
                .filter(|(c, s)| wanted(c) && s.total > 0)
                .map(|(c, s)| (*c, Cow::Borrowed(s)))
                .collect();
        }
        let plan = Plan::of(window);
        let mut scopes: HashMap<u32, Scope> = HashMap::new();
        if let Some(months) = plan.months {
            for (code, buckets) in &self.months.by_community {
                if wanted(code) {
                    scopes.insert(*code, merged(buckets, months, parts));
                }
            }
        }
        for edge in &plan.edges {
            self.scan(*edge, codes.as_deref(), |community, row| {
                scopes
                    .entry(community)
                    .or_default()
                    .apply_parts(row, 1, parts);
            });
        }
        scopes
            .into_iter()
            .filter(|(_, s)| s.total > 0)
            .map(|(c, s)| (c, Cow::Owned(s)))
            .collect()
    }

    /// Calls `each` with every row created in `window` of the communities `codes`
    /// (`None`: every community).
    fn scan(&self, window: Window, codes: Option<&[u32]>, mut each: impl FnMut(u32, &Row)) {
        for key in self.order.window(window.from, window.to) {
            if codes.is_none_or(|c| c.contains(&key.community)) {
                if let Some(row) = self.rows.get(key.row as usize) {
                    each(key.community, row);
                }
            }
        }
    }

    /// `window`, or every wish if it holds every wish of the index (e.g. "this year" in a
    /// programme's first year): the counters kept for everything then answer.
    fn effective(&self, window: Window) -> Window {
        match self.order.span() {
            Some((first, last)) if window.contains(first) && window.contains(last) => Window::ALL,
            _ => window,
        }
    }

    /// Whether a set holds every community the index knows.
    fn covers_every_community(&self, communities: &CommunitySet) -> bool {
        let Some(listed) = communities.listed() else {
            return true;
        };
        let names = &self.dicts.community;
        self.communities
            .keys()
            .all(|c| listed.contains(names.name(*c)))
    }

    /// The codes of the listed communities the index knows; `None` for every community.
    pub(crate) fn community_codes(&self, communities: &CommunitySet) -> Option<Vec<u32>> {
        communities.listed().map(|listed| {
            listed
                .iter()
                .filter_map(|c| self.dicts.community.get(c.as_str()))
                .collect()
        })
    }

    /// The community id of a community code.
    pub(crate) fn community_id(&self, code: u32) -> &str {
        self.dicts.community.name(code)
    }
}
