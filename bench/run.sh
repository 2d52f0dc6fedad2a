#!/bin/sh
# Runs every benchmark suite (bench/*/run.py) with the repo venv's python.
# Builds nothing Swift: `make bench` runs `swift build -c release` first.
# Results go to bench/out/ (per suite); RESULTS.md is written by hand.
#
# Env: FATHOM_BIN (default .build/release/fathom), BENCH_PYTHON (default .venv/bin/python),
#      BENCH_CALLS, BENCH_WARMUP, BENCH_ROUNDS, BENCH_COLD, BENCH_RSS_IDLE_MS (see bench/stdio/run.py),
#      BENCH_SLOW_CALLS, BENCH_PATHS, BENCH_PLACEMENTS (see bench/kubernetes/run.py).
# Suites: bench/agents, bench/http, bench/kubernetes, bench/prometheus, bench/stdio (every bench/*/run.py, in that order).
# Options are passed to every suite; use the BENCH_* variables for what only one suite knows.
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=${BENCH_PYTHON:-$REPO/.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "bench: $PY not found; run scripts/install-deps.sh first (it creates .venv with mcp)" >&2
  exit 1
fi
export FATHOM_BIN="${FATHOM_BIN:-$REPO/.build/release/fathom}"
status=0
for suite in bench/*/run.py; do
  [ -f "$suite" ] || continue
  echo "== $suite" >&2
  "$PY" "$suite" "$@" || status=$?
done
exit $status
