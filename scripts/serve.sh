#!/usr/bin/env bash
# Runs the server with the tablet app built: builds wasm/app/dist (scripts/build-app.sh),
# then `wish-station serve` with the arguments given, e.g. --bootstrap-token TOKEN.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-app.sh
exec cargo run --release -p wish-server --bin wish-station -- serve "$@"
