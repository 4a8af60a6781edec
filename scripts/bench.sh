#!/usr/bin/env bash
# tagdeck side by side with today's tools (issue 8), in one Node process:
# signing a ListRepoTag request (tagdeck vs pop-core's algorithm vs
# WebCrypto), decoding a 100-tag answer (tagdeck XML vs xml2js and
# fast-xml-parser, tagdeck JSON vs JSON.parse), and the .wasm size.
#
#   bash scripts/bench.sh            # the Node table and the goals
#   bash scripts/bench.sh --native   # also the criterion benches of the core stages
#   bash scripts/bench.sh --check    # exit 1 when a goal is missed
#   bash scripts/bench.sh --quick    # fewer samples (seconds, for a smoke run)
#
# Builds pkg/ with scripts/build-pkg.sh when it is missing or older than
# the sources; installs the npm packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

native=0
node_args=()
for arg in "$@"; do
  case $arg in
    --native) native=1 ;;
    *) node_args+=("$arg") ;;
  esac
done

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }

newest_source=$(find src Cargo.toml Cargo.lock pkg-template -type f -newer pkg/tagdeck_bg.wasm 2>/dev/null | head -1 || true)
if [ ! -f pkg/tagdeck_bg.wasm ] || [ -n "$newest_source" ]; then
  log "building pkg/ (scripts/build-pkg.sh)"
  bash scripts/build-pkg.sh
fi
if [ ! -d node_modules/xml2js ] || [ ! -d node_modules/@alicloud/pop-core ] || [ ! -d node_modules/fast-xml-parser ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

node bench/run.mjs "${node_args[@]}"
node bench/retention.mjs "${node_args[@]}"

if [ $native -eq 1 ]; then
  log "criterion benches of the core stages (cargo bench --bench core)"
  cargo bench --bench core
fi
