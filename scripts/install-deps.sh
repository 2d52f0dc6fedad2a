#!/usr/bin/env bash
# Installs what Fathom's build and interop tests need. Idempotent: on a warm
# machine it only checks (dpkg -s, a stamp file) and returns in well under 2 s.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_PACKAGES=(libsqlite3-dev libcurl4-openssl-dev prometheus prometheus-alertmanager prometheus-node-exporter postgresql openssl)
VENV="$REPO/.venv"
REQUIREMENTS="$REPO/Tests/interop/requirements.txt"
STAMP="$VENV/.requirements.sha256"

log() { printf '[install-deps] %s\n' "$*"; }

# --- (a) Debian packages ---------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then SUDO=(sudo); fi
    log "apt: installing ${missing[*]}"
    "${SUDO[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "apt: all present (${APT_PACKAGES[*]})"
fi

# --- (b) Python venv for the interop suite ----------------------------------
if [[ ! -x "$VENV/bin/python" ]]; then
    log "venv: creating $VENV"
    python3 -m venv "$VENV"
fi
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" != "$have" ]]; then
    log "pip: installing $(grep -cvE '^\s*(#|$)' "$REQUIREMENTS") pinned packages from Tests/interop/requirements.txt"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
    printf '%s\n' "$want" >"$STAMP"
else
    log "pip: requirements up to date"
fi
log "done"
