//! How large a sync message's changes become once inflated, found before automerge
//! inflates them.
//!
//! Automerge stores changes deflated (a compressed change chunk, or deflated columns in a
//! document chunk) and inflates them into memory when it loads them, with no bound. A
//! few KiB of deflate can inflate to GiBs, so a device could exhaust the server's memory
//! with one small frame. This module walks the chunks of a sync message the way
//! automerge's storage format lays them out (`automerge/src/storage/chunk.rs`,
//! `document.rs`) and inflates every deflated part into a counting sink, stopping at the
//! limit: memory stays flat and the work is bounded by the limit.
//!
//! Sync messages carry change chunks (type 1), compressed change chunks (type 2) and,
//! when the receiver has nothing yet, one document chunk (type 0). Bundle chunks (type 3)
//! are never produced by sync in automerge (Rust or JS), so a message with one is refused
//! rather than parsed.

use std::io::{self, Read};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// The column specification bit that marks a deflated column.
const DEFLATE_BIT: u64 = 0b1000;
const HASH_BYTES: u64 = 32;

/// Why a message was refused before it was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflationError {
    #[error("changes inflate beyond {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("bundle chunks are not accepted in sync messages")]
    Bundle,
    #[error("malformed change chunk: {0}")]
    Malformed(&'static str),
}

/// The inflated size of a sync message's change entries (`message.changes.iter()`), or
/// an error once it passes `limit`.
pub fn inflated_size<'a>(
    entries: impl IntoIterator<Item = &'a [u8]>,
    limit: u64,
) -> Result<u64, InflationError> {
    let mut budget = Budget { used: 0, limit };
    for entry in entries {
        let mut rest = entry;
        while !rest.is_empty() {
            rest = chunk(rest, &mut budget)?;
        }
    }
    Ok(budget.used)
}

struct Budget {
    used: u64,
    limit: u64,
}

impl Budget {
    fn spend(&mut self, bytes: u64) -> Result<(), InflationError> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limit {
            return Err(InflationError::TooLarge { limit: self.limit });
        }
        Ok(())
    }

    /// Inflates a raw deflate stream into a counting sink, never past the budget.
    fn inflate(&mut self, deflated: &[u8]) -> Result<(), InflationError> {
        let left = self.limit.saturating_sub(self.used);
        let mut decoder = flate2::read::DeflateDecoder::new(deflated).take(left.saturating_add(1));
        let inflated = io::copy(&mut decoder, &mut io::sink())
            .map_err(|_| InflationError::Malformed("invalid deflate data"))?;
        self.spend(inflated)
    }
}

/// Checks one chunk at the start of `bytes` and returns what follows it.
fn chunk<'a>(bytes: &'a [u8], budget: &mut Budget) -> Result<&'a [u8], InflationError> {
    let mut cursor = Cursor(bytes);
    if cursor.take(4)? != MAGIC {
        return Err(InflationError::Malformed("no chunk magic"));
    }
    cursor.take(4)?; // checksum
    let kind = cursor.take(1)?[0];
    let len = cursor.uleb()?;
    let body = cursor.take(len)?;
    match kind {
        0 => document(body, budget)?,
        1 => budget.spend(len)?,
        2 => budget.inflate(body)?,
        3 => return Err(InflationError::Bundle),
        _ => return Err(InflationError::Malformed("unknown chunk type")),
    }
    Ok(cursor.0)
}

/// A document chunk: actors, heads, then the change and op column metadata, then the
/// columns' data (each one deflated if its specification says so), then head indices.
fn document(body: &[u8], budget: &mut Budget) -> Result<(), InflationError> {
    let mut cursor = Cursor(body);
    for _ in 0..cursor.uleb()? {
        let actor_len = cursor.uleb()?;
        cursor.take(actor_len)?;
    }
    let heads = cursor.uleb()?;
    cursor.take(heads.saturating_mul(HASH_BYTES))?;
    let change_columns = cursor.columns()?;
    let op_columns = cursor.columns()?;
    let prefix = body.len() - cursor.0.len();
    budget.spend(prefix as u64)?;
    for (spec, len) in change_columns.into_iter().chain(op_columns) {
        let data = cursor.take(len)?;
        if spec & DEFLATE_BIT != 0 {
            budget.inflate(data)?;
        } else {
            budget.spend(len)?;
        }
    }
    budget.spend(cursor.0.len() as u64)
}

struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: u64) -> Result<&'a [u8], InflationError> {
        let n = usize::try_from(n).map_err(|_| InflationError::Malformed("length too large"))?;
        if n > self.0.len() {
            return Err(InflationError::Malformed("truncated chunk"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn uleb(&mut self) -> Result<u64, InflationError> {
        leb128::read::unsigned(&mut self.0).map_err(|_| InflationError::Malformed("bad length"))
    }

    /// Column metadata: a count, then (specification, length) pairs.
    fn columns(&mut self) -> Result<Vec<(u64, u64)>, InflationError> {
        let count = self.uleb()?;
        // Each pair takes at least two bytes: a count beyond that is a lie, not a reason
        // to allocate.
        if count > self.0.len() as u64 / 2 {
            return Err(InflationError::Malformed("column count beyond the chunk"));
        }
        (0..count)
            .map(|_| Ok((self.uleb()?, self.uleb()?)))
            .collect()
    }
}

#[cfg(test)]
mod tests;
