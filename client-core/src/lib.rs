//! Sans-IO core of the Wish Station client.
//!
//! Nothing in this crate performs I/O, reads a clock or uses a global random number
//! generator: time and randomness are passed in by the caller. That is what lets the same
//! code run natively, in the browser (`wasm32-unknown-unknown`) and in deterministic tests.
//!
//! * [`proto`]: the automerge-repo WebSocket protocol "1" messages and their CBOR codec.
//! * [`sync`]: per-(peer, document) sync sessions and the client driver.
//! * `native` (feature `native`): a tokio-tungstenite runtime that drives the client driver.

pub mod calendar;
pub mod model;
#[cfg(feature = "native")]
pub mod native;
pub mod ops;
pub mod proto;
pub mod storage_keys;
pub mod sync;
