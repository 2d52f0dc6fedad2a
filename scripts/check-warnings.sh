#!/usr/bin/env bash
# Fails when the build log holds a compiler warning in Fathom's own Sources or Tests.
set -euo pipefail
log="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if grep -E "^($repo/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$log" | sort -u | grep . ; then
    echo "build: warnings in Fathom's code (zero allowed)" >&2
    exit 1
fi
echo "build: no warnings in Fathom's code"
