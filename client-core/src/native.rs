//! A native runtime for the client driver (feature `native`): tokio-tungstenite for the
//! socket, the file system for local storage (the automerge-repo NodeFS layout), the
//! system clock and RNG. Used by station PCs, scripts, the load generator and tests.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use automerge::transaction::Transactable;
//! use wish_client_core::native::{NativeClient, NativeConfig};
//! let client = NativeClient::start(NativeConfig::new("ws://127.0.0.1:8080/sync?token=T")).await?;
//! let doc = client.create(|doc| {
//!     let mut tx = doc.transaction();
//!     tx.put(automerge::ROOT, "title", "路由器安装").unwrap();
//!     tx.commit();
//! }).await?;
//! client.wait_saved(doc, std::time::Duration::from_secs(5)).await?;
//! # Ok(()) }
//! ```

mod client;
mod effects;
mod fs_store;
mod link;

pub use client::{NativeClient, NativeConfig, NativeError};
pub use effects::{carry_out, Effects};
pub use fs_store::FsStore;
pub use link::{now_ms, Incoming, Link, READ_BUFFER_BYTES};
