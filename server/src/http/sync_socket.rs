//! `/sync`: one authenticated WebSocket per peer, speaking automerge-repo protocol "1".
//!
//! The task of a connection decodes frames (bounded in size) and forwards messages to the
//! engine thread, and encodes what the engine queues for it. It never decides anything
//! about documents. A malformed frame closes only this connection.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::SinkExt;
use tokio::time::{interval, sleep_until, Instant, MissedTickBehavior};
use wish_client_core::proto::{decode, encode, WireMessage};

use super::device_conns::ConnSlot;
use super::{AppState, ClientAddr, Limits, RateLimiter};
use crate::access::{Principal, Role};
use crate::engine::ConnId;
use crate::runtime::{ConnEnds, ConnHandle, Hub, HubInput, Outbound};

/// WebSocket close code for a protocol violation.
const POLICY_VIOLATION: u16 = 1008;
/// Read buffer per socket. tungstenite zero-fills the free part of its read buffer
/// before every read (128 KiB by default): with small sync frames that memset was most
/// of a socket task's CPU, and 128 KiB per connection most of the server's memory.
/// Larger frames still grow the buffer as needed.
const READ_BUFFER_BYTES: usize = 8 * 1024;
/// WebSocket close code for a message that is too big.
const TOO_BIG: u16 = 1009;

pub async fn upgrade(
    State(state): State<Arc<AppState>>,
    Extension(ClientAddr(peer_ip)): Extension<ClientAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    if let Err(refusal) = check_origin(&state.limits, &headers) {
        return (StatusCode::FORBIDDEN, refusal).into_response();
    }
    if state
        .address_limiter
        .acquire(&format!("addr:{peer_ip}"), Instant::now().into_std())
        .is_err()
    {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many connection attempts from this address",
        )
            .into_response();
    }
    let token = query.get("token").map(String::as_str);
    let (principal, expires_ms) = match state
        .directory
        .authenticate_until(token, crate::clock::now_ms())
    {
        Ok(found) => found,
        Err(error) => {
            let hint = "connect to /sync?token=TOKEN with a device token";
            return (StatusCode::UNAUTHORIZED, format!("{error}: {hint}")).into_response();
        }
    };
    // The administrator's token drives tools (load generators, restores) with many
    // sockets; the per-address limit still applies to it.
    let limited = principal.role != Role::Administrator;
    if limited
        && state
            .upgrade_limiter
            .acquire(
                &format!("device:{}", principal.device_id),
                Instant::now().into_std(),
            )
            .is_err()
    {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many connection attempts from this device",
        )
            .into_response();
    }
    let slot = if limited {
        let max = state.limits.max_connections_per_device;
        match state.device_conns.try_hold(&principal.device_id, max) {
            Some(slot) => Some(slot),
            None => {
                let refusal = format!("this device already has {max} open connections");
                return (StatusCode::TOO_MANY_REQUESTS, refusal).into_response();
            }
        }
    } else {
        None
    };
    let conn = ConnId(state.next_conn.fetch_add(1, Ordering::Relaxed));
    tracing::info!(conn = conn.0, %peer_ip, device = %principal.device_id, role = ?principal.role, "websocket authenticated");
    let limits = state.limits.clone();
    let context = ConnContext {
        conn,
        hub: state.hub.clone(),
        limiter: state.message_limiter.clone(),
        principal,
        expires: deadline_of(expires_ms),
        _slot: slot,
    };
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .max_write_buffer_size(limits.max_message_bytes * 2)
        .on_upgrade(move |socket| run_connection(socket, context, limits))
}

/// When a token that expires at `expires_ms` (Unix milliseconds) stops being valid, as a
/// timer deadline; far in the future for tokens that do not expire.
fn deadline_of(expires_ms: u64) -> Instant {
    const FAR: Duration = Duration::from_secs(10 * 365 * 86_400);
    let left = Duration::from_millis(expires_ms.saturating_sub(crate::clock::now_ms()));
    Instant::now() + left.min(FAR)
}

