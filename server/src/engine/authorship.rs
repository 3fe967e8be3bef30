//! Authorship: every Automerge actor id is bound to the device that first uploaded a
//! change by it (`["actor", actorHex]` → device id). A device uploading changes by an
//! actor bound to another device is refused, unless it may relay (a coordinator or the
//! office restoring a tablet's data); the refusal goes to the audit log.

use std::collections::HashMap;

use automerge::ChangeHash;
use wish_client_core::proto::DocumentId;

use super::connection::ConnId;
use super::loading::ready_in;
use super::Engine;
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

    /// Checks the actors of the changes made since `before`; binds new actors to the
    /// sending device. Returns false if a change is by another device's actor.
    pub(super) fn authorship_ok(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        before: &[ChangeHash],
    ) -> bool {
        let Some(peer) = self.conns.peer(conn) else {
            return false;
        };
        let (device, may_relay) = (peer.principal.device_id.clone(), peer.principal.may_relay());
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return false;
        };
        let mut actors: Vec<String> = state
            .doc
            .get_changes(before)
            .iter()
            .map(|c| c.actor_id().to_hex_string())
            .collect();
        actors.sort();
        actors.dedup();
        let mut batch = WriteBatch::default();
        for actor in actors {
            match self.actors.get(&actor) {
                Some(owner) if *owner != device && !may_relay => {
                    self.audit(
                        "refused-foreign-actor",
                        &device,
                        &format!("{doc_id} actor {actor} belongs to {owner}"),
                    );
                    return false;
                }
                Some(_) => {}
                None => {
                    batch.put(
                        key([ACTOR_PREFIX.to_owned(), actor.clone()]),
                        device.clone().into_bytes(),
                    );
                    self.actors.insert(actor, device.clone());
                }
            }
        }
        self.persist(batch);
        true
    }
}
