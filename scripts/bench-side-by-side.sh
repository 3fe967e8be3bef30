#!/usr/bin/env bash
# Runs the same `wish-bench` workloads against our server and against the JS
# reference server (tests/js/reference-server.mjs), one after the other, and prints a
# markdown table: our figure, the reference's, and the ratio.
#
# Usage: scripts/bench-side-by-side.sh [OUT_DIR]
#
# Knobs (environment): RELAY_CLIENTS (100), RELAY_DOCS (1), RELAY_RATE (changes per
# second per writer; lockstep when unset), RELAY_CHANGES (300), RELAY_WARMUP (30),
# INGEST_CLIENTS (20), INGEST_DOCS (5), INGEST_SECS (15), SKIP_BUILD=1, SKIP_INGEST=1.
# Needs cargo, node and python3. Each run's JSON line is kept in OUT_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RELAY_CLIENTS="${RELAY_CLIENTS:-100}"
RELAY_CHANGES="${RELAY_CHANGES:-300}"
RELAY_WARMUP="${RELAY_WARMUP:-30}"
RELAY_DOCS="${RELAY_DOCS:-1}"
INGEST_CLIENTS="${INGEST_CLIENTS:-20}"
INGEST_DOCS="${INGEST_DOCS:-5}"
INGEST_SECS="${INGEST_SECS:-15}"

OUT="${1:-$(mktemp -d -t wish-side-by-side.XXXXXX)}"
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release -p wish-server -p wish-bench >&2
fi
BIN="$ROOT/target/release/wish-bench"

if [[ ! -d tests/js/node_modules ]]; then
    (cd tests/js && npm ci) >&2
fi

run() { # NAME SERVER_FLAG WORKLOAD ARGS...
    local name="$1" flag="$2" workload="$3"
    shift 3
    local data="$OUT/data-$name"
    rm -rf "$data"
    mkdir -p "$data"
    echo "== $name: wish-bench $workload $flag DIR $*" >&2
    "$BIN" "$workload" "$flag" "$data" "$@" --json >"$OUT/$name.json" 2>"$OUT/$name.log" || {
        echo "run $name failed; see $OUT/$name.log" >&2
        tail -20 "$OUT/$name.log" >&2
        return 1
    }
    rm -rf "$data"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RELAY_ARGS=(--clients "$RELAY_CLIENTS" --docs "$RELAY_DOCS" --changes "$RELAY_CHANGES" --warmup "$RELAY_WARMUP" --timeout-secs 120)
if [[ -n "${RELAY_RATE:-}" ]]; then
    RELAY_ARGS+=(--rate "$RELAY_RATE")
fi
INGEST_ARGS=(--clients "$INGEST_CLIENTS" --docs-per-client "$INGEST_DOCS" --duration-secs "$INGEST_SECS")

run relay-ours --spawn-ours relay "${RELAY_ARGS[@]}"
run relay-reference --spawn-reference relay "${RELAY_ARGS[@]}"
if [[ "${SKIP_INGEST:-0}" != 1 ]]; then
    run ingest-ours --spawn-ours ingest "${INGEST_ARGS[@]}"
    # The same load written as enrolled volunteers: wish documents, every change reviewed
    # by the write rules (the run above uses the administrator token, which is not).
    run ingest-ours-volunteers --spawn-ours ingest "${INGEST_ARGS[@]}" --as-volunteers
    run ingest-reference --spawn-reference ingest "${INGEST_ARGS[@]}"
fi

{
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "relay: ${RELAY_ARGS[*]}; ingest: ${INGEST_ARGS[*]} (skipped: ${SKIP_INGEST:-0})"
    echo
} | tee "$OUT/context.txt"

python3 - "$OUT" <<'EOF'
import json, sys, os

out = sys.argv[1]
def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.loads(f.read().strip().splitlines()[-1])

ro, rr = load("relay-ours"), load("relay-reference")
have_ingest = os.path.exists(os.path.join(out, "ingest-ours.json")) and os.environ.get("SKIP_INGEST") != "1"
io, ir = (load("ingest-ours"), load("ingest-reference")) if have_ingest else (None, None)
iv = load("ingest-ours-volunteers") if have_ingest else None

def usage(r, field):
    u = r.get("server_usage") or {}
    return u.get(field)

rows = []
def row(label, ours, theirs, unit, lower_is_better):
    if ours is None or theirs is None:
        rows.append((label, ours, theirs, unit, "n/a"))
        return
    if lower_is_better:
        ratio = theirs / ours if ours else float("inf")
    else:
        ratio = ours / theirs if theirs else float("inf")
    if abs(ratio - 1) < 0.005:
        note = "same"
    else:
        note = f"{ratio:.2f}x better" if ratio > 1 else f"{1/ratio:.2f}x worse"
    rows.append((label, ours, theirs, unit, note))

for q in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
    row(f"relay latency {q[:-3]}", ro["latency"][q], rr["latency"][q], "ms", True)
row("relay readers converged", ro["readers_converged"], rr["readers_converged"], "", False)
kib = lambda v: None if v is None else v / 1024
row("relay server peak RSS", kib(usage(ro, "peak_rss_kib")), kib(usage(rr, "peak_rss_kib")), "MiB", True)
row("relay server CPU", usage(ro, "cpu_secs"), usage(rr, "cpu_secs"), "s", True)
if have_ingest:
    row("ingest acknowledged changes/s", io["changes_per_sec"], ir["changes_per_sec"], "/s", False)
    row("ingest changes/s as volunteers (write rules on)", iv["changes_per_sec"], ir["changes_per_sec"], "/s", False)
    row("ingest ack p99 as volunteers", iv["ack_latency"]["p99_ms"], ir["ack_latency"]["p99_ms"], "ms", True)
    row("ingest server CPU as volunteers", usage(iv, "cpu_secs"), usage(ir, "cpu_secs"), "s", True)
    for q in ("p50_ms", "p99_ms"):
        row(f"ingest ack latency {q[:-3]}", io["ack_latency"][q], ir["ack_latency"][q], "ms", True)
    row("ingest documents converged", io["docs_converged"], ir["docs_converged"], "", False)
    row("ingest server peak RSS", kib(usage(io, "peak_rss_kib")), kib(usage(ir, "peak_rss_kib")), "MiB", True)
    row("ingest server CPU", usage(io, "cpu_secs"), usage(ir, "cpu_secs"), "s", True)

def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.2f}"
    return str(v)

print("| measure | ours | reference | unit | ours vs reference |")
print("|---|---:|---:|---|---|")
for label, ours, theirs, unit, note in rows:
    print(f"| {label} | {fmt(ours)} | {fmt(theirs)} | {unit} | {note} |")
print()
if have_ingest:
    print(f"ingest ack, ours: {io['ack']} ({io['ack_meaning']}); reference: {ir['ack']} ({ir['ack_meaning']})")
EOF
echo "JSON lines and logs: $OUT" >&2
