//! client-core must never read a clock or a global RNG: they compile for
//! wasm32-unknown-unknown but panic in a browser, and they make tests non-deterministic.
//! The `native` runtime is the one place allowed to, since it is the I/O layer.

use std::path::{Path, PathBuf};

const FORBIDDEN: [&str; 4] = [
    "Instant::now",
    "SystemTime::now",
    "thread_rng(",
    "rand::rng(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_clock_or_global_rng_outside_the_native_runtime() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(src.join("native"))) {
        let text = std::fs::read_to_string(file).expect("read file");
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") && FORBIDDEN.iter().any(|f| line.contains(f)) {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "clock or RNG in sans-IO code:\n{}",
        offenders.join("\n")
    );
}
