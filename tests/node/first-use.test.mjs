// The first-use mistakes a new user makes, each a TagdeckError whose code
// names it and whose message says what to do (issue 15): a class used
// before init, `await init()` in Node without a module, an object used after
// free(), a malformed endpoint or region (refused when the client is made,
// not retried later as a network error).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = fileURLToPath(new URL(".", import.meta.url));

const CLIENT = { accessKeyId: "LTAI5tFirstUse", accessKeySecret: "first-use-secret", regionId: "cn-hangzhou" };

function isTagdeckError(code, says) {
  return (error) => {
    assert.equal(error.name, "TagdeckError");
    assert.ok(error instanceof Error);
    assert.equal(error.code, code);
    assert.match(error.message, says);
    return true;
  };
}

/**
 * Runs `code` (an ES module importing "tagdeck") in a new Node process, so
 * that the package is not initialized yet, as in a user's program; resolves
 * to what it prints, parsed as JSON. `caught(fn)` there gives what `fn`
 * throws (or rejects with) as plain data.
 */
async function inFreshProcess(code) {
  const prelude = `
    const describe = (e) => ({ isError: e instanceof Error, name: e.name, code: e.code, message: e.message });
    const caught = async (fn) => { try { await fn(); return null; } catch (e) { return describe(e); } };
    const CLIENT = ${JSON.stringify(CLIENT)};
    const wasmBytes = () => import("node:fs/promises").then(({ readFile }) =>
      readFile(new URL(import.meta.resolve("tagdeck/tagdeck_bg.wasm"))));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", prelude + code], { cwd: here });
  return JSON.parse(stdout);
}

/** An error described by inFreshProcess's `caught`, checked as isTagdeckError does. */
function assertTagdeckError(described, code, says) {
  assert.ok(described, `no error, expected ${code}`);
  assert.ok(described.isError, "a real Error");
  assert.equal(described.name, "TagdeckError");
  assert.equal(described.code, code);
  assert.match(described.message, says);
}

test("a Client or registry before init/initSync: NotInitialized, saying how to initialize", async () => {
  const result = await inFreshProcess(`
    import * as tagdeck from "tagdeck";
    const out = {
      client: await caught(() => new tagdeck.Client(CLIENT)),
      swr: await caught(() => new tagdeck.SwrRegistry({ authToken: "t" })),
      operations: await caught(() => tagdeck.operations()),
      signRequest: await caught(() => tagdeck.signRequest({})),
    };
    // Initializing afterwards works as ever, and the classes are the package's own.
    tagdeck.initSync({ module: await wasmBytes() });
    const client = new tagdeck.Client(CLIENT);
    out.instanceOf = client instanceof tagdeck.Client && client.repository({ instanceId: "cri-x", repoId: "crr-x" }) instanceof tagdeck.TagRepository;
    out.methods = typeof client.listRepoTag;
    console.log(JSON.stringify(out));
  `);
  assertTagdeckError(result.client, "NotInitialized", /initSync\(\{ module \}\)/);
  assertTagdeckError(result.swr, "NotInitialized", /await init\(\)/);
  assertTagdeckError(result.operations, "NotInitialized", /before/);
  assertTagdeckError(result.signRequest, "NotInitialized", /before/);
  assert.equal(result.instanceOf, true);
  assert.equal(result.methods, "function");
});

test("await init() in Node without a module: InitFailed, naming initSync and readFile", async () => {
  const result = await inFreshProcess(`
    import * as tagdeck from "tagdeck";
    const out = { init: await caught(() => tagdeck.default()) };
    // Given the bytes, init() works.
    await tagdeck.default({ module_or_path: await wasmBytes() });
    out.operations = tagdeck.operations().includes("ListRepoTag");
    console.log(JSON.stringify(out));
  `);
  assertTagdeckError(result.init, "InitFailed", /initSync\(\{ module: await readFile\(/);
  assert.equal(result.operations, true);
});

test("init() with a URL that cannot be fetched: InitFailed, saying what to serve", async () => {
  const result = await inFreshProcess(`
    import * as tagdeck from "tagdeck";
    console.log(JSON.stringify({ init: await caught(() => tagdeck.default("http://127.0.0.1:1/tagdeck_bg.wasm")) }));
  `);
  assertTagdeckError(result.init, "InitFailed", /could not fetch http:\/\/127\.0\.0\.1:1\/tagdeck_bg\.wasm.*module_or_path/);
});

test("an object after free(): ClientFreed, for clients, registries and repositories alike", async () => {
  const { Client, SwrRegistry } = await import("./tagdeck.mjs");
  const client = new Client(CLIENT);
  client.free();
  assert.throws(() => client.listRepoTag({ instanceId: "cri-x", repoId: "crr-x" }), isTagdeckError("ClientFreed", /Client was freed.*create a new one/));
  assert.throws(() => client.call("ListInstance", {}), isTagdeckError("ClientFreed", /free\(\)/));
  const repository = new SwrRegistry({ authToken: "token" }).repository({ namespace: "demo", repository: "web" });
  repository.free();
  assert.throws(() => repository.provider, isTagdeckError("ClientFreed", /TagRepository was freed/));
  assert.throws(() => repository.deleteTags(["x"]), isTagdeckError("ClientFreed", /TagRepository/));
});

test("a malformed endpoint or region is refused when the client is made", async () => {
  const { Client, ScalewayRegistry, SwrRegistry } = await import("./tagdeck.mjs");
  for (const endpoint of ["ftp://registry.example", "http://", "cr.cn-hangzhou.aliyuncs.com?x=1", "http://host:port", "https://user@host", "two words"]) {
    assert.throws(() => new Client({ ...CLIENT, endpoint }), isTagdeckError("InvalidEndpoint", /endpoint.*give a host/), endpoint);
    assert.throws(() => new SwrRegistry({ authToken: "t", endpoint }), isTagdeckError("InvalidEndpoint", /endpoint/), endpoint);
  }
  for (const endpoint of ["cr.cn-hangzhou.aliyuncs.com", "http://127.0.0.1:8080", "https://proxy.example/prefix/", "http://[::1]:9000"]) {
    assert.ok(new Client({ ...CLIENT, endpoint }), endpoint);
  }
  for (const regionId of ["Hangzhou", "cn hangzhou", "cn-", "cn_hangzhou"]) {
    assert.throws(() => new Client({ ...CLIENT, regionId }), isTagdeckError("InvalidRegion", /regionId.*cn-hangzhou/), regionId);
  }
  assert.throws(() => new ScalewayRegistry({ authToken: "t", region: "Paris" }), isTagdeckError("InvalidRegion", /region.*fr-par/));
  assert.throws(() => new SwrRegistry({ authToken: "t", region: "EU DE" }), isTagdeckError("InvalidRegion", /region.*eu-de/));
});