/// Browsers send `Origin`; when an allow-list is configured, other origins are refused
/// before upgrading (axum does no Origin check of its own).
fn check_origin(limits: &Limits, headers: &HeaderMap) -> Result<(), String> {
    let Some(origin) = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return Ok(());
    };
    if limits.allowed_origins.is_empty() || limits.allowed_origins.iter().any(|o| o == origin) {
        Ok(())
    } else {
        Err(format!("origin {origin} is not allowed"))
    }
}

/// What a connection task needs besides its socket.
struct ConnContext {
    conn: ConnId,
    hub: Hub,
    limiter: Arc<RateLimiter>,
    principal: Principal,
    /// The token expires: the connection closes then.
    expires: Instant,
    /// This connection's place among its device's connections.
    _slot: Option<ConnSlot>,
}

/// Why a connection ended, for the close frame and the log.
struct Ending {
    code: u16,
    reason: String,
    /// Send an automerge-repo `error` message first.
    protocol_error: bool,
}

impl Ending {
    fn normal(reason: impl Into<String>) -> Self {
        Self {
            code: 1000,
            reason: reason.into(),
            protocol_error: false,
        }
    }

    fn violation(reason: impl Into<String>) -> Self {
        Self {
            code: POLICY_VIOLATION,
            reason: reason.into(),
            protocol_error: true,
        }
    }
}

async fn run_connection(socket: WebSocket, context: ConnContext, limits: Limits) {
    let ConnContext {
        conn,
        hub,
        limiter,
        principal,
        expires,
        _slot,
    } = context;
    let _open = crate::metrics::global().connections.hold();
    let device = principal.device_id.clone();
    let limited = principal.role != Role::Administrator;
    let (handle, ends) = ConnHandle::new(limits.outbound_queue_bytes);
    if hub
        .send(HubInput::Connected {
            conn,
            handle,
            principal,
        })
        .await
        .is_err()
    {
        return;
    }
    let connection = Connection {
        socket,
        conn,
        hub: hub.clone(),
        limits,
        limiter,
        device,
        limited,
        expires,
        joined: false,
        awaiting_pong: false,
    };
    let ending = connection.serve(ends).await;
    tracing::info!(conn = conn.0, code = ending.code, reason = %ending.reason, "connection ended");
    let _ = hub.send(HubInput::Disconnected { conn }).await;
}

struct Connection {
    socket: WebSocket,
    conn: ConnId,
    hub: Hub,
    limits: Limits,
    limiter: Arc<RateLimiter>,
    device: String,
    /// False for the administrator, whose tools are not rate limited per device.
    limited: bool,
    /// When the device's token expires.
    expires: Instant,
    joined: bool,
    awaiting_pong: bool,
}

impl Connection {
    async fn serve(mut self, mut ends: ConnEnds) -> Ending {
        let ending = self.pump(&mut ends).await;
        self.say_goodbye(&ending).await;
        ending
    }

    async fn pump(&mut self, ends: &mut ConnEnds) -> Ending {
        let mut ping = interval(Duration::from_millis(self.limits.ping_interval_ms.max(1)));
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        ping.tick().await;
        // Timers and the close signal live across iterations: made anew in each, they were
        // registered with and removed from tokio's timer wheel at every frame either way.
        let join_deadline =
            sleep_until(Instant::now() + Duration::from_millis(self.limits.join_timeout_ms));
        let expiry = sleep_until(self.expires);
        let close = ends.close.clone();
        let closed = close.closed();
        tokio::pin!(join_deadline, expiry, closed);
        loop {
            let step = tokio::select! {
                frame = self.socket.recv() => self.on_frame(frame).await,
                Some(Outbound::Message(message)) = ends.outbound.recv() => {
                    self.write_queued(message, ends).await
                }
                reason = &mut closed => Err(Ending::violation(reason)),
                _ = ping.tick() => self.keepalive().await,
                _ = &mut join_deadline, if !self.joined => Err(Ending::violation("no join message in time")),
                _ = &mut expiry => Err(Ending::violation("token expired")),
            };
            if let Err(ending) = step {
                return ending;
            }
        }
    }

