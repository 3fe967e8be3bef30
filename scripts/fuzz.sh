#!/usr/bin/env bash
# Runs every cargo-fuzz target for a while (default 30 s each; FUZZ_SECONDS to change):
# the wire decoder (client-core/fuzz) and the server engine fed arbitrary peer input and
# arbitrary stored bytes (server/fuzz). First each target replays its committed seeds
# and regression inputs (fuzz/seeds/<target>, fuzz/regressions/<target>); a crash found
# while fuzzing is left in fuzz/artifacts/<target> and fails the run: copy it to
# fuzz/regressions/<target> with the fix so it is replayed from then on.
#
# cargo-fuzz needs unstable compiler flags; these machines have only the stable
# toolchain, so the build sets RUSTC_BOOTSTRAP=1 for this (and only this) build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

SECONDS_EACH="${FUZZ_SECONDS:-30}"
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz (cargo install, about a minute once)"
  cargo install --quiet cargo-fuzz >&2
fi
export RUSTC_BOOTSTRAP=1

fuzz() {
  local crate="$1" target="$2"
  local dir="$crate/fuzz"
  mkdir -p "$dir/corpus/$target" "$dir/seeds/$target" "$dir/regressions/$target"
  log "fuzz $target: replay seeds and regressions, then ${SECONDS_EACH}s of fuzzing"
  (cd "$crate" && cargo fuzz run "$target" "fuzz/regressions/$target" "fuzz/seeds/$target" -- -runs=0)
  (cd "$crate" && cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1)
}

fuzz client-core decode
fuzz server engine_messages
fuzz server stored_bytes
