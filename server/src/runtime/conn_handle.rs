//! The engine thread's end of one connection: a bounded outbound queue and a close signal.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, Notify};
use wish_client_core::proto::WireMessage;

/// What a connection task is told to send.
#[derive(Debug)]
pub enum Outbound {
    Message(WireMessage),
}

/// Held by the engine thread for each connection.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    outbound: mpsc::Sender<Outbound>,
    close: Arc<CloseSignal>,
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

impl ConnHandle {
    /// Creates the handle and the receiving ends for the connection task.
    pub fn new(queue: usize) -> (Self, mpsc::Receiver<Outbound>, Arc<CloseSignal>) {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let close = Arc::new(CloseSignal::default());
        (
            Self {
                outbound: tx,
                close: close.clone(),
            },
            rx,
            close,
        )
    }

    pub fn try_send(&self, message: WireMessage) -> Result<(), QueueError> {
        self.outbound
            .try_send(Outbound::Message(message))
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => QueueError::Full,
                mpsc::error::TrySendError::Closed(_) => QueueError::Gone,
            })
    }

    pub fn close(&self, reason: String) {
        self.close.close(reason);
    }
}
