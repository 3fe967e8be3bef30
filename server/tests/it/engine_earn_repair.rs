//! The server writes a confirmation's missing earn entry (`domain/earn_repair.rs`,
//! `engine/follow_up.rs`): a coordinator whose tablet does not hold the community ledger
//! confirms a claim; the server writes `earn-<wish>-<claim>` into the ledger, loading it
//! from storage if needed (also after a restart), exactly once however often the wish
//! changes afterwards.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeSet;

use automerge::{ActorId, Automerge};
use wish_client_core::model::ledger::earn_id;
use wish_client_core::model::{Channel, ClaimKind, LedgerKind, LedgerView, Module, Urgency};
use wish_client_core::ops::ledger::create_ledger;
use wish_client_core::ops::wish::{self, CollectWish};
use wish_client_core::ops::Stamp;
use wish_client_core::proto::{DocumentId, PeerId, StorageId};
use wish_server::access::{Principal, Role};
use wish_server::domain::earn_repair::LedgerIndex;
use wish_server::domain::DomainHook;
use wish_server::engine::{DocWrite, Effect, Engine, EngineConfig, Input, ServerWrite};
use wish_server::storage::{RedbStore, Storage};

fn ledger_doc() -> DocumentId {
    DocumentId::from_bytes([1; 16])
}
fn wish_doc() -> DocumentId {
    DocumentId::from_bytes([2; 16])
}

fn coordinator() -> Principal {
    Principal {
        device_id: "dev-k".into(),
        role: Role::Coordinator,
        person: "coord-1".into(),
        community: Some("c1".into()),
        stations: BTreeSet::from(["A".to_owned()]),
        covers: Default::default(),
    }
}

fn engine(store: &RedbStore) -> Engine {
    let storage = StorageId::new("s");
    let actor = wish_server::domain::server_actor(storage.as_str());
    let hook = DomainHook::new(actor).with_ledgers(LedgerIndex::load(store).unwrap());
    Engine::new(PeerId::new("server"), storage, EngineConfig::default()).with_hook(Box::new(hook))
}

fn st<'a>(id: &'a str, by: &'a str, now_ms: u64) -> Stamp<'a> {
    Stamp {
        id,
        by,
        device: "dev",
        now_ms,
    }
}

/// A wish of community `c1`, claimed by `vol-2`, assigned and resolved with 3 hours.
fn resolved_wish(actor: &ActorId) -> Automerge {
    let (mut doc, mut contact) = (Automerge::new().with_actor(actor.clone()), Automerge::new());
    let input = CollectWish {
        wish_id: "w1".into(),
        wish_doc: wish_doc().to_string(),
        community: "c1".into(),
        station: "A".into(),
        title: "修路由器".into(),
        text: "家里网络坏了".into(),
        suggested_module: Some(Module::Comprehensive),
        channel: Channel::WalkIn,
        compound: "幸福花园".into(),
        building: "5栋".into(),
        urgency: Urgency::Normal,
        capacity: 1,
        on_behalf: false,
        collected_by: "coord-1".into(),
        device: "dev".into(),
        event_id: "ev-c".into(),
        now_ms: 1_000,
        contact: None,
    };
    wish::collect_wish(&mut doc, &mut contact, input).unwrap();
    wish::verify(&mut doc, st("ev-v", "coord-1", 2_000)).unwrap();
    wish::publish(&mut doc, st("ev-p", "coord-1", 3_000)).unwrap();
    wish::claim(
        &mut doc,
        st("c1", "vol-2", 4_000),
        ClaimKind::Person,
        "vol-2",
        None,
    )
    .unwrap();
    wish::assign(&mut doc, "c1", "server", true, 5_000).unwrap();
    wish::resolve(
        &mut doc,
        st("ev-r", "vol-2", 6_000),
        "c1",
        3.0,
        Some("换了路由器"),
    )
    .unwrap();
    doc
}

