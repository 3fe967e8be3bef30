#!/usr/bin/env bash
# Runs the server with the tablet app built: builds wasm/app/dist (scripts/build-app.sh),
# then `wish-station serve` with the arguments given. On an empty data directory the server
# prints a one-time setup code: open the printed address and choose 创建社区. `--demo`
# starts on the demo community instead. Other arguments, e.g. --listen 0.0.0.0:8080.
# Without --bootstrap-token the server generates one into DATA/bootstrap-token.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-app.sh
exec cargo run --release -p wish-server --bin wish-station -- serve "$@"
