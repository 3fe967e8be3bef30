//! The server a run loads: one given by URL, or one this process starts and stops.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::http::Uri;

use crate::args::CommonArgs;
use crate::counters::Counters;
use crate::peer::{Peer, PeerConfig};
use crate::spawn::{ServerKind, ServerUsage, Spawned};

pub struct Target {
    /// The first server's URL (several with `--processes`: see [`Target::peer`]).
    pub url: String,
    pub kind: ServerKind,
    spawned: Option<Spawned>,
    /// The other processes on the same store (`--processes`), and their URLs.
    others: Vec<Spawned>,
    urls: Vec<String>,
    /// Clients are spread over `urls` in turn.
    next: AtomicUsize,
}

impl Target {
    /// Starts the server if asked to (checks that a given URL is on the loopback interface)
    /// and waits until it completes a handshake.
    pub async fn open(args: &CommonArgs) -> anyhow::Result<Self> {
        let target = Self::start(args)?;
        target.wait_serving(args.timeout()).await?;
        Ok(target)
    }

    fn start(args: &CommonArgs) -> anyhow::Result<Self> {
        let target = &args.target;
        if let Some(dir) = &target.spawn_ours {
            return Self::spawn_ours(args, dir);
        }
        if let Some(dir) = &target.spawn_reference {
            return Ok(Self::spawned(Spawned::reference(
                &args.reference_script,
                dir,
            )?));
        }
        let url = target
            .url
            .clone()
            .context("one of --url, --spawn-ours, --spawn-reference is required")?;
        check_url(&url, args.allow_remote)?;
        Ok(Self {
            urls: vec![url.clone()],
            url,
            kind: ServerKind::External,
            spawned: None,
            others: Vec::new(),
            next: AtomicUsize::new(0),
        })
    }

    fn spawned(spawned: Spawned) -> Self {
        Self {
            url: spawned.url.clone(),
            urls: vec![spawned.url.clone()],
            kind: spawned.kind,
            spawned: Some(spawned),
            others: Vec::new(),
            next: AtomicUsize::new(0),
        }
    }

    /// One `wish-station serve`, or `--processes` of them on one store (each in its own
    /// data directory `DATA_DIR/pK`).
    fn spawn_ours(args: &CommonArgs, dir: &Path) -> anyhow::Result<Self> {
        let bin = args.server_bin()?;
        if args.processes <= 1 {
            return Ok(Self::spawned(Spawned::ours(&bin, dir, &args.spawn_args())?));
        }
        let mut all = Vec::new();
        for k in 0..args.processes {
            all.push(Spawned::ours(
                &bin,
                &dir.join(format!("p{k}")),
                &args.spawn_args(),
            )?);
        }
        let mut target = Self::spawned(all.remove(0));
        target.urls.extend(all.iter().map(|s| s.url.clone()));
        target.others = all;
        Ok(target)
    }

    /// Waits until a throwaway client completes the handshake. The JS reference server
    /// prints its address before its WebSocket adapter is attached (that waits for its
    /// storage id), and never answers a socket opened in between; so each attempt uses a
    /// new socket.
    async fn wait_serving(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut attempt = 0;
        while Instant::now() < deadline {
            attempt += 1;
            let config = PeerConfig {
                url: self.url.clone(),
                name: format!("bench-ready-{attempt}"),
                with_storage_id: false,
                counters: Arc::new(Counters::default()),
            };
            let peer = Peer::start(config, ());
            let ready = peer.wait_ready(Duration::from_secs(1)).await;
            peer.stop().await;
            if ready.is_ok() {
                if attempt > 1 {
                    tracing::info!(attempt, "server answered the handshake");
                }
                return Ok(());
            }
        }
        bail!("the server did not complete a handshake within {timeout:?}")
    }

    /// The URL without its query string (which holds the token), for reports.
    pub fn display_url(&self) -> String {
        self.url
            .split_once('?')
            .map_or(self.url.clone(), |(base, _)| base.to_owned())
    }

    /// Settings of a client of this server.
    pub fn peer(&self, name: String, args: &CommonArgs, counters: &Arc<Counters>) -> PeerConfig {
        let turn = self.next.fetch_add(1, Ordering::Relaxed) % self.urls.len();
        PeerConfig {
            url: self.urls[turn].clone(),
            name,
            with_storage_id: !args.ephemeral_clients,
            counters: counters.clone(),
        }
    }

    /// Stops a spawned server and starts it again on the same data directory (a fresh
    /// process: nothing loaded). Peers started afterwards use the new URL.
    pub async fn restart(&mut self, args: &CommonArgs) -> anyhow::Result<()> {
        let Some(spawned) = self.spawned.take() else {
            bail!("only a server this bench started can be restarted");
        };
        spawned.stop()?;
        *self = Self::start(args)?;
        self.wait_serving(args.timeout()).await
    }

    /// Current memory and CPU use of a spawned server (summed over `--processes`).
    pub fn usage(&self) -> Option<ServerUsage> {
        let first = self.spawned.as_ref().map(Spawned::usage)?;
        Some(
            self.others
                .iter()
                .map(Spawned::usage)
                .fold(first, ServerUsage::plus),
        )
    }

    /// Stops a spawned server; returns its usage (summed over `--processes`, each
    /// process's own logged).
    pub fn finish(self) -> anyhow::Result<Option<ServerUsage>> {
        let Some(first) = self.spawned.map(Spawned::stop).transpose()? else {
            return Ok(None);
        };
        let mut total = first.clone();
        if !self.others.is_empty() {
            tracing::info!(process = 0, cpu_secs = ?first.cpu_secs, peak_rss_kib = ?first.peak_rss_kib, "server process usage");
        }
        for (k, other) in self.others.into_iter().enumerate() {
            let usage = other.stop()?;
            tracing::info!(process = k + 1, cpu_secs = ?usage.cpu_secs, peak_rss_kib = ?usage.peak_rss_kib, "server process usage");
            total = total.plus(usage);
        }
        Ok(Some(total))
    }
}

fn check_url(url: &str, allow_remote: bool) -> anyhow::Result<()> {
    let uri: Uri = url
        .parse()
        .with_context(|| format!("invalid --url {url}"))?;
    if !matches!(uri.scheme_str(), Some("ws" | "wss")) {
        bail!("--url must start with ws:// or wss://");
    }
    let host = uri.host().unwrap_or_default();
    let loopback = matches!(host, "localhost" | "[::1]" | "::1") || host.starts_with("127.");
    if !loopback && !allow_remote {
        bail!("--url {host} is not a loopback address; pass --allow-remote to load it anyway");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn only_loopback_urls_unless_allowed() {
        assert!(check_url("ws://127.0.0.1:8080/sync?token=t", false).is_ok());
        assert!(check_url("ws://localhost:8080/sync", false).is_ok());
        assert!(check_url("ws://10.0.0.5:8080/sync", false).is_err());
        assert!(check_url("ws://10.0.0.5:8080/sync", true).is_ok());
        assert!(check_url("http://127.0.0.1:8080/sync", false).is_err());
    }
}