/// Feeds `input` and carries out the effects against `store` as the engine thread does.
fn run(engine: &mut Engine, store: &RedbStore, input: Input) {
    let mut pending = engine.handle(10, input);
    while let Some(effect) = (!pending.is_empty()).then(|| pending.remove(0)) {
        match effect {
            Effect::Load(doc) => {
                let entries = store.load_range(&[doc.to_string()]).unwrap();
                pending.extend(engine.handle(11, Input::Loaded { doc, entries }));
            }
            Effect::Persist(batch) => store.commit(batch).unwrap(),
            _ => {}
        }
    }
}

fn write(docs: Vec<DocWrite>) -> Input {
    Input::ServerWrite(ServerWrite {
        request: 1,
        by: coordinator(),
        what: "test".into(),
        docs,
    })
}

/// The ledger as stored.
fn stored_ledger(store: &RedbStore) -> LedgerView {
    let mut doc = Automerge::new();
    for (_, bytes) in store
        .load_range(&[ledger_doc().to_string(), "incremental".into()])
        .unwrap()
    {
        doc.load_incremental(&bytes).unwrap();
    }
    for (_, bytes) in store
        .load_range(&[ledger_doc().to_string(), "snapshot".into()])
        .unwrap()
    {
        doc.load_incremental(&bytes).unwrap();
    }
    LedgerView::read(&doc).unwrap()
}

/// A confirmation written without touching the ledger, as a tablet without it does.
fn confirm_without_ledger(id: &'static str, now_ms: u64) -> DocWrite {
    DocWrite::Edit {
        doc: wish_doc(),
        edit: Box::new(move |d: &mut Automerge| {
            wish::confirm(d, st(id, "coord-1", now_ms), "c1")
                .map(|_| ())
                .map_err(|e| e.to_string())
        }),
    }
}

fn setup(store: &RedbStore) -> Engine {
    let mut engine = engine(store);
    let actor = engine.server_actor().clone();
    let mut ledger = Automerge::new().with_actor(actor.clone());
    create_ledger(&mut ledger, "c1", 1).unwrap();
    run(
        &mut engine,
        store,
        write(vec![
            DocWrite::Create {
                doc: ledger_doc(),
                content: Box::new(ledger),
            },
            DocWrite::Create {
                doc: wish_doc(),
                content: Box::new(resolved_wish(&actor)),
            },
        ]),
    );
    engine
}

#[test]
fn a_confirmation_without_the_ledger_gets_its_earn_entry_once() {
    let store = RedbStore::in_memory().unwrap();
    let mut engine = setup(&store);
    assert!(stored_ledger(&store).entries.is_empty());
    run(
        &mut engine,
        &store,
        write(vec![confirm_without_ledger("ev-k", 7_000)]),
    );
    let ledger = stored_ledger(&store);
    let earn = ledger
        .entries
        .get(&earn_id("w1", "c1"))
        .expect("the server wrote the earn entry");
    assert_eq!(
        (earn.kind, earn.by.as_str(), earn.at),
        (LedgerKind::Earn, "coord-1", 7_000)
    );
    assert_eq!(ledger.hours("vol-2"), 3.0);
    // Later changes to the wish write nothing more.
    let rate = DocWrite::Edit {
        doc: wish_doc(),
        edit: Box::new(|d: &mut Automerge| {
            wish::rate(d, st("ev-rate", "coord-1", 8_000), 5, "", true).map_err(|e| e.to_string())
        }),
    };
    run(&mut engine, &store, write(vec![rate]));
    assert_eq!(stored_ledger(&store).entries.len(), 1);
}

#[test]
fn after_a_restart_the_ledger_is_loaded_to_be_repaired() {
    let store = RedbStore::in_memory().unwrap();
    drop(setup(&store));
    // A new engine knows the ledger from its stored row only; the document is not loaded.
    let mut engine = engine(&store);
    run(
        &mut engine,
        &store,
        write(vec![confirm_without_ledger("ev-k", 7_000)]),
    );
    let ledger = stored_ledger(&store);
    assert_eq!(ledger.entries.len(), 1);
    assert_eq!(ledger.balance("person:vol-2"), 3);
}
