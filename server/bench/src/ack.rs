//! How the bench learns that the server holds a change.
//!
//! * `remote-heads`: the server sent `remote-heads-changed` with its heads (our server
//!   does so after the commit, when the client subscribed to its storage id). This is a
//!   durability acknowledgement.
//! * `sync-heads`: the heads in a sync message from the server include the change. The
//!   server has the change in memory; whether it is on disk yet is not known (the JS
//!   reference server saves with a 100 ms debounce and does not gossip heads).
//! * `durable-sync-heads`: the same signal from our server, which sends a sync message
//!   only once everything in it is committed, and then no `remote-heads-changed` with the
//!   same heads. The wire cannot show durability: this mode is chosen because the bench
//!   started our server (or by `--ack`).

use std::collections::HashMap;
use std::time::Duration;

use automerge::{sync, ChangeHash};
use serde::Serialize;
use wish_client_core::proto::{decode_heads, DocumentId, WireMessage};
use wish_client_core::sync::ClientDriver;

use crate::counter;
use crate::peer::{Behaviour, Peer, PeerConfig};
use tokio::time::Instant;

/// How long the probe waits for `remote-heads-changed` once the server has its change.
const REMOTE_HEADS_GRACE: Duration = Duration::from_secs(2);

// The variant names are the `--ack` values and the JSON reports' words.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum AckMode {
    RemoteHeads,
    SyncHeads,
    DurableSyncHeads,
}

impl AckMode {
    pub fn describe(self) -> &'static str {
        match self {
            Self::RemoteHeads => "remote-heads-changed after the server's commit (durable)",
            Self::SyncHeads => {
                "heads of the server's sync messages (held by the server, durability unknown)"
            }
            Self::DurableSyncHeads => {
                "heads of the server's sync messages, sent after its commit (durable)"
            }
        }
    }

    /// Whether an acknowledgement means the change is on the server's disk.
    pub fn durable(self) -> bool {
        self != Self::SyncHeads
    }

    /// The message that carries the acknowledgement.
    fn carrier(self) -> Self {
        match self {
            Self::DurableSyncHeads => Self::SyncHeads,
            other => other,
        }
    }
}

/// The server's heads of a document, if `message` reports them in the given way.
pub fn server_heads(message: &WireMessage, mode: AckMode) -> Option<(DocumentId, Vec<ChangeHash>)> {
    match (mode.carrier(), message) {
        (
            AckMode::RemoteHeads,
            WireMessage::RemoteHeadsChanged {
                document_id,
                new_heads,
                ..
            },
        ) => {
            let mut heads = Vec::new();
            for entry in new_heads.values() {
                heads.extend(decode_heads(&entry.heads).ok()?);
            }
            Some((*document_id, heads))
        }
        (
            AckMode::SyncHeads,
            WireMessage::Sync {
                document_id, data, ..
            },
        ) => {
            let heads = sync::Message::decode(data).ok()?.heads;
            Some((*document_id, heads))
        }
        _ => None,
    }
}

/// Records the last heads the server reported for each document, both ways.
#[derive(Default)]
pub struct ServerHeads {
    remote: HashMap<DocumentId, Vec<ChangeHash>>,
    synced: HashMap<DocumentId, Vec<ChangeHash>>,
}

impl ServerHeads {
    /// Whether the server reported exactly `heads` for `doc` in the given way.
    pub fn reported(&self, mode: AckMode, doc: &DocumentId, heads: &[ChangeHash]) -> bool {
        let map = match mode.carrier() {
            AckMode::RemoteHeads => &self.remote,
            _ => &self.synced,
        };
        map.get(doc).is_some_and(|h| h.as_slice() == heads)
    }

    /// Whether the server reported `heads` for `doc` in any way.
    pub fn has(&self, doc: &DocumentId, heads: &[ChangeHash]) -> bool {
        self.reported(AckMode::RemoteHeads, doc, heads)
            || self.reported(AckMode::SyncHeads, doc, heads)
    }
}

impl Behaviour for ServerHeads {
    fn on_message(&mut self, message: &WireMessage, _at: Instant) {
        for (mode, map) in [
            (AckMode::RemoteHeads, &mut self.remote),
            (AckMode::SyncHeads, &mut self.synced),
        ] {
            if let Some((doc, heads)) = server_heads(message, mode) {
                if !heads.is_empty() {
                    map.insert(doc, heads);
                }
            }
        }
    }
}

/// Finds out how the server acknowledges changes: creates one document and waits for
/// `remote-heads-changed` after the server has it. Without it, the heads of our server's
/// sync messages (`ours`) are durable, anyone else's are not known to be.
pub async fn probe(
    mut config: PeerConfig,
    timeout: Duration,
    ours: bool,
) -> anyhow::Result<AckMode> {
    config.name = format!("{}-probe", config.name);
    let peer = Peer::start(config, ServerHeads::default());
    let result = probe_with(&peer, timeout).await;
    peer.stop().await;
    Ok(match result? {
        AckMode::SyncHeads if ours => AckMode::DurableSyncHeads,
        mode => mode,
    })
}

async fn probe_with(peer: &Peer<ServerHeads>, timeout: Duration) -> anyhow::Result<AckMode> {
    peer.wait_ready(timeout).await?;
    let (doc, hash) = peer.call(|driver, _| counter::create(driver)).await??;
    let heads = vec![hash];
    let expected = heads.clone();
    peer.wait_until(
        "the server to hold the probe document",
        timeout,
        move |_, s| s.has(&doc, &expected),
    )
    .await?;
    let gossiped = peer
        .wait_until(
            "remote-heads-changed",
            REMOTE_HEADS_GRACE,
            move |_, s: &ServerHeads| s.reported(AckMode::RemoteHeads, &doc, &heads),
        )
        .await
        .is_ok();
    Ok(if gossiped {
        AckMode::RemoteHeads
    } else {
        AckMode::SyncHeads
    })
}

/// Whether `driver` holds `doc` with exactly `heads`.
pub fn holds(driver: &ClientDriver, doc: &DocumentId, heads: &[ChangeHash]) -> bool {
    counter::heads(driver, doc) == heads
}
