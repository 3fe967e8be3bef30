//! [`Storage`] on PostgreSQL, for several server processes sharing one database
//! (docs/scale-out.md). One table, `kv(key bytea primary key, value bytea not null)`, whose
//! keys are the parts joined by NUL as in redb, so a prefix of whole parts is a primary-key
//! range in the same order.
//!
//! - [`Storage::commit`] runs on one dedicated writer connection (the engine thread's): one
//!   transaction per batch with `synchronous_commit = on`, the puts as one `unnest` upsert,
//!   and `pg_notify('wish_kv', …)` of the batch's keys in the same transaction, which
//!   PostgreSQL delivers only if it commits.
//! - Reads (`load`, `load_range`, `load_page`) use a small pool of other connections, so a
//!   long read (the office index at start-up, an HTTP export) never stalls a commit.
//! - [`Storage::subscribe`] starts a listener thread on its own connection that turns other
//!   processes' notifications into [`StoreNotice`]s, and sends `Resync` after a reconnect.
//! - The claim arbiter is the process whose writer session holds an advisory lock; PostgreSQL
//!   releases it when that session ends, and another process takes it.
//!
//! A lost connection fails the call in progress ([`StorageError::Backend`]: the engine
//! treats a failed commit as nothing committed) and is reopened on the next call.

mod listener;
mod notices;
mod readers;
mod writer;

#[cfg(test)]
mod tests;

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{Key, Storage, StorageError, StoreNotice, WriteBatch};
use readers::Readers;
use writer::Writer;

/// The channel of the notifications the processes send each other.
const CHANNEL: &str = "wish_kv";
/// First key of every advisory lock this server takes (ASCII "WISH"), second below.
const LOCK_SPACE: i32 = 0x5749_5348;
/// Held for the session by the claim arbiter's writer connection.
const ARBITER_LOCK: i32 = 1;
/// Held while creating the schema, so two processes starting at once do not race.
const SCHEMA_LOCK: i32 = 2;

