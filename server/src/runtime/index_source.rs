//! Where the office handlers get the index: either a live one that the engine keeps
//! current, or (until the engine feeds it) one loaded from the summary rows on first use
//! and refreshed from them in the background when the last refresh is older than
//! max(2 s, 20 × that refresh's duration).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use crate::aggregate::{parse_row, shared, OfficeIndex, OverdueTargets, SharedIndex};
use crate::domain::SUMMARY_PREFIX;
use crate::storage::{Storage, StorageError};

/// The index behind the office routes; cheap to clone.
#[derive(Clone)]
pub struct IndexSource {
    shared: SharedIndex,
    snapshot: Option<Arc<Snapshot>>,
}

struct Snapshot {
    targets: OverdueTargets,
    loaded: tokio::sync::Mutex<Option<Loaded>>,
    reloading: AtomicBool,
}

#[derive(Clone, Copy)]
struct Loaded {
    at: Instant,
    took: Duration,
}

impl Loaded {
    fn stale(&self) -> bool {
        self.at.elapsed() > (self.took * 20).max(Duration::from_secs(2))
    }
}

impl IndexSource {
    /// An index someone else keeps current (the engine thread, through
    /// [`SummaryFeed`](crate::runtime::SummaryFeed)).
    pub fn live(shared: SharedIndex) -> Self {
        Self {
            shared,
            snapshot: None,
        }
    }

    /// An index loaded from the summary rows on first use and reloaded in the background
    /// when stale; requests meanwhile see the previous load.
    pub fn snapshot(targets: OverdueTargets) -> Self {
        Self {
            shared: shared(OfficeIndex::new(targets.clone())),
            snapshot: Some(Arc::new(Snapshot {
                targets,
                loaded: tokio::sync::Mutex::new(None),
                reloading: AtomicBool::new(false),
            })),
        }
    }

    /// The index, loading or refreshing it first from `storage` if this is a snapshot.
    pub async fn get(&self, storage: &Arc<dyn Storage>) -> Result<SharedIndex, StorageError> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(self.shared.clone());
        };
        let mut loaded = snapshot.loaded.lock().await;
        match *loaded {
            None => {
                let storage = storage.clone();
                let (shared, targets) = (self.shared.clone(), snapshot.targets.clone());
                let took =
                    tokio::task::spawn_blocking(move || first_load(&*storage, &shared, targets))
                        .await
                        .map_err(|_| {
                            StorageError::Backend("loading the index was interrupted".into())
                        })??;
                *loaded = Some(Loaded {
                    at: Instant::now(),
                    took,
                });
            }
            Some(l) if l.stale() && !snapshot.reloading.swap(true, Ordering::AcqRel) => {
                self.reload_in_background(storage.clone(), snapshot.clone());
            }
            Some(_) => {}
        }
        Ok(self.shared.clone())
    }

    fn reload_in_background(&self, storage: Arc<dyn Storage>, snapshot: Arc<Snapshot>) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let result = tokio::task::spawn_blocking(move || refresh(&*storage, &shared)).await;
            let finished = Instant::now();
            let took = match result {
                Ok(Ok(took)) => took,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "reloading the office index failed");
                    Duration::from_secs(1)
                }
                Err(_) => Duration::from_secs(1),
            };
            *snapshot.loaded.lock().await = Some(Loaded { at: finished, took });
            snapshot.reloading.store(false, Ordering::Release);
        });
    }
}

/// Loads the index and swaps it in (nothing can hold row numbers of the empty index it
/// replaces); the empty one is dropped outside the lock.
fn first_load(
    storage: &dyn Storage,
    shared: &SharedIndex,
    targets: OverdueTargets,
) -> Result<Duration, StorageError> {
    let started = Instant::now();
    let fresh = OfficeIndex::load_with(storage, targets)?;
    let old = {
        let mut guard = shared.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *guard, fresh)
    };
    drop(old);
    Ok(started.elapsed())
}

/// Rows applied per hold of the write lock during a refresh.
const REFRESH_CHUNK: usize = 8192;

/// Re-reads every summary row and upserts it into the live index, a chunk at a time:
/// rows keep their numbers (an export in progress stays valid), unchanged rows cost a
/// comparison, and queries run between chunks.
fn refresh(storage: &dyn Storage, shared: &SharedIndex) -> Result<Duration, StorageError> {
    let started = Instant::now();
    let rows = storage.load_range(&[SUMMARY_PREFIX.to_owned()])?;
    for chunk in rows.chunks(REFRESH_CHUNK) {
        let parsed: Vec<_> = chunk.iter().filter_map(|(k, v)| parse_row(k, v)).collect();
        let mut guard = shared.write().unwrap_or_else(PoisonError::into_inner);
        for (doc, summary) in parsed {
            guard.upsert(&doc, summary);
        }
    }
    Ok(started.elapsed())
}
