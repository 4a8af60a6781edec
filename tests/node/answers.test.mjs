// Every operation's sample answer (tests/fixtures/cr/{Action}/) decoded by
// the packed package: what crosses to JS (the tape, src/wasm/tape.rs and
// boundary.js) must hold exactly what the core decodes, for all 63 shapes.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { decodeResponse, operations } from "./tagdeck.mjs";

const FIXTURES = new URL("../fixtures/cr/", import.meta.url);
const actions = readdirSync(FIXTURES).sort();
const read = (action, file) => readFileSync(new URL(`${action}/${file}`, FIXTURES), "utf8");

/**
 * decoded.json (the expected value, wire names, plain JSON numbers) as JS
 * sees it: structure keys camelCase (free-form keys in the samples already
 * start in lower case), numbers compared as numbers.
 */
function asJs(value) {
  if (Array.isArray(value)) return value.map(asJs);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), asJs(v)]));
  }
  return value;
}

/** A decoded answer with its bigints as numbers (exact in these samples). */
function withNumbers(value) {
  if (typeof value === "bigint") {
    assert.ok(value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER));
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(withNumbers);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNumbers(v)]));
  }
  return value;
}

/** Every bigint in a decoded answer, with its path. */
function bigints(value, path = "", out = []) {
  if (typeof value === "bigint") out.push(path);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) bigints(v, `${path}.${k}`, out);
  }
  return out;
}

test("there is a sample answer for every operation", () => {
  assert.deepEqual(actions, [...operations()].sort());
});

for (const action of actions) {
  test(`${action}: JSON and XML decode to the expected value`, () => {
    const fromJson = decodeResponse(action, read(action, "response.json"), "JSON");
    const fromXml = decodeResponse(action, read(action, "response.xml"), "XML");
    // Same object either way, bigints included.
    assert.deepStrictEqual(fromXml, fromJson);
    assert.deepStrictEqual(withNumbers(fromJson), asJs(JSON.parse(read(action, "decoded.json"))));
    // Plain objects all the way down; nothing on the prototype chain.
    const walk = (v) => {
      if (v !== null && typeof v === "object") {
        const proto = Object.getPrototypeOf(v);
        assert.ok(proto === Object.prototype || proto === Array.prototype, action);
        Object.values(v).forEach(walk);
      }
    };
    walk(fromJson);
  });
}

test("64-bit fields (sizes, times) arrive as bigints", () => {
  const tags = decodeResponse("ListRepoTag", read("ListRepoTag", "response.json"), "JSON");
  assert.deepEqual(
    new Set(bigints(tags)),
    new Set([".images.0.imageCreate", ".images.0.imageSize", ".images.0.imageUpdate"]),
  );
});
