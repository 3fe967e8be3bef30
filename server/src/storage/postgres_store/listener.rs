//! The listener thread: `LISTEN wish_kv` on its own connection, other processes'
//! notifications passed on as [`StoreNotice`]s. A lost connection is reopened (retrying
//! with a growing pause) and followed by `Resync`, since notifications sent meanwhile are
//! gone. The thread ends when the store is dropped or the receiver is.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use super::{backend, connect_failed, notices, CHANNEL};
use crate::storage::{StorageError, StoreNotice};

/// How long one wait for a notification lasts before checking whether to stop.
const POLL: Duration = Duration::from_millis(500);
/// Quiet time after which the connection is probed, so a dead one is noticed.
const PROBE_AFTER: Duration = Duration::from_secs(5);

struct Listener {
    config: postgres::Config,
    process: String,
    stop: Arc<AtomicBool>,
    sender: Sender<StoreNotice>,
}

enum Ended {
    /// The store or the receiver is gone.
    Stop,
    /// The connection was lost.
    Lost,
}

/// Connects and listens now (so a bad configuration fails the caller), then hands the
/// connection to the thread.
pub(super) fn spawn(
    config: postgres::Config,
    process: String,
    stop: Arc<AtomicBool>,
) -> Result<Receiver<StoreNotice>, StorageError> {
    let client = connect(&config)?;
    let (sender, receiver) = mpsc::channel();
    let listener = Listener {
        config,
        process,
        stop,
        sender,
    };
    std::thread::Builder::new()
        .name("pg-listener".into())
        .spawn(move || listener.run(client))
        .map_err(|e| StorageError::Backend(format!("starting the listener thread: {e}")))?;
    Ok(receiver)
}

fn connect(config: &postgres::Config) -> Result<Client, StorageError> {
    let mut client = config.connect(NoTls).map_err(connect_failed)?;
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(backend)?;
    Ok(client)
}

impl Listener {
    fn run(self, mut client: Client) {
        loop {
            if let Ended::Stop = self.listen(&mut client) {
                return;
            }
            tracing::warn!("PostgreSQL listener connection lost: reconnecting");
            let Some(reconnected) = self.reconnect() else {
                return;
            };
            client = reconnected;
            if self.sender.send(StoreNotice::Resync).is_err() {
                return;
            }
        }
    }

    fn listen(&self, client: &mut Client) -> Ended {
        let mut quiet = Duration::ZERO;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Ended::Stop;
            }
            let next = client.notifications().timeout_iter(POLL).next();
            match next {
                Ok(Some(notification)) => {
                    quiet = Duration::ZERO;
                    if let Some(notice) = notices::decode(&self.process, notification.payload()) {
                        if self.sender.send(notice).is_err() {
                            return Ended::Stop;
                        }
                    }
                }
                Err(_) => return Ended::Lost,
                Ok(None) if client.is_closed() => return Ended::Lost,
                Ok(None) => {
                    quiet += POLL;
                    if quiet >= PROBE_AFTER {
                        quiet = Duration::ZERO;
                        if client.is_valid(PROBE_AFTER).is_err() {
                            return Ended::Lost;
                        }
                    }
                }
            }
        }
    }

    /// A new listening connection, retried until it works or the store is dropped.
    fn reconnect(&self) -> Option<Client> {
        let mut pause = Duration::from_millis(100);
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return None;
            }
            match connect(&self.config) {
                Ok(client) => return Some(client),
                Err(error) => tracing::warn!(%error, "PostgreSQL listener: still reconnecting"),
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }
}
