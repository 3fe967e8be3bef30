//! Integration tests across crates: real server processes, real WebSockets, Chromium, JS interop.
//!
//! One test binary per crate: each file below was its own binary, and linking the
//! server into each of them dominated the test build on two cores.

/// One test per case and backend: `on_redb::CASE` and `on_postgres::CASE`, each calling
/// `CASE(Backend)` of the file that invokes it (filter with `on_postgres`). `async:` cases
/// run on a two-thread tokio runtime, `sync:` cases are plain tests.
macro_rules! on_both_backends {
    (async: $($case:ident),* $(,)?) => {
        on_both_backends!(@mod on_redb, Redb, async, $($case),*);
        on_both_backends!(@mod on_postgres, Postgres, async, $($case),*);
    };
    (sync: $($case:ident),* $(,)?) => {
        on_both_backends!(@mod on_redb, Redb, sync, $($case),*);
        on_both_backends!(@mod on_postgres, Postgres, sync, $($case),*);
    };
    (@mod $module:ident, $backend:ident, async, $($case:ident),*) => {
        mod $module {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() -> anyhow::Result<()> {
                super::$case(wish_tests::Backend::$backend).await
            })*
        }
    };
    (@mod $module:ident, $backend:ident, sync, $($case:ident),*) => {
        mod $module {
            $(#[test]
            fn $case() -> anyhow::Result<()> {
                super::$case(wish_tests::Backend::$backend)
            })*
        }
    };
}

mod access_control;
mod bad_input;
mod cli_demo_import;
mod close_loop;
mod communities_api;
mod community_end_to_end;
mod community_setup;
mod contact_deletion;
mod coordinator_screens;
mod crash_durability;
mod dispatch_tasks;
mod dispatch_to_close;
mod empty_to_report;
mod hostile_devices;
mod hostile_dispatch;
mod hostile_loop;
mod hostile_people;
mod hostile_setup;
mod hostile_supervise;
mod js_interop;
mod metrics;
mod office_api;
mod office_console;
mod office_console_shapes;
mod office_dashboard;
mod office_district;
mod office_ledger_export;
mod office_lists;
mod office_names_report;
mod office_personal_export;
mod office_sign_in_report;
mod office_wish_detail;
mod openapi_responses;
mod rest_scope;
mod storage_migrate;
mod sync_convergence;
mod tablet_app;
mod tablet_refusals;
