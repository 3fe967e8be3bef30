//! The resident's rating (群众评价) and closing a wish (销号).

use automerge::{Automerge, ScalarValue};

use super::append::{append_event, b};
use super::guard::{invalid, load};
use crate::model::{CloseReason, EventKind, WishStatus};
use crate::ops::write::{opt_s, s};
use crate::ops::{DomainError, Stamp};

/// Records the resident's rating of a resolved wish: `score` 1..=5, a comment, and
/// whether a volunteer recorded it on the resident's behalf. Accepted once the wish is
/// resolved, also after it is closed; refused before, and when a rating exists.
pub fn rate(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    score: u8,
    comment: &str,
    on_behalf: bool,
) -> Result<(), DomainError> {
    if !(1..=5).contains(&score) {
        return Err(DomainError::ScoreOutOfRange(score));
    }
    let wish = load(doc)?;
    if wish.stage() != WishStatus::Resolved || wish.status() == WishStatus::Rejected {
        return Err(invalid("rate", &wish));
    }
    let fields = vec![
        ("score", Some(ScalarValue::Int(i64::from(score)))),
        ("comment", s(comment)),
        ("on_behalf", b(on_behalf)),
    ];
    append_event(doc, &stamp, EventKind::Rated, fields)
}

/// Closes the wish for good with a reason (销号). `fulfilled` needs a resolution; other
/// reasons apply at any stage, including rejected wishes. Refuses closed wishes.
pub fn close(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    reason: CloseReason,
    note: Option<&str>,
) -> Result<(), DomainError> {
    let wish = load(doc)?;
    if wish.status() == WishStatus::Closed {
        return Err(invalid("close", &wish));
    }
    if reason == CloseReason::Fulfilled && wish.stage() < WishStatus::Resolved {
        return Err(invalid("close as fulfilled", &wish));
    }
    let fields = vec![("reason", s(reason.as_str())), ("note", opt_s(note))];
    append_event(doc, &stamp, EventKind::Closed, fields)
}
