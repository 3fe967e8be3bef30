//! The socket side of a native client: connecting, sending, reading frames, and the
//! clock the driver's timers use. Shared by [`super::NativeClient`] and the load
//! generator's peers so both speak to the server the same way.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

use crate::sync::ClientInput;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Read buffer per socket. tungstenite zero-fills the free part of its read buffer
/// before every read (128 KiB by default), which dominated the CPU of small sync frames;
/// larger frames still grow the buffer as needed.
pub const READ_BUFFER_BYTES: usize = 8 * 1024;

/// What came off the socket.
pub enum Incoming {
    /// A binary frame: one protocol message.
    Frame(Vec<u8>),
    /// The socket is gone; the reason is for the driver's event.
    Lost(String),
    /// Ping, pong or text: nothing for the driver.
    Ignored,
}

/// The WebSocket of a native client, if connected.
#[derive(Default)]
pub struct Link {
    socket: Option<Socket>,
}

impl Link {
    /// Connects within `timeout`; returns the driver's input for the outcome.
    pub async fn connect(&mut self, url: &str, timeout: Duration) -> ClientInput {
        // `true`: TCP_NODELAY, as browsers do, so small frames are not held back.
        let connecting = connect_async_with_config(url, Some(socket_config()), true);
        match tokio::time::timeout(timeout, connecting).await {
            Ok(Ok((socket, _))) => {
                self.socket = Some(socket);
                ClientInput::Connected
            }
            Ok(Err(e)) => ClientInput::Disconnected {
                reason: format!("connect failed: {e}"),
            },
            Err(_) => ClientInput::Disconnected {
                reason: "connect timed out".into(),
            },
        }
    }

    pub fn is_connected(&self) -> bool {
        self.socket.is_some()
    }

    /// Sends one frame; on failure the socket is dropped and the driver's input returned.
    pub async fn send(&mut self, bytes: Vec<u8>) -> Option<ClientInput> {
        let socket = self.socket.as_mut()?;
        let error = socket.send(Message::Binary(bytes.into())).await.err()?;
        self.socket = None;
        Some(ClientInput::Disconnected {
            reason: format!("send failed: {error}"),
        })
    }

    /// Closes the socket politely, if there is one.
    pub async fn close(&mut self) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
    }

    /// The next thing from the socket; pending forever while disconnected.
    pub async fn next(&mut self) -> Incoming {
        let Some(socket) = self.socket.as_mut() else {
            return std::future::pending().await;
        };
        let incoming = match socket.next().await {
            Some(Ok(Message::Binary(bytes))) => return Incoming::Frame(bytes.into()),
            Some(Ok(Message::Close(frame))) => Incoming::Lost(format!(
                "server closed the socket: {}",
                frame.map_or_else(|| "no reason".into(), |f| f.reason.to_string())
            )),
            Some(Ok(_)) => return Incoming::Ignored,
            Some(Err(e)) => Incoming::Lost(format!("socket error: {e}")),
            None => Incoming::Lost("connection ended".into()),
        };
        self.socket = None;
        incoming
    }
}

fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(READ_BUFFER_BYTES)
}

/// Wall-clock milliseconds, the driver's time base (only used for its timers).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
