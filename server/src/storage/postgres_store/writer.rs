//! The writer connection: every commit of this process, the schema, and the arbiter lock.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::{Client, NoTls, Statement, Transaction};

use super::{
    backend, connect_failed, encode_key, prefix_bounds, ARBITER_LOCK, CHANNEL, LOCK_SPACE,
    SCHEMA_LOCK,
};
use crate::storage::{Key, StorageError, WriteBatch, WriteOp};

/// How often a process that is not the arbiter tries to take the lock again.
const ARBITER_RETRY: Duration = Duration::from_secs(1);

/// The writer connection, reopened on the first call after it was lost.
pub(super) struct Writer {
    config: postgres::Config,
    connection: Option<Connection>,
    arbiter: Arc<AtomicBool>,
    last_lock_attempt: Option<Instant>,
}

pub(super) struct Connection {
    client: Client,
    statements: Statements,
}

/// Prepared once per connection: one round trip per statement afterwards.
struct Statements {
    upsert: Statement,
    delete: Statement,
    delete_range: Statement,
    take: Statement,
    create: Statement,
    holds_arbiter: Statement,
    notify: Statement,
}

/// One step of a commit: consecutive puts (and deletes) become one statement each.
enum Step {
    Puts(BTreeMap<Vec<u8>, Vec<u8>>),
    Deletes(Vec<Vec<u8>>),
    DeleteRange(Vec<u8>, Vec<u8>),
    Take(Key, Vec<u8>),
    Create(Key, Vec<u8>, Vec<u8>),
}

impl Writer {
    pub(super) fn new(config: postgres::Config, arbiter: Arc<AtomicBool>) -> Self {
        Self {
            config,
            connection: None,
            arbiter,
            last_lock_attempt: None,
        }
    }

    /// Applies `batch` in one transaction, with `payloads` notified if it commits.
    pub(super) fn commit(
        &mut self,
        batch: WriteBatch,
        payloads: &[String],
    ) -> Result<(), StorageError> {
        let arbiter_only = batch.requires_arbiter();
        let steps = plan(batch)?;
        if steps.is_empty() && !arbiter_only {
            return Ok(());
        }
        self.try_arbiter_lock_if_due();
        let connection = self.connect()?;
        let result = connection.apply(&steps, arbiter_only, payloads);
        if result.is_err() && connection.client.is_closed() {
            self.disconnect();
        }
        result
    }

    /// Whether this session holds the arbiter lock; if it does not, tries to take it
    /// (at most once a second).
    pub(super) fn check_arbiter(&mut self) -> bool {
        if self
            .connection
            .as_ref()
            .is_some_and(|c| c.client.is_closed())
        {
            self.disconnect();
        }
        self.try_arbiter_lock_if_due();
        self.arbiter.load(Ordering::Relaxed)
    }

    fn lock_attempt_due(&self) -> bool {
        self.last_lock_attempt
            .is_none_or(|at| at.elapsed() >= ARBITER_RETRY)
    }

    fn try_arbiter_lock_if_due(&mut self) {
        if self.arbiter.load(Ordering::Relaxed) || !self.lock_attempt_due() {
            return;
        }
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        self.last_lock_attempt = Some(Instant::now());
        let taken = try_arbiter_lock(&mut connection.client);
        match taken {
            Ok(taken) => self.arbiter.store(taken, Ordering::Relaxed),
            Err(error) => tracing::warn!(%error, "could not try the arbiter lock"),
        }
    }

    pub(super) fn connect(&mut self) -> Result<&mut Connection, StorageError> {
        if self.connection.is_none() {
            let connection = Connection::open(&self.config)?;
            self.connection = Some(connection);
            self.last_lock_attempt = None;
            self.try_arbiter_lock_if_due();
        }
        // Just set above when it was None.
        self.connection
            .as_mut()
            .ok_or_else(|| StorageError::Backend("no writer connection".into()))
    }

    fn disconnect(&mut self) {
        tracing::warn!("PostgreSQL writer connection lost: reconnecting on the next commit");
        self.connection = None;
        self.arbiter.store(false, Ordering::Relaxed);
    }
}

impl Connection {
    fn open(config: &postgres::Config) -> Result<Self, StorageError> {
        let mut client = config.connect(NoTls).map_err(connect_failed)?;
        // Nothing is acknowledged before it is durable, whatever the server's default.
        client
            .batch_execute("SET synchronous_commit = on")
            .map_err(backend)?;
        let statements = Statements::prepare(&mut client).map_err(backend)?;
        Ok(Self { client, statements })
    }

    fn apply(
        &mut self,
        steps: &[Step],
        arbiter_only: bool,
        payloads: &[String],
    ) -> Result<(), StorageError> {
        let statements = &self.statements;
        let mut tx = self.client.transaction().map_err(backend)?;
        if arbiter_only && !holds_arbiter(&mut tx, statements)? {
            return Err(StorageError::NotArbiter);
        }
        for step in steps {
            run_step(&mut tx, statements, step)?;
        }
        if !payloads.is_empty() {
            tx.execute(&statements.notify, &[&payloads])
                .map_err(backend)?;
        }
        // Returning early above drops `tx`, which rolls the transaction back.
        tx.commit().map_err(backend)
    }
}

