//! The PostgreSQL backend against a real throwaway cluster (wish-pg-cluster): redb's
//! behaviours, plus what only a shared database has (notices, racing takes, the arbiter
//! lock moving, reconnecting after a restart).

use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::storage::key;

/// A fresh database on the shared cluster; `None` when WISH_SKIP_POSTGRES=1.
fn database() -> Option<String> {
    wish_pg_cluster::test_database()
}

fn put(store: &PostgresStore, k: Key, value: &[u8]) {
    let mut batch = WriteBatch::default();
    batch.put(k, value.to_vec());
    store.commit(batch).unwrap();
}

/// Waits for the next notice (notifications arrive asynchronously).
fn next_notice(receiver: &Receiver<StoreNotice>) -> StoreNotice {
    receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("a notice within 10 s")
}

fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn prefix_ranges_match_whole_parts_only() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    let mut batch = WriteBatch::default();
    batch.put(key(["ab", "snapshot", "1"]), vec![1]);
    batch.put(key(["abc", "snapshot", "2"]), vec![2]);
    batch.put(key(["ab", "incremental", "3"]), vec![3]);
    store.commit(batch).unwrap();
    let snapshots = store.load_range(&key(["ab", "snapshot"])).unwrap();
    assert_eq!(snapshots, vec![(key(["ab", "snapshot", "1"]), vec![1])]);
    let all = store.load_range(&key(["ab"])).unwrap();
    let keys: Vec<Key> = all.into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        vec![
            key(["ab", "incremental", "3"]),
            key(["ab", "snapshot", "1"])
        ],
        "in key order"
    );
}

#[test]
fn batch_applies_puts_and_deletes_in_order() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    let mut batch = WriteBatch::default();
    batch.put(key(["d", "incremental", "a"]), vec![1]);
    batch.put(key(["d", "incremental", "a"]), vec![9]);
    batch.delete(key(["d", "incremental", "a"]));
    batch.put(key(["d", "snapshot", "s"]), vec![2]);
    batch.put(key(["d", "sync-state", "x"]), vec![3]);
    batch.delete_prefix(key(["d", "sync-state"]));
    batch.put(key(["d", "sync-state", "y"]), vec![4]);
    store.commit(batch).unwrap();
    assert_eq!(store.load(&key(["d", "incremental", "a"])).unwrap(), None);
    assert_eq!(
        store.load(&key(["d", "snapshot", "s"])).unwrap(),
        Some(vec![2])
    );
    let states = store.load_range(&key(["d", "sync-state"])).unwrap();
    assert_eq!(states, vec![(key(["d", "sync-state", "y"]), vec![4])]);
}

#[test]
fn invalid_keys_are_refused_and_nothing_is_written() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    let mut batch = WriteBatch::default();
    batch.put(key(["ok"]), vec![1]);
    batch.put(key(["bad\0part"]), vec![2]);
    assert!(matches!(
        store.commit(batch),
        Err(StorageError::InvalidKey(_))
    ));
    assert_eq!(store.load(&key(["ok"])).unwrap(), None);
}

#[test]
fn data_survives_reopening_and_large_values_round_trip() {
    let Some(url) = database() else { return };
    let big: Vec<u8> = (0..3_000_000u32).map(|n| (n % 251) as u8).collect();
    {
        let store = PostgresStore::open(&url).unwrap();
        put(&store, key(["meta", "storage-id"]), b"abc");
        put(&store, key(["doc", "snapshot", "big"]), &big);
    }
    let store = PostgresStore::open(&url).unwrap();
    assert_eq!(
        store.load(&key(["meta", "storage-id"])).unwrap(),
        Some(b"abc".to_vec())
    );
    assert_eq!(
        store.load(&key(["doc", "snapshot", "big"])).unwrap(),
        Some(big)
    );
}

#[test]
fn pages_walk_every_key_in_order() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    let mut batch = WriteBatch::default();
    for n in 0..10u8 {
        batch.put(key(["k", &format!("{n:02}")]), vec![n; 100]);
    }
    store.commit(batch).unwrap();
    let first = store.load_page(None, 250).unwrap();
    assert_eq!(first.len(), 3, "stops after passing 250 bytes");
    let rest = store.load_page(Some(&first[2].0), usize::MAX).unwrap();
    assert_eq!(rest.len(), 7);
    assert_eq!(rest[0].0, key(["k", "03"]));
    assert!(store.load_page(Some(&rest[6].0), 1).unwrap().is_empty());
}

