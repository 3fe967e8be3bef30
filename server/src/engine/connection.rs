//! Connections and the protocol handshake: `join` binds a peer id to a socket.
//!
//! A peer id belongs to the device that joined with it first while that socket lives: a
//! re-join by the same device replaces its old socket, a join by another device with
//! that peer id is refused (its own socket closes, the holder's stays).

use std::collections::{HashMap, HashSet};

use crate::access::Principal;
use wish_client_core::proto::{
    DocumentId, PeerId, PeerMetadata, StorageId, WireMessage, PROTOCOL_VERSION,
};

use super::Engine;

/// Identifies one socket for the lifetime of the server process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// What the engine knows about a peer once it has joined.
#[derive(Debug)]
pub(super) struct Peer {
    pub id: PeerId,
    /// Who is connected: role, person, stations. Replaced live on a role change.
    pub principal: Principal,
    /// Set for non-ephemeral peers with storage: their sync state is persisted under it.
    pub storage_id: Option<StorageId>,
    /// The peer asked for `remote-heads-changed` of this server's storage.
    pub wants_server_heads: bool,
    /// Documents with a sync session for this peer.
    pub docs: HashSet<DocumentId>,
}

#[derive(Debug, Default)]
pub(super) struct Connections {
    pending: HashMap<ConnId, Principal>,
    joined: HashMap<ConnId, Peer>,
    by_peer: HashMap<PeerId, ConnId>,
}

impl Connections {
    pub fn open(&mut self, conn: ConnId, principal: Principal) {
        self.pending.insert(conn, principal);
    }

    /// The principal of a socket that has not joined yet.
    fn pending_principal(&self, conn: ConnId) -> Option<Principal> {
        self.pending.get(&conn).cloned()
    }

    /// Connections of one device, joined or not yet.
    pub fn of_device(&self, device_id: &str) -> Vec<ConnId> {
        let pending = self
            .pending
            .iter()
            .filter(|(_, p)| p.device_id == device_id)
            .map(|(c, _)| *c);
        let joined = self
            .joined
            .iter()
            .filter(|(_, p)| p.principal.device_id == device_id)
            .map(|(c, _)| *c);
        pending.chain(joined).collect()
    }

    pub fn joined_count(&self) -> usize {
        self.joined.len()
    }

    pub fn peer(&self, conn: ConnId) -> Option<&Peer> {
        self.joined.get(&conn)
    }

    pub fn peer_mut(&mut self, conn: ConnId) -> Option<&mut Peer> {
        self.joined.get_mut(&conn)
    }

    pub fn conn_of(&self, peer: &PeerId) -> Option<ConnId> {
        self.by_peer.get(peer).copied()
    }

    fn bind(&mut self, conn: ConnId, peer: Peer) {
        self.pending.remove(&conn);
        self.by_peer.insert(peer.id.clone(), conn);
        self.joined.insert(conn, peer);
    }

    /// Forgets the connection; returns its peer if it had joined.
    pub fn remove(&mut self, conn: ConnId) -> Option<Peer> {
        self.pending.remove(&conn);
        let peer = self.joined.remove(&conn)?;
        if self.by_peer.get(&peer.id) == Some(&conn) {
            self.by_peer.remove(&peer.id);
        }
        Some(peer)
    }
}

impl Engine {
    pub(super) fn on_message(&mut self, conn: ConnId, message: WireMessage) {
        if let WireMessage::Join { .. } = message {
            return self.on_join(conn, message);
        }
        let Some(peer) = self.conns.peer(conn) else {
            return self.refuse(conn, "the first message must be join");
        };
        if message.sender_id() != Some(&peer.id) {
            // automerge-repo drops such messages; we log them so nothing vanishes unseen.
            tracing::warn!(
                conn = conn.0,
                kind = message.type_name(),
                "sender id does not match the joined peer; ignored"
            );
            return;
        }
        self.on_repo_message(conn, message);
    }

    fn on_repo_message(&mut self, conn: ConnId, message: WireMessage) {
        match message {
            WireMessage::Sync { .. } | WireMessage::Request { .. } => self.on_sync(conn, message),
            WireMessage::Ephemeral { .. } => self.on_ephemeral(conn, message),
            WireMessage::RemoteSubscriptionChange { add, remove, .. } => self
                .on_subscription_change(conn, add.unwrap_or_default(), remove.unwrap_or_default()),
            WireMessage::Join { .. } | WireMessage::Leave { .. } => {}
            WireMessage::Peer { .. }
            | WireMessage::Error { .. }
            | WireMessage::DocUnavailable { .. }
            | WireMessage::RemoteHeadsChanged { .. } => {
                // Clients have nothing to tell the hub with these; ignoring is what the
                // reference server does for documents it does not request.
                tracing::debug!(conn = conn.0, kind = message.type_name(), "ignored message");
            }
        }
    }