/// The PostgreSQL-backed store. Cheap to share behind an `Arc`.
pub struct PostgresStore {
    config: postgres::Config,
    /// Names this store's notifications so its own listener can drop them.
    process: String,
    writer: Mutex<Writer>,
    readers: Readers,
    /// Last known arbiter state, answered while a commit holds the writer.
    arbiter: Arc<AtomicBool>,
    /// Tells the listener thread to end when the store is dropped.
    stop: Arc<AtomicBool>,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`), creates the table if the
    /// database has none, and tries to become the claim arbiter.
    pub fn open(url: &str) -> Result<Self, StorageError> {
        outside_runtime(|| Self::open_here(url))
    }

    fn open_here(url: &str) -> Result<Self, StorageError> {
        let config = connection_config(url)?;
        let arbiter = Arc::new(AtomicBool::new(false));
        writer::create_schema(&config)?;
        let mut writer = Writer::new(config.clone(), arbiter.clone());
        writer.connect()?;
        let readers = Readers::open(config.clone())?;
        Ok(Self {
            config,
            process: uuid::Uuid::new_v4().to_string(),
            writer: Mutex::new(writer),
            readers,
            arbiter,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    fn writer(&mut self) -> &mut Writer {
        self.writer.get_mut().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_writer(&self) -> MutexGuard<'_, Writer> {
        // A panic while committing leaves nothing half-done in the Writer that the next
        // call cannot handle (an open transaction is rolled back when dropped).
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for PostgresStore {
    /// Stops the listener and closes the connections, off any tokio runtime: closing a
    /// synchronous `postgres` client blocks on its own runtime.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let closed = Writer::new(self.config.clone(), self.arbiter.clone());
        let writer = std::mem::replace(self.writer(), closed);
        let readers = self.readers.close();
        outside_runtime(move || drop((writer, readers)));
    }
}

impl Storage for PostgresStore {
    fn load(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError> {
        let key = encode_key(key)?;
        outside_runtime(|| self.readers.load(&key))
    }

    fn load_range(&self, prefix: &[String]) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let (start, end) = prefix_bounds(prefix)?;
        outside_runtime(|| self.readers.load_range(&start, &end))
    }

    fn load_page(
        &self,
        after: Option<&[String]>,
        max_bytes: usize,
    ) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let after = after.map(encode_key).transpose()?.unwrap_or_default();
        outside_runtime(|| self.readers.load_page(&after, max_bytes))
    }

    fn commit(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let payloads = notices::payloads(&self.process, &batch);
        outside_runtime(|| self.lock_writer().commit(batch, &payloads))
    }

    fn subscribe(&self) -> Result<Option<Receiver<StoreNotice>>, StorageError> {
        let (config, process, stop) =
            (self.config.clone(), self.process.clone(), self.stop.clone());
        let receiver = outside_runtime(|| listener::spawn(config, process, stop))?;
        Ok(Some(receiver))
    }

    fn is_arbiter(&self) -> bool {
        match self.writer.try_lock() {
            Ok(mut writer) => {
                let writer = &mut *writer;
                outside_runtime(|| writer.check_arbiter())
            }
            // A commit is running: it fails on its own if the session is gone.
            Err(_) => self.arbiter.load(Ordering::Relaxed),
        }
    }
}

/// Runs `work` where the synchronous `postgres` client may block. That client drives its
/// connection with a runtime of its own and panics on a thread inside a tokio runtime
/// (the server's start-up, an async handler); such calls run on a short-lived scoped
/// thread instead. The engine thread and the command line call directly.
fn outside_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The URL's settings, with a connect timeout and TCP keepalives when it sets none, so a
/// dead server or network is noticed instead of waited on forever.
fn connection_config(url: &str) -> Result<postgres::Config, StorageError> {
    let mut config = postgres::Config::from_str(url)
        .map_err(|e| StorageError::Backend(format!("invalid PostgreSQL URL: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("wish-station");
    }
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(30));
    Ok(config)
}

/// A key as stored: the parts joined by NUL (the same bytes and order as redb's keys).
fn encode_key(key: &[String]) -> Result<Vec<u8>, StorageError> {
    let valid = !key.is_empty() && key.iter().all(|p| !p.is_empty() && !p.contains('\0'));
    if !valid {
        return Err(StorageError::InvalidKey(key.to_vec()));
    }
    Ok(key.join("\0").into_bytes())
}

/// The key range of everything under `prefix`: `prefix\0…` up to `prefix\x01`.
fn prefix_bounds(prefix: &[String]) -> Result<(Vec<u8>, Vec<u8>), StorageError> {
    let base = encode_key(prefix)?;
    let mut start = base.clone();
    start.push(0);
    let mut end = base;
    end.push(1);
    Ok((start, end))
}

fn decode_key(encoded: Vec<u8>) -> Result<Key, StorageError> {
    let text = String::from_utf8(encoded)
        .map_err(|_| StorageError::Corrupt("a stored key is not UTF-8".into()))?;
    Ok(text.split('\0').map(str::to_owned).collect())
}

/// The error with PostgreSQL's own message (its `Display` alone says only "db error").
fn backend(error: postgres::Error) -> StorageError {
    StorageError::Backend(format!("postgres: {}", detail(&error)))
}

/// A failed connection attempt, with its cause ("connection refused", a bad password).
fn connect_failed(error: postgres::Error) -> StorageError {
    StorageError::Backend(format!("connecting to PostgreSQL: {}", detail(&error)))
}

fn detail(error: &postgres::Error) -> String {
    match (error.as_db_error(), std::error::Error::source(error)) {
        (Some(db), _) => format!("{} ({})", db.message(), db.code().code()),
        (None, Some(source)) => format!("{error}: {source}"),
        (None, None) => error.to_string(),
    }
}
