#!/usr/bin/env bash
# Installs everything tagdeck needs on a fresh machine of this kind, from the
# registries it can reach (crates.io, npm, Debian). Every step is skipped when
# its tool is already present, so warm runs take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
SUDO=""
if [ "$(id -u)" != 0 ] && have sudo; then SUDO="sudo"; fi

# The wasm-bindgen CLI must equal the wasm-bindgen crate pinned in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

start=$(date +%s)

for target in wasm32-unknown-unknown thumbv7em-none-eabihf; do
  if ! rustup target list --installed | grep -qx "$target"; then
    log "rustup target add $target"
    rustup target add "$target"
  fi
done

apt_missing=()
have wasm-opt || apt_missing+=(binaryen)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
[ -x /usr/bin/chromedriver ] || apt_missing+=(chromium-driver)
have wrk || apt_missing+=(wrk)
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

want=$(wasm_bindgen_version)
if [ -z "$want" ]; then
  log "Cargo.lock has no wasm-bindgen yet; run cargo generate-lockfile"; cargo generate-lockfile
  want=$(wasm_bindgen_version)
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  log "cargo install wasm-bindgen-cli $want (a few minutes, once)"
  # No --locked: its locked tree names a crate version this registry lacks.
  cargo install -q wasm-bindgen-cli --version "$want" --force
fi
if ! have wasm-pack; then
  log "cargo install wasm-pack (a few minutes, once)"
  cargo install -q wasm-pack
fi

# npm packages: reinstalled only when package-lock.json's content changed
# (a checkout or rebase changes its mtime, not its content). A symlinked
# node_modules belongs to another checkout: `npm ci` would empty it there.
if [ -f package-lock.json ] && [ ! -L node_modules ]; then
  lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.tagdeck-lock-sha256 2>/dev/null)" != "$lock_sum" ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > node_modules/.tagdeck-lock-sha256
  fi
fi

bash scripts/python-env.sh # the vendor's Python SDKs, in a cached venv (V3 cross-check, interop)

log "toolchain ready in $(( $(date +%s) - start ))s"
