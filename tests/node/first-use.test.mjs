// The first-use mistakes a new user makes, each a TagdeckError whose code
// names it and whose message says what to do (issue 15): a class used
// before init, `await init()` in Node without a module, an object used after
// free(), a malformed endpoint or region (refused when the client is made,
// not retried later as a network error).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

const glue = import.meta.resolve("tagdeck");
/** A fresh, uninitialized instance of the package's module. */
const freshPackage = (tag) => import(`${glue}?${tag}`);
const wasmBytes = () => readFile(new URL(import.meta.resolve("tagdeck/tagdeck_bg.wasm")));

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

test("a Client or registry before init/initSync: NotInitialized, saying how to initialize", async () => {
  const tagdeck = await freshPackage("before-init");
  assert.throws(() => new tagdeck.Client(CLIENT), isTagdeckError("NotInitialized", /initSync\(\{ module \}\)/));
  assert.throws(() => new tagdeck.SwrRegistry({ authToken: "t" }), isTagdeckError("NotInitialized", /await init\(\)/));
  assert.throws(() => tagdeck.operations(), isTagdeckError("NotInitialized", /before/));
  // Initializing afterwards works as ever.
  tagdeck.initSync({ module: await wasmBytes() });
  assert.ok(new tagdeck.Client(CLIENT));
});

test("await init() in Node without a module: InitFailed, naming initSync and readFile", async () => {
  const tagdeck = await freshPackage("init-in-node");
  await assert.rejects(tagdeck.default(), isTagdeckError("InitFailed", /initSync\(\{ module: await readFile\(/));
  // Given the bytes, init() works.
  await tagdeck.default({ module_or_path: await wasmBytes() });
  assert.deepEqual(tagdeck.operations().includes("ListRepoTag"), true);
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
