//! Counters shared by every peer of a run: traffic, disconnects and protocol problems.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use wish_client_core::proto::WireMessage;

#[derive(Default)]
pub struct Counters {
    frames_in: AtomicU64,
    frames_out: AtomicU64,
    sync_in: AtomicU64,
    remote_heads_in: AtomicU64,
    disconnects: AtomicU64,
    problems: AtomicU64,
    last_trouble: Mutex<Option<String>>,
}

/// What the counters held at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Traffic {
    /// Frames received from the server by all peers.
    pub frames_in: u64,
    /// Frames sent to the server by all peers.
    pub frames_out: u64,
    /// `sync` messages among `frames_in`.
    pub sync_in: u64,
    /// `remote-heads-changed` messages among `frames_in`.
    pub remote_heads_in: u64,
    /// Sockets lost (the peers reconnect).
    pub disconnects: u64,
    /// Protocol problems reported by the client driver.
    pub problems: u64,
    pub last_trouble: Option<String>,
}

impl Traffic {
    /// The traffic between `before` and this later snapshot.
    pub fn since(&self, before: &Traffic) -> Traffic {
        Traffic {
            frames_in: self.frames_in - before.frames_in,
            frames_out: self.frames_out - before.frames_out,
            sync_in: self.sync_in - before.sync_in,
            remote_heads_in: self.remote_heads_in - before.remote_heads_in,
            disconnects: self.disconnects - before.disconnects,
            problems: self.problems - before.problems,
            last_trouble: self.last_trouble.clone(),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub fn received(&self, message: Option<&WireMessage>) {
        bump(&self.frames_in);
        match message {
            Some(WireMessage::Sync { .. }) => bump(&self.sync_in),
            Some(WireMessage::RemoteHeadsChanged { .. }) => bump(&self.remote_heads_in),
            _ => {}
        }
    }

    pub fn sent(&self) {
        bump(&self.frames_out);
    }

    pub fn disconnected(&self, what: String) {
        bump(&self.disconnects);
        self.trouble(what);
    }

    pub fn problem(&self, what: String) {
        bump(&self.problems);
        self.trouble(what);
    }

    fn trouble(&self, what: String) {
        tracing::warn!("{what}");
        if let Ok(mut last) = self.last_trouble.lock() {
            *last = Some(what);
        }
    }

    pub fn snapshot(&self) -> Traffic {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Traffic {
            frames_in: get(&self.frames_in),
            frames_out: get(&self.frames_out),
            sync_in: get(&self.sync_in),
            remote_heads_in: get(&self.remote_heads_in),
            disconnects: get(&self.disconnects),
            problems: get(&self.problems),
            last_trouble: self.last_trouble.lock().ok().and_then(|l| l.clone()),
        }
    }
}
