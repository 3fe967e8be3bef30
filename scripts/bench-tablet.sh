#!/usr/bin/env bash
# Fresh-tablet sync benchmark: seeds a demo community whose "center" station holds about
# WISHES/4 wishes, starts the release server with the built tablet app, and times a fresh
# tablet in headless Chromium until it holds every wish of the station and each is saved on
# the server (tests/js/tablet-bench.mjs). Prints the JSON result.
#
#   scripts/bench-tablet.sh [WISHES=4000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

WISHES="${1:-4000}"
RUNS="${2:-3}"
TOKEN=bench-admin-token

./scripts/build-app.sh
ensure_chromium
ensure_npm_packages tests/js
cargo build --quiet --release -p wish-server --bin wish-station
BIN=target/release/wish-station

DATA="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
COMMUNITY="$("$BIN" demo --data "$DATA" --wishes "$WISHES" | sed -n 's/^community: automerge:\([^ ]*\).*/\1/p')"
"$BIN" serve --data "$DATA" --bootstrap-token "$TOKEN" --listen 127.0.0.1:0 --app-dir wasm/app/dist \
  > "$DATA/serve.out" 2> "$DATA/serve.err" &
SERVER=$!
for _ in $(seq 100); do grep -q "listening on" "$DATA/serve.out" && break; sleep 0.1; done
ADDR="$(sed -n 's/^listening on //p' "$DATA/serve.out")"
log "server at $ADDR, community $COMMUNITY"
(cd tests/js && node tablet-bench.mjs --url "http://$ADDR/" --token "$TOKEN" \
  --community "$COMMUNITY" --station center --runs "$RUNS")