impl Statements {
    fn prepare(client: &mut Client) -> Result<Self, postgres::Error> {
        Ok(Self {
            upsert: client.prepare(
                "INSERT INTO kv (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            )?,
            delete: client.prepare("DELETE FROM kv WHERE key = ANY($1::bytea[])")?,
            delete_range: client.prepare("DELETE FROM kv WHERE key >= $1 AND key < $2")?,
            take: client.prepare("DELETE FROM kv WHERE key = $1 RETURNING 1")?,
            create: client.prepare(
                "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
            )?,
            holds_arbiter: client.prepare(&format!(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                 AND pid = pg_backend_pid() AND granted AND classid = {LOCK_SPACE} \
                 AND objid = {ARBITER_LOCK} AND objsubid = 2)"
            ))?,
            notify: client.prepare(&format!(
                "SELECT pg_notify('{CHANNEL}', payload) FROM unnest($1::text[]) AS payload"
            ))?,
        })
    }
}

/// Creates `kv` unless it exists, on a connection of its own (the writer's statements
/// need the table), under a lock so two processes starting together do not both try.
pub(super) fn create_schema(config: &postgres::Config) -> Result<(), StorageError> {
    let mut client = config.connect(NoTls).map_err(connect_failed)?;
    let mut tx = client.transaction().map_err(backend)?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&LOCK_SPACE, &SCHEMA_LOCK],
    )
    .map_err(backend)?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('kv') IS NOT NULL", &[])
        .map_err(backend)?
        .get(0);
    if !exists {
        // Chunks are automerge's compressed bytes: TOAST compression cannot shrink
        // them and only costs CPU, so values are stored out of line uncompressed.
        tx.batch_execute(
            "CREATE TABLE kv (key bytea PRIMARY KEY, value bytea NOT NULL);
             ALTER TABLE kv ALTER COLUMN value SET STORAGE EXTERNAL;",
        )
        .map_err(backend)?;
    }
    tx.commit().map_err(backend)
}

fn run_step(tx: &mut Transaction<'_>, st: &Statements, step: &Step) -> Result<(), StorageError> {
    match step {
        Step::Puts(entries) => {
            let keys: Vec<&[u8]> = entries.keys().map(Vec::as_slice).collect();
            let values: Vec<&[u8]> = entries.values().map(Vec::as_slice).collect();
            tx.execute(&st.upsert, &[&keys, &values]).map_err(backend)?;
        }
        Step::Deletes(keys) => {
            tx.execute(&st.delete, &[keys]).map_err(backend)?;
        }
        Step::DeleteRange(start, end) => {
            tx.execute(&st.delete_range, &[start, end])
                .map_err(backend)?;
        }
        Step::Take(key, encoded) => {
            if tx
                .query_opt(&st.take, &[encoded])
                .map_err(backend)?
                .is_none()
            {
                return Err(StorageError::Conflict(key.clone()));
            }
        }
        Step::Create(key, encoded, value) => {
            // A concurrent insert of the same key waits for the other transaction; once it
            // commits, nothing is inserted and nothing returned.
            if tx
                .query_opt(&st.create, &[encoded, value])
                .map_err(backend)?
                .is_none()
            {
                return Err(StorageError::Conflict(key.clone()));
            }
        }
    }
    Ok(())
}

/// Whether the session committing holds the arbiter lock, checked inside the transaction:
/// a process that lost its session (and so the lock) cannot commit an arbitration.
fn holds_arbiter(tx: &mut Transaction<'_>, st: &Statements) -> Result<bool, StorageError> {
    Ok(tx
        .query_one(&st.holds_arbiter, &[])
        .map_err(backend)?
        .get(0))
}

fn try_arbiter_lock(client: &mut Client) -> Result<bool, postgres::Error> {
    Ok(client
        .query_one(
            "SELECT pg_try_advisory_lock($1, $2)",
            &[&LOCK_SPACE, &ARBITER_LOCK],
        )?
        .get(0))
}

/// The batch as statements, in order: a run of puts is one upsert (the last value of a
/// key wins, as applying them one by one would), a run of deletes one `DELETE`. Keys are
/// checked before anything is sent.
fn plan(batch: WriteBatch) -> Result<Vec<Step>, StorageError> {
    let mut steps: Vec<Step> = Vec::new();
    for op in batch.ops {
        match (op, steps.last_mut()) {
            (WriteOp::Put { key, value }, Some(Step::Puts(puts))) => {
                puts.insert(encode_key(&key)?, value);
            }
            (WriteOp::Put { key, value }, _) => {
                steps.push(Step::Puts(BTreeMap::from([(encode_key(&key)?, value)])));
            }
            (WriteOp::Delete { key }, Some(Step::Deletes(keys))) => keys.push(encode_key(&key)?),
            (WriteOp::Delete { key }, _) => steps.push(Step::Deletes(vec![encode_key(&key)?])),
            (WriteOp::DeletePrefix { prefix }, _) => {
                let (start, end) = prefix_bounds(&prefix)?;
                steps.push(Step::DeleteRange(start, end));
            }
            (WriteOp::Take { key }, _) => {
                let encoded = encode_key(&key)?;
                steps.push(Step::Take(key, encoded));
            }
            (WriteOp::Create { key, value }, _) => {
                let encoded = encode_key(&key)?;
                steps.push(Step::Create(key, encoded, value));
            }
        }
    }
    Ok(steps)
}
