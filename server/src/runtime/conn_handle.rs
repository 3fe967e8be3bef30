//! The engine thread's end of one connection: an outbound queue bounded in bytes, and a
//! close signal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, Notify};
use wish_client_core::proto::WireMessage;

/// Allowance per message for ids, type and CBOR framing on top of its payload.
const ENVELOPE_BYTES: usize = 160;

/// What a connection task is told to send.
#[derive(Debug)]
pub enum Outbound {
    Message(WireMessage),
}

/// Held by the engine thread for each connection.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    outbound: mpsc::UnboundedSender<Outbound>,
    queued: Arc<QueuedBytes>,
    close: Arc<CloseSignal>,
}

/// Bytes waiting in one connection's queue, against its budget. The engine thread adds
/// when it queues; the connection task subtracts once a message is written.
#[derive(Debug)]
pub struct QueuedBytes {
    bytes: AtomicUsize,
    budget: usize,
}

impl QueuedBytes {
    /// A message left the queue.
    pub fn written(&self, message: &WireMessage) {
        self.bytes.fetch_sub(wire_size(message), Ordering::Relaxed);
    }

    /// Takes `size` bytes of the budget, or none if they do not fit. The budget is
    /// counted in bytes, not messages: a thousand small sync replies to a fresh tablet
    /// are fine, a few huge ones to a peer that stopped reading are not.
    fn reserve(&self, size: usize) -> bool {
        self.bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |queued| {
                let total = queued.saturating_add(size);
                // A single message larger than the whole budget still goes to an idle peer.
                (queued == 0 || total <= self.budget).then_some(total)
            })
            .is_ok()
    }
}

/// Bytes a message takes in the queue, near enough for a memory budget.
pub fn wire_size(message: &WireMessage) -> usize {
    let payload = match message {
        WireMessage::Sync { data, .. }
        | WireMessage::Request { data, .. }
        | WireMessage::Ephemeral { data, .. } => data.len(),
        WireMessage::RemoteHeadsChanged { new_heads, .. } => new_heads
            .values()
            .map(|at| at.heads.iter().map(String::len).sum::<usize>())
            .sum(),
        WireMessage::Error { message, .. } => message.len(),
        _ => 0,
    };
    ENVELOPE_BYTES + payload
}

/// Why a message could not be queued.
#[derive(Debug, PartialEq, Eq)]
pub enum QueueError {
    /// The peer is not reading fast enough.
    Full,
    /// The connection task has ended.
    Gone,
}

/// A one-shot close request with a reason, readable by the connection task.
#[derive(Debug, Default)]
pub struct CloseSignal {
    reason: Mutex<Option<String>>,
    notify: Notify,
}

impl CloseSignal {
    pub fn close(&self, reason: String) {
        if let Ok(mut slot) = self.reason.lock() {
            slot.get_or_insert(reason);
        }
        self.notify.notify_one();
    }

    /// Waits until [`CloseSignal::close`] is called; returns the reason.
    pub async fn closed(&self) -> String {
        loop {
            if let Some(reason) = self.reason.lock().ok().and_then(|r| r.clone()) {
                return reason;
            }
            self.notify.notified().await;
        }
    }
}

/// The connection task's ends of a [`ConnHandle`].
pub struct ConnEnds {
    pub outbound: mpsc::UnboundedReceiver<Outbound>,
    pub queued: Arc<QueuedBytes>,
    pub close: Arc<CloseSignal>,
}

impl ConnHandle {
    /// Creates the handle and the receiving ends for the connection task; at most
    /// `budget_bytes` may wait to be written.
    pub fn new(budget_bytes: usize) -> (Self, ConnEnds) {
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = Arc::new(QueuedBytes {
            bytes: AtomicUsize::new(0),
            budget: budget_bytes.max(1),
        });
        let close = Arc::new(CloseSignal::default());
        let handle = Self {
            outbound: tx,
            queued: queued.clone(),
            close: close.clone(),
        };
        let ends = ConnEnds {
            outbound: rx,
            queued,
            close,
        };
        (handle, ends)
    }

    pub fn try_send(&self, message: WireMessage) -> Result<(), QueueError> {
        if self.outbound.is_closed() {
            return Err(QueueError::Gone);
        }
        if !self.queued.reserve(wire_size(&message)) {
            return Err(QueueError::Full);
        }
        self.outbound
            .send(Outbound::Message(message))
            .map_err(|_| QueueError::Gone)
    }

    pub fn close(&self, reason: String) {
        self.close.close(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wish_client_core::proto::{DocumentId, PeerId};

    fn sync_of(bytes: usize) -> WireMessage {
        WireMessage::Sync {
            sender_id: PeerId::new("server"),
            target_id: PeerId::new("tablet"),
            document_id: DocumentId::from_bytes([1; 16]),
            data: vec![0; bytes],
        }
    }

    #[test]
    fn the_budget_counts_bytes_and_frees_what_was_written() {
        let (handle, ends) = ConnHandle::new(10_000);
        for _ in 0..20 {
            assert_eq!(handle.try_send(sync_of(100)), Ok(()));
        }
        assert_eq!(handle.try_send(sync_of(8_000)), Err(QueueError::Full));
        let mut outbound = ends.outbound;
        while let Ok(Outbound::Message(m)) = outbound.try_recv() {
            ends.queued.written(&m);
        }
        assert_eq!(handle.try_send(sync_of(8_000)), Ok(()));
    }

    #[test]
    fn one_message_larger_than_the_budget_still_goes_to_an_idle_peer() {
        let (handle, _ends) = ConnHandle::new(1_000);
        assert_eq!(handle.try_send(sync_of(50_000)), Ok(()));
        assert_eq!(handle.try_send(sync_of(10)), Err(QueueError::Full));
    }

    #[test]
    fn a_finished_connection_is_gone() {
        let (handle, ends) = ConnHandle::new(1_000);
        drop(ends);
        assert_eq!(handle.try_send(sync_of(10)), Err(QueueError::Gone));
    }
}
