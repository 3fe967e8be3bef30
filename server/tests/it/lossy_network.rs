//! Property: over a network that resets connections, interleaves them and partitions
//! clients, with clients editing offline, the server keeps every promise it made ("saved"
//! means stored: checked after every step, mid-flight included) and, once the network
//! heals, every client converges and is saved.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use proptest::prelude::*;
use wish_client_core::proto::DocumentId;

use crate::sim::{Backend, Faults, Sim};

/// One thing that happens between deliveries.
#[derive(Debug, Clone)]
enum Step {
    Edit { client: usize, shared: bool },
    Deliver(usize),
    Cut(usize),
    Heal(usize),
    Wait,
}

const CLIENTS: usize = 3;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..CLIENTS, any::<bool>()).prop_map(|(client, shared)| Step::Edit { client, shared }),
        4 => (1usize..20).prop_map(Step::Deliver),
        1 => (0..CLIENTS).prop_map(Step::Cut),
        1 => (0..CLIENTS).prop_map(Step::Heal),
        1 => Just(Step::Wait),
    ]
}

/// Document 0 is shared by everyone; each client also has one of its own.
fn start(sim: &mut Sim) -> Vec<DocumentId> {
    for i in 0..CLIENTS {
        sim.connect(i);
    }
    sim.run_until_quiet();
    let docs: Vec<DocumentId> = (0..CLIENTS)
        .map(|i| sim.clients[i].create_document([i as u8 + 1; 16]).unwrap())
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        sim.push(i, *doc, &format!("created-{i}"));
    }
    sim.run_until_quiet();
    for i in 1..CLIENTS {
        sim.open(i, docs[0]);
    }
    sim.run_until_quiet();
    docs
}

fn apply(sim: &mut Sim, docs: &[DocumentId], step: &Step, n: usize) {
    match *step {
        Step::Edit { client, shared } => {
            let doc = if shared { docs[0] } else { docs[client] };
            sim.push(client, doc, &format!("item-{n}"));
        }
        Step::Deliver(frames) => sim.deliver_some(frames),
        Step::Cut(client) => sim.partition(client, true),
        Step::Heal(client) => sim.partition(client, false),
        Step::Wait => sim.advance(5_000),
    }
}

/// Heals everything and lets everyone reconnect until the network is quiet.
fn heal(sim: &mut Sim) {
    sim.faults = Faults::default();
    for i in 0..CLIENTS {
        sim.partition(i, false);
    }
    for _ in 0..10 {
        sim.advance(60_000);
        sim.run_until_quiet();
        if sim.online.iter().all(Option::is_some) {
            return;
        }
    }
}

fn converged(sim: &Sim, docs: &[DocumentId]) {
    for (d, doc) in docs.iter().enumerate() {
        let holders: Vec<usize> = (0..CLIENTS)
            .filter(|i| sim.clients[*i].document(doc).is_some())
            .collect();
        let first = sim.items(holders[0], *doc);
        for i in &holders {
            assert_eq!(sim.items(*i, *doc), first, "client {i} diverged on doc {d}");
            assert!(
                sim.clients[*i].is_saved_on_server(doc),
                "client {i} not saved on doc {d}"
            );
        }
        assert_eq!(
            sim.items(holders[0], *doc).len(),
            crate::sim::Sim::items_in(&sim.stored(*doc)),
            "the server holds what the clients hold"
        );
    }
}

/// One run: random steps on a faulty network, the promises checked after each, then
/// healing and convergence.
fn lossy_run(
    backend: Backend,
    seed: u64,
    faults: Faults,
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let Some(store) = backend.store() else {
        return Ok(());
    };
    let mut sim = Sim::with_store(CLIENTS, store, seed);
    let docs = start(&mut sim);
    sim.faults = faults;
    for (n, step) in steps.iter().enumerate() {
        apply(&mut sim, &docs, step, n);
        sim.assert_promises_kept(&docs, &format!("after step {n} ({step:?})"));
    }
    heal(&mut sim);
    prop_assert!(
        sim.online.iter().all(Option::is_some),
        "a client never reconnected"
    );
    sim.assert_promises_kept(&docs, "after healing");
    converged(&sim, &docs);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn lossy_network_keeps_promises_and_converges(
        seed in any::<u64>(),
        reset in 0.0f64..0.15,
        interleave in any::<bool>(),
        steps in prop::collection::vec(step(), 1..60),
    ) {
        lossy_run(Backend::Redb, seed, Faults { reset, interleave }, &steps)?;
    }
}

proptest! {
    // Fewer cases on PostgreSQL: each commit is a real, fsynced transaction.
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn lossy_network_keeps_promises_and_converges_on_postgres(
        seed in any::<u64>(),
        reset in 0.0f64..0.15,
        interleave in any::<bool>(),
        steps in prop::collection::vec(step(), 1..60),
    ) {
        lossy_run(Backend::Postgres, seed, Faults { reset, interleave }, &steps)?;
    }
}
