#!/usr/bin/env bash
# Fresh-tablet sync benchmark: seeds a demo community whose "center" station holds about
# WISHES/4 wishes, starts the release server with the built tablet app, and times a fresh
# tablet in headless Chromium until it holds every wish of the station and each is saved on
# the server (tests/js/tablet-bench.mjs). Prints the JSON result.
#
#   scripts/bench-tablet.sh [WISHES=4000] [RUNS=3]
#
# Seeding 4 000 wishes takes about 4 minutes; BENCH_DATA=DIR seeds DIR once and reuses it.
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

SERVER=""
if [ -n "${BENCH_DATA:-}" ]; then
  DATA="$BENCH_DATA"
  trap 'kill "$SERVER" 2>/dev/null || true' EXIT
else
  DATA="$(mktemp -d)"
  trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
fi
if [ ! -f "$DATA/wish-station.redb" ]; then
  log "seeding $WISHES demo wishes into $DATA"
  "$BIN" demo --communities 1 --data "$DATA" --wishes "$WISHES" >&2
fi
"$BIN" serve --data "$DATA" --bootstrap-token "$TOKEN" --listen 127.0.0.1:0 --app-dir wasm/app/dist \
  > "$DATA/serve.out" 2> "$DATA/serve.err" &
SERVER=$!
for _ in $(seq 100); do grep -q "listening on" "$DATA/serve.out" && break; sleep 0.1; done
ADDR="$(sed -n 's/^listening on //p' "$DATA/serve.out")"
log "server at $ADDR"
(cd tests/js && node tablet-bench.mjs --url "http://$ADDR/" --token "$TOKEN" --station center --runs "$RUNS")
