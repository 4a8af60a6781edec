#!/usr/bin/env bash
# Builds the npm package `tagdeck` into pkg/: wasm-pack (release, wasm-opt
# applied) builds the whole of the code, then package.json and README.md
# are completed from pkg-template/.
# Prints the wasm size, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# From an empty pkg/: wasm-pack leaves files of earlier builds (snippets a
# build no longer makes) in place, and they would be published.
rm -rf pkg
wasm-pack build --target web --release --out-dir pkg --out-name tagdeck
# The retention engine, its own module (retention/Cargo.toml says why), in
# pkg/retention/; the package's entry re-exports it.
wasm-pack build retention --target web --release --out-dir ../pkg/retention --out-name tagdeck_retention
rm -f pkg/retention/package.json pkg/retention/.gitignore pkg/retention/README.md
# The package's entry (package.json's "exports"), hand-written: wasm-bindgen's
# tagdeck.js and the retention module re-exported, the first-use mistakes
# (no init, a freed object, init() in Node) answered as TagdeckErrors by the
# guards it imports; nothing generated is edited.
cp pkg-template/index.js pkg-template/index.d.ts pkg/
cp src/wasm/guards.js pkg/guards.js

# package.json: wasm-pack's name and version (from Cargo.toml), the
# template's fields for everything else; every listed file must exist.
node --input-type=module - <<'JS'
import { readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
const built = JSON.parse(readFileSync("pkg/package.json", "utf8"));
const template = JSON.parse(readFileSync("pkg-template/package.json", "utf8"));
const pkg = { name: built.name, version: built.version, ...template };
for (const file of pkg.files) {
  if (!existsSync(`pkg/${file}`) && file !== "README.md") {
    throw new Error(`pkg-template lists ${file}, which the build did not produce`);
  }
}
// wasm-bindgen writes the crate's JS modules (src/wasm/boundary.js, and
// the Client methods build.rs generates) into pkg/snippets/; tagdeck.js
// imports them. Importing them has no side effects (the methods are
// installed when the module is instantiated), so
// "sideEffects": false stays true of the whole package (index.js guards
// tagdeck.js's classes as it is evaluated, which only importing it does).
if (existsSync("pkg/snippets") && readdirSync("pkg/snippets").length > 0) {
  pkg.files.push("snippets");
}
writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
JS
cp pkg-template/README.md pkg/README.md
# wasm-pack's .gitignore ("*") would make `npm pack` from a git checkout skip files.
rm -f pkg/.gitignore

# A package that cannot instantiate must not leave this script (a RUSTFLAGS
# from the environment replaces .cargo/config.toml's, see the note there).
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const { initSync, operations, Client } = await import(process.cwd() + "/pkg/index.js");
  initSync({ module: readFileSync("pkg/tagdeck_bg.wasm") });
  if (!operations().includes("ListRepoTag")) throw new Error("pkg/ does not work");
  if (typeof Client.prototype.listRepoTag !== "function") throw new Error("pkg/: Client has no operation methods");
'

raw=$(wc -c < pkg/tagdeck_bg.wasm)
gz=$(gzip -9 -c pkg/tagdeck_bg.wasm | wc -c)
printf 'pkg/tagdeck_bg.wasm: %d bytes raw, %d bytes gzipped (-9)\n' "$raw" "$gz" >&2
printf 'pkg/retention/tagdeck_retention_bg.wasm: %d bytes raw, %d bytes gzipped (-9)\n' \
  "$(wc -c < pkg/retention/tagdeck_retention_bg.wasm)" "$(gzip -9 -c pkg/retention/tagdeck_retention_bg.wasm | wc -c)" >&2
