#!/usr/bin/env bash
# Tests of the edge proxy (edge/): builds the package and the emulator,
# starts the emulator with fresh random credentials, runs tests/edge/ (the
# worker in workerd through miniflare, the Node and workerd runners, the
# commands of edge/README.md, the dashboard in proxy mode, and the demo
# script with its debug emulator), and stops everything it started,
# whatever happens.
# SKIP_BUILD=1 reuses what is already built (pkg/, target/debug/tagdeck-emulator).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }

# miniflare runs the workerd binary from its npm package; npm may skip
# workerd's postinstall, which only checks that binary, so check it here.
if ! node -e 'require("child_process").execFileSync(require("workerd").default ?? require("workerd"), ["--version"], { stdio: "ignore" })' 2>/dev/null; then
  step "workerd binary missing: running its install script"
  node node_modules/workerd/install.js
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  step "build the package (pkg/) and the emulator"
  bash scripts/build-pkg.sh
  cargo build -q -p tagdeck-emulator
fi
[ -f pkg/tagdeck.js ] || { echo "test-edge: no pkg/tagdeck.js (scripts/build-pkg.sh builds it)" >&2; exit 1; }
[ -x target/debug/tagdeck-emulator ] || { echo "test-edge: no target/debug/tagdeck-emulator" >&2; exit 1; }

pids=()
logdir=$(mktemp -d)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$logdir"
}
trap cleanup EXIT INT TERM

export TAGDECK_EMULATOR_KEY_ID="LTAI$(node -e 'process.stdout.write(require("crypto").randomBytes(8).toString("hex"))')"
export TAGDECK_EMULATOR_KEY_SECRET="$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))')"
step "start the emulator"
./target/debug/tagdeck-emulator --listen 127.0.0.1:0 --seed demo --www "$PWD/www" --pkg "$PWD/pkg" \
  --access-key-id "$TAGDECK_EMULATOR_KEY_ID" --access-key-secret "$TAGDECK_EMULATOR_KEY_SECRET" \
  >"$logdir/emulator.out" 2>"$logdir/emulator.err" &
pids+=($!)
for _ in $(seq 1 300); do
  TAGDECK_EMULATOR_URL=$(head -n 1 "$logdir/emulator.out" | sed -n 's/^tagdeck-emulator listening on \(http:[^ ]*\).*/\1/p')
  [ -n "$TAGDECK_EMULATOR_URL" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$logdir/emulator.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$TAGDECK_EMULATOR_URL" ] || { echo "the emulator did not start" >&2; exit 1; }
export TAGDECK_EMULATOR_URL
echo "emulator at $TAGDECK_EMULATOR_URL"

step "edge tests (node --test tests/edge)"
node --test tests/edge/*.test.mjs
