//! The `(at, id)` order the schema uses wherever order matters.

use std::cmp::Ordering;

/// Something with a time and an id, ordered by `(at, id)`.
pub(crate) trait AtId {
    fn at(&self) -> u64;
    fn id(&self) -> &str;
}

/// Compares two entries by `(at, id)`.
pub(crate) fn by_at_id<T: AtId>(a: &T, b: &T) -> Ordering {
    (a.at(), a.id()).cmp(&(b.at(), b.id()))
}

/// The greatest entry by `(at, id)`.
pub(crate) fn latest<'a, T: AtId + 'a>(items: impl Iterator<Item = &'a T>) -> Option<&'a T> {
    items.max_by(|a, b| by_at_id(*a, *b))
}

/// The least entry by `(at, id)`.
pub(crate) fn earliest<'a, T: AtId + 'a>(items: impl Iterator<Item = &'a T>) -> Option<&'a T> {
    items.min_by(|a, b| by_at_id(*a, *b))
}
