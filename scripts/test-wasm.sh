#!/usr/bin/env bash
# Lints src/wasm/, builds the npm package and runs every suite of the
# JavaScript API:
#   1. the wasm-bindgen-test suites (tests/wasm/, tests/wasm_panic.rs) in Node,
#   2. the same suites in headless Chromium,
#   3. the Node suites (tests/node/*.test.mjs) against the packed package,
#      typecheck.test.mjs among them: the package's .d.ts and the README's
#      examples in a browser/Workers and a Node TypeScript project,
#   4. tests/types.ts, tests/registries.types.ts and tests/retention.types.ts with `tsc --noEmit --strict`.
# Exits non-zero on the first failure. Expects the toolchain of
# scripts/setup.sh (wasm target, wasm-bindgen-cli, wasm-pack, wasm-opt,
# chromium + chromedriver, npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }
WASM_TESTS=(--target wasm32-unknown-unknown -p tagdeck --test wasm --test wasm_panic)

step "clippy for wasm32 (the native lint run does not see src/wasm/)"
cargo clippy -q -p tagdeck --target wasm32-unknown-unknown --all-targets -- -D warnings

step "build pkg/"
bash scripts/build-pkg.sh

step "wasm-bindgen-test in Node"
cargo test "${WASM_TESTS[@]}"

step "wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test "${WASM_TESTS[@]}"

step "node --test tests/node/ (the packed package, imported as \"tagdeck\")"
# The emulator suites start it with `cargo run`; build it first.
cargo build -q -p tagdeck-emulator
# Install exactly what `npm pack` publishes, as a user's `npm install` would.
rm -rf target/npm tests/node/node_modules/tagdeck
mkdir -p target/npm tests/node/node_modules/tagdeck
(cd pkg && npm pack --pack-destination ../target/npm --silent >/dev/null)
tar -xzf target/npm/tagdeck-*.tgz -C tests/node/node_modules/tagdeck --strip-components=1
node --test tests/node/

step "tsc --noEmit --strict tests/types.ts tests/registries.types.ts tests/retention.types.ts"
node_modules/.bin/tsc --noEmit --strict --target es2022 --module nodenext \
  --moduleResolution nodenext tests/types.ts tests/registries.types.ts tests/retention.types.ts

printf '\n\033[1;32mwasm, Chromium, Node and TypeScript suites passed\033[0m\n' >&2
