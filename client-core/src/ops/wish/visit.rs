//! After the work: the 回访 record of a visiting volunteer, and the wish's public story
//! (微故事) a coordinator writes once the wish is fulfilled.

use automerge::Automerge;

use super::append::append_event;
use super::guard::{invalid, load};
use crate::model::{ContactView, EventKind, WishStatus};
use crate::ops::write::{non_empty, s};
use crate::ops::DomainError;
use crate::ops::Stamp;

/// The longest story, in characters: a story is a few sentences for a notice board.
pub const STORY_MAX_CHARS: usize = 300;

/// Records a 回访 (follow-up visit) with its `result`, by the stamp's person on the
/// stamp's date. Accepted once the wish is resolved, also after it is closed; refused
/// before, for rejected wishes, and with an empty result.
pub fn record_visit(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    result: &str,
) -> Result<(), DomainError> {
    non_empty("result", result.trim())?;
    let wish = load(doc)?;
    if wish.stage() < WishStatus::Resolved || wish.status() == WishStatus::Rejected {
        return Err(invalid("record a visit to", &wish));
    }
    append_event(
        doc,
        &stamp,
        EventKind::Visited,
        vec![("note", s(result.trim()))],
    )
}

/// Marks a fulfilled wish (closed as 已圆梦) as a public story with a short `text`
/// (≤ [`STORY_MAX_CHARS`]). The text is public: it is refused when it holds something
/// that reads as a phone number, or the resident's name, phone or room when the
/// `contact` is held. A later story replaces the earlier one (latest by `(at, id)`).
pub fn mark_story(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    text: &str,
    contact: Option<&ContactView>,
) -> Result<(), DomainError> {
    let text = text.trim();
    non_empty("story", text)?;
    if text.chars().count() > STORY_MAX_CHARS {
        return Err(DomainError::TooLong {
            field: "story",
            max: STORY_MAX_CHARS,
        });
    }
    if looks_personal(text, contact) {
        return Err(DomainError::PersonalData("story"));
    }
    let wish = load(doc)?;
    if !wish.is_fulfilled() {
        return Err(invalid("tell the story of", &wish));
    }
    append_event(doc, &stamp, EventKind::Story, vec![("note", s(text))])
}

/// Seven digits in a row read as a phone number; the contact's own data as itself.
fn looks_personal(text: &str, contact: Option<&ContactView>) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 7 {
            return true;
        }
    }
    let Some(contact) = contact else {
        return false;
    };
    let found = |needle: &str, min_chars: usize| {
        let needle = needle.trim();
        needle.chars().count() >= min_chars && text.contains(needle)
    };
    found(&contact.name, 2) || found(&contact.phone, 5) || found(&contact.room, 3)
}

#[cfg(test)]
mod tests {
    use super::looks_personal;

    #[test]
    fn a_phone_number_in_a_story_reads_as_personal() {
        assert!(looks_personal("请拨13812345678联系", None));
        assert!(!looks_personal("2026年11月，志愿者修好了路由器", None));
    }
}