#[test]
fn take_of_a_missing_key_fails_the_whole_batch() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    put(&store, key(["code", "1234"]), &[1]);
    let redeem = |device: &str| {
        let mut batch = WriteBatch::default();
        batch.put(key(["device", device]), vec![2]);
        batch.take(key(["code", "1234"]));
        batch
    };
    store.commit(redeem("d1")).unwrap();
    let second = store.commit(redeem("d2"));
    assert!(
        matches!(&second, Err(StorageError::Conflict(k)) if *k == key(["code", "1234"])),
        "{second:?}"
    );
    assert_eq!(store.load(&key(["device", "d1"])).unwrap(), Some(vec![2]));
    assert_eq!(store.load(&key(["device", "d2"])).unwrap(), None);
    put(&store, key(["after"]), &[3]);
    assert_eq!(
        store.load(&key(["after"])).unwrap(),
        Some(vec![3]),
        "usable after a conflict"
    );
}

#[test]
fn a_code_taken_by_two_processes_at_once_is_taken_once() {
    let Some(url) = database() else { return };
    let a = Arc::new(PostgresStore::open(&url).unwrap());
    let b = Arc::new(PostgresStore::open(&url).unwrap());
    const CODES: usize = 30;
    for n in 0..CODES {
        put(&a, key(["code", &n.to_string()]), &[1]);
    }
    let redeem_all = |store: Arc<PostgresStore>, name: &'static str| {
        std::thread::spawn(move || {
            (0..CODES)
                .filter(|n| {
                    let mut batch = WriteBatch::default();
                    batch.put(key(["device", name, &n.to_string()]), vec![1]);
                    batch.take(key(["code", &n.to_string()]));
                    match store.commit(batch) {
                        Ok(()) => true,
                        Err(StorageError::Conflict(_)) => false,
                        Err(other) => panic!("{other}"),
                    }
                })
                .count()
        })
    };
    let (by_a, by_b) = (redeem_all(a.clone(), "a"), redeem_all(b.clone(), "b"));
    let redeemed = by_a.join().unwrap() + by_b.join().unwrap();
    assert_eq!(redeemed, CODES, "each code redeemed exactly once");
    let devices = a.load_range(&key(["device"])).unwrap().len();
    assert_eq!(devices, CODES, "and only the winners' writes kept");
}

#[test]
fn notices_reach_the_other_process_only() {
    let Some(url) = database() else { return };
    let a = PostgresStore::open(&url).unwrap();
    let b = PostgresStore::open(&url).unwrap();
    let from_a = a.subscribe().unwrap().expect("PostgreSQL has notices");
    let from_b = b.subscribe().unwrap().expect("PostgreSQL has notices");
    let mut batch = WriteBatch::default();
    batch.put(key(["d", "incremental", "h1"]), vec![1]);
    batch.delete(key(["d", "incremental", "h0"]));
    batch.delete_prefix(key(["gone"]));
    a.commit(batch).unwrap();
    let notice = next_notice(&from_b);
    assert_eq!(
        notice,
        StoreNotice::Committed {
            puts: vec![key(["d", "incremental", "h1"])],
            deletes: vec![key(["d", "incremental", "h0"])],
            delete_prefixes: vec![key(["gone"])],
        }
    );
    assert_eq!(
        b.load(&key(["d", "incremental", "h1"])).unwrap(),
        Some(vec![1]),
        "a notified key is visible"
    );
    put(&b, key(["from-b"]), &[2]);
    let StoreNotice::Committed { puts, .. } = next_notice(&from_a) else {
        panic!("expected a commit notice");
    };
    assert_eq!(puts, vec![key(["from-b"])]);
    assert!(from_a.try_recv().is_err(), "a never hears its own commits");
    assert!(from_b.try_recv().is_err(), "b never hears its own commits");
}

#[test]
fn a_failed_commit_sends_no_notice() {
    let Some(url) = database() else { return };
    let a = PostgresStore::open(&url).unwrap();
    let b = PostgresStore::open(&url).unwrap();
    let from_a = b.subscribe().unwrap().expect("notices");
    let mut batch = WriteBatch::default();
    batch.put(key(["never"]), vec![1]);
    batch.take(key(["missing"]));
    assert!(a.commit(batch).is_err());
    put(&a, key(["marker"]), &[1]);
    let StoreNotice::Committed { puts, .. } = next_notice(&from_a) else {
        panic!("expected a commit notice");
    };
    assert_eq!(
        puts,
        vec![key(["marker"])],
        "the rolled-back batch was never notified"
    );
}

