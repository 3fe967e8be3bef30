//! Crash simulation for the storage layer: a `redb::StorageBackend` over an in-memory
//! "disk" that keeps only what was covered by `sync_data`, and can crash at any I/O call.
//!
//! A crash freezes the disk at a seeded random I/O call (every later call of that
//! database fails, like a dead process), then computes the bytes that survive power loss:
//! the image at the last `sync_data`, plus some of the writes issued since (none, a
//! prefix, or an arbitrary subset in issue order), with one of them torn at a random
//! byte. The store is reopened on those bytes and checked against a model:
//!
//! * the store opens;
//! * every batch whose `commit()` returned `Ok` is fully present;
//! * the batch that was in flight is either fully present or fully absent;
//! * nothing else is present.
//!
//! A second test drives the sans-IO engine and client drivers (the one harness, `sim.rs`)
//! on the crashing disk: after every crash, every change a client
//! was told is saved on the server is in the recovered storage, and after the server
//! restarts all clients converge.
//!
//! Seeds are fixed; `STORAGE_CRASH_SEEDS=n` runs more. Every loop is bounded.

#![allow(clippy::unwrap_used)] // a test harness: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use automerge::ReadDoc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::ClientInput;
use wish_server::storage::{key, Key, RedbStore, Storage, WriteBatch, WriteOp};

use crate::sim::Sim;

// ---------------------------------------------------------------------------------------
// The crashing disk
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Pending {
    Write { offset: u64, data: Vec<u8> },
    SetLen(u64),
}

/// Which of the writes issued since the last sync survive a crash.
#[derive(Debug, Clone, Copy)]
enum Loss {
    /// Only what was synced.
    Everything,
    /// The first k unsynced operations, the last of them torn.
    Prefix,
    /// Any subset of the unsynced operations (in issue order), one of them torn.
    Subset,
}

#[derive(Debug, Default)]
struct Disk {
    /// Bumped at every crash; a backend of an older generation is a dead process.
    generation: u64,
    /// What reads see: synced bytes plus every write since.
    current: Vec<u8>,
    /// What survives power loss.
    durable: Vec<u8>,
    /// Operations since the last `sync_data`, in issue order.
    pending: Vec<Pending>,
    /// Mutating I/O calls so far in this generation.
    calls: u64,
    /// Crash when `calls` reaches this.
    crash_at: Option<u64>,
    crashed: bool,
    syncs: u64,
}

fn apply(image: &mut Vec<u8>, op: &Pending, torn_at: Option<usize>) {
    match op {
        Pending::SetLen(len) => image.resize(*len as usize, 0),
        Pending::Write { offset, data } => {
            let data = &data[..torn_at.unwrap_or(data.len()).min(data.len())];
            let start = *offset as usize;
            let end = start + data.len();
            if image.len() < end {
                image.resize(end, 0);
            }
            image[start..end].copy_from_slice(data);
        }
    }
}

/// A handle on the shared disk; survives the "process" of every database on it.
#[derive(Clone, Default)]
struct DiskHandle(Arc<Mutex<Disk>>);

impl DiskHandle {
    fn lock(&self) -> MutexGuard<'_, Disk> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A backend for a new database "process" on this disk.
    fn backend(&self) -> CrashBackend {
        CrashBackend {
            disk: self.clone(),
            generation: self.lock().generation,
        }
    }

    /// Crash when the `n`-th mutating call from now is made (1 = the next one).
    fn arm(&self, n: u64) {
        let mut disk = self.lock();
        disk.crash_at = Some(disk.calls + n.max(1));
    }

    fn crashed(&self) -> bool {
        self.lock().crashed
    }

    /// Power loss: keeps the synced image plus what `loss` lets through, and starts a new
    /// generation on those bytes. The databases of the old generation are dead.
    fn lose_power(&self, loss: Loss, rng: &mut StdRng) {
        let mut disk = self.lock();
        let mut image = disk.durable.clone();
        let pending = std::mem::take(&mut disk.pending);
        let kept: Vec<&Pending> = match loss {
            Loss::Everything => Vec::new(),
            Loss::Prefix => {
                let k = rng.random_range(0..=pending.len());
                pending[..k].iter().collect()
            }
            Loss::Subset => pending.iter().filter(|_| rng.random_bool(0.5)).collect(),
        };
        let torn = if kept.is_empty() {
            None
        } else if matches!(loss, Loss::Prefix) {
            Some(kept.len() - 1)
        } else {
            Some(rng.random_range(0..kept.len()))
        };
        for (i, op) in kept.iter().enumerate() {
            let torn_at = match op {
                Pending::Write { data, .. } if Some(i) == torn && !data.is_empty() => {
                    Some(rng.random_range(0..=data.len()))
                }
                _ => None,
            };
            apply(&mut image, op, torn_at);
        }
        disk.current = image.clone();
        disk.durable = image;
        disk.generation += 1;
        disk.calls = 0;
        disk.crash_at = None;
        disk.crashed = false;
    }
}

