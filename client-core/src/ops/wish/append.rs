//! Appending an event to a wish's `events` map.

use automerge::{Automerge, ScalarValue, ROOT};

use crate::model::EventKind;
use crate::ops::write::{commit, int, new_id, non_empty, put_entry, s, Field};
use crate::ops::{DomainError, Stamp};

/// Appends `events[stamp.id] = {id, kind, at, by, device, ..fields}` in one transaction.
pub(crate) fn append_event(
    doc: &mut Automerge,
    stamp: &Stamp<'_>,
    kind: EventKind,
    fields: Vec<Field>,
) -> Result<(), DomainError> {
    check_stamp(doc, stamp)?;
    commit(doc, stamp.now_ms, |tx| {
        let mut all = event_header(stamp, kind);
        all.extend(fields);
        put_entry(tx, &ROOT, "events", stamp.id, all).map(|_| ())
    })
}

/// Refuses a stamp with an empty or used id, or no author or device.
pub(crate) fn check_stamp(doc: &Automerge, stamp: &Stamp<'_>) -> Result<(), DomainError> {
    new_id(doc, &ROOT, "events", stamp.id)?;
    non_empty("by", stamp.by)?;
    non_empty("device", stamp.device)
}

/// The fields every event has.
pub(crate) fn event_header(stamp: &Stamp<'_>, kind: EventKind) -> Vec<Field> {
    vec![
        ("id", s(stamp.id)),
        ("kind", s(kind.as_str())),
        ("at", Some(int(stamp.now_ms))),
        ("by", s(stamp.by)),
        ("device", s(stamp.device)),
    ]
}

/// A boolean field.
pub(crate) fn b(value: bool) -> Option<ScalarValue> {
    Some(ScalarValue::Boolean(value))
}
