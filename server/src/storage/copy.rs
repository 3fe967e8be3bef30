//! Copying every key of one store into another (`wish-station migrate`), page by page so
//! that a large store never sits in memory whole: each page is one commit of the target.

use super::{Key, Storage, StorageError, WriteBatch};

/// What a copy moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub keys: u64,
    pub bytes: u64,
    pub commits: u64,
}

/// Why a copy did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target store is not empty: copy only into a new, empty store")]
    TargetNotEmpty,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Copies every key of `from` into the empty store `to`, in commits of about
/// `batch_bytes` of values. Both stores must be idle (the servers stopped): a key written
/// meanwhile may be missed.
pub fn copy_all(
    from: &dyn Storage,
    to: &dyn Storage,
    batch_bytes: usize,
) -> Result<Copied, CopyError> {
    if !to.load_page(None, 0)?.is_empty() {
        return Err(CopyError::TargetNotEmpty);
    }
    let mut copied = Copied::default();
    let mut after: Option<Key> = None;
    loop {
        let page = from.load_page(after.as_deref(), batch_bytes)?;
        let Some((last, _)) = page.last() else {
            return Ok(copied);
        };
        after = Some(last.clone());
        let mut batch = WriteBatch::default();
        for (key, value) in page {
            copied.keys += 1;
            copied.bytes += value.len() as u64;
            batch.put(key, value);
        }
        to.commit(batch)?;
        copied.commits += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{key, RedbStore};

    fn filled(entries: usize) -> RedbStore {
        let store = RedbStore::in_memory().unwrap();
        let mut batch = WriteBatch::default();
        for n in 0..entries {
            batch.put(
                key(["doc", &format!("{n:04}"), "snapshot", "h"]),
                vec![7; 1_000],
            );
        }
        store.commit(batch).unwrap();
        store
    }

    #[test]
    fn every_key_is_copied_in_several_commits() {
        let (from, to) = (filled(100), RedbStore::in_memory().unwrap());
        let copied = copy_all(&from, &to, 10_000).unwrap();
        assert_eq!(copied.keys, 100);
        assert_eq!(copied.bytes, 100_000);
        assert!(copied.commits >= 9, "{copied:?}");
        assert_eq!(
            to.load_page(None, usize::MAX).unwrap(),
            from.load_page(None, usize::MAX).unwrap()
        );
    }

    #[test]
    fn a_non_empty_target_is_refused_untouched() {
        let (from, to) = (filled(3), filled(1));
        assert!(matches!(
            copy_all(&from, &to, 1_000),
            Err(CopyError::TargetNotEmpty)
        ));
        assert_eq!(to.load_page(None, usize::MAX).unwrap().len(), 1);
    }
}
