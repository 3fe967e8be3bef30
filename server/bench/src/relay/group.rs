//! One document of the relay workload: its writer, its readers, and the pacing of its
//! changes. With `--docs 1` there is one group; with more, the readers are shared out
//! and every group runs its own pacing loop concurrently.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use wish_client_core::proto::DocumentId;

use super::reader::{Reader, SentTimes};
use crate::ack::{self, ServerHeads};
use crate::args::RelayArgs;
use crate::counter;
use crate::counters::Counters;
use crate::peer::Peer;
use crate::report;
use crate::target::Target;

/// How changes are paced within a group.
#[derive(Clone, Copy)]
pub enum Pacing {
    /// Change k+1 once every reader of the group applied change k.
    Lockstep,
    /// A change every `interval`, the first after `phase`.
    Fixed { interval: Duration, phase: Duration },
}

pub struct Group {
    writer: Peer<ServerHeads>,
    doc: DocumentId,
    sent: SentTimes,
    readers: Vec<Peer<Reader>>,
    progress: mpsc::UnboundedReceiver<(usize, u64)>,
    levels: Vec<u64>,
}

/// What a group measured.
pub struct GroupResult {
    pub histogram: Histogram<u64>,
    pub readers: usize,
    pub converged: usize,
    pub unmatched: u64,
}

impl Group {
    /// Connects the writer and has it create the document, held by the server.
    pub async fn create(
        name: String,
        args: &RelayArgs,
        target: &Target,
        counters: &Arc<Counters>,
    ) -> anyhow::Result<(Peer<ServerHeads>, DocumentId)> {
        let timeout = args.common.timeout();
        let writer = Peer::start(
            target.peer(name, &args.common, counters),
            ServerHeads::default(),
        );
        writer.wait_ready(timeout).await?;
        let (doc, created) = writer.call(|driver, _| counter::create(driver)).await??;
        let heads = vec![created];
        writer
            .wait_until("the server to hold the document", timeout, move |_, s| {
                s.has(&doc, &heads)
            })
            .await?;
        Ok((writer, doc))
    }

    /// Connects `names.len()` readers of the writer's document and waits until each has it.
    pub async fn follow(
        (writer, doc): (Peer<ServerHeads>, DocumentId),
        names: Vec<String>,
        args: &RelayArgs,
        target: &Target,
        counters: &Arc<Counters>,
    ) -> anyhow::Result<Self> {
        let timeout = args.common.timeout();
        let total = args.warmup + args.changes;
        let sent: SentTimes = Arc::new((0..=total).map(|_| OnceLock::new()).collect());
        let (progress_tx, progress) = mpsc::unbounded_channel();
        let mut readers = Vec::with_capacity(names.len());
        for (index, name) in names.into_iter().enumerate() {
            let reader = Reader {
                index,
                doc,
                warmup: args.warmup,
                sent: sent.clone(),
                seen: 0,
                histogram: report::histogram()?,
                unmatched: 0,
                progress: progress_tx.clone(),
            };
            readers.push(Peer::start(
                target.peer(name, &args.common, counters),
                reader,
            ));
        }
        for reader in &readers {
            reader.wait_ready(timeout).await?;
            reader
                .call(move |driver, _| driver.open_document(doc))
                .await?;
        }
        for reader in &readers {
            reader
                .wait_until("the document", timeout, move |driver, _| {
                    driver.document(&doc).and_then(counter::read).is_some()
                })
                .await?;
        }
        let levels = vec![0; readers.len()];
        Ok(Self {
            writer,
            doc,
            sent,
            readers,
            progress,
            levels,
        })
    }

    /// Makes every change of the run, then waits until every reader applied the last.
    pub async fn run(&mut self, pacing: Pacing, timeout: Duration) -> anyhow::Result<()> {
        let total = self.sent.len() as u64 - 1;
        match pacing {
            Pacing::Lockstep => {
                for k in 1..=total {
                    self.make_change(k).await?;
                    self.wait_all(k, timeout).await?;
                }
            }
            Pacing::Fixed { interval, phase } => {
                tokio::time::sleep(phase).await;
                let mut ticks = tokio::time::interval(interval);
                ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
                for k in 1..=total {
                    ticks.tick().await;
                    self.make_change(k).await?;
                    self.note_progress();
                }
            }
        }
        self.wait_all(total, timeout).await
    }

    /// Makes change k with the time recorded in the writer's task, just before the change.
    async fn make_change(&self, k: u64) -> anyhow::Result<()> {
        let (sent, doc) = (self.sent.clone(), self.doc);
        self.writer
            .call(move |driver, _| {
                let index = usize::try_from(k)?;
                let slot = sent.get(index).context("change number out of range")?;
                let _ = slot.set(Instant::now());
                counter::set(driver, doc, k)
            })
            .await??;
        Ok(())
    }

    /// Takes the progress reported so far without waiting (keeps the channel short).
    fn note_progress(&mut self) {
        while let Ok((index, value)) = self.progress.try_recv() {
            if let Some(level) = self.levels.get_mut(index) {
                *level = (*level).max(value);
            }
        }
    }

    /// Waits until every reader reported applying change `k` (or a later one).
    async fn wait_all(&mut self, k: u64, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut behind = self.levels.iter().filter(|level| **level < k).count();
        while behind > 0 {
            let received = tokio::time::timeout_at(deadline, self.progress.recv()).await;
            let Ok(Some((index, value))) = received else {
                bail!("{behind} readers did not receive change {k} within {timeout:?}");
            };
            if let Some(level) = self.levels.get_mut(index) {
                if *level < k && value >= k {
                    behind -= 1;
                }
                *level = (*level).max(value);
            }
        }
        Ok(())
    }

    /// Merges the readers' histograms; counts readers whose heads equal the writer's.
    pub async fn finish(self) -> anyhow::Result<GroupResult> {
        let doc = self.doc;
        let final_heads = self
            .writer
            .call(move |d, _| counter::heads(d, &doc))
            .await?;
        let mut result = GroupResult {
            histogram: report::histogram()?,
            readers: self.readers.len(),
            converged: 0,
            unmatched: 0,
        };
        for reader in &self.readers {
            let expected = final_heads.clone();
            let (histogram, holds, missing) = reader
                .call(move |driver, r| {
                    let holds = ack::holds(driver, &doc, &expected);
                    (r.histogram.clone(), holds, r.unmatched)
                })
                .await?;
            result.histogram.add(&histogram)?;
            result.converged += usize::from(holds);
            result.unmatched += missing;
        }
        for reader in self.readers {
            reader.stop().await;
        }
        self.writer.stop().await;
        Ok(result)
    }
}
