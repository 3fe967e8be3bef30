//! Browser bindings of the Wish Station client core (wasm-bindgen). Conversions and
//! errors only: every decision is made in `wish-client-core`.
//!
//! One class, [`WishClient`], wraps the sans-IO [`ClientDriver`]: the page owns the
//! WebSocket, IndexedDB and the clock, feeds what happened (`start`, `connected`,
//! `frame`, `tick`, ...) and carries out the returned effects in order (see
//! `wasm/app/src/sync/runtime.ts`). The domain operations and views are methods of the same
//! class, so they act on the documents the driver holds and every local change is stored
//! and synced like any other. Inputs and views cross the boundary as JSON; bytes as
//! `Uint8Array`.
//!
//! [`ClientDriver`]: wish_client_core::sync::ClientDriver

mod actions;
mod client;
mod convert;
mod coordinator;
mod coordinator_errors;
mod dispatch;
mod documents;
mod domain;
mod effects;
mod lists;
mod loop_errors;
mod loop_ops;
mod refusals;
mod views;
mod wish_cache;

pub use client::WishClient;
pub use wish_client_core as core;
