//! Server writes (`engine/server_write.rs`): documents the engine creates or edits on
//! behalf of a REST caller wait for their loads, are persisted before they are answered,
//! are all or none, and are refused when built by another actor or outside the caller's
//! access.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, Automerge};
use wish_client_core::model::StationKind;
use wish_client_core::ops::station::{create_station, index_wish, NewStation};
use wish_client_core::proto::{DocumentId, PeerId, StorageId};
use wish_server::access::{Principal, Role};
use wish_server::engine::{DocWrite, Effect, Engine, EngineConfig, Input, ServerWrite, WriteError};
use wish_server::storage::{Key, WriteOp};

fn engine() -> Engine {
    Engine::new(
        PeerId::new("server"),
        StorageId::new("s"),
        EngineConfig::default(),
    )
}

fn coordinator(station: &str) -> Principal {
    Principal {
        device_id: "dev-k".into(),
        role: Role::Coordinator,
        person: "p-k".into(),
        community: Some("c1".into()),
        stations: BTreeSet::from([station.to_owned()]),
        covers: Default::default(),
    }
}

fn station_doc(actor: &ActorId, id: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(actor.clone());
    let station = NewStation {
        id: id.into(),
        community: "c1".into(),
        name: "一号站".into(),
        kind: StationKind::Station,
        address: String::new(),
    };
    create_station(&mut doc, &station, 1).unwrap();
    doc
}

/// Feeds the write, answering every load from `stored` (empty when absent); returns the
/// effects and what was persisted.
fn run(
    engine: &mut Engine,
    write: ServerWrite,
    stored: &BTreeMap<DocumentId, Vec<(Key, Vec<u8>)>>,
) -> (Vec<Effect>, Vec<Key>) {
    let mut pending = engine.handle(10, Input::ServerWrite(write));
    let mut done = Vec::new();
    let mut persisted = Vec::new();
    while let Some(effect) = (!pending.is_empty()).then(|| pending.remove(0)) {
        match effect {
            Effect::Load(doc) => {
                let entries = stored.get(&doc).cloned().unwrap_or_default();
                pending.extend(engine.handle(11, Input::Loaded { doc, entries }));
            }
            Effect::Persist(batch) => {
                persisted.extend(batch.ops.into_iter().filter_map(|op| match op {
                    WriteOp::Put { key, .. } => Some(key),
                    _ => None,
                }))
            }
            other => done.push(other),
        }
    }
    (done, persisted)
}

fn answer(effects: &[Effect]) -> Result<(), WriteError> {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::WriteAnswered { outcome, .. } => Some(outcome.clone()),
            _ => None,
        })
        .expect("the write is answered")
}

fn write(by: Principal, docs: Vec<DocWrite>) -> ServerWrite {
    ServerWrite {
        request: 7,
        by,
        what: "test".into(),
        docs,
    }
}

#[test]
fn new_documents_are_persisted_before_the_answer() {
    let mut engine = engine();
    let actor = engine.server_actor().clone();
    let docs: Vec<DocWrite> = (0..3u8)
        .map(|i| DocWrite::Create {
            doc: DocumentId::from_bytes([i + 1; 16]),
            content: Box::new(station_doc(&actor, "A")),
        })
        .collect();
    let (effects, persisted) = run(&mut engine, write(coordinator("A"), docs), &BTreeMap::new());
    assert_eq!(answer(&effects), Ok(()));
    for i in 0..3u8 {
        let doc = DocumentId::from_bytes([i + 1; 16]).to_string();
        assert!(
            persisted
                .iter()
                .any(|k| k[0] == doc && k[1] == "incremental"),
            "{doc} persisted"
        );
    }
    assert!(
        persisted.iter().any(|k| k[0] == "audit"),
        "the write is audited"
    );
}

#[test]
fn a_document_built_by_another_actor_is_refused_and_nothing_is_written() {
    let mut engine = engine();
    let server = engine.server_actor().clone();
    let good = DocWrite::Create {
        doc: DocumentId::from_bytes([1; 16]),
        content: Box::new(station_doc(&server, "A")),
    };
    let forged = DocWrite::Create {
        doc: DocumentId::from_bytes([2; 16]),
        content: Box::new(station_doc(&ActorId::random(), "A")),
    };
    let (effects, persisted) = run(
        &mut engine,
        write(coordinator("A"), vec![good, forged]),
        &BTreeMap::new(),
    );
    assert!(matches!(answer(&effects), Err(WriteError::ForeignActor(_))));
    assert!(
        persisted.iter().all(|k| k[0] == "audit"),
        "only the refusal is recorded: {persisted:?}"
    );
}

#[test]
fn a_caller_may_not_write_outside_its_stations() {
    let mut engine = engine();
    let actor = engine.server_actor().clone();
    let other_station = DocWrite::Create {
        doc: DocumentId::from_bytes([3; 16]),
        content: Box::new(station_doc(&actor, "B")),
    };
    let (effects, _) = run(
        &mut engine,
        write(coordinator("A"), vec![other_station]),
        &BTreeMap::new(),
    );
    assert!(matches!(answer(&effects), Err(WriteError::Access(_))));
}

#[test]
fn an_edit_applies_to_the_stored_document_and_a_failed_edit_writes_nothing() {
    let mut engine = engine();
    let station_id = DocumentId::from_bytes([4; 16]);
    let stored_doc = station_doc(&ActorId::random(), "A");
    let stored = BTreeMap::from([(
        station_id,
        vec![(
            vec![station_id.to_string(), "snapshot".into(), "x".into()],
            stored_doc.save(),
        )],
    )]);
    let edit = |wish: &'static str| DocWrite::Edit {
        doc: station_id,
        edit: Box::new(move |doc| index_wish(doc, wish, 5).map_err(|e| e.to_string())),
    };
    let (effects, persisted) = run(
        &mut engine,
        write(coordinator("A"), vec![edit("w1")]),
        &stored,
    );
    assert_eq!(answer(&effects), Ok(()));
    assert!(persisted.iter().any(|k| k[0] == station_id.to_string()));
    // The same entry again fails (an index entry is added once): nothing is written.
    let (effects, persisted) = run(
        &mut engine,
        write(coordinator("A"), vec![edit("w2"), edit("w1")]),
        &stored,
    );
    assert!(matches!(answer(&effects), Err(WriteError::Edit(_))));
    assert!(persisted.iter().all(|k| k[0] == "audit"), "{persisted:?}");
    let missing = DocWrite::Edit {
        doc: DocumentId::from_bytes([9; 16]),
        edit: Box::new(|_| Ok(())),
    };
    let (effects, _) = run(&mut engine, write(coordinator("A"), vec![missing]), &stored);
    assert!(matches!(answer(&effects), Err(WriteError::Missing(_))));
}
