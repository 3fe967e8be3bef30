//! The reader connections: a small r2d2 pool, each connection with its statements
//! prepared once. A read that fails because its pooled connection died (PostgreSQL
//! restarted) is retried once on a fresh connection: reads change nothing.

use std::time::Duration;

use postgres::{Client, NoTls, Statement};
use r2d2::{ManageConnection, Pool, PooledConnection};

use super::{backend, decode_key};
use crate::storage::{Key, StorageError};

/// Enough for the engine thread's loads, the index loader and a few HTTP handlers at once.
const POOL_SIZE: u32 = 4;
/// Rows fetched per `load_page` query (the page may stop earlier on its byte budget).
const PAGE_ROWS: i64 = 1000;

pub(super) struct Readers {
    /// `None` once the store is closing.
    pool: Option<Pool<Manager>>,
}

pub(super) struct Manager {
    config: postgres::Config,
}

pub(super) struct Reader {
    client: Client,
    load: Statement,
    range: Statement,
    page: Statement,
}

impl Readers {
    pub(super) fn open(config: postgres::Config) -> Result<Self, StorageError> {
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            // `has_broken` drops dead connections; a test query per checkout would double
            // the round trips of every load.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(15))
            .build(Manager { config })
            .map_err(|e| StorageError::Backend(format!("PostgreSQL reader pool: {e}")))?;
        Ok(Self { pool: Some(pool) })
    }

    pub(super) fn load(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        self.read(|r| {
            let row = r.client.query_opt(&r.load, &[&key])?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    pub(super) fn load_range(
        &self,
        start: &[u8],
        end: &[u8],
    ) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let rows = self.read(|r| r.client.query(&r.range, &[&start, &end]))?;
        rows.into_iter()
            .map(|row| Ok((decode_key(row.get(0))?, row.get(1))))
            .collect()
    }

    pub(super) fn load_page(
        &self,
        after: &[u8],
        max_bytes: usize,
    ) -> Result<Vec<(Key, Vec<u8>)>, StorageError> {
        let rows = self.read(|r| r.client.query(&r.page, &[&after, &PAGE_ROWS]))?;
        let mut page = Vec::new();
        let mut bytes = 0;
        for row in rows {
            let value: Vec<u8> = row.get(1);
            bytes += value.len();
            page.push((decode_key(row.get(0))?, value));
            if bytes > max_bytes {
                break;
            }
        }
        Ok(page)
    }

    fn read<T>(
        &self,
        query: impl Fn(&mut Reader) -> Result<T, postgres::Error>,
    ) -> Result<T, StorageError> {
        let mut reader = self.checkout()?;
        match query(&mut reader) {
            Ok(value) => Ok(value),
            Err(_) if reader.client.is_closed() => {
                drop(reader); // the pool discards it (`has_broken`)
                query(&mut *self.checkout()?).map_err(backend)
            }
            Err(error) => Err(backend(error)),
        }
    }

    /// Takes the pool out, for the store to close it off the async threads.
    pub(super) fn close(&mut self) -> Option<Pool<Manager>> {
        self.pool.take()
    }

    fn checkout(&self) -> Result<PooledConnection<Manager>, StorageError> {
        let pool = self
            .pool
            .as_ref()
            .ok_or_else(|| StorageError::Backend("the store is closed".into()))?;
        pool.get()
            .map_err(|e| StorageError::Backend(format!("PostgreSQL reader connection: {e}")))
    }
}

impl ManageConnection for Manager {
    type Connection = Reader;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Reader, postgres::Error> {
        let mut client = self.config.connect(NoTls)?;
        Ok(Reader {
            load: client.prepare("SELECT value FROM kv WHERE key = $1")?,
            range: client
                .prepare("SELECT key, value FROM kv WHERE key >= $1 AND key < $2 ORDER BY key")?,
            page: client
                .prepare("SELECT key, value FROM kv WHERE key > $1 ORDER BY key LIMIT $2")?,
            client,
        })
    }

    fn is_valid(&self, reader: &mut Reader) -> Result<(), postgres::Error> {
        reader.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, reader: &mut Reader) -> bool {
        reader.client.is_closed()
    }
}
