#!/usr/bin/env bash
# Runs the server with the tablet app built: builds wasm/app/dist (scripts/build-app.sh),
# then `wish-station serve` with the arguments given, e.g. --listen 0.0.0.0:8080. Without
# --bootstrap-token the server generates one into DATA/bootstrap-token and prints the path.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-app.sh
exec cargo run --release -p wish-server --bin wish-station -- serve "$@"