#[derive(Clone)]
struct CrashBackend {
    disk: DiskHandle,
    generation: u64,
}

impl std::fmt::Debug for CrashBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrashBackend")
            .field("generation", &self.generation)
            .finish()
    }
}

fn dead() -> io::Error {
    io::Error::other("simulated crash: the process is dead")
}

impl CrashBackend {
    /// The disk, if this backend's process is alive.
    fn alive(&self) -> io::Result<MutexGuard<'_, Disk>> {
        let disk = self.disk.lock();
        if disk.crashed || disk.generation != self.generation {
            return Err(dead());
        }
        Ok(disk)
    }

    /// The disk for a mutating call, crashing first if this is the armed call.
    fn mutate(&self) -> io::Result<MutexGuard<'_, Disk>> {
        let mut disk = self.alive()?;
        disk.calls += 1;
        if disk.crash_at.is_some_and(|at| disk.calls >= at) {
            disk.crashed = true;
            return Err(dead());
        }
        Ok(disk)
    }
}

impl redb::StorageBackend for CrashBackend {
    fn len(&self) -> io::Result<u64> {
        Ok(self.alive()?.current.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let disk = self.alive()?;
        let start = offset as usize;
        let source = disk
            .current
            .get(start..start + out.len())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "read out of range"))?;
        out.copy_from_slice(source);
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut disk = self.mutate()?;
        let op = Pending::SetLen(len);
        apply(&mut disk.current, &op, None);
        disk.pending.push(op);
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        let mut disk = self.mutate()?;
        disk.durable = disk.current.clone();
        disk.pending.clear();
        disk.syncs += 1;
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut disk = self.mutate()?;
        let op = Pending::Write {
            offset,
            data: data.to_vec(),
        };
        apply(&mut disk.current, &op, None);
        disk.pending.push(op);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Storage-level crash test
// ---------------------------------------------------------------------------------------

const DOCS: usize = 5;

fn doc_name(d: usize) -> String {
    format!("doc{d}")
}

/// Everything in the store under the prefixes the tests write to.
fn dump(store: &RedbStore) -> BTreeMap<Key, Vec<u8>> {
    let mut all = BTreeMap::new();
    for prefix in (0..DOCS).map(doc_name).chain(["meta".to_owned()]) {
        all.extend(store.load_range(&[prefix]).unwrap());
    }
    all
}

fn apply_to_model(model: &mut BTreeMap<Key, Vec<u8>>, batch: &WriteBatch) {
    for op in &batch.ops {
        match op {
            WriteOp::Put { key, value } | WriteOp::Create { key, value } => {
                model.insert(key.clone(), value.clone());
            }
            WriteOp::Delete { key } | WriteOp::Take { key } => {
                model.remove(key);
            }
            WriteOp::DeletePrefix { prefix } => {
                model.retain(|k, _| !k.starts_with(prefix));
            }
        }
    }
}

/// A batch shaped like the server's: incremental chunks of a few documents, sometimes a
/// compaction (delete the incrementals, write a snapshot), a sync state, a counter.
fn random_batch(rng: &mut StdRng, serial: u64, model: &BTreeMap<Key, Vec<u8>>) -> WriteBatch {
    let mut batch = WriteBatch::default();
    let fill = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|i| (serial as usize).wrapping_mul(31).wrapping_add(i) as u8)
            .collect()
    };
    for _ in 0..rng.random_range(1..=4) {
        let doc = doc_name(rng.random_range(0..DOCS));
        match rng.random_range(0..10) {
            0 => {
                batch.delete_prefix(key([doc.as_str(), "incremental"]));
                let len = rng.random_range(1..40_000);
                batch.put(
                    key([doc.as_str(), "snapshot", &format!("s{serial}")]),
                    fill(len),
                );
            }
            1 => {
                if let Some(existing) = model.keys().find(|k| k[0] == doc) {
                    batch.delete(existing.clone());
                }
            }
            2 => batch.put(
                key([doc.as_str(), "sync-state", "peer"]),
                fill(rng.random_range(1..200)),
            ),
            _ => {
                // Mostly small chunks, sometimes spanning many pages.
                let len = if rng.random_bool(0.1) {
                    rng.random_range(4_096..100_000)
                } else {
                    rng.random_range(1..600)
                };
                batch.put(
                    key([doc.as_str(), "incremental", &format!("c{serial}")]),
                    fill(len),
                );
            }
        }
    }
    batch.put(key(["meta", "serial"]), serial.to_le_bytes().to_vec());
    batch
}

