//! The load generator's workloads end to end against a spawned server, at toy sizes: a
//! change that breaks a workload (or what it checks) fails here, not at the next
//! benchmark run. The figures themselves come from release builds (BENCHMARKS.md).

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `wish-bench ARGS --spawn-ours DIR --json`; returns the JSON report.
///
/// The server is the `wish-station` next to `wish-bench` in the target directory: cargo
/// cannot make one package's tests build another's binary, so `cargo test --workspace`
/// (scripts/test-all.sh) builds it; alone, run `cargo build -p wish-server` first.
fn bench(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let bench = Path::new(env!("CARGO_BIN_EXE_wish-bench"));
    let server = bench.with_file_name(format!("wish-station{}", std::env::consts::EXE_SUFFIX));
    assert!(
        server.is_file(),
        "{} is missing: run `cargo build -p wish-server` first",
        server.display()
    );
    let output = Command::new(bench)
        .args(args)
        .arg("--server-bin")
        .arg(&server)
        .arg("--spawn-ours")
        .arg(dir.path().join("data"))
        .args(["--json", "--timeout-secs", "60"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "bench {args:?} failed:\n{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}\n{stderr}"))
}

#[test]
fn relay_over_several_documents_reaches_every_reader() {
    let report = bench(&[
        "relay",
        "--clients",
        "6",
        "--docs",
        "2",
        "--changes",
        "5",
        "--warmup",
        "1",
    ]);
    assert_eq!(report["converged"], true);
    assert_eq!(report["readers"], 6);
    assert_eq!(report["documents"], 2);
    // Every reader recorded every measured change of its document.
    assert_eq!(report["latency"]["samples"], 6 * 5);
    assert_eq!(report["unmatched_changes"], 0);
}

#[test]
fn memory_walks_every_stored_document_after_a_restart() {
    let report = bench(&[
        "memory",
        "--docs",
        "120",
        "--seeders",
        "2",
        "--loaded",
        "40",
        "--batch",
        "50",
        "--settle-secs",
        "1",
        "--server-arg=--idle-unload-secs=1",
    ]);
    let waves = report["waves"].as_array().unwrap();
    assert_eq!(waves.len(), 3, "120 documents in waves of 50");
    assert!(waves.iter().all(|w| w["missing"] == 0));
    assert!(report["rss_kib_baseline"].as_u64().unwrap() > 0);
    assert!(report["bytes_per_loaded_doc"].is_number());
}

#[test]
fn soak_with_churn_loses_no_edit_across_a_restart() {
    let report = bench(&[
        "soak",
        "--clients",
        "12",
        "--docs",
        "3",
        "--duration-secs",
        "4",
        "--edit-every-secs",
        "0.3",
        "--churn-per-sec",
        "6",
        "--max-offline-secs",
        "1",
        "--sample-secs",
        "1",
    ]);
    assert!(report["edits"].as_u64().unwrap() > 12);
    assert!(report["offline_spells"].as_u64().unwrap() > 0);
    assert_eq!(report["verified_after_restart"], 3);
    assert_eq!(report["clients_converged"], 12);
    assert!(report["soaked_server"]["cpu_secs"].as_f64().unwrap() > 0.0);
    assert!(!report["samples"].as_array().unwrap().is_empty());
}

#[test]
fn ingest_as_volunteers_has_every_change_accepted_by_the_write_rules() {
    let report = bench(&[
        "ingest",
        "--clients",
        "2",
        "--docs-per-client",
        "2",
        "--duration-secs",
        "1",
        "--as-volunteers",
    ]);
    assert_eq!(report["as_volunteers"], true);
    assert_eq!(report["converged"], true);
    assert_eq!(report["local_errors"], 0);
    assert!(report["acked_changes"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn reconnect_storm_saves_and_converges_every_offline_edit() {
    let report = bench(&[
        "reconnect-storm",
        "--tablets",
        "3",
        "--docs",
        "2",
        "--edits",
        "3",
    ]);
    // Our server acknowledges after its commit, so "saved" is measured.
    assert_ne!(report["ack"], "sync-heads", "{report}");
    let saved = report["all_saved_secs"].as_f64().unwrap();
    let converged = report["all_converged_secs"].as_f64().unwrap();
    assert!(saved > 0.0 && converged > 0.0, "{report}");
    assert!(report["sync_in_per_tablet_doc"].as_f64().unwrap() > 0.0);
    assert_eq!(report["storm_traffic"]["problems"], 0, "{report}");
}
