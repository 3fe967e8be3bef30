#!/usr/bin/env bash
# Builds the tablet web app into wasm/app/dist, which the server serves at /:
#   1. the client core for wasm32 (cargo, release),
#   2. its JS glue and type declarations (wasm-bindgen, installed at the pinned version),
#   3. the TypeScript front end (type-checked by tsc, bundled by esbuild) and the PWA shell.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# Must equal the wasm-bindgen version pinned in wasm/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
APP=wasm/app

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then return; fi
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, about 3 minutes once)"
  # Not --locked: the tool's own lock file names a yanked crate.
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
}

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
export PATH="$HOME/.cargo/bin:$PATH"
ensure_wasm_bindgen
ensure_node
ensure_npm_packages "$APP"

log "wasm client (cargo build --release --target wasm32-unknown-unknown)"
cargo build --quiet --release -p wish-wasm --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir "$APP/pkg" \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wish_wasm.wasm"

log "front end (tsc --noEmit, esbuild)"
(cd "$APP" && node build.mjs)
