//! A reader of the relay workload: records, inside its task, the latency of every
//! change it applies.

use std::sync::{Arc, OnceLock};

use hdrhistogram::Histogram;
use tokio::sync::mpsc;
use tokio::time::Instant;
use wish_client_core::proto::DocumentId;
use wish_client_core::sync::{ClientDriver, ClientEvent};

use crate::counter;
use crate::peer::Behaviour;
use crate::report;

/// When the writer made each change, by change number (index 0 is the creation).
pub type SentTimes = Arc<Vec<OnceLock<Instant>>>;

pub struct Reader {
    /// Position among its group's readers, for progress reports.
    pub index: usize,
    pub doc: DocumentId,
    pub warmup: u64,
    pub sent: SentTimes,
    /// The last counter value applied.
    pub seen: u64,
    pub histogram: Histogram<u64>,
    /// Applied values with no recorded send time (a bug or a misbehaving server).
    pub unmatched: u64,
    pub progress: mpsc::UnboundedSender<(usize, u64)>,
}

impl Behaviour for Reader {
    fn on_event(&mut self, driver: &ClientDriver, event: &ClientEvent, at: Instant) {
        let ClientEvent::DocChanged(doc) = event else {
            return;
        };
        if *doc != self.doc {
            return;
        }
        let Some(value) = driver.document(doc).and_then(counter::read) else {
            return;
        };
        if value <= self.seen {
            return;
        }
        self.record_up_to(value, at);
        self.seen = value;
        let _ = self.progress.send((self.index, value));
    }
}

impl Reader {
    /// Records every change from `seen + 1` to `value` as arrived at `at`.
    fn record_up_to(&mut self, value: u64, at: Instant) {
        let last = self.sent.len() as u64 - 1;
        if value > last {
            self.unmatched += 1;
        }
        for k in self.seen + 1..=value.min(last) {
            let sent = usize::try_from(k).ok().and_then(|i| self.sent[i].get());
            match sent {
                Some(sent) if k > self.warmup => report::record(&mut self.histogram, at - *sent),
                Some(_) => {}
                None => self.unmatched += 1,
            }
        }
    }
}
