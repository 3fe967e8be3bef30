//! A partner unit's (共建单位) ratings: the wishes it claimed itself and those claimed by
//! the people registered under it in the directory (a hospital's doctors, a company's
//! volunteers), so the office sees how each unit served, not only its own claims.

use std::collections::{BTreeMap, HashMap};

use crate::aggregate::counters::RatingSum;
use crate::aggregate::reports::RatingNames;
use crate::aggregate::OfficeIndex;

/// Per community, person id → the id of the unit they are registered under.
#[derive(Debug, Clone, Default)]
pub struct UnitMembers(HashMap<String, HashMap<String, String>>);

impl UnitMembers {
    pub fn new(by_community: HashMap<String, HashMap<String, String>>) -> Self {
        Self(by_community)
    }

    fn unit_of(&self, community: &str, person: &str) -> Option<&str> {
        self.0.get(community)?.get(person).map(String::as_str)
    }
}

/// The ratings of one community's units, added up claimant by claimant.
pub(crate) struct UnitSums<'a> {
    index: &'a OfficeIndex,
    community: &'a str,
    directory: &'a RatingNames,
    sums: BTreeMap<&'a str, RatingSum>,
}

impl<'a> UnitSums<'a> {
    pub fn new(index: &'a OfficeIndex, community: &'a str, directory: &'a RatingNames) -> Self {
        Self {
            index,
            community,
            directory,
            sums: BTreeMap::new(),
        }
    }

    /// Adds a claimant's ratings to its unit: itself when it is a unit, else the unit
    /// the person is registered under (if any).
    pub fn add(&mut self, claimant: u32, sum: &RatingSum) {
        let id = self.index.dicts.claimant.name(claimant);
        let unit = if self.directory.units.contains(self.community, id) {
            Some(id)
        } else {
            self.directory.unit_of.unit_of(self.community, id)
        };
        if let Some(unit) = unit {
            let total = self.sums.entry(unit).or_default();
            total.count += sum.count;
            total.sum += sum.sum;
        }
    }

    /// One row per unit with ratings.
    pub fn rows<T>(self, row: impl Fn(&str, RatingSum) -> T) -> Vec<T> {
        self.sums
            .into_iter()
            .map(|(unit, sum)| row(unit, sum))
            .collect()
    }
}
