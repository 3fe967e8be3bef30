//! Confirmed service hours from the ledgers' `earn` entries (志愿服务记录) in a window, and
//! the party members' part of them: the monthly report's service figures and the ledger
//! half of `GET /api/v1/office/participation`. The caller passes the entries of the
//! communities in scope (`["ledger-summary", …]` rows), already without reversed ones.

use std::collections::BTreeMap;

use serde::Serialize;

use super::communities::Members;
use crate::aggregate::Window;
use crate::domain::office_rows::EarnSummary;

/// One volunteer's confirmed records in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerHours {
    pub community: String,
    pub person: String,
    pub party_member: bool,
    pub records: usize,
    pub hours: f64,
}

/// Confirmed service in a window.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ServiceTotals {
    pub records: usize,
    pub hours: f64,
    pub volunteers: usize,
    /// Party members among the volunteers, their records and hours.
    pub party_volunteers: usize,
    pub party_records: usize,
    pub party_hours: f64,
    /// Per volunteer, most hours first (then most records).
    #[serde(skip)]
    pub by_person: Vec<VolunteerHours>,
}

impl ServiceTotals {
    /// Adds up the `(community, entry)` pairs recorded (`at`) in `window`.
    pub fn of(earns: &[(String, EarnSummary)], window: Window, party: &Members) -> Self {
        let mut totals = Self::default();
        let mut by_person: BTreeMap<(&str, &str), (usize, f64)> = BTreeMap::new();
        for (community, earn) in earns.iter().filter(|(_, e)| window.contains(e.at)) {
            totals.records += 1;
            totals.hours += earn.hours;
            if party.contains(community, &earn.person) {
                totals.party_records += 1;
                totals.party_hours += earn.hours;
            }
            let person = by_person.entry((community, &earn.person)).or_default();
            person.0 += 1;
            person.1 += earn.hours;
        }
        totals.by_person = by_person
            .into_iter()
            .map(|((community, person), (records, hours))| VolunteerHours {
                party_member: party.contains(community, person),
                community: community.to_owned(),
                person: person.to_owned(),
                records,
                hours,
            })
            .collect();
        totals.volunteers = totals.by_person.len();
        totals.party_volunteers = totals.by_person.iter().filter(|v| v.party_member).count();
        totals
            .by_person
            .sort_by(|a, b| b.hours.total_cmp(&a.hours).then(b.records.cmp(&a.records)));
        totals
    }
}