    /// Writes `first` and whatever else is already queued, then flushes once: a peer
    /// that is sent many messages in one engine batch costs one flush, not one each.
    async fn write_queued(
        &mut self,
        first: WireMessage,
        ends: &mut ConnEnds,
    ) -> Result<(), Ending> {
        let mut next = Some(first);
        while let Some(message) = next {
            let fed = self.feed(&message).await;
            ends.queued.written(&message);
            fed?;
            next = match ends.outbound.try_recv() {
                Ok(Outbound::Message(message)) => Some(message),
                Err(_) => None,
            };
        }
        self.socket
            .flush()
            .await
            .map_err(|e| Ending::normal(format!("write failed: {e}")))
    }

    async fn on_frame(
        &mut self,
        frame: Option<Result<Message, axum::Error>>,
    ) -> Result<(), Ending> {
        let message = match frame {
            None => return Err(Ending::normal("peer went away")),
            Some(Err(e)) => return Err(read_error(e)),
            Some(Ok(message)) => message,
        };
        match message {
            Message::Binary(bytes) => self.forward(&bytes).await,
            Message::Text(_) => Err(Ending::violation(
                "text frames are not part of the protocol; send binary CBOR",
            )),
            Message::Ping(_) => Ok(()),
            Message::Pong(_) => {
                self.awaiting_pong = false;
                Ok(())
            }
            Message::Close(_) => Err(Ending::normal("peer closed the connection")),
        }
    }

    async fn forward(&mut self, bytes: &[u8]) -> Result<(), Ending> {
        self.throttle().await?;
        let metrics = crate::metrics::global();
        metrics.bytes_received.add(bytes.len() as u64);
        let message =
            decode(bytes).map_err(|e| Ending::violation(format!("malformed message: {e}")))?;
        metrics.messages_received.inc();
        self.joined |= matches!(message, WireMessage::Join { .. });
        self.awaiting_pong = false;
        self.hub
            .send(HubInput::Message {
                conn: self.conn,
                message,
            })
            .await
            .map_err(|_| Ending::normal("server shutting down"))
    }

    /// Waits while the device is over its message rate: reading slower pushes back on the
    /// sender through TCP, and nothing is dropped. A device that would wait too long is
    /// disconnected with a reason.
    async fn throttle(&mut self) -> Result<(), Ending> {
        if !self.limited {
            return Ok(());
        }
        for _ in 0..50 {
            match self
                .limiter
                .acquire(&self.device, Instant::now().into_std())
            {
                Ok(()) => return Ok(()),
                Err(wait) => tokio::time::sleep(wait.min(Duration::from_millis(100))).await,
            }
        }
        Err(Ending::violation("message rate limit exceeded"))
    }

    /// Queues one message on the socket without flushing it.
    async fn feed(&mut self, message: &WireMessage) -> Result<(), Ending> {
        let bytes = encode(message);
        let metrics = crate::metrics::global();
        metrics.messages_sent.inc();
        metrics.bytes_sent.add(bytes.len() as u64);
        self.socket
            .feed(Message::Binary(bytes.into()))
            .await
            .map_err(|e| Ending::normal(format!("write failed: {e}")))
    }

    async fn keepalive(&mut self) -> Result<(), Ending> {
        if self.awaiting_pong {
            return Err(Ending::normal("keepalive timeout: no pong"));
        }
        self.awaiting_pong = true;
        self.socket
            .send(Message::Ping(Vec::new().into()))
            .await
            .map_err(|e| Ending::normal(format!("ping failed: {e}")))
    }

    /// Sends an automerge-repo `error` message when the peer broke the protocol, then a
    /// close frame with the reason.
    async fn say_goodbye(&mut self, ending: &Ending) {
        if ending.protocol_error {
            let error = WireMessage::Error {
                message: ending.reason.clone(),
                sender_id: None,
                target_id: None,
            };
            let _ = self
                .socket
                .send(Message::Binary(encode(&error).into()))
                .await;
        }
        let reason: String = ending.reason.chars().take(120).collect();
        let frame = CloseFrame {
            code: ending.code,
            reason: reason.into(),
        };
        let _ = self.socket.send(Message::Close(Some(frame))).await;
    }
}

fn read_error(error: axum::Error) -> Ending {
    let text = error.to_string();
    if text.contains("too long") || text.contains("too big") || text.contains("Space limit") {
        Ending {
            code: TOO_BIG,
            reason: format!("message too big: {text}"),
            protocol_error: false,
        }
    } else {
        Ending::normal(format!("read failed: {text}"))
    }
}
