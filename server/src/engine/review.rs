//! Reviewing a peer's change before it is persisted: the access policy over the new
//! contents, the write rules over what the change did, and authorship of its actors.
//! A refused change is undone in memory (nothing was persisted or sent), the writer is
//! told why (an `ephemeral` message and a stored record for `GET /api/v1/refusals`), the
//! audit log records it, and other peers' sessions go on untouched.

use automerge::{ChangeHash, Patch, ReadDoc};
use wish_client_core::model::wish::WishRoot;
use wish_client_core::model::{DocType, WishView};
use wish_client_core::proto::{DocumentId, PeerId, WireMessage};

use super::access_check::MetaLookup;
use super::connection::ConnId;
use super::counters::Refusal as Counted;
use super::loading::{ready_in, DocSlot};
use super::Engine;
use crate::access::{DocMeta, Principal, Role};
use crate::refusals::{RefusalRecord, RefusalSignal, SIGNAL_TYPE};
use crate::rules::{self, ChangeUnderReview, Refusal, Verdict};
use crate::storage::WriteBatch;

/// A change just applied to a document, waiting for the verdict.
pub(super) struct Applied<'a> {
    pub conn: ConnId,
    pub doc_id: DocumentId,
    pub peer_id: &'a PeerId,
    pub before: &'a [ChangeHash],
    pub patches: &'a [Patch],
}

impl Engine {
    /// Decides on a change just applied; on refusal undoes it and tells the writer.
    /// `None` if refused; else the change stands, with the wish as read after it (for the
    /// domain hook, so the document is read once per change).
    pub(super) fn review_change(&mut self, change: Applied<'_>) -> Option<Option<WishView>> {
        // Authorship first: a change by the server's or another device's actor is refused
        // whatever it does.
        let actors = self.new_actors(change.doc_id, change.before);
        let verdict = self
            .authorship(change.conn, change.doc_id, &actors)
            .and_then(|()| self.judge(&change));
        match verdict {
            Ok((verdict, wish)) => {
                self.audit_on_behalf(change.conn, change.doc_id, verdict);
                self.bind_actors(change.conn, actors);
                Some(wish)
            }
            Err(refusal) => {
                self.refuse_write(&change, refusal);
                None
            }
        }
    }

    fn judge(&mut self, change: &Applied<'_>) -> Result<(Verdict, Option<WishView>), Refusal> {
        let (meta, read) = self.meta_after_change(change.doc_id);
        let (wish, root) = read.unzip();
        let was_empty = change.before.is_empty();
        if !self.change_allowed(change.conn, &meta, was_empty) {
            return Err(Refusal::new(
                "access",
                "本设备无权写入这些内容",
                "this device may not write these contents",
            ));
        }
        let writer = self
            .conns
            .peer(change.conn)
            .map(|p| p.principal.clone())
            .ok_or_else(|| Refusal::new("access", "连接已关闭", "the connection is gone"))?;
        let writer_unit = self.writer_unit(&writer, &meta);
        let state = ready_in(&mut self.docs, &change.doc_id)
            .ok_or_else(|| Refusal::new("access", "文档未加载", "the document is not loaded"))?;
        let known = &mut state.known_entries;
        let review = ChangeUnderReview {
            writer: &writer,
            meta: &meta,
            doc: &state.doc,
            before: change.before,
            patches: change.patches,
            wish,
            root: root.as_ref(),
            writer_unit,
        };
        let verdict = rules::check_with(&review, known)?;
        Ok((verdict, review.wish))
    }

    /// A partner's unit (`people/<person>/unit` of the community directory), for unit
    /// claims. Read from the community document when the server holds it in memory: a
    /// partner's tablet syncs the directory while connected, so it is held while the
    /// partner writes; otherwise `None`, and a unit claim is refused (the partner retries).
    fn writer_unit(&self, writer: &Principal, meta: &DocMeta) -> Option<String> {
        if writer.role != Role::Partner || meta.doc_type != Some(DocType::Wish) {
            return None;
        }
        let community: DocumentId = meta.community.as_deref()?.parse().ok()?;
        let Some(DocSlot::Ready(state)) = self.docs.get(&community) else {
            return None;
        };
        let path = ["people".to_owned(), writer.person.clone()];
        rules::read_string_at(&state.doc, &path, "unit").filter(|u| !u.is_empty())
    }

    /// The access facts after the change, and the wish read for them with what that read
    /// saw of the root (wishes only); a contact whose wish is not loaded is judged on its
    /// own contents.
    fn meta_after_change(&mut self, doc_id: DocumentId) -> (DocMeta, Option<(WishView, WishRoot)>) {
        let wish = ready_in(&mut self.docs, &doc_id).and_then(|s| s.refresh_meta_and_read());
        let meta = match self.meta_of(doc_id) {
            MetaLookup::Known(meta) => meta,
            MetaLookup::NeedsWish(_) => ready_in(&mut self.docs, &doc_id)
                .map(|s| s.meta.clone())
                .unwrap_or_default(),
        };
        (meta, wish)
    }

    fn audit_on_behalf(&mut self, conn: ConnId, doc_id: DocumentId, verdict: Verdict) {
        if verdict.on_behalf.is_empty() {
            return;
        }
        let device = self.device_of(conn);
        let detail = format!("{doc_id}: {}", verdict.on_behalf.join("; "));
        self.audit("written-on-behalf", &device, &detail);
    }

    pub(super) fn device_of(&self, conn: ConnId) -> String {
        self.conns
            .peer(conn)
            .map(|p| p.principal.device_id.clone())
            .unwrap_or_default()
    }

