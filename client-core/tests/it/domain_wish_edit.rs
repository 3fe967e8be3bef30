//! Unit tests of correcting a wish card's details, alone and concurrently.

use crate::domain_common as common;

use common::*;
use wish_client_core::model::{conflicts, Urgency};
use wish_client_core::ops::wish::{edit_details, WishEdit};
use wish_client_core::ops::{resolve_conflict, DomainError};

fn edit_title(title: &str) -> WishEdit {
    WishEdit {
        title: Some(title.into()),
        ..WishEdit::default()
    }
}

#[test]
fn writes_only_the_changed_fields() {
    let (mut doc, _) = collected(1);
    let before = view(&doc);
    let edit = WishEdit {
        title: Some(before.title.clone()),
        urgency: Some(Urgency::Urgent),
        building: Some("7号楼".into()),
        ..WishEdit::default()
    };
    edit_details(&mut doc, &edit, 2_000).unwrap();
    let after = view(&doc);
    assert_eq!(after.building, "7号楼");
    assert_eq!(after.urgency, Urgency::Urgent);
    assert_eq!(after.title, before.title);
    assert_eq!(after.compound, before.compound);
}

#[test]
fn refuses_an_empty_title_and_an_edit_that_changes_nothing() {
    let (mut doc, _) = collected(1);
    assert!(matches!(
        edit_details(&mut doc, &edit_title("  "), 2_000),
        Err(DomainError::EmptyField("title"))
    ));
    let same = edit_title(&view(&doc).title);
    assert!(matches!(
        edit_details(&mut doc, &same, 2_000),
        Err(DomainError::NothingToChange)
    ));
}

#[test]
fn concurrent_edits_of_one_field_conflict_until_a_coordinator_chooses() {
    let (mut a, _) = collected(1);
    let mut b = fork(&a, 2);
    edit_details(&mut a, &edit_title("修理楼道灯"), 2_000).unwrap();
    edit_details(&mut b, &edit_title("楼道灯不亮"), 2_001).unwrap();
    merge(&mut a, &b);
    let found = conflicts(&a);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "title");
    resolve_conflict(&mut a, "title", "楼道灯不亮").unwrap();
    assert!(conflicts(&a).is_empty());
    assert_eq!(view(&a).title, "楼道灯不亮");
}

#[test]
fn edits_of_different_fields_merge_without_conflict() {
    let (mut a, _) = collected(1);
    let mut b = fork(&a, 2);
    edit_details(&mut a, &edit_title("修理楼道灯"), 2_000).unwrap();
    let building = WishEdit {
        building: Some("3号楼".into()),
        ..WishEdit::default()
    };
    edit_details(&mut b, &building, 2_001).unwrap();
    merge(&mut a, &b);
    assert!(conflicts(&a).is_empty());
    assert_eq!(view(&a).title, "修理楼道灯");
    assert_eq!(view(&a).building, "3号楼");
}
