//! Wish Station server: a thin tokio/axum/redb runtime around the sans-IO sync engine.
//!
//! * [`engine`]: peers, documents and sync sessions; no I/O.
//! * [`domain`]: arbitration and summaries, run by the engine after each change.
//! * [`runtime`]: the engine thread that feeds the engine, group-commits and delivers.
//! * [`storage`]: the storage trait and its redb implementation.
//! * [`http`]: the axum router (`/sync`, `/healthz`, `/metrics`, `/api/v1`).
//! * [`metrics`]: the Prometheus counters behind `/metrics`.
//! * [`cli`]: the `wish-station` command.

pub mod access;
pub mod aggregate;
pub mod audit;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod directory;
pub mod domain;
pub mod engine;
pub mod http;
pub mod import;
pub mod metrics;
pub mod qr;
pub mod refusals;
pub mod rules;
pub mod runtime;
pub mod scope;
pub mod server;
pub mod setup;
pub mod storage;
