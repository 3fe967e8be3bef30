//! The ceiling of one server on this machine: what automerge can apply plus what redb can
//! commit durably, in process, with no sockets, no engine and no review. `bench ingest`
//! reports end-to-end throughput as a fraction of this (BENCHMARKS.md).
//!
//! Each change is what an ingest client sends: one small change to one of 100 documents,
//! as an encoded sync message. Per change: decode the message, `receive_sync_message`
//! into the server's copy, `save_after` the heads before it (the incremental chunk the
//! engine writes). Per batch: one redb transaction with `Durability::Immediate` (the
//! engine's group commit), for the batch sizes the engine sees.
//! Run: `cargo bench -p wish-server --bench ceiling`.

use std::time::{Duration, Instant};

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wish_server::storage::{key, RedbStore, Storage, WriteBatch};

const DOCS: usize = 100;
/// Changes each document already has: the mean history of an ingest run's documents
/// (20 clients x 5 documents, ~300 changes each by the end of 15 s). Automerge's cost per
/// change grows with history, so every sample starts from documents of this age.
const AGE: i64 = 150;

/// One document as the server holds it, and the client that edits it.
struct Pair {
    server: Automerge,
    state: sync::State,
    client: AutoCommit,
    template: sync::Message,
    made: i64,
}

impl Pair {
    fn new() -> Self {
        let mut client = AutoCommit::new();
        for n in 0..AGE {
            client.put(ROOT, "n", n).expect("put");
            client.commit();
        }
        let mut template = client
            .sync()
            .generate_sync_message(&mut sync::State::new())
            .expect("a first message");
        let mut server = Automerge::new();
        server
            .load_incremental(&client.save())
            .expect("the initial state loads");
        template.changes = Vec::<Vec<u8>>::new().into();
        let mut pair = Self {
            server,
            state: sync::State::new(),
            client,
            template,
            made: AGE,
        };
        // The first message of a session costs more (the sync state starts empty); the
        // engine pays it once per document, so it is paid here, untimed.
        let first = pair.next_message();
        pair.apply(&first);
        pair
    }

    /// Applies one encoded message as the engine does; returns the incremental chunk.
    fn apply(&mut self, bytes: &[u8]) -> Vec<u8> {
        let before = self.server.get_heads();
        let message = sync::Message::decode(bytes).expect("decodes");
        self.server
            .receive_sync_message(&mut self.state, message)
            .expect("applies");
        self.server.save_after(&before)
    }

    /// The next change, as the encoded sync message a client would send.
    fn next_message(&mut self) -> Vec<u8> {
        self.made += 1;
        self.client.put(ROOT, "n", self.made).expect("put");
        let change = self.client.get_last_local_change().expect("a change");
        let mut message = self.template.clone();
        message.changes = vec![change.raw_bytes().to_vec()].into();
        message.heads = self.client.get_heads();
        message.encode()
    }
}

/// Applies `batches` batches of `size` changes (one per document, round robin) and
/// commits each batch; returns the time spent, message preparation excluded.
fn run(store: &RedbStore, pairs: &mut [Pair], size: usize, batches: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut next = 0;
    for _ in 0..batches {
        let messages: Vec<(usize, Vec<u8>)> = (0..size)
            .map(|_| {
                let index = next % pairs.len();
                next += 1;
                (index, pairs[index].next_message())
            })
            .collect();
        let start = Instant::now();
        let mut batch = WriteBatch::default();
        for (index, bytes) in messages {
            let chunk = pairs[index].apply(&bytes);
            batch.put(
                key([
                    format!("doc-{index}"),
                    "incremental".into(),
                    next.to_string(),
                ]),
                chunk,
            );
        }
        store.commit(batch).expect("commits");
        total += start.elapsed();
    }
    total
}

fn ceiling(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = RedbStore::open(&dir.path().join("ceiling.redb")).expect("redb opens");
    let mut group = c.benchmark_group("ceiling");
    group.sample_size(20);
    for size in [1usize, 20, 100, 512] {
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(
            BenchmarkId::new("apply+commit, batch", size),
            &size,
            |b, &size| {
                b.iter_custom(|batches| {
                    let mut pairs: Vec<Pair> = (0..DOCS).map(|_| Pair::new()).collect();
                    run(&store, &mut pairs, size, batches)
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, ceiling);
criterion_main!(benches);
