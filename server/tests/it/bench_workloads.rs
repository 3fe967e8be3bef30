//! The load generator's workloads end to end against a spawned server, at toy sizes: a
//! change that breaks a workload (or what it checks) fails here, not at the next
//! benchmark run. The figures themselves come from release builds (BENCHMARKS.md).

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken test

use std::process::Command;

use serde_json::Value;

/// Runs `wish-station bench ARGS --spawn-ours DIR --json`; returns the JSON report.
fn bench(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_wish-station"))
        .arg("bench")
        .args(args)
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