#[test]
fn the_arbiter_lock_moves_when_the_holders_session_dies() {
    let Some(url) = database() else { return };
    let a = PostgresStore::open(&url).unwrap();
    let b = PostgresStore::open(&url).unwrap();
    assert!(a.is_arbiter(), "the first process takes the lock");
    assert!(!b.is_arbiter(), "the second does not");
    let arbitration = || {
        let mut batch = WriteBatch::default();
        batch.put(key(["wish", "w", "claim-order"]), vec![1]);
        batch.require_arbiter();
        batch
    };
    assert!(matches!(
        b.commit(arbitration()),
        Err(StorageError::NotArbiter)
    ));
    a.commit(arbitration()).unwrap();

    terminate_arbiter_session(&url);
    wait_until("b takes the arbiter lock", || b.is_arbiter());
    b.commit(arbitration()).unwrap();
    let fenced = a.commit(arbitration());
    assert!(fenced.is_err(), "a lost its session: {fenced:?}");
    let again = a.commit(arbitration());
    assert!(
        matches!(again, Err(StorageError::NotArbiter)),
        "reconnected, but b holds the lock now: {again:?}"
    );
    assert!(!a.is_arbiter());
    put(&a, key(["plain"]), &[1]);
}

/// Ends the session holding the arbiter lock, as if its process's connection died. Only
/// in this test's database: advisory locks are per database, and other tests share the
/// cluster, each with its own arbiter.
fn terminate_arbiter_session(url: &str) {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let killed = admin
        .execute(
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' \
                 AND classid = {LOCK_SPACE} AND objid = {ARBITER_LOCK} AND granted \
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            &[],
        )
        .unwrap();
    assert_eq!(killed, 1);
}

#[test]
fn a_commit_after_a_restart_succeeds_after_reconnecting() {
    if wish_pg_cluster::skip_requested() {
        return;
    }
    // Its own cluster: restarting the shared one would cut the other tests' sessions.
    let cluster = wish_pg_cluster::Cluster::start().unwrap();
    let url = cluster.create_database().unwrap();
    let a = PostgresStore::open(&url).unwrap();
    let b = PostgresStore::open(&url).unwrap();
    let notices = b.subscribe().unwrap().expect("notices");
    put(&a, key(["before"]), &[1]);
    assert!(matches!(
        next_notice(&notices),
        StoreNotice::Committed { .. }
    ));
    cluster.restart().unwrap();

    let mut batch = WriteBatch::default();
    batch.put(key(["after"]), vec![2]);
    // The first commit may find the old session dead (nothing written), the next
    // reconnects.
    if a.commit(batch.clone()).is_err() {
        a.commit(batch).unwrap();
    }
    assert_eq!(b.load(&key(["before"])).unwrap(), Some(vec![1]));
    assert_eq!(b.load(&key(["after"])).unwrap(), Some(vec![2]));
    wait_until("the listener resyncs", || {
        notices.try_recv() == Ok(StoreNotice::Resync)
    });
    wait_until("someone is the arbiter again", || {
        a.is_arbiter() || b.is_arbiter()
    });
    put(&a, key(["later"]), &[3]);
    wait_until(
        "the listener hears commits again",
        || matches!(notices.try_recv(), Ok(StoreNotice::Committed { puts, .. }) if puts == vec![key(["later"])]),
    );
}

#[tokio::test]
async fn the_store_works_and_closes_inside_a_tokio_runtime() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    put(&store, key(["k"]), &[1]);
    assert_eq!(store.load(&key(["k"])).unwrap(), Some(vec![1]));
    assert!(store.is_arbiter());
    let notices = store.subscribe().unwrap();
    assert!(notices.is_some());
    drop(store);
}

#[test]
fn two_processes_starting_together_on_an_empty_store_get_one_identity() {
    for _ in 0..4 {
        let Some(url) = database() else { return };
        let stores = [
            Arc::new(PostgresStore::open(&url).unwrap()),
            Arc::new(PostgresStore::open(&url).unwrap()),
        ];
        let start = Arc::new(std::sync::Barrier::new(2));
        // Both threads are started before either is joined (they meet at the barrier).
        let threads: Vec<_> = stores
            .iter()
            .map(|store| {
                let (store, start) = (store.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    crate::server::storage_id(store.as_ref()).unwrap()
                })
            })
            .collect();
        let ids: Vec<String> = threads
            .into_iter()
            .map(|thread| thread.join().unwrap().to_string())
            .collect();
        assert_eq!(ids[0], ids[1], "both processes present one server");
    }
}

#[test]
fn create_fails_the_whole_batch_when_the_key_exists() {
    let Some(url) = database() else { return };
    let store = PostgresStore::open(&url).unwrap();
    let mut batch = WriteBatch::default();
    batch.create(key(["id"]), b"first".to_vec());
    store.commit(batch).unwrap();
    let mut again = WriteBatch::default();
    again.put(key(["other"]), vec![1]);
    again.create(key(["id"]), b"second".to_vec());
    assert!(matches!(
        store.commit(again),
        Err(StorageError::Conflict(_))
    ));
    assert_eq!(store.load(&key(["id"])).unwrap(), Some(b"first".to_vec()));
    assert_eq!(store.load(&key(["other"])).unwrap(), None);
}
