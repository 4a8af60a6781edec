// The published package itself: what `npm pack` puts in it, and that its
// package.json leads Node, bundlers and TypeScript to the right files.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import init, { initSync } from "tagdeck";

const installed = fileURLToPath(new URL("./node_modules/tagdeck/", import.meta.url));
const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));

test("package.json has the fields of pkg-template", () => {
  assert.equal(pkg.name, "tagdeck");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.match(pkg.description, /container image tags/i);
  assert.ok(pkg.keywords.includes("wasm"));
  assert.equal(pkg.repository.url, "https://github.com/tagdeck/tagdeck");
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.exports["."], { types: "./index.d.ts", default: "./index.js" });
  assert.equal(pkg.types, "./index.d.ts");
});

test("every published file is there, and nothing else", () => {
  for (const file of pkg.files) assert.ok(existsSync(join(installed, file)), file);
  const extra = readdirSync(installed).filter((f) => f !== "package.json" && !pkg.files.includes(f));
  assert.deepEqual(extra, []);
  for (const target of [pkg.main, pkg.types, ...Object.values(pkg.exports).map((e) => (typeof e === "string" ? e : e.default))]) {
    assert.ok(existsSync(join(installed, target)), target);
  }
});

test("the exports map resolves the module and the .wasm", () => {
  assert.equal(fileURLToPath(import.meta.resolve("tagdeck")), join(installed, "index.js"));
  assert.equal(fileURLToPath(import.meta.resolve("tagdeck/tagdeck_bg.wasm")), join(installed, "tagdeck_bg.wasm"));
  assert.equal(typeof init, "function", "default export init");
  assert.equal(typeof initSync, "function");
});

test("the typings declare every operation method with its own types", async () => {
  const dts = readFileSync(join(installed, "tagdeck.d.ts"), "utf8");
  const { operations } = await import("./tagdeck.mjs");
  for (const action of operations()) {
    const method = action[0].toLowerCase() + action.slice(1);
    assert.match(dts, new RegExp(`\\b${method}\\(params\\??: ${action}Params\\): Promise<${action}Result>;`), method);
    assert.match(dts, new RegExp(`export interface ${action}Result `), action);
  }
  assert.match(dts, /export interface TagdeckError extends Error/);
});