    /// Undoes the change, records and reports the refusal. A refused creation leaves an
    /// empty document, which is dropped and answered as absent. A device past its hourly
    /// budget of refusals is disconnected instead, and nothing more is stored.
    fn refuse_write(&mut self, change: &Applied<'_>, refusal: Refusal) {
        let hashes = self.changes_since(change.doc_id, change.before);
        let device = self.device_of(change.conn);
        let was_empty = change.before.is_empty();
        if !self.undo(change, was_empty) || !self.spend_refusal_budget(change.conn, &device) {
            return;
        }
        let counted = if was_empty {
            Counted::Creation
        } else {
            Counted::Change
        };
        let detail = format!(
            "{} rule {}: {}",
            change.doc_id, refusal.rule, refusal.reason
        );
        self.audit(counted.label(), &device, &detail);
        self.record_refusal(change, &device, &refusal, hashes);
        if was_empty {
            self.unavailable(change.conn, change.doc_id);
        }
    }

    /// Takes the refused change out of memory. False if the document could not be
    /// rebuilt (it is then unloaded and the writer disconnected).
    fn undo(&mut self, change: &Applied<'_>, was_empty: bool) -> bool {
        if was_empty {
            self.discard(change.doc_id);
            return true;
        }
        let restored = ready_in(&mut self.docs, &change.doc_id)
            .is_some_and(|state| state.restore(change.before, change.peer_id));
        if !restored {
            self.discard(change.doc_id);
            self.refuse(
                change.conn,
                "change refused and the document could not be restored",
            );
        }
        restored
    }

    /// Tells a peer that may only read a document that its own changes to it are refused.
    /// Automerge flags the session read-only, so a current client does not even send
    /// them; its heads name them. Told once per set of changes, with the same signal,
    /// record and audit as a refused write (nothing is undone: nothing was applied).
    pub(super) fn refuse_read_only_changes(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        peer_id: &PeerId,
        message: &automerge::sync::Message,
    ) {
        let Some(state) = ready_in(&mut self.docs, &doc_id) else {
            return;
        };
        let unknown = unknown_changes(&state.doc, message);
        let Some(session) = state.sessions.get_mut(peer_id) else {
            return;
        };
        if unknown.is_empty() || session.refused_read_only == unknown {
            return;
        }
        session.refused_read_only.clone_from(&unknown);
        let device = self.device_of(conn);
        if !self.spend_refusal_budget(conn, &device) {
            return;
        }
        let refusal = Refusal::new(
            "access.read-only",
            "本设备只能查看这份资料，不能修改",
            "this device may only read this",
        );
        let detail = format!("{doc_id} rule {}: {}", refusal.rule, refusal.reason);
        self.audit(Counted::Change.label(), &device, &detail);
        let change = Applied {
            conn,
            doc_id,
            peer_id,
            before: &[],
            patches: &[],
        };
        let hashes = unknown.iter().map(ChangeHash::to_string).collect();
        self.record_refusal(&change, &device, &refusal, hashes);
    }

    fn changes_since(&mut self, doc_id: DocumentId, before: &[ChangeHash]) -> Vec<String> {
        ready_in(&mut self.docs, &doc_id)
            .map(|s| s.doc.get_changes(before))
            .unwrap_or_default()
            .iter()
            .map(|c| c.hash().to_string())
            .collect()
    }

    /// Stores the refusal for `GET /api/v1/refusals` and sends the writer the signal.
    fn record_refusal(
        &mut self,
        change: &Applied<'_>,
        device: &str,
        refusal: &Refusal,
        changes: Vec<String>,
    ) {
        self.refusal_seq += 1;
        let id = format!("{}-{}", self.now_ms, self.refusal_seq);
        let record = RefusalRecord {
            id: id.clone(),
            doc: change.doc_id.to_string(),
            at: self.now_ms,
            rule: refusal.rule.clone(),
            reason: refusal.reason.clone(),
            changes,
        };
        if let Ok(bytes) = serde_json::to_vec(&record) {
            let mut batch = WriteBatch::default();
            let key = crate::refusals::key(device, self.now_ms, self.refusal_seq);
            batch.put(key, bytes);
            self.persist(batch);
        }
        self.signal_refusal(change, &record);
    }

    fn signal_refusal(&mut self, change: &Applied<'_>, record: &RefusalRecord) {
        let signal = RefusalSignal {
            kind: SIGNAL_TYPE,
            id: &record.id,
            rule: &record.rule,
            reason: &record.reason,
            changes: &record.changes,
        };
        let mut data = Vec::new();
        if ciborium::into_writer(&signal, &mut data).is_err() {
            return;
        }
        let message = WireMessage::Ephemeral {
            sender_id: self.server_peer.clone(),
            target_id: change.peer_id.clone(),
            document_id: change.doc_id,
            session_id: self.server_peer.to_string(),
            count: self.refusal_seq,
            data,
        };
        self.send(change.conn, message);
    }
}

/// The peer's heads and sent changes that the server's copy does not hold, sorted
/// (`get_missing_deps` looks hashes up in the change graph; no change is rebuilt).
fn unknown_changes(
    doc: &automerge::Automerge,
    message: &automerge::sync::Message,
) -> Vec<ChangeHash> {
    let sent = message.changes.iter().filter_map(|bytes| {
        let parsed = std::panic::catch_unwind(|| automerge::Change::from_bytes(bytes.to_vec()));
        parsed.ok()?.ok().map(|change| change.hash())
    });
    let named: Vec<ChangeHash> = message.heads.iter().copied().chain(sent).collect();
    let mut unknown = doc.get_missing_deps(&named);
    unknown.sort();
    unknown.dedup();
    unknown
}
