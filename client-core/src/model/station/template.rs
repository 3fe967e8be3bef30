//! The roster template: the station's usual week as weekday × time slot, from which a
//! coordinator builds next week's shifts (`ops::station::build_week`).

use automerge::{ObjId, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::model::read::{field_type, num_list, req_str, str_or_empty};
use crate::model::ModelError;

/// One slot of the weekly template, e.g. 晚间一小时 19:00–20:00 Monday to Friday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSlot {
    pub id: String,
    /// ISO weekdays the slot repeats on: 1 = Monday … 7 = Sunday, ascending.
    pub weekdays: Vec<u8>,
    /// `HH:MM`, station local time.
    pub start: String,
    /// `HH:MM`, after `start`.
    pub end: String,
    /// Shown on each shift built from the slot, e.g. `晚间一小时`, `红色周末`.
    pub note: String,
}

pub(crate) fn read_slot<R: ReadDoc>(
    doc: &R,
    id: &str,
    obj: &ObjId,
) -> Result<(String, TemplateSlot), ModelError> {
    let slot = TemplateSlot {
        id: id.to_owned(),
        weekdays: weekdays(doc, obj)?,
        start: req_str(doc, obj, "start")?,
        end: req_str(doc, obj, "end")?,
        note: str_or_empty(doc, obj, "note")?,
    };
    Ok((id.to_owned(), slot))
}

fn weekdays<R: ReadDoc>(doc: &R, obj: &ObjId) -> Result<Vec<u8>, ModelError> {
    let numbers = num_list(doc, obj, "weekdays")?.unwrap_or_default();
    numbers
        .into_iter()
        .map(|n| {
            let valid = n.fract() == 0.0 && (1.0..=7.0).contains(&n);
            // The range check above makes the cast exact.
            valid
                .then_some(n as u8)
                .ok_or_else(|| field_type("weekdays", "list of weekdays 1-7"))
        })
        .collect()
}
