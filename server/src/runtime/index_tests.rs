//! The runtime's side of the office index: the feed the engine thread sends committed
//! summary rows to, and the index loaded from storage on first use.

use crate::aggregate::tests::{wish, T0};
use crate::aggregate::{shared, CommunitySet, OfficeIndex, OverdueTargets};
use crate::runtime::{summary_puts, IndexSource, SummaryFeed};

#[test]
fn the_feed_applies_committed_summary_rows() {
    use crate::domain::summary_key;
    use crate::storage::WriteBatch;

    let index = shared(OfficeIndex::default());
    let feed = SummaryFeed::spawn(index.clone()).expect("spawn the updater");
    let mut batch = WriteBatch::default();
    let summary = serde_json::to_vec(&wish("w1", "c1", "s1", T0)).expect("json");
    batch.put(summary_key("doc1"), summary);
    batch.put(vec!["doc1".into(), "snapshot".into(), "h".into()], vec![1]);
    batch.put(summary_key("doc2"), b"not json".to_vec());
    let puts = summary_puts(&batch);
    assert_eq!(puts.len(), 2);
    feed.send(puts);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while index.read().map(|a| a.len()).unwrap_or(0) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the feed never applied"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let a = index.read().expect("lock");
    assert_eq!(
        a.summary(&CommunitySet::all()).total,
        1,
        "the unreadable row is skipped"
    );
}

#[tokio::test]
async fn a_snapshot_index_loads_on_first_use() {
    use crate::domain::summary_key;
    use crate::storage::{RedbStore, Storage, WriteBatch};

    let store = RedbStore::in_memory().expect("store");
    let mut batch = WriteBatch::default();
    for i in 0..3u64 {
        let s = wish(&format!("w{i}"), "c1", "s1", T0 + i);
        batch.put(
            summary_key(&format!("doc{i}")),
            serde_json::to_vec(&s).expect("json"),
        );
    }
    store.commit(batch).expect("commit");
    let storage: std::sync::Arc<dyn Storage> = std::sync::Arc::new(store);
    let index = IndexSource::snapshot(OverdueTargets::default());
    let shared = index.get(&storage).await.expect("load");
    assert_eq!(shared.read().expect("lock").len(), 3);
    let live = IndexSource::live(shared.clone());
    assert_eq!(
        live.get(&storage)
            .await
            .expect("live")
            .read()
            .expect("lock")
            .len(),
        3
    );
}
