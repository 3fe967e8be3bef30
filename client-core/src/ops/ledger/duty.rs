//! Duty shifts as service hours (值班计入服务时长), when the community enables it: each
//! check-in with a check-out earns its hours, written by a coordinator as an `earn`
//! entry with the deterministic id `earn-duty-<station>-<shift>-<person>`, so two
//! coordinators recording the same duty offline write one entry (the ledger rule that
//! admits a second write of an `earn-` entry).

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::entry::write_entry;
use crate::model::ledger::{account, LedgerEntry, Posting};
use crate::model::{CommunityView, DocType, LedgerKind, LedgerView, StationView};
use automerge::transaction::Transactable;
use automerge::{ScalarValue, ROOT};

use crate::ops::write::{commit, ensure_writable};
use crate::ops::DomainError;

/// One completed duty not yet in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyCredit {
    pub id: String,
    pub station: String,
    pub shift: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub person: String,
    /// From check-in to check-out, in hours rounded to the quarter hour.
    pub hours: f64,
}

/// The id of the earn entry for a person's duty on a shift.
pub fn duty_earn_id(station: &str, shift: &str, person: &str) -> String {
    format!("earn-duty-{station}-{shift}-{person}")
}

/// Turns the community setting on or off.
pub fn set_duty_hours(doc: &mut Automerge, enabled: bool, now_ms: u64) -> Result<(), DomainError> {
    ensure_writable(doc, DocType::Community)?;
    if CommunityView::read(doc)?.duty_hours == enabled {
        return Err(DomainError::NothingToChange);
    }
    commit(doc, now_ms, |tx| {
        tx.put(ROOT, "duty_hours", ScalarValue::Boolean(enabled))
    })
}

/// The completed duties (checked in and out, at least a quarter hour) of `stations` the
/// ledger does not hold yet; none when the community has not enabled duty hours.
pub fn duty_credits(
    community: &CommunityView,
    stations: &[StationView],
    ledger: &LedgerView,
) -> Vec<DutyCredit> {
    if !community.duty_hours {
        return Vec::new();
    }
    let mut credits = Vec::new();
    for station in stations {
        for shift in station.shifts.values() {
            for (person, checkin) in &shift.checkins {
                let Some(out) = checkin.check_out else {
                    continue;
                };
                let hours = quarter_hours(out.saturating_sub(checkin.check_in));
                let id = duty_earn_id(&station.id, &shift.id, person);
                if hours > 0.0 && !ledger.entries.contains_key(&id) {
                    credits.push(DutyCredit {
                        id,
                        station: station.id.clone(),
                        shift: shift.id.clone(),
                        date: shift.date.clone(),
                        start: shift.start.clone(),
                        end: shift.end.clone(),
                        person: person.clone(),
                        hours,
                    });
                }
            }
        }
    }
    credits.sort_by(|a, b| (&a.date, &a.start, &a.id).cmp(&(&b.date, &b.start, &b.id)));
    credits
}

/// Writes a duty's earn entry. Returns `false` and writes nothing when the ledger holds
/// it already (another coordinator recorded it).
pub fn record_duty(
    doc: &mut Automerge,
    credit: &DutyCredit,
    by: &str,
    now_ms: u64,
) -> Result<bool, DomainError> {
    ensure_writable(doc, DocType::Ledger)?;
    let ledger = LedgerView::read(doc)?;
    if ledger.entries.contains_key(&credit.id) {
        return Ok(false);
    }
    if !(credit.hours.is_finite() && credit.hours > 0.0) {
        return Err(DomainError::InvalidHours(credit.hours));
    }
    let points = account::points_for_hours(credit.hours);
    let entry = LedgerEntry {
        id: credit.id.clone(),
        kind: LedgerKind::Earn,
        at: now_ms,
        by: by.to_owned(),
        reason: format!("duty {} {}-{}", credit.date, credit.start, credit.end),
        wish: None,
        claim: None,
        item: None,
        postings: vec![
            Posting {
                account: account::person(&credit.person),
                points,
                hours: credit.hours,
            },
            Posting {
                account: account::POOL.to_owned(),
                points: -points,
                hours: -credit.hours,
            },
        ],
    };
    write_entry(doc, &entry)?;
    Ok(true)
}

/// Milliseconds as hours, rounded down to the quarter hour.
fn quarter_hours(ms: u64) -> f64 {
    let quarters = ms / (15 * 60 * 1000);
    quarters as f64 / 4.0
}

#[cfg(test)]
mod tests {
    use super::quarter_hours;

    #[test]
    fn duty_time_counts_in_whole_quarter_hours() {
        assert_eq!(quarter_hours(59 * 60 * 1000), 0.75);
        assert_eq!(quarter_hours(60 * 60 * 1000), 1.0);
        assert_eq!(quarter_hours(10 * 60 * 1000), 0.0);
    }
}
