//! The server a run loads: one given by URL, or one this process starts and stops.

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
    pub url: String,
    pub kind: ServerKind,
    spawned: Option<Spawned>,
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
            return Ok(Self::spawned(Spawned::ours(
                &args.server_bin()?,
                dir,
                &args.spawn_args(),
            )?));
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
            url,
            kind: ServerKind::External,
            spawned: None,
        })
    }

    fn spawned(spawned: Spawned) -> Self {
        Self {
            url: spawned.url.clone(),
            kind: spawned.kind,
            spawned: Some(spawned),
        }
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
        PeerConfig {
            url: self.url.clone(),
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

    /// Current memory and CPU use of a spawned server.
    pub fn usage(&self) -> Option<ServerUsage> {
        self.spawned.as_ref().map(Spawned::usage)
    }

    /// Stops a spawned server; returns its usage.
    pub fn finish(self) -> anyhow::Result<Option<ServerUsage>> {
        self.spawned.map(Spawned::stop).transpose()
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
