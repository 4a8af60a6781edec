#!/usr/bin/env bash
# Where the package spends its time, by function name (Rust and JS alike):
# builds the wasm with its function names kept, then profiles one case in
# Node and prints the functions with the most self time.
#
#   bash bench/profile.sh json|xml|sign [TOP]
#
# The build is the release profile (same opt-levels as pkg/) without
# symbol stripping and without wasm-opt, so the figures are close to, not
# the same as, pkg/'s. Output: target/profile-pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."

case=${1:-json}
top=${2:-30}
build=target/profile
out=target/profile-pkg

# RUSTFLAGS replaces .cargo/config.toml's (which strip symbols): keep its
# `-reference-types` (see the note there).
RUSTFLAGS="-C target-feature=-reference-types" CARGO_PROFILE_RELEASE_STRIP=false \
  cargo build -q --release --target wasm32-unknown-unknown --lib --target-dir "$build"
# Unstripped, the module keeps std's `target_features` section, which says
# reference-types; wasm-bindgen would then expect an externref table.
wasm-opt -g --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals \
  "$build/wasm32-unknown-unknown/release/tagdeck.wasm" -o "$build/named.wasm"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name tagdeck "$build/named.wasm"
node bench/profile.mjs "$out" "$case" "$top"
