//! Authorship: every Automerge actor id is bound to the device that first uploaded a
//! change by it (`["actor", actorHex]` → device id). A device uploading changes by an
//! actor bound to another device is refused, unless it may relay (a coordinator or the
//! office restoring a tablet's data); the refusal goes to the audit log. The server's own
//! actor (derived from its storage id, so peers could compute it) is reserved: no device
//! may upload a change by it.

use std::collections::HashMap;

use automerge::ChangeHash;
use wish_client_core::proto::DocumentId;

use super::connection::ConnId;
use super::loading::ready_in;
use super::Engine;
use crate::rules::Refusal;
use crate::storage::{key, WriteBatch};

/// The first key part of actor bindings.
pub const ACTOR_PREFIX: &str = "actor";

/// Actor bindings loaded at start-up.
pub type ActorBindings = HashMap<String, String>;

impl Engine {
    /// Installs the bindings stored so far (see [`ACTOR_PREFIX`]).
    pub fn with_actor_bindings(mut self, bindings: ActorBindings) -> Self {
        self.actors = bindings;
        self
    }

    /// Checks `actors` (of the changes made since the heads before, [`Self::new_actors`]):
    /// none may be the server's own (reserved at start), and none may be bound to another
    /// device unless this one may relay.
    pub(super) fn authorship(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        actors: &[String],
    ) -> Result<(), Refusal> {
        let Some(peer) = self.conns.peer(conn) else {
            return Err(Refusal::new(
                "access",
                "连接已关闭",
                "the connection is gone",
            ));
        };
        let (device, may_relay) = (peer.principal.device_id.clone(), peer.principal.may_relay());
        let server_actor = self.server_actor.clone();
        for actor in actors {
            if crate::domain::is_server_actor(&server_actor, actor) {
                return Err(Refusal::new(
                    "server-actor",
                    "不能以服务器的名义写入",
                    "changes by the server's actor are reserved to the server",
                ));
            }
            match self.actors.get(actor) {
                Some(owner) if *owner != device && !may_relay => {
                    let detail = format!("{doc_id} actor {actor} belongs to {owner}");
                    self.audit("refused-foreign-actor", &device, &detail);
                    return Err(Refusal::new(
                        "foreign-actor",
                        "这些更改属于另一台设备",
                        "these changes were made by another device",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Binds the actors of an accepted change that no device owns yet to the sender.
    pub(super) fn bind_actors(&mut self, conn: ConnId, actors: Vec<String>) {
        if actors.iter().all(|actor| self.actors.contains_key(actor)) {
            return;
        }
        let device = self.device_of(conn);
        let mut batch = WriteBatch::default();
        for actor in actors {
            if self.actors.contains_key(&actor) {
                continue;
            }
            batch.put(
                key([ACTOR_PREFIX.to_owned(), actor.clone()]),
                device.clone().into_bytes(),
            );
            self.actors.insert(actor, device.clone());
        }
        self.persist(batch);
    }

    /// The actors of the changes made since `before`, sorted, each once. Read from the
    /// change graph's metadata (`get_changes_meta`): `get_changes` would rebuild each
    /// change's operations, which authorship does not need.
    pub(super) fn new_actors(&mut self, doc_id: DocumentId, before: &[ChangeHash]) -> Vec<String> {
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return Vec::new();
        };
        let mut actors: Vec<String> = state
            .doc
            .get_changes_meta(before)
            .iter()
            .map(|c| c.actor.to_hex_string())
            .collect();
        actors.sort();
        actors.dedup();
        actors
    }
}
