//! The server's integration tests: the engine in simulation, storage crashes, rules, limits.
//!
//! One test binary per crate: each file below was its own binary, and linking the
//! server into each of them dominated the test build on two cores.

/// One `#[test]` per case and backend: `on_redb::CASE` and `on_postgres::CASE`, each
/// calling `CASE(Backend)` of the file that invokes it (filter with `on_postgres`).
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod on_redb {
            $(#[test]
            fn $case() {
                super::$case(crate::sim::Backend::Redb)
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $case() {
                super::$case(crate::sim::Backend::Postgres)
            })*
        }
    };
}

mod dispatch_rules_properties;
mod engine_earn_repair;
mod engine_fan_out;
mod engine_harness;
mod engine_limits;
mod engine_peer_ids;
mod engine_robustness;
mod engine_server_write;
mod engine_simulation;
mod lossy_network;
mod roster_rules_properties;
mod rules_properties;
mod sans_io;
mod sim;
mod storage_crash;
