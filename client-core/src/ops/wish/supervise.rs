//! 督办: the street office marks a wish that is overdue for follow-up. The mark is an
//! event (`kind: "supervised"`, with an optional note), so the station's tablets see it in
//! the wish's timeline and as a badge; it changes no status. Only an office device whose
//! scope covers the wish's community may write it (the server's rule
//! `wish.events.supervised`).

use automerge::Automerge;

use super::append::append_event;
use super::guard::{invalid, load};
use crate::model::{EventKind, WishStatus};
use crate::ops::write::opt_s;
use crate::ops::{DomainError, Stamp};

/// Marks an open wish for follow-up (督办) with an optional note to the station. Refuses a
/// closed or rejected wish: there is nothing left to follow up.
pub fn supervise(
    doc: &mut Automerge,
    stamp: Stamp<'_>,
    note: Option<&str>,
) -> Result<(), DomainError> {
    let wish = load(doc)?;
    if matches!(wish.status(), WishStatus::Closed | WishStatus::Rejected) {
        return Err(invalid("mark for follow-up", &wish));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    append_event(
        doc,
        &stamp,
        EventKind::Supervised,
        vec![("note", opt_s(note))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WishView;
    use crate::model::{Channel, CloseReason, Urgency};
    use crate::ops::wish::{close, collect_wish, CollectWish};

    fn stamp<'a>(id: &'a str, by: &'a str, now_ms: u64) -> Stamp<'a> {
        Stamp {
            id,
            by,
            device: "dev-office",
            now_ms,
        }
    }

    fn wish() -> Automerge {
        let (mut doc, mut contact) = (Automerge::new(), Automerge::new());
        let input = CollectWish {
            wish_id: "w1".into(),
            wish_doc: "doc-w1".into(),
            community: "c1".into(),
            station: "A".into(),
            title: "需要上门问诊".into(),
            text: "独居老人".into(),
            suggested_module: None,
            channel: Channel::DoorToDoor,
            compound: "幸福里".into(),
            building: "3栋".into(),
            urgency: Urgency::High,
            capacity: 1,
            on_behalf: true,
            collected_by: "p-li".into(),
            device: "pad".into(),
            event_id: "e1".into(),
            now_ms: 1,
            contact: None,
        };
        collect_wish(&mut doc, &mut contact, input).ok();
        doc
    }

    #[test]
    fn a_mark_shows_until_the_wish_is_closed_and_changes_no_status() {
        let mut doc = wish();
        let before = WishView::read(&doc).map(|w| w.status()).ok();
        supervise(&mut doc, stamp("s1", "office", 5), Some(" 请尽快回访 ")).ok();
        let view = WishView::read(&doc).ok();
        let mark = view.as_ref().and_then(|w| w.supervision().cloned());
        assert_eq!(
            mark.as_ref().and_then(|m| m.note.as_deref()),
            Some("请尽快回访")
        );
        assert_eq!(view.map(|w| w.status()), before);
        let reason = CloseReason::Withdrawn;
        close(&mut doc, stamp("c1", "p-coord", 9), reason, None).ok();
        assert!(WishView::read(&doc)
            .ok()
            .and_then(|w| w.supervision().cloned())
            .is_none());
        let again = supervise(&mut doc, stamp("s2", "office", 10), None);
        assert!(again.is_err());
    }
}
