//! The runtime side of a store several processes share (PostgreSQL): what other processes
//! commit reaches this process's engine and caches, and the claim arbiter role is
//! followed (see `engine/store_notice.rs`, `engine/arbiter.rs`, `docs/scale-out.md`).
//!
//! Two threads, both plain `std` threads because the storage calls block:
//!
//! * the notice thread takes each [`StoreNotice`] from `Storage::subscribe`, refreshes the
//!   device records it names (a revoked device's sockets close here too), the office
//!   index's summary rows and the actor bindings, and hands the notice to the engine
//!   thread;
//! * the arbiter thread polls `Storage::is_arbiter` every second and tells the engine when
//!   it changes (the first answer before any connection is accepted).

use std::sync::mpsc::Receiver;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use crate::aggregate::{OfficeIndex, SharedIndex};
use crate::directory::Directory;
use crate::domain::SUMMARY_PREFIX;
use crate::engine::{Input, ACTOR_PREFIX};
use crate::runtime::{Hub, SummaryFeed};
use crate::storage::{Key, Storage, StoreNotice};

/// How often the arbiter lock is looked at.
const ARBITER_POLL: Duration = Duration::from_secs(1);

/// What the notice thread keeps current besides the engine.
pub struct NoticeTargets {
    pub hub: Hub,
    pub storage: Arc<dyn Storage>,
    pub directory: Arc<Directory>,
    pub feed: SummaryFeed,
    pub office: SharedIndex,
}

/// Starts both threads. Tells the engine whether it is the arbiter before returning.
pub fn start(notices: Receiver<StoreNotice>, targets: NoticeTargets) -> std::io::Result<()> {
    let (hub, storage) = (targets.hub.clone(), targets.storage.clone());
    let first = storage.is_arbiter();
    // Called from async code: the queue is still empty, so this cannot fail for space.
    if !hub.try_input(Input::ArbiterChanged(first)) {
        tracing::error!("could not tell the engine whether it is the claim arbiter");
    }
    std::thread::Builder::new()
        .name("store-notices".into())
        .spawn(move || run_notices(&notices, &targets))?;
    std::thread::Builder::new()
        .name("arbiter-poll".into())
        .spawn(move || poll_arbiter(&hub, storage.as_ref(), first))?;
    Ok(())
}

fn poll_arbiter(hub: &Hub, storage: &dyn Storage, mut was: bool) {
    loop {
        std::thread::sleep(ARBITER_POLL);
        let now = storage.is_arbiter();
        if now != was {
            tracing::info!(is_arbiter = now, "claim arbiter lock changed hands");
            if !hub.blocking_input(Input::ArbiterChanged(now)) {
                return;
            }
            was = now;
        }
    }
}

fn run_notices(notices: &Receiver<StoreNotice>, targets: &NoticeTargets) {
    while let Ok(notice) = notices.recv() {
        match &notice {
            StoreNotice::Committed { puts, .. } => {
                refresh_devices(targets, puts);
                refresh_summaries(targets, puts);
                refresh_actor_bindings(targets, puts);
            }
            StoreNotice::Resync => reload_caches(targets),
        }
        if !targets.hub.blocking_input(Input::StoreNotice(notice)) {
            return;
        }
    }
    tracing::warn!("the store's notice stream ended: other processes' changes stop arriving");
}

/// Re-reads the device records another process wrote; their live connections here follow
/// (a revoked device's sockets close, a reassigned one's access is re-checked).
fn refresh_devices(targets: &NoticeTargets, puts: &[Key]) {
    for key in puts {
        let [table, hash] = key.as_slice() else {
            continue;
        };
        if table != "device-token" {
            continue;
        }
        match targets.directory.refresh(hash) {
            Ok(Some(record)) => {
                let principal = (!record.revoked).then(|| record.principal());
                let device_id = record.device_id.clone();
                let input = Input::PrincipalChanged {
                    device_id,
                    principal,
                };
                targets.hub.blocking_input(input);
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "re-reading a device record failed"),
        }
    }
}

/// Loads the summary rows another process wrote into this process's office index.
fn refresh_summaries(targets: &NoticeTargets, puts: &[Key]) {
    let mut rows = Vec::new();
    for key in puts {
        let [table, wish] = key.as_slice() else {
            continue;
        };
        if table != SUMMARY_PREFIX {
            continue;
        }
        match targets.storage.load(key) {
            Ok(Some(bytes)) => rows.push((wish.clone(), bytes)),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "reading a summary row failed"),
        }
    }
    targets.feed.send(rows);
}

/// Hands the engine the actor bindings another process stored, so a device cannot use
/// another device's actor by connecting to this process.
fn refresh_actor_bindings(targets: &NoticeTargets, puts: &[Key]) {
    for key in puts {
        let [table, actor] = key.as_slice() else {
            continue;
        };
        if table != ACTOR_PREFIX {
            continue;
        }
        match targets.storage.load(key) {
            Ok(Some(device)) => {
                let Ok(device) = String::from_utf8(device) else {
                    continue;
                };
                let actor = actor.clone();
                targets
                    .hub
                    .blocking_input(Input::ActorBound { actor, device });
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "reading an actor binding failed"),
        }
    }
}

/// After lost notices: the device directory, the actor bindings and the office index are
/// read again (a few tries: the store may only just be back).
fn reload_caches(targets: &NoticeTargets) {
    let bindings = retried(|| targets.storage.load_range(&[ACTOR_PREFIX.to_owned()]));
    match bindings {
        Ok(rows) => {
            let keys: Vec<Key> = rows.into_iter().map(|(k, _)| k).collect();
            refresh_actor_bindings(targets, &keys);
        }
        Err(error) => tracing::error!(%error, "reloading the actor bindings failed"),
    }
    if let Err(error) = retried(|| targets.directory.reload()) {
        tracing::error!(%error, "reloading the device directory failed");
    }
    match retried(|| OfficeIndex::load(targets.storage.as_ref())) {
        Ok(index) => {
            *targets
                .office
                .write()
                .unwrap_or_else(PoisonError::into_inner) = index;
        }
        Err(error) => tracing::error!(%error, "reloading the office index failed"),
    }
}

/// `read`, tried up to three times half a second apart.
fn retried<T, E>(read: impl Fn() -> Result<T, E>) -> Result<T, E> {
    let mut result = read();
    for _ in 0..2 {
        if result.is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
        result = read();
    }
    result
}
