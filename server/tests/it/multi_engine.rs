//! Two server processes on one store (issue 18), simulated: two engines over one redb
//! store, the harness playing the store's notices (`multi_sim.rs`). Clients on both
//! converge, a claim race across them is arbitrated exactly once, a queued claim survives
//! the arbiter's death, and a contact deleted on one is gone on the other.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use automerge::transaction::Transactable;
use automerge::Automerge;
use automerge::{ObjType, ReadDoc, ROOT};
use wish_client_core::model::{Channel, ClaimKind, Module, Urgency, WishView};
use wish_client_core::ops::wish::{self, CollectWish, NewContact};
use wish_client_core::ops::Stamp;
use wish_client_core::proto::DocumentId;
use wish_server::access::Principal;
use wish_server::engine::{DeleteRequest, Input};
use wish_server::storage::{Storage, StoreNotice};

use crate::multi_sim::MultiSim;

const WISH: [u8; 16] = [7; 16];
const CONTACT: [u8; 16] = [8; 16];

fn stamp<'a>(id: &'a str, by: &'a str, now_ms: u64) -> Stamp<'a> {
    Stamp {
        id,
        by,
        device: "dev",
        now_ms,
    }
}

fn append(doc: &mut Automerge, item: &str) {
    let mut tx = doc.transaction();
    let list = match tx.get(ROOT, "items").unwrap() {
        Some((_, id)) => id,
        None => tx.put_object(ROOT, "items", ObjType::List).unwrap(),
    };
    let at = tx.length(&list);
    tx.insert(&list, at, item).unwrap();
    tx.commit();
}

fn items(doc: &Automerge) -> Vec<String> {
    let Some((_, list)) = doc.get(ROOT, "items").unwrap() else {
        return Vec::new();
    };
    let mut items: Vec<String> = (0..doc.length(&list))
        .map(|k| doc.get(&list, k).unwrap().unwrap().0.into_string().unwrap())
        .collect();
    items.sort();
    items
}

#[test]
fn clients_on_two_processes_converge() {
    for seed in 0..12 {
        let mut sim = MultiSim::new(2, 4, seed);
        sim.connect_all();
        let doc = sim.clients[0].create_document([9; 16]).unwrap();
        sim.change(0, doc, |d| append(d, "first"));
        sim.run_until_quiet();
        for i in 1..4 {
            sim.open(i, doc);
        }
        sim.run_until_quiet();
        for round in 0..3 {
            for i in 0..4 {
                sim.change(i, doc, |d| append(d, &format!("{i}-{round}")));
            }
            sim.run_until_quiet();
        }
        let expected = items(&sim.stored(doc));
        assert_eq!(expected.len(), 13, "seed {seed}: every change stored");
        for i in 0..4 {
            let seen = items(sim.clients[i].document(&doc).unwrap());
            assert_eq!(
                seen,
                expected,
                "seed {seed}: client {i} (process {})",
                i % 2
            );
            assert!(
                sim.clients[i].is_saved_on_server(&doc),
                "seed {seed}: client {i} saved"
            );
        }
    }
}

#[test]
fn lost_notices_cost_latency_not_changes() {
    let mut sim = MultiSim::new(2, 2, 1);
    sim.connect_all();
    let doc = sim.clients[0].create_document([9; 16]).unwrap();
    sim.change(0, doc, |d| append(d, "first"));
    sim.run_until_quiet();
    sim.open(1, doc);
    sim.run_until_quiet();
    // Each way of catching up: the periodic sweep, and a resync after a reconnect.
    for (round, resync) in [(1, false), (2, true)] {
        sim.change(0, doc, |d| append(d, &format!("lost-{round}")));
        sim.run_frames_only();
        sim.lose_notices();
        sim.run_until_quiet();
        assert_eq!(items(sim.clients[1].document(&doc).unwrap()).len(), round);
        if resync {
            sim.server_input(1, Input::StoreNotice(StoreNotice::Resync));
        } else {
            sim.advance(wish_server::engine::SWEEP_EVERY_MS + 1);
        }
        sim.run_until_quiet();
        let seen = items(sim.clients[1].document(&doc).unwrap());
        assert_eq!(seen.len(), round + 1, "round {round}: caught up ({seen:?})");
    }
}

