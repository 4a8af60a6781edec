// edge/README.md's shell commands, run as written against the emulator with
// its demo data and demo key, as a newcomer runs them: every ```sh block is
// marked `<!-- run: NAME -->` and run here. Only addresses change: the
// emulator's 127.0.0.1:8080 becomes the one it got, and the proxy listens on
// port 0 instead of 8787. Also: the actions the README says the dashboard
// needs cover those www/ calls (its writes exactly), and its ALLOWED_ACTIONS
// allows them.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { EMULATOR_BIN, ROOT, loadPackage } from "./harness.mjs";
import { spawnListening } from "../../edge/dev.mjs";
import { isReadOnly, readConfig } from "../../edge/config.js";

const README = await readFile(path.join(ROOT, "edge/README.md"), "utf8");
const DOCUMENTED_EMULATOR = "127.0.0.1:8080";
const DOCUMENTED_PROXY = "127.0.0.1:8787";
const BANNER = /^tagdeck-edge listening on (http:\/\/127\.0\.0\.1:\d+)$/;

/** name → command text of every `<!-- run: name -->` ```sh block. */
function runnableBlocks() {
  const blocks = new Map();
  for (const match of README.matchAll(/<!-- run: ([a-z-]+) -->\n```sh\n([\s\S]*?)\n```/g)) blocks.set(match[1], match[2]);
  return blocks;
}
const blocks = runnableBlocks();
let emulator;
let emulatorHost;
let operations;

before(async () => {
  // What ./scripts/demo.sh starts (tested in packaging.test.mjs): the demo data and
  // the emulator's default key, which the README's commands use.
  emulator = await spawnListening(EMULATOR_BIN, ["--listen", "127.0.0.1:0", "--seed", "demo", "--www", path.join(ROOT, "www"), "--pkg", path.join(ROOT, "pkg")], {
    banner: /^tagdeck-emulator listening on (http:\/\/\S+)/,
  });
  emulatorHost = new URL(emulator.url).host;
  operations = (await loadPackage()).operations();
});
after(() => emulator?.stop());

test("every shell block of the README is marked to be run here", () => {
  const shellBlocks = [...README.matchAll(/```sh\n/g)].length;
  assert.equal(blocks.size, shellBlocks, "a ```sh block without <!-- run: NAME -->");
  assert.deepEqual([...blocks.keys()].sort(), ["api", "curl", "emulator", "node", "workerd"]);
  assert.equal(blocks.get("emulator"), "./scripts/demo.sh");
  assert.match(README, /bash scripts\/build-pkg\.sh/, "pkg/ as a prerequisite, with the command that builds it");
});

/** A README command with the documented addresses replaced by the real ones. */
function localized(name, proxyHost) {
  const command = blocks.get(name).replaceAll(DOCUMENTED_EMULATOR, emulatorHost).replace(`--listen ${DOCUMENTED_PROXY}`, "--listen 127.0.0.1:0");
  return proxyHost ? command.replaceAll(DOCUMENTED_PROXY, proxyHost) : command;
}

/** Runs a curl block and returns its JSON answer. */
async function curl(name, proxyHost) {
  const { stdout } = await promisify(execFile)("bash", ["-c", localized(name, proxyHost)], { cwd: ROOT, env: { PATH: process.env.PATH } });
  return JSON.parse(stdout);
}

for (const runner of ["node", "workerd"]) {
  test(`the ${runner} command starts the proxy, and the curl commands get answers through it`, async () => {
    // A fresh environment: only what the command itself sets.
    const proxy = await spawnListening("bash", ["-c", localized(runner)], { env: { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp" }, banner: BANNER, group: true, timeoutMs: 60_000 });
    try {
      const printed = /^# (tagdeck-edge listening on .*)$/m.exec(blocks.get(runner))[1];
      assert.equal(proxy.output[0], printed.replace(DOCUMENTED_PROXY, new URL(proxy.url).host), "the first line is the one the README shows");
      const proxyHost = new URL(proxy.url).host;
      const listing = await curl("curl", proxyHost);
      assert.equal(listing.instances[0].instanceId, "cri-tagdeckdemo00001", JSON.stringify(listing));
      const repository = await curl("api", proxyHost);
      assert.equal(repository.repoName, "web", JSON.stringify(repository));
      assert.equal(repository.repoNamespaceName, "demo");
    } finally {
      await proxy.stop();
    }
  });
}

test("the README lists the actions the dashboard calls (its writes exactly), and its ALLOWED_ACTIONS allows them", async () => {
  // Every catalogue Action named in a string literal of www/'s scripts.
  const known = new Set(operations);
  const called = new Set();
  for (const file of await readdir(path.join(ROOT, "www"), { recursive: true })) {
    if (!file.endsWith(".js")) continue;
    const text = await readFile(path.join(ROOT, "www", file), "utf8");
    for (const [, name] of text.matchAll(/["'`]([A-Z][A-Za-z]+)["'`]/g)) if (known.has(name)) called.add(name);
  }
  assert.ok(called.has("DeleteRepoTag") && called.has("ListRepoTag"), [...called].join(", "));

  const section = README.slice(README.indexOf("### What the dashboard needs"), README.indexOf("## Audit log"));
  const row = (label) => [...new RegExp(`^\\| ${label}[^|]*\\| (.*) \\|$`, "m").exec(section)[1].matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
  const reads = row("reads");
  const writes = row("writes");
  // Writes exactly (each one is a permission to grant); reads may run ahead
  // of the dashboard and of this build's catalogue (the default allows every
  // read anyway), but each must be a read.
  for (const action of called) assert.ok([...reads, ...writes].includes(action), `the README's table lists ${action}, which the dashboard calls`);
  assert.deepEqual([...writes].sort(), [...called].filter((action) => !isReadOnly(action)).sort(), "the writes are the dashboard's");
  for (const action of reads) assert.ok(isReadOnly(action), `${action} is a read`);

  const [, value] = /`ALLOWED_ACTIONS=([^`]+)`/.exec(section);
  const allowed = readConfig({ ACCESS_KEY_ID: "a", ACCESS_KEY_SECRET: "b", PROXY_TOKEN: "0123456789abcdef", UPSTREAM: "cr.cn-hangzhou.aliyuncs.com", ALLOWED_ACTIONS: value }, operations).allowedActions;
  for (const action of called) assert.ok(allowed.has(action), `${value} allows ${action}`);
  assert.deepEqual([...allowed].filter((action) => !isReadOnly(action)).sort(), [...writes].sort(), "and no other write");
  assert.ok(localized("node").includes(`ALLOWED_ACTIONS=${value}`), "the local commands use it");
});