fn loss_for(rng: &mut StdRng) -> Loss {
    match rng.random_range(0..3) {
        0 => Loss::Everything,
        1 => Loss::Prefix,
        _ => Loss::Subset,
    }
}

/// Opens the store on the disk, crashing (at most a few times) during recovery if armed.
fn reopen(disk: &DiskHandle, rng: &mut StdRng, seed: u64, epoch: usize) -> RedbStore {
    for attempt in 0..4 {
        if attempt < 3 && rng.random_bool(0.2) {
            disk.arm(rng.random_range(1..40));
        }
        match RedbStore::with_backend(disk.backend()) {
            Ok(store) => {
                disk.lock().crash_at = None;
                return store;
            }
            Err(error) => {
                assert!(
                    disk.crashed(),
                    "seed {seed} epoch {epoch}: the store did not open after a crash: {error}"
                );
                let loss = loss_for(rng);
                disk.lose_power(loss, rng);
            }
        }
    }
    panic!("seed {seed} epoch {epoch}: reopening never succeeded");
}

fn crash_storage_run(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let disk = DiskHandle::default();
    let mut store = RedbStore::with_backend(disk.backend()).unwrap();
    let mut model: BTreeMap<Key, Vec<u8>> = BTreeMap::new();
    let mut serial = 0u64;
    let (mut crashes_in_commit, mut in_flight_kept) = (0, 0);
    for epoch in 0..40 {
        disk.arm(rng.random_range(1..300));
        let mut in_flight: Option<WriteBatch> = None;
        for _ in 0..25 {
            serial += 1;
            let batch = random_batch(&mut rng, serial, &model);
            match store.commit(batch.clone()) {
                Ok(()) => apply_to_model(&mut model, &batch),
                Err(_) => {
                    assert!(disk.crashed(), "seed {seed}: commit failed without a crash");
                    in_flight = Some(batch);
                    crashes_in_commit += 1;
                    break;
                }
            }
        }
        // Power loss, whether or not the process died mid-commit.
        drop(store);
        let loss = loss_for(&mut rng);
        disk.lose_power(loss, &mut rng);
        store = reopen(&disk, &mut rng, seed, epoch);
        let found = dump(&store);
        if found == model {
            continue;
        }
        let mut with_batch = model.clone();
        if let Some(batch) = &in_flight {
            apply_to_model(&mut with_batch, batch);
        }
        assert!(
            found == with_batch,
            "seed {seed} epoch {epoch} ({loss:?}): the recovered store is neither the \
             committed state nor the committed state plus the in-flight batch \
             ({} keys found, {} committed, {} with the in-flight batch)",
            found.len(),
            model.len(),
            with_batch.len(),
        );
        model = with_batch;
        in_flight_kept += 1;
    }
    // The crash points must actually have landed inside commits, or this proves little.
    assert!(
        crashes_in_commit >= 10,
        "seed {seed}: only {crashes_in_commit} crashes hit a commit"
    );
    let _ = in_flight_kept;
}

