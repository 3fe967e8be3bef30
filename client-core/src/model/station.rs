//! The `station` document: profile, index of wish documents, the duty roster and the
//! roster's weekly template.

mod template;

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};

use super::doc_type::expect_type;
use super::read::{opt_str, opt_u64, read_entries, req_enum, req_str, req_u64, str_or_empty};
use super::{DocType, MemberKind, ModelError, StationKind};
pub use template::TemplateSlot;

/// A person's presence on a shift; `out` is `None` while on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkin {
    #[serde(rename = "in")]
    pub check_in: u64,
    #[serde(rename = "out")]
    pub check_out: Option<u64>,
    /// The station's shared tablet that signed the person in, if it was not their own
    /// device (`None` for a check-in from the person's own tablet).
    pub device: Option<String>,
}

/// One shift of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, station local time.
    pub start: String,
    /// `HH:MM`, station local time.
    pub end: String,
    pub assignees: BTreeMap<String, MemberKind>,
    pub checkins: BTreeMap<String, Checkin>,
    pub note: String,
}

impl Shift {
    /// A shift with no assignees is uncovered.
    pub fn is_uncovered(&self) -> bool {
        self.assignees.is_empty()
    }
}

/// A station document read into plain values. Required: `id`, `community`, `name`, `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationView {
    pub id: String,
    pub community: String,
    pub name: String,
    pub kind: StationKind,
    pub address: String,
    /// Wish document id → time it was indexed.
    pub wishes: BTreeMap<String, u64>,
    pub shifts: BTreeMap<String, Shift>,
    /// The weekly roster template (weekday × time slot), by slot id.
    pub template: BTreeMap<String, TemplateSlot>,
}

impl StationView {
    /// Reads a station document.
    pub fn read(doc: &Automerge) -> Result<StationView, ModelError> {
        expect_type(doc, DocType::Station)?;
        Ok(StationView {
            id: req_str(doc, &ROOT, "id")?,
            community: req_str(doc, &ROOT, "community")?,
            name: req_str(doc, &ROOT, "name")?,
            kind: req_enum(doc, &ROOT, "kind")?,
            address: str_or_empty(doc, &ROOT, "address")?,
            wishes: read_entries(doc, &ROOT, "wishes", |d, k, o| {
                Ok((k.to_owned(), req_u64(d, o, "at")?))
            })?
            .into_iter()
            .collect(),
            shifts: read_entries(doc, &ROOT, "shifts", read_shift)?
                .into_iter()
                .map(|s| (s.id.clone(), s))
                .collect(),
            template: read_entries(doc, &ROOT, "template", template::read_slot)?
                .into_iter()
                .collect(),
        })
    }

    /// Shifts without assignees, sorted by `(date, start, id)`.
    pub fn uncovered_shifts(&self) -> Vec<&Shift> {
        let mut shifts: Vec<&Shift> = self.shifts.values().filter(|s| s.is_uncovered()).collect();
        shifts.sort_by(|a, b| (&a.date, &a.start, &a.id).cmp(&(&b.date, &b.start, &b.id)));
        shifts
    }

    /// The shifts of `date` that `person` is on, sorted by start time (a shared station
    /// tablet finds whom to sign in by their personal code).
    pub fn shifts_of(&self, person: &str, date: &str) -> Vec<&Shift> {
        let mut shifts: Vec<&Shift> = self
            .shifts
            .values()
            .filter(|s| s.date == date && s.assignees.get(person) == Some(&MemberKind::Person))
            .collect();
        shifts.sort_by(|a, b| (&a.start, &a.id).cmp(&(&b.start, &b.id)));
        shifts
    }
}

fn read_shift<R: ReadDoc>(doc: &R, id: &str, obj: &ObjId) -> Result<Shift, ModelError> {
    Ok(Shift {
        id: id.to_owned(),
        date: req_str(doc, obj, "date")?,
        start: req_str(doc, obj, "start")?,
        end: req_str(doc, obj, "end")?,
        assignees: read_entries(doc, obj, "assignees", |d, k, o| {
            Ok((k.to_owned(), req_enum(d, o, "kind")?))
        })?
        .into_iter()
        .collect(),
        checkins: read_entries(doc, obj, "checkins", read_checkin)?
            .into_iter()
            .collect(),
        note: str_or_empty(doc, obj, "note")?,
    })
}

fn read_checkin<R: ReadDoc>(
    doc: &R,
    person: &str,
    obj: &ObjId,
) -> Result<(String, Checkin), ModelError> {
    let checkin = Checkin {
        check_in: req_u64(doc, obj, "in")?,
        check_out: opt_u64(doc, obj, "out")?,
        device: opt_str(doc, obj, "device")?,
    };
    Ok((person.to_owned(), checkin))
}
