//! Keeping a shared index current from the engine thread without ever making the engine
//! wait for a query.
//!
//! After a successful group commit the engine thread calls [`summary_puts`] on the batch
//! it just committed (take the puts *before* handing the batch to `commit`, send them only
//! if the commit returned `Ok`) and [`SummaryFeed::send`]s them; a background thread
//! parses them and applies them under the write lock, many at a time.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::PoisonError;

use wish_client_core::model::wish::WishSummary;

use crate::aggregate::{parse_row, SharedIndex};
use crate::domain::SUMMARY_PREFIX;
use crate::storage::{WriteBatch, WriteOp};

/// `(wish document id, summary JSON)` of every summary row a batch writes.
pub fn summary_puts(batch: &WriteBatch) -> Vec<(String, Vec<u8>)> {
    batch
        .ops
        .iter()
        .filter_map(|op| match op {
            WriteOp::Put { key, value } if key.len() == 2 && key[0] == SUMMARY_PREFIX => {
                Some((key[1].clone(), value.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The sending end; cheap to clone. Dropping every clone stops the updater thread.
#[derive(Clone, Debug)]
pub struct SummaryFeed {
    tx: Sender<Vec<(String, Vec<u8>)>>,
}

impl SummaryFeed {
    /// Starts the updater thread for `shared`.
    pub fn spawn(shared: SharedIndex) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("office-aggregates".into())
            .spawn(move || run(&shared, &rx))?;
        Ok(Self { tx })
    }

    /// Queues committed summary rows; never blocks.
    pub fn send(&self, puts: Vec<(String, Vec<u8>)>) {
        if !puts.is_empty() && self.tx.send(puts).is_err() {
            tracing::error!("the office aggregate updater has stopped; figures go stale");
        }
    }
}

fn run(shared: &SharedIndex, rx: &Receiver<Vec<(String, Vec<u8>)>>) {
    while let Ok(first) = rx.recv() {
        let mut parsed = parse(first);
        while let Ok(more) = rx.try_recv() {
            parsed.extend(parse(more));
        }
        let mut index = shared.write().unwrap_or_else(PoisonError::into_inner);
        for (doc, summary) in parsed {
            index.upsert(&doc, summary);
        }
    }
}

fn parse(puts: Vec<(String, Vec<u8>)>) -> Vec<(String, WishSummary)> {
    puts.into_iter()
        .filter_map(|(doc, bytes)| parse_row(&[SUMMARY_PREFIX.to_owned(), doc], &bytes))
        .collect()
}
