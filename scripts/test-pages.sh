#!/usr/bin/env bash
# The dashboard's page tests: builds the package (pkg/) and the emulator,
# starts the emulator with demo data on a free port (it serves www/ and pkg/),
# runs tests/page/ in headless Chromium (node --test), and stops it.
# SKIP_BUILD=1 reuses what is already built; arguments name the test files
# to run (all of tests/page/ when none are given).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SKIP_BUILD:-}" ]; then
  bash scripts/build-pkg.sh
  cargo build -q -p tagdeck-emulator
fi
emulator="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/tagdeck-emulator"
[ -x "$emulator" ] || { echo "test-pages: no emulator at $emulator" >&2; exit 1; }
[ -f pkg/tagdeck.js ] || { echo "test-pages: no pkg/tagdeck.js (scripts/build-pkg.sh builds it)" >&2; exit 1; }

out=$(mktemp)
# Port 0: the emulator binds a free port and prints the address it got.
# Scans (and other simulated tasks) take 5 s, so tests see both "scanning" and "complete".
"$emulator" --listen 127.0.0.1:0 --seed demo --task-ms 5000 --www "$PWD/www" --pkg "$PWD/pkg" >"$out" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$out"
}
trap cleanup EXIT

for _ in $(seq 1 150); do
  # region-id comes after every credential line.
  grep -q '^region-id: ' "$out" && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "test-pages: the emulator exited:" >&2
    cat "$out" >&2
    exit 1
  fi
  sleep 0.1
done
field() { sed -n "s/^$1: //p" "$out" | head -n 1; }
TAGDECK_URL=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$out" | head -n 1)
[ -n "$TAGDECK_URL" ] || { echo "test-pages: the emulator printed no address:" >&2; cat "$out" >&2; exit 1; }
export TAGDECK_URL
export TAGDECK_ACCESS_KEY_ID=$(field access-key-id)
export TAGDECK_ACCESS_KEY_SECRET=$(field access-key-secret)
export TAGDECK_AUTH_TOKEN=$(field auth-token) # Scaleway and SWR (X-Auth-Token)
export TAGDECK_REGION_ID=$(field region-id)
export TAGDECK_EMULATOR="$emulator" # for tests that need their own (throttled) emulator
echo "test-pages: emulator at $TAGDECK_URL" >&2

# One file at a time: each drives its own Chromium, and the machine is small.
node --test --test-concurrency=1 "${@:-tests/page/}"