/// A published wish with `capacity` places, created by client 0 and followed by all.
fn published_wish(sim: &mut MultiSim, capacity: u32, contact: bool) -> (DocumentId, DocumentId) {
    let wish_id = sim.clients[0].create_document(WISH).unwrap();
    let contact_id = sim.clients[0].create_document(CONTACT).unwrap();
    let mut contact_doc = Automerge::new();
    let input = collect_input(wish_id, contact_id, capacity, contact);
    sim.change(0, wish_id, |d| {
        wish::collect_wish(d, &mut contact_doc, input).unwrap();
        wish::verify(d, stamp("ev-v", "coord-1", 2_000)).unwrap();
        wish::publish(d, stamp("ev-p", "coord-1", 3_000)).unwrap();
    });
    if contact {
        let saved = contact_doc.save();
        sim.change(0, contact_id, |d| d.load_incremental(&saved).unwrap());
    }
    sim.run_until_quiet();
    for i in 1..sim.clients.len() {
        sim.open(i, wish_id);
        if contact {
            sim.open(i, contact_id);
        }
    }
    sim.run_until_quiet();
    (wish_id, contact_id)
}

fn collect_input(wish: DocumentId, contact: DocumentId, capacity: u32, with: bool) -> CollectWish {
    CollectWish {
        wish_id: "w1".into(),
        wish_doc: wish.to_string(),
        community: "c1".into(),
        station: "A".into(),
        title: "修路由器".into(),
        text: "家里网络坏了".into(),
        suggested_module: Some(Module::Comprehensive),
        channel: Channel::WalkIn,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::Normal,
        capacity,
        on_behalf: false,
        collected_by: "coord-1".into(),
        device: "dev".into(),
        event_id: "ev-c".into(),
        now_ms: 1_000,
        contact: with.then(|| NewContact {
            doc_id: contact.to_string(),
            name: "王阿姨".into(),
            phone: "13800000000".into(),
            room: "301".into(),
            vulnerability: Vec::new(),
            notes: String::new(),
            consent_given: true,
            consent_on_behalf: false,
        }),
    }
}

fn claim(sim: &mut MultiSim, i: usize, wish_id: DocumentId, at: u64) {
    let (id, who) = (format!("claim-{i}"), format!("vol-{i}"));
    sim.change(i, wish_id, |d| {
        let st = stamp(&id, &who, at);
        wish::claim(d, st, ClaimKind::Person, &who, None).unwrap();
    });
}

fn assignments(doc: &Automerge) -> usize {
    WishView::read(doc).unwrap().active_assignments()
}

#[test]
fn a_claim_race_across_processes_is_arbitrated_exactly_once() {
    let mut queued = 0;
    for seed in 0..24 {
        let mut sim = MultiSim::new(2, 4, seed);
        sim.connect_all();
        let (wish_id, _) = published_wish(&mut sim, 1, false);
        // Clients 1 and 2 are on different processes; both claim the one place.
        claim(&mut sim, 1, wish_id, 4_000);
        claim(&mut sim, 2, wish_id, 4_000);
        sim.run_until_quiet();
        let stored = sim.stored(wish_id);
        assert_eq!(
            assignments(&stored),
            1,
            "seed {seed}: exactly one assignment"
        );
        for i in 0..4 {
            let doc = sim.clients[i].document(&wish_id).unwrap();
            assert_eq!(
                doc.get_heads(),
                stored.get_heads(),
                "seed {seed}: client {i}"
            );
        }
        assert!(sim.pending_keys().is_empty(), "seed {seed}: queue emptied");
        let (stored_row, derived_row) = sim.summary_rows(wish_id);
        assert_eq!(
            stored_row, derived_row,
            "seed {seed}: the office row is current"
        );
        queued += sim.nodes[0].engine.counters().arbitration_catch_ups;
    }
    assert!(
        queued > 0,
        "claims through the non-arbiter went through the queue"
    );
}

