//! The engine thread: drives the sans-IO [`Engine`](crate::engine::Engine) with real time
//! and real storage.
//!
//! Connection tasks send [`HubInput`]s through a bounded channel. The engine thread takes
//! every input that is waiting (up to a batch limit), feeds them to the engine, commits all
//! the resulting writes in **one** redb transaction (group commit), and only then hands the
//! resulting messages to the connections. A connection whose outbound queue is full is
//! closed with a reason: messages are never dropped silently.

mod conn_handle;
mod engine_thread;
mod index_source;
#[cfg(test)]
mod index_tests;
pub mod shared_store;
mod summary_feed;

pub use conn_handle::{CloseSignal, ConnEnds, ConnHandle, Outbound};
pub use engine_thread::{spawn_engine_thread, EngineStats};
pub use index_source::IndexSource;
pub use summary_feed::{summary_puts, SummaryFeed};

use tokio::sync::{mpsc, oneshot};
use wish_client_core::proto::WireMessage;

use crate::access::Principal;
use crate::engine::ConnId;

/// What connection tasks and the server tell the engine thread.
#[derive(Debug)]
pub enum HubInput {
    Connected {
        conn: ConnId,
        handle: ConnHandle,
        principal: Principal,
    },
    /// An input for the engine from the API (role changes, revocations).
    Engine(crate::engine::Input),
    /// Delete a contact document if `principal` has contact scope over it; the outcome
    /// is answered once the deletion is durable.
    DeleteContact {
        doc: wish_client_core::proto::DocumentId,
        principal: Principal,
        reply: oneshot::Sender<Result<(), crate::scope::ScopeError>>,
    },
    /// Write documents on behalf of a REST caller (see `engine/server_write.rs`); the
    /// outcome is answered once the write is durable. The engine thread numbers the
    /// request (`ServerWrite::request` is ignored).
    ServerWrite {
        write: crate::engine::ServerWrite,
        reply: oneshot::Sender<Result<(), crate::engine::WriteError>>,
    },
    Message {
        conn: ConnId,
        message: WireMessage,
    },
    Disconnected {
        conn: ConnId,
    },
    Tick,
    /// Persist every sync state, close every connection, and stop.
    Shutdown(oneshot::Sender<()>),
    /// Report counters (for `/healthz` and tests).
    Stats(oneshot::Sender<EngineStats>),
}

/// A cloneable handle for sending to the engine thread.
#[derive(Clone)]
pub struct Hub {
    tx: mpsc::Sender<HubInput>,
}

/// The engine thread has stopped.
#[derive(Debug, thiserror::Error)]
#[error("the engine has stopped")]
pub struct HubStopped;

impl Hub {
    /// Sends an input, waiting while the engine's queue is full (backpressure on the
    /// connection that sends it).
    pub async fn send(&self, input: HubInput) -> Result<(), HubStopped> {
        self.tx.send(input).await.map_err(|_| HubStopped)
    }

    /// Sends an engine input from a plain (non-async) thread, waiting while the queue is
    /// full. False once the engine thread has stopped.
    pub fn blocking_input(&self, input: crate::engine::Input) -> bool {
        self.tx.blocking_send(HubInput::Engine(input)).is_ok()
    }

    /// Queues an engine input without waiting (from async code at start-up, while the
    /// queue is empty). False if the queue is full or the engine thread has stopped.
    pub fn try_input(&self, input: crate::engine::Input) -> bool {
        self.tx.try_send(HubInput::Engine(input)).is_ok()
    }

    /// Asks the engine for its counters.
    pub async fn stats(&self) -> Result<EngineStats, HubStopped> {
        let (tx, rx) = oneshot::channel();
        self.send(HubInput::Stats(tx)).await?;
        rx.await.map_err(|_| HubStopped)
    }

    /// Writes documents on behalf of `by` through the engine (setup, imports) and waits
    /// until they are durable. `what` says in a few words what was asked (audit log).
    pub async fn server_write(
        &self,
        by: Principal,
        what: String,
        docs: Vec<crate::engine::DocWrite>,
    ) -> Result<Result<(), crate::engine::WriteError>, HubStopped> {
        let (reply, answer) = oneshot::channel();
        let write = crate::engine::ServerWrite {
            request: 0,
            by,
            what,
            docs,
        };
        self.send(HubInput::ServerWrite { write, reply }).await?;
        answer.await.map_err(|_| HubStopped)
    }

    /// Flushes, closes every connection and stops the engine thread.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.send(HubInput::Shutdown(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}
