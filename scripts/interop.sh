#!/usr/bin/env bash
# Runs the Python interop suite (Tests/interop) against the fathom binary.
#   FATHOM_BIN   the binary to test (default: .build/debug/fathom)
#   extra arguments go to pytest, e.g. scripts/interop.sh -k path_escape -x
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export FATHOM_BIN="${FATHOM_BIN:-$REPO/.build/debug/fathom}"

if [[ ! -x .venv/bin/pytest ]]; then
    echo "interop: .venv is missing; run scripts/install-deps.sh first" >&2
    exit 2
fi
if [[ ! -x "$FATHOM_BIN" ]]; then
    echo "interop: no fathom binary at $FATHOM_BIN (build it, or set FATHOM_BIN)" >&2
    exit 2
fi

echo "interop: testing $FATHOM_BIN"
exec .venv/bin/pytest -q Tests/interop "$@"