fn seeds() -> u64 {
    std::env::var("STORAGE_CRASH_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
}

#[test]
fn committed_batches_survive_crashes_and_in_flight_batches_are_all_or_nothing() {
    for seed in 0..seeds() {
        crash_storage_run(seed);
    }
}

#[test]
fn the_crash_disk_loses_unsynced_writes() {
    // The harness itself: without a sync, nothing written survives `Loss::Everything`.
    let disk = DiskHandle::default();
    let mut rng = StdRng::seed_from_u64(7);
    let backend = disk.backend();
    redb::StorageBackend::set_len(&backend, 8).unwrap();
    redb::StorageBackend::write(&backend, 0, b"synced..").unwrap();
    redb::StorageBackend::sync_data(&backend).unwrap();
    redb::StorageBackend::write(&backend, 0, b"unsynced").unwrap();
    disk.lose_power(Loss::Everything, &mut rng);
    assert_eq!(disk.lock().current, b"synced..");
    // The old process is dead; a new one reads the surviving bytes.
    assert!(redb::StorageBackend::write(&backend, 0, b"x").is_err());
    let mut out = [0u8; 8];
    redb::StorageBackend::read(&disk.backend(), 0, &mut out).unwrap();
    assert_eq!(&out, b"synced..");
}

// ---------------------------------------------------------------------------------------
// Engine-level crash test
// ---------------------------------------------------------------------------------------

/// The engine simulation (`sim.rs`) on the crashing disk.
struct CrashSim {
    sim: Sim,
    disk: DiskHandle,
}

impl CrashSim {
    fn new(clients: usize, seed: u64) -> Self {
        let disk = DiskHandle::default();
        let store = RedbStore::with_backend(disk.backend()).unwrap();
        let sim = Sim::with_store(clients, std::sync::Arc::new(store), seed);
        Self { sim, disk }
    }

    /// The server process dies and the machine loses power: sockets close, unsynced
    /// writes are lost, the server restarts on what survived.
    fn crash_and_restart(&mut self, loss: Loss, rng: &mut StdRng) {
        assert!(
            !self.sim.server_dead || self.disk.crashed(),
            "the server died without a disk crash"
        );
        self.sim.kill_server();
        self.disk.lose_power(loss, rng);
        self.sim.restart(std::sync::Arc::new(
            RedbStore::with_backend(self.disk.backend()).unwrap(),
        ));
    }
}

fn crash_engine_run(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let clients = 3;
    let mut crash = CrashSim::new(clients, seed);
    let docs = start_documents(&mut crash.sim, seed);
    let mut crashes = 0;
    let mut item = 0;
    for _round in 0..12 {
        crash.disk.arm(rng.random_range(1..120));
        for _ in 0..30 {
            if crash.disk.crashed() || crash.sim.server_dead {
                break;
            }
            let i = rng.random_range(0..clients);
            let doc = if rng.random_bool(0.5) {
                docs[0]
            } else {
                docs[i]
            };
            item += 1;
            crash.sim.push(i, doc, &format!("item-{item}"));
            if rng.random_bool(0.5) {
                crash.sim.run_until_quiet();
            }
        }
        crash.sim.run_until_quiet();
        // What each client believes the server holds, just before the power goes.
        let promised = promised_heads(&crash.sim, &docs);
        if crash.disk.crashed() {
            crashes += 1;
        }
        let loss = loss_for(&mut rng);
        crash.crash_and_restart(loss, &mut rng);
        for (i, doc, heads) in &promised {
            let stored = crash.sim.stored(*doc);
            for head in heads {
                assert!(
                    stored.get_change_by_hash(head).is_some(),
                    "seed {seed} ({loss:?}): client {i} was told {head} of {doc} was saved, \
                     but recovered storage lacks it"
                );
            }
        }
        reconnect_and_converge(&mut crash.sim, &docs, seed);
    }
    assert!(
        crashes >= 3,
        "seed {seed}: only {crashes} crashes hit the server"
    );
}

/// One document per client, each also following document 0.
fn start_documents(sim: &mut Sim, seed: u64) -> Vec<DocumentId> {
    let clients = sim.clients.len();
    for i in 0..clients {
        sim.connect(i);
    }
    sim.run_until_quiet();
    let docs: Vec<DocumentId> = (0..clients)
        .map(|i| {
            let mut id = [0u8; 16];
            id[0] = i as u8 + 1;
            id[1] = seed as u8;
            sim.clients[i].create_document(id).unwrap()
        })
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        sim.push(i, *doc, "created");
    }
    sim.run_until_quiet();
    for i in 1..clients {
        sim.open(i, docs[0]);
    }
    sim.run_until_quiet();
    docs
}

/// The heads each client was told are saved on the server.
fn promised_heads(
    sim: &Sim,
    docs: &[DocumentId],
) -> Vec<(usize, DocumentId, Vec<automerge::ChangeHash>)> {
    let mut promised = Vec::new();
    for (i, client) in sim.clients.iter().enumerate() {
        for doc in docs {
            if client.is_saved_on_server(doc) {
                let heads = client.document(doc).unwrap().get_heads();
                promised.push((i, *doc, heads));
            }
        }
    }
    promised
}

/// Reconnects everyone after the restart; they converge and everything is saved again.
fn reconnect_and_converge(sim: &mut Sim, docs: &[DocumentId], seed: u64) {
    sim.now += 60_000;
    for i in 0..sim.clients.len() {
        let effects = sim.clients[i].handle(sim.now, ClientInput::Tick);
        sim.client_effects(i, effects);
        sim.connect(i);
    }
    sim.run_until_quiet();
    for i in 0..sim.clients.len() {
        assert!(
            sim.online[i].is_some(),
            "seed {seed}: client {i} did not reconnect"
        );
        for doc in docs {
            if sim.clients[i].document(doc).is_some() {
                assert!(
                    sim.clients[i].is_saved_on_server(doc),
                    "seed {seed}: client {i} not saved on {doc} after recovery"
                );
            }
        }
    }
    let shared: Vec<_> = (0..sim.clients.len())
        .map(|i| sim.clients[i].document(&docs[0]).unwrap().get_heads())
        .collect();
    assert!(
        shared.windows(2).all(|w| w[0] == w[1]),
        "seed {seed}: clients diverged on the shared document"
    );
}

#[test]
fn engine_keeps_every_promise_it_made_across_crashes() {
    for seed in 0..seeds() {
        crash_engine_run(seed);
    }
}
