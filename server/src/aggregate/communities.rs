//! The communities an office query covers: every community (the administrator), or a set
//! (a 街道's or a district's office device covers several, a coordinator its own one).
//!
//! ```
//! use wish_server::aggregate::CommunitySet;
//! let district = CommunitySet::of(["c1", "c2"]);
//! assert!(district.contains("c2") && !district.contains("c3"));
//! assert_eq!(district.narrow("c1").map(|s| s.single().map(str::to_owned)), Some(Some("c1".into())));
//! assert!(district.narrow("c3").is_none());
//! assert!(CommunitySet::all().contains("anything"));
//! ```

use std::collections::BTreeSet;

/// A set of community document ids, or every community.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunitySet(Option<BTreeSet<String>>);

impl CommunitySet {
    /// Every community.
    pub fn all() -> Self {
        Self(None)
    }

    /// Exactly these communities (none: nothing matches).
    pub fn of<S: Into<String>>(communities: impl IntoIterator<Item = S>) -> Self {
        Self(Some(communities.into_iter().map(Into::into).collect()))
    }

    /// One community, or every community for `None`.
    pub fn from_option(community: Option<&str>) -> Self {
        community.map_or_else(Self::all, |c| Self::of([c]))
    }

    pub fn is_all(&self) -> bool {
        self.0.is_none()
    }

    pub fn contains(&self, community: &str) -> bool {
        self.0.as_ref().is_none_or(|set| set.contains(community))
    }

    /// The one community of a single-community set.
    pub fn single(&self) -> Option<&str> {
        match &self.0 {
            Some(set) if set.len() == 1 => set.first().map(String::as_str),
            _ => None,
        }
    }

    /// The listed communities; `None` for every community.
    pub fn listed(&self) -> Option<&BTreeSet<String>> {
        self.0.as_ref()
    }

    /// Just `community`, if this set covers it.
    pub fn narrow(&self, community: &str) -> Option<Self> {
        self.contains(community).then(|| Self::of([community]))
    }
}