    fn on_join(&mut self, conn: ConnId, message: WireMessage) {
        let WireMessage::Join {
            sender_id,
            supported_protocol_versions,
            peer_metadata,
        } = message
        else {
            return;
        };
        if self.conns.peer(conn).is_some() {
            return self.refuse(conn, "join sent twice on one connection");
        }
        if !supports_protocol_one(&supported_protocol_versions) {
            return self.refuse(conn, "unsupported protocol version");
        }
        let Some(principal) = self.conns.pending_principal(conn) else {
            return;
        };
        if sender_id == self.server_peer {
            self.audit(
                "peer-id-taken",
                &principal.device_id,
                "the server's peer id",
            );
            return self.refuse(conn, "this peer id is the server's");
        }
        if let Some(old) = self.conns.conn_of(&sender_id) {
            if !self.same_device(old, &principal) {
                self.audit(
                    "peer-id-taken",
                    &principal.device_id,
                    &format!("peer {sender_id}"),
                );
                return self.refuse(conn, "this peer id is in use by another device");
            }
            // A re-join with the same peer id replaces the old socket (automerge-repo #206).
            self.close(old, "replaced by a new connection of the same peer");
            self.on_disconnected(old);
        }
        let metadata = peer_metadata.unwrap_or_default();
        let storage_id = metadata.storage_id.filter(|_| !metadata.is_ephemeral);
        self.audit(
            "connected",
            &principal.device_id,
            &format!("peer {sender_id}"),
        );
        let peer = Peer {
            id: sender_id.clone(),
            principal,
            storage_id,
            wants_server_heads: false,
            docs: HashSet::new(),
        };
        self.conns.bind(conn, peer);
        self.send(conn, self.peer_message(sender_id));
    }

    /// Whether the peer on `conn` belongs to the device of `principal`: only a device
    /// replaces its own peer's socket.
    fn same_device(&self, conn: ConnId, principal: &Principal) -> bool {
        self.conns
            .peer(conn)
            .is_some_and(|p| p.principal.device_id == principal.device_id)
    }

    fn peer_message(&self, target_id: PeerId) -> WireMessage {
        WireMessage::Peer {
            sender_id: self.server_peer.clone(),
            target_id,
            selected_protocol_version: PROTOCOL_VERSION.to_owned(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some(self.storage_id.clone()),
                is_ephemeral: false,
            }),
        }
    }

    /// Sends an `error` message and closes the connection.
    pub(super) fn refuse(&mut self, conn: ConnId, reason: &str) {
        let target_id = self.conns.peer(conn).map(|p| p.id.clone());
        let message = WireMessage::Error {
            message: reason.to_owned(),
            sender_id: Some(self.server_peer.clone()),
            target_id,
        };
        self.send(conn, message);
        self.close(conn, reason);
        self.on_disconnected(conn);
    }

    pub(super) fn on_disconnected(&mut self, conn: ConnId) {
        let Some(peer) = self.conns.remove(conn) else {
            return;
        };
        let mut batch = crate::storage::WriteBatch::default();
        let now_ms = self.now_ms;
        for doc_id in &peer.docs {
            if let Some(doc) = self.ready_mut(doc_id) {
                doc.end_session(&peer, &mut batch, now_ms);
            }
        }
        self.persist(batch);
    }

    fn on_subscription_change(
        &mut self,
        conn: ConnId,
        add: Vec<StorageId>,
        remove: Vec<StorageId>,
    ) {
        let ours = self.storage_id.clone();
        let Some(peer) = self.conns.peer_mut(conn) else {
            return;
        };
        if remove.contains(&ours) {
            peer.wants_server_heads = false;
        }
        if add.contains(&ours) && !peer.wants_server_heads {
            peer.wants_server_heads = true;
            let docs: Vec<DocumentId> = peer.docs.iter().copied().collect();
            for doc in docs {
                self.announce_heads_to(conn, doc);
            }
        }
    }
}

fn supports_protocol_one(versions: &[String]) -> bool {
    // A join without the field predates versioning and means "1" (JS selectProtocol).
    versions.is_empty() || versions.iter().any(|v| v == PROTOCOL_VERSION)
}
