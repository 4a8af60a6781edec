// Rewrites wasm-bindgen's generated glue (pkg/tagdeck.js) so that the
// first-use mistakes become TagdeckErrors (src/wasm/guards.js says which and
// why): `wasm` starts as NOT_INITIALIZED instead of undefined, `init()`
// fetches through fetchWasm, and every method passes its object's handle
// through liveHandle. Each rewrite must match, or the build fails: a new
// wasm-bindgen that words its glue differently is caught here, not by users.
// Usage: node scripts/glue-guards.mjs pkg
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "pkg";
const gluePath = join(dir, "tagdeck.js");
let glue = readFileSync(gluePath, "utf8");

const guards = readdirSync(join(dir, "snippets"), { recursive: true }).find((file) =>
  file.replaceAll("\\", "/").endsWith("src/wasm/guards.js"),
);
if (!guards) throw new Error(`${dir}/snippets has no src/wasm/guards.js`);

/** Replaces every match of `pattern` (which must match `count` times, or at least once if count is omitted). */
function rewrite(pattern, replacement, count) {
  const matches = glue.match(pattern instanceof RegExp ? pattern : new RegExp(escape(pattern), "g")) ?? [];
  if (count === undefined ? matches.length === 0 : matches.length !== count) {
    throw new Error(`glue-guards: expected ${count ?? "some"} of ${pattern} in ${gluePath}, found ${matches.length}`);
  }
  glue = glue.replace(pattern instanceof RegExp ? pattern : new RegExp(escape(pattern), "g"), replacement);
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

rewrite("let wasmModule, wasmInstance, wasm;", "let wasmModule, wasmInstance, wasm = NOT_INITIALIZED;", 1);
rewrite("if (wasm !== undefined) return wasm;", "if (wasm !== NOT_INITIALIZED) return wasm;", 2);
rewrite("module_or_path = fetch(module_or_path);", "module_or_path = fetchWasm(module_or_path);", 1);
rewrite(/(wasm\.\w+\((?:retptr, )?)this\.__wbg_ptr/g, "$1liveHandle(this)");
const importLine = `import { NOT_INITIALIZED, fetchWasm, liveHandle } from './snippets/${guards.replaceAll("\\", "/")}';\n`;
rewrite(/^\/\* @ts-self-types=.*\*\/\n/g, `$&${importLine}`, 1);

writeFileSync(gluePath, glue);
