#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need
# (Node.js packages for the JS interop tests, the wasm target through rust-toolchain.toml,
# PostgreSQL for the PostgreSQL backend's tests),
# then formatting, lints, the tablet app build, the whole test suite and a short fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/common.sh

log "toolchain (rust-toolchain.toml pins stable with the wasm32 target)"
rustup show active-toolchain
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true

ensure_node
ensure_chromium
ensure_postgres
ensure_npm_packages tests/js

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

log "cargo doc (no broken or private links in the API documentation)"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --workspace

log "tablet web app (wasm client, bindings, TypeScript; scripts/build-app.sh)"
./scripts/build-app.sh

log "tests"
cargo test --workspace

log "fuzzing: every cargo-fuzz target replays its seeds and regressions, then runs briefly"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}" ./scripts/fuzz.sh
