//! The server's decision-making modules are sans-IO (ARCHITECTURE.md, "Invariants"): the
//! engine, the domain hook, the access rules and the write rules take their inputs and
//! return effects, and the runtime (`server/src/runtime`) does the I/O. A socket, a file, a
//! tokio task or a clock read inside them would make the simulation tests lie (their
//! virtual clock and in-memory storage would no longer be the whole world). This test reads
//! the sources and names any line that breaks that.
//!
//! The office index (`aggregate`) is listed too: the thread that feeds it and the loader
//! that refreshes it from storage live in the runtime (`runtime/summary_feed.rs`,
//! `runtime/index_source.rs`).

use std::path::{Path, PathBuf};

/// Modules that must stay free of I/O, relative to `server/src`.
const SANS_IO: [&str; 10] = [
    "engine",
    "engine.rs",
    "domain",
    "domain.rs",
    "access",
    "access.rs",
    "rules",
    "rules.rs",
    "aggregate",
    "aggregate.rs",
];

const FORBIDDEN: [&str; 11] = [
    "tokio",
    "std::fs",
    "std::net",
    "Instant::now",
    "SystemTime::now",
    "thread_rng(",
    "rand::rng(",
    "std::thread::spawn",
    "std::thread::sleep",
    "thread::Builder",
    "std::sync::mpsc",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() || path.extension().is_some_and(|e| e == "rs") {
            rust_files(&path, out);
        }
    }
}

fn offending_lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| FORBIDDEN.iter().any(|f| line.contains(f)))
        .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
        .collect()
}

#[test]
fn engine_domain_access_and_rules_do_no_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in SANS_IO {
        rust_files(&src.join(module), &mut files);
    }
    assert!(files.len() > 20, "found only {} source files", files.len());
    let offenders: Vec<String> = files.iter().flat_map(|f| offending_lines(f)).collect();
    assert!(
        offenders.is_empty(),
        "I/O, a clock or a global RNG in sans-IO server code:\n{}",
        offenders.join("\n")
    );
}
