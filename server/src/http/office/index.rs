//! Where the office handlers get the index: either a live one that the engine keeps
//! current, or (until the engine feeds it) a snapshot of the summary rows loaded on
//! first use and reloaded in the background when it is older than
//! max(2 s, 20 × the last load's duration).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use super::super::api::ApiError;
use super::AppState;
use crate::aggregate::{shared, Aggregates, OverdueTargets, SharedAggregates};
use crate::storage::Storage;

/// The index behind the office routes; cheap to clone.
#[derive(Clone)]
pub struct OfficeIndex {
    shared: SharedAggregates,
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

impl OfficeIndex {
    /// An index someone else keeps current (the engine thread, through
    /// [`crate::aggregate::SummaryFeed`]).
    pub fn live(shared: SharedAggregates) -> Self {
        Self {
            shared,
            snapshot: None,
        }
    }

    /// An index loaded from the summary rows on first use and reloaded in the background
    /// when stale; requests meanwhile see the previous load.
    pub fn snapshot(targets: OverdueTargets) -> Self {
        Self {
            shared: shared(Aggregates::new(targets.clone())),
            snapshot: Some(Arc::new(Snapshot {
                targets,
                loaded: tokio::sync::Mutex::new(None),
                reloading: AtomicBool::new(false),
            })),
        }
    }

    /// The index, loading or refreshing it first if this is a snapshot.
    pub async fn get(&self, state: &AppState) -> Result<SharedAggregates, ApiError> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(self.shared.clone());
        };
        let mut loaded = snapshot.loaded.lock().await;
        match *loaded {
            None => {
                let storage = state.storage.clone();
                let (shared, targets) = (self.shared.clone(), snapshot.targets.clone());
                let took = tokio::task::spawn_blocking(move || reload(&*storage, &shared, targets))
                    .await
                    .map_err(|_| internal("loading the office index was interrupted"))?
                    .map_err(|e| {
                        tracing::error!(error = %e, "loading the office index failed");
                        internal("storage error")
                    })?;
                *loaded = Some(Loaded { at: Instant::now(), took });
            }
            Some(l) if l.stale() && !snapshot.reloading.swap(true, Ordering::AcqRel) => {
                self.reload_in_background(state.storage.clone(), snapshot.clone());
            }
            Some(_) => {}
        }
        Ok(self.shared.clone())
    }

    fn reload_in_background(&self, storage: Arc<dyn Storage>, snapshot: Arc<Snapshot>) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let targets = snapshot.targets.clone();
            let result =
                tokio::task::spawn_blocking(move || reload(&*storage, &shared, targets)).await;
            let started = Instant::now();
            let took = match result {
                Ok(Ok(took)) => took,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "reloading the office index failed");
                    Duration::from_secs(1)
                }
                Err(_) => Duration::from_secs(1),
            };
            *snapshot.loaded.lock().await = Some(Loaded { at: started, took });
            snapshot.reloading.store(false, Ordering::Release);
        });
    }
}

/// Loads a fresh index and swaps it in; the old one is dropped outside the lock.
fn reload(
    storage: &dyn Storage,
    shared: &SharedAggregates,
    targets: OverdueTargets,
) -> Result<Duration, crate::storage::StorageError> {
    let started = Instant::now();
    let fresh = Aggregates::load_with(storage, targets)?;
    let took = started.elapsed();
    let old = {
        let mut guard = shared.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *guard, fresh)
    };
    drop(old);
    tracing::debug!(took_ms = took.as_millis() as u64, "office index loaded");
    Ok(took)
}

fn internal(message: &str) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
}
