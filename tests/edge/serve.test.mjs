// edge/serve.mjs: the same worker.js in Node 20 behind node:http, against
// the emulator. The pipeline itself is covered in workerd (proxy.test.mjs);
// here: the adapter's own work (start-up line, request and response
// conversion, streaming bodies, the caller's address, config errors, exit).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CREDENTIALS, DASHBOARD_ORIGIN, PROXY_TOKEN, ROOT, bindingsFor, loadPackage, useEmulator } from "./harness.mjs";
import { spawnListening } from "../../edge/dev.mjs";

const SERVE = path.join(ROOT, "edge/serve.mjs");
const BANNER = /^tagdeck-edge listening on (http:\/\/127\.0\.0\.1:\d+)$/;
let emulator;
let adapter;
let instanceId;

before(async () => {
  emulator = await useEmulator();
  const tagdeck = await loadPackage();
  const direct = new tagdeck.Client({ ...CREDENTIALS, regionId: "cn-hangzhou", endpoint: emulator.url });
  instanceId = (await direct.listInstance({})).instances[0].instanceId;
  adapter = await spawnListening(process.execPath, [SERVE, "--listen", "127.0.0.1:0"], {
    env: bindingsFor(emulator.url),
    banner: BANNER,
  });
});
after(async () => {
  await adapter?.stop();
  await emulator?.stop();
});

const call = (action, { body = "{}", headers = {}, to = adapter } = {}) =>
  fetch(`${to.url}/api/${action}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${PROXY_TOKEN}`, "Content-Type": "application/json", ...headers },
    body,
    duplex: "half",
  });

test("prints its address first, forwards a call, streams an oversized body into 413", async () => {
  assert.match(adapter.output[0], BANNER);
  const answer = await call("GetInstance", { body: JSON.stringify({ instanceId }), headers: { Origin: DASHBOARD_ORIGIN } });
  const json = await answer.json();
  assert.equal(answer.status, 200, JSON.stringify(json));
  assert.equal(json.instanceId, instanceId);
  assert.equal(answer.headers.get("access-control-allow-origin"), DASHBOARD_ORIGIN);

  // Chunked, no Content-Length: the limit is enforced on the bytes read.
  const chunk = new TextEncoder().encode(" ".repeat(32 * 1024));
  let sent = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (sent++ < 8) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const tooLarge = await call("GetInstance", { body });
  assert.equal(tooLarge.status, 413);
  assert.equal((await tooLarge.json()).code, "Proxy.BodyTooLarge");
});

test("the caller is the socket's address: a client-sent CF-Connecting-IP does not buy a new bucket", async () => {
  const limited = await spawnListening(process.execPath, [SERVE, "--listen", "127.0.0.1:0"], {
    env: bindingsFor(emulator.url, { RATE_LIMIT_BURST: "3", RATE_LIMIT_PER_SECOND: "0.01" }),
    banner: BANNER,
  });
  try {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const headers = { "CF-Connecting-IP": `198.51.100.${i + 10}` };
      const answer = await call("GetInstance", { body: JSON.stringify({ instanceId }), headers, to: limited });
      statuses.push(answer.status);
      await answer.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  } finally {
    await limited.stop();
  }
});

test("SIGTERM stops it cleanly; nothing secret was printed", async () => {
  const exited = new Promise((resolve) => adapter.child.once("exit", (code) => resolve(code)));
  adapter.child.kill("SIGTERM");
  assert.equal(await exited, 0);
  const printed = adapter.output.join("\n");
  for (const secret of [CREDENTIALS.accessKeySecret, PROXY_TOKEN]) assert.ok(!printed.includes(secret));
});

test("a bad setting stops it at start with the binding's name, exit status 2", async () => {
  const run = (env, listen = "127.0.0.1:0") =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [SERVE, "--listen", listen], { env: { PATH: process.env.PATH, ...env } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  const noToken = await run(bindingsFor(emulator.url, { PROXY_TOKEN: "" }));
  assert.equal(noToken.code, 2);
  assert.equal(noToken.stdout, "");
  assert.equal(noToken.stderr, "tagdeck-edge: binding PROXY_TOKEN is not set\n");

  // Every problem at once, one per line, the bad --listen included: a
  // newcomer fixes them in one go instead of one start per mistake.
  const many = await run(bindingsFor(emulator.url, { ACCESS_KEY_ID: "", REGION_ID: "", ALLOWED_ORIGINS: "*", ALLOWED_ACTIONS: "Get*,List*,DeleteRepoTags", RATE_LIMIT_PER_SECOND: "0" }), "8787");
  assert.equal(many.code, 2);
  assert.equal(many.stdout, "");
  const lines = many.stderr.trimEnd().split("\n");
  const expected = [
    /^tagdeck-edge: --listen must be HOST:PORT, got "8787"$/,
    /^tagdeck-edge: binding ACCESS_KEY_ID is not set$/,
    /^tagdeck-edge: ALLOWED_ORIGINS must list origins explicitly/,
    /^tagdeck-edge: ALLOWED_ACTIONS names "DeleteRepoTags", which is not an operation/,
    /^tagdeck-edge: RATE_LIMIT_PER_SECOND must be a positive number, got "0"$/,
    /^tagdeck-edge: binding REGION_ID is not set, and UPSTREAM is not cr\.\{region\}\.aliyuncs\.com/,
  ];
  assert.equal(lines.length, expected.length, many.stderr);
  expected.forEach((pattern, i) => assert.match(lines[i], pattern));
  assert.ok(!many.stderr.includes(CREDENTIALS.accessKeySecret));
});

test("without pkg/ it says how to build it, for both runners", async () => {
  // A copy of edge/ (and node_modules) with no pkg/ beside it, as in a fresh clone.
  const dir = await mkdtemp(path.join(os.tmpdir(), "tagdeck-edge-"));
  try {
    await cp(path.join(ROOT, "edge"), path.join(dir, "edge"), { recursive: true });
    await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    for (const runner of ["serve.mjs", "workerd.mjs"]) {
      const result = await new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(dir, "edge", runner)], { env: { PATH: process.env.PATH, ...bindingsFor(emulator.url) } });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
      assert.equal(result.code, 2, runner);
      assert.match(result.stderr, /^tagdeck-edge: the package is not built \(pkg\/index\.js is missing\): build it with `bash scripts\/build-pkg\.sh`/, runner);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