#[test]
fn office_rows_stay_current_when_two_processes_change_a_wish_at_once() {
    for seed in 0..16 {
        let mut sim = MultiSim::new(2, 4, seed);
        sim.connect_all();
        let (wish_id, _) = published_wish(&mut sim, 1, false);
        claim(&mut sim, 0, wish_id, 4_000);
        sim.run_until_quiet();
        // No place is free: both claims wait, nothing is arbitrated, and each process
        // writes the summary row from what it holds.
        claim(&mut sim, 1, wish_id, 5_000);
        claim(&mut sim, 2, wish_id, 5_000);
        sim.run_until_quiet();
        let (stored_row, derived_row) = sim.summary_rows(wish_id);
        assert_eq!(
            stored_row, derived_row,
            "seed {seed}: the office row is current"
        );
    }
}

#[test]
fn a_queued_claim_is_assigned_by_the_next_arbiter_when_the_arbiter_dies() {
    let mut sim = MultiSim::new(2, 4, 3);
    sim.connect_all();
    let (wish_id, _) = published_wish(&mut sim, 1, false);
    // Client 1 is on process 1 (not the arbiter): its claim is committed with a queue key.
    claim(&mut sim, 1, wish_id, 4_000);
    while sim.pending_keys().is_empty() {
        sim.run_one_frame();
    }
    // The arbiter dies before the notice of that commit reaches it.
    sim.kill(0);
    sim.run_until_quiet();
    // Its clients reconnect to process 1 (before any periodic sweep is due).
    sim.advance(5_000);
    sim.run_until_quiet();
    assert_eq!(
        assignments(&sim.stored(wish_id)),
        0,
        "nobody arbitrated yet"
    );
    // Process 1 takes the lock over: its scan of the queue finds the claim.
    sim.server_input(1, Input::ArbiterChanged(true));
    sim.run_until_quiet();
    assert_eq!(
        assignments(&sim.stored(wish_id)),
        1,
        "the claim is assigned"
    );
    assert!(sim.pending_keys().is_empty(), "queue emptied");
    for i in 0..4 {
        let doc = sim.clients[i].document(&wish_id).unwrap();
        assert_eq!(
            assignments(doc),
            1,
            "client {i} (reconnected) sees the assignment"
        );
    }
}

#[test]
fn a_contact_deleted_on_one_process_is_gone_on_the_other() {
    for seed in 0..8 {
        let mut sim = MultiSim::new(2, 4, seed);
        sim.connect_all();
        let (wish_id, contact_id) = published_wish(&mut sim, 1, true);
        let holder = 1; // on process 1
        assert!(sim.clients[holder].document(&contact_id).is_some());
        // The holder edits the contact while process 0 deletes it: process 1 may commit
        // the edit after the deletion, before the deletion's notice reaches it.
        sim.change(holder, contact_id, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "notes", "改过的备注")?;
                Ok(())
            })
            .unwrap();
        });
        let request = DeleteRequest {
            doc: contact_id,
            by: Principal::administrator(),
            request: 1,
        };
        sim.server_input(0, Input::DeleteDocument(request));
        sim.run_until_quiet();
        assert!(
            sim.unavailable[holder].contains(&contact_id),
            "seed {seed}: the holder on the other process is told"
        );
        let keys = sim.store.load_range(&[contact_id.to_string()]).unwrap();
        let kinds: Vec<&str> = keys.iter().map(|(k, _)| k[1].as_str()).collect();
        assert_eq!(
            kinds,
            vec!["tombstone"],
            "seed {seed}: only the tombstone is stored"
        );
        let wish = WishView::read(&sim.stored(wish_id)).unwrap();
        assert!(wish.contact.is_none(), "seed {seed}: the wish is unlinked");
    }
}
