#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need
# (Node.js packages for the JS interop tests, the wasm target through rust-toolchain.toml),
# then formatting, lints, the wasm build and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return; fi
  log "installing Node.js and npm (Debian packages)"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
}

ensure_chromium() {
  # Chromium for the browser tests; a CJK font so screenshots show Chinese, not boxes.
  if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then return; fi
  log "installing Chromium and a Chinese font for the browser tests (Debian packages)"
  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
}

log "toolchain (rust-toolchain.toml pins stable with the wasm32 target)"
rustup show active-toolchain
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true

ensure_node
ensure_chromium
log "JS interop packages (tests/js, pinned in package-lock.json)"
if [ ! -f tests/js/node_modules/.package-lock.json ] || [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then
  (cd tests/js && npm ci --no-audit --no-fund)
fi

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

log "client core and bindings build for wasm32-unknown-unknown"
cargo build -p wish-wasm --target wasm32-unknown-unknown

log "tests"
cargo test --workspace
