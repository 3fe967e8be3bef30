//! A peer id belongs to one device: a `join` with another device's peer id does not
//! close that device's socket (regression: any device could knock another off by
//! joining with its peer id).

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeSet;

use wish_client_core::proto::{PeerId, StorageId, WireMessage};
use wish_server::access::{Principal, Role};
use wish_server::engine::{ConnId, Effect, Engine, EngineConfig, Input};

fn device(id: &str) -> Principal {
    Principal {
        device_id: id.into(),
        role: Role::Volunteer,
        person: format!("p-{id}"),
        community: Some("c1".into()),
        stations: BTreeSet::from(["A".to_owned()]),
        covers: Default::default(),
    }
}

/// Connects `conn` as `principal` and joins with `peer`; returns the closed connections.
fn join(engine: &mut Engine, conn: u64, principal: Principal, peer: &str) -> Vec<ConnId> {
    let conn = ConnId(conn);
    engine.handle(1, Input::Connected { conn, principal });
    let join = WireMessage::Join {
        sender_id: PeerId::new(peer),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    };
    engine
        .handle(
            2,
            Input::Message {
                conn,
                message: join,
            },
        )
        .into_iter()
        .filter_map(|e| match e {
            Effect::Close { conn, .. } => Some(conn),
            _ => None,
        })
        .collect()
}

fn engine() -> Engine {
    Engine::new(
        PeerId::new("server"),
        StorageId::new("s"),
        EngineConfig::default(),
    )
}

#[test]
fn another_device_joining_with_a_taken_peer_id_is_refused_and_the_holder_stays() {
    let mut engine = engine();
    assert!(join(&mut engine, 1, device("a"), "peer-a").is_empty());
    assert_eq!(
        join(&mut engine, 2, device("b"), "peer-a"),
        vec![ConnId(2)],
        "the intruder's own socket closes, not the holder's"
    );
    assert_eq!(engine.joined_peers(), 1);
}

#[test]
fn the_same_device_rejoining_replaces_its_old_socket() {
    let mut engine = engine();
    assert!(join(&mut engine, 1, device("a"), "peer-a").is_empty());
    assert_eq!(join(&mut engine, 2, device("a"), "peer-a"), vec![ConnId(1)]);
    assert_eq!(engine.joined_peers(), 1);
}

#[test]
fn no_device_joins_with_the_servers_peer_id() {
    // With it, its ephemeral messages would carry the server's sender id and a tablet
    // would take a forged "wish-station/refused" signal for the server's.
    let mut engine = engine();
    assert_eq!(join(&mut engine, 1, device("a"), "server"), vec![ConnId(1)]);
    assert_eq!(engine.joined_peers(), 0);
}
