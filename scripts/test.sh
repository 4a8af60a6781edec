#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs every test of tagdeck.
# CI runs exactly this (via .ci/run). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }
t0=$(date +%s)

step "setup"
bash scripts/setup.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy -q --workspace --all-targets -- -D warnings
# The wasm layer (src/wasm/) only exists for wasm32: lint it there too.
cargo clippy -q -p tagdeck --target wasm32-unknown-unknown --all-targets -- -D warnings

step "core: no_std build for a target without std"
cargo build -q -p tagdeck --lib --no-default-features --target thumbv7em-none-eabihf

step "native tests (core vectors, catalogue, decoding, pop-core cross-check, emulator)"
cargo test -q --workspace

step "signature V3 cross-check: the vendor's Python SDK (alibabacloud-cr20181201) against tagdeck's signer and verifier"; cargo test -q -p tagdeck --test signing_v3_python -- --ignored --nocapture

step "emulator interop: the vendor's @alicloud/pop-core client against tagdeck-emulator"
TAGDECK_EMULATOR_BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/tagdeck-emulator" \
  node --test emulator/tests/popcore.test.mjs

step "npm package: wasm-bindgen-test in Node and Chromium, node --test, tsc"
bash scripts/test-wasm.sh

step "size budget: the whole-catalogue wasm at most 150 KB (150,000 bytes) gzipped"
gz=$(gzip -9 -c pkg/tagdeck_bg.wasm | wc -c)
echo "pkg/tagdeck_bg.wasm: $(wc -c < pkg/tagdeck_bg.wasm) bytes raw, $gz gzipped (budget 150000)" >&2
[ "$gz" -le 150000 ] || { echo "the package outgrew its size budget" >&2; exit 1; }

step "emulator interop: the vendor's official Python SDK (alibabacloud-cr20181201, V3), unchanged, calls all 119 operations against tagdeck-emulator"
cargo build -q -p tagdeck-emulator
"$(bash scripts/python-env.sh --print-path --no-install)/bin/python" tests/python/sdk_every_operation.py \
  "$(realpath "${CARGO_TARGET_DIR:-target}")/debug/tagdeck-emulator"

step "dashboard page tests in headless Chromium against the emulator"
SKIP_BUILD=1 bash scripts/test-pages.sh

step "edge proxy in workerd (miniflare) and Node against the emulator, dashboard via the proxy"
SKIP_BUILD=1 bash scripts/test-edge.sh

printf '\n\033[1;32mall tests passed in %ss\033[0m\n' "$(( $(date +%s) - t0 ))" >&2
