//! Seeding a server with small wish-shaped documents through the protocol, and a client
//! that counts seeded documents as they arrive. Used by `cold-sync` and `memory`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ROOT};
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientEvent};

use crate::ack::ServerHeads;
use crate::args::CommonArgs;
use crate::counter;
use crate::counters::Counters;
use crate::peer::{Behaviour, Peer};
use crate::target::Target;

/// Documents a seeder creates before waiting for the server to hold them: keeps its
/// outbound traffic and the per-frame check of "all held" small.
const BATCH: usize = 1_000;

/// What seeding produced.
pub struct Seeded {
    pub ids: Vec<DocumentId>,
    /// Bytes of one seeded document saved whole (they are all about the same size).
    pub doc_bytes: usize,
    pub secs: f64,
}

/// Creates `docs` documents from `seeders` parallel clients and waits until the server
/// holds every one; the seeders then disconnect.
pub async fn seed(
    target: &Target,
    common: &CommonArgs,
    counters: &Arc<Counters>,
    docs: usize,
    seeders: usize,
) -> anyhow::Result<Seeded> {
    let timeout = common.timeout();
    let started = Instant::now();
    let per = docs.div_ceil(seeders.max(1));
    let runs = (0..seeders).map(|s| {
        let config = target.peer(format!("seed-{s}"), common, counters);
        let range = (s * per)..((s + 1) * per).min(docs);
        seed_range(Peer::start(config, ServerHeads::default()), range, timeout)
    });
    let mut seeded = Seeded {
        ids: Vec::with_capacity(docs),
        doc_bytes: 0,
        secs: 0.0,
    };
    for result in futures_util::future::join_all(runs).await {
        let (ids, bytes) = result?;
        seeded.ids.extend(ids);
        seeded.doc_bytes = seeded.doc_bytes.max(bytes);
    }
    seeded.secs = started.elapsed().as_secs_f64();
    Ok(seeded)
}

async fn seed_range(
    seeder: Peer<ServerHeads>,
    range: std::ops::Range<usize>,
    timeout: Duration,
) -> anyhow::Result<(Vec<DocumentId>, usize)> {
    seeder.wait_ready(timeout).await?;
    let mut ids = Vec::with_capacity(range.len());
    let mut doc_bytes = 0;
    let numbers: Vec<usize> = range.collect();
    for batch in numbers.chunks(BATCH) {
        let batch = batch.to_vec();
        let created = seeder
            .call(move |driver, _| -> anyhow::Result<Vec<DocumentId>> {
                batch.into_iter().map(|n| wish(driver, n)).collect()
            })
            .await??;
        let waiting = created.clone();
        seeder
            .wait_until(
                "the server to hold every seeded document",
                timeout,
                move |d, s| waiting.iter().all(|id| s.has(id, &counter::heads(d, id))),
            )
            .await?;
        if doc_bytes == 0 {
            let first = created.first().copied();
            doc_bytes = seeder
                .call(move |d, _| {
                    first
                        .and_then(|id| d.document(&id))
                        .map_or(0, |d| d.save().len())
                })
                .await?;
        }
        ids.extend(created);
    }
    seeder.stop().await;
    Ok((ids, doc_bytes))
}

/// A small document shaped like a wish.
fn wish(driver: &mut ClientDriver, n: usize) -> anyhow::Result<DocumentId> {
    let id = driver.create_document(rand::random())?;
    driver.change(id, |doc| -> Result<(), automerge::AutomergeError> {
        let mut tx = doc.transaction();
        tx.put(ROOT, "type", "wish")?;
        tx.put(ROOT, "title", format!("Wish {n}: a winter coat, size 8"))?;
        tx.put(
            ROOT,
            "description",
            "Warm, waterproof, for walking to school; any colour is fine.",
        )?;
        tx.put(ROOT, "status", "open")?;
        tx.put(ROOT, "community", format!("community-{}", n % 40))?;
        tx.put(ROOT, "station", format!("station-{}", n % 160))?;
        tx.put(ROOT, "claimant", format!("claimant-{}", n % 12_500))?;
        tx.put(ROOT, "quantity", 1_i64)?;
        tx.put(ROOT, "created_ms", 1_790_000_000_000_i64 + n as i64)?;
        let tags = tx.put_object(ROOT, "tags", ObjType::List)?;
        tx.insert(&tags, 0, "clothing")?;
        tx.insert(&tags, 1, "children")?;
        tx.commit();
        Ok(())
    })??;
    Ok(id)
}

/// A fresh client: counts seeded documents as they arrive (their `title` present).
#[derive(Default)]
pub struct Holder {
    pub missing: HashSet<DocumentId>,
    pub unavailable: u64,
}

impl Behaviour for Holder {
    fn on_event(&mut self, driver: &ClientDriver, event: &ClientEvent, _at: Instant) {
        match event {
            ClientEvent::DocChanged(id) if self.missing.contains(id) => {
                let arrived = driver
                    .document(id)
                    .and_then(|d| d.get(ROOT, "title").ok().flatten())
                    .is_some();
                if arrived {
                    self.missing.remove(id);
                }
            }
            ClientEvent::DocUnavailable(_) => self.unavailable += 1,
            _ => {}
        }
    }
}

/// Opens every document of `ids` on `holder` and waits until it holds all of them.
pub async fn open_all(
    holder: &Peer<Holder>,
    ids: Vec<DocumentId>,
    timeout: Duration,
) -> anyhow::Result<()> {
    holder
        .call(move |driver, h| {
            h.missing = ids.iter().copied().collect();
            for id in ids {
                driver.open_document(id);
            }
        })
        .await?;
    holder
        .wait_until("every document", timeout, |_, h| h.missing.is_empty())
        .await
}
