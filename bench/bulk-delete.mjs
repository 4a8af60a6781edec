#!/usr/bin/env node
// Measures the package's paced bulk delete (src/wasm/bulk.js) on 1,000 tags
// of demo/big-app, in three set-ups:
//  (a) `repository.deleteTags` directly against an emulator throttling 20%
//      of requests and failing 30% with 503;
//  (b) `deleteTagsWith` over the dashboard's proxy client
//      (www/api/proxy-client.js) through the edge proxy (edge/serve.mjs) at
//      its default rate limit, in front of a clean emulator, then in front
//      of the throttling/failing one.
// Prints, per set-up: tags deleted, requests (attempts, from the report),
// already gone, failures, not attempted, and wall time. A measurement, not a test.
//
//   node bench/bulk-delete.mjs [--tags 1000]
//
// Needs pkg/ (scripts/build-pkg.sh) and the emulator (cargo build -p tagdeck-emulator).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startEmulator } from "../tests/node/emulator.mjs";
import { ProxyClient } from "../www/api/proxy-client.js";

const { Client, deleteTagsWith, initSync } = await import(new URL("../pkg/index.js", import.meta.url).href);
initSync({ module: readFileSync(new URL("../pkg/tagdeck_bg.wasm", import.meta.url)) });

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({ options: { tags: { type: "string", default: "1000" } } });
const COUNT = Number(args.tags);
const FAULTS = ["--throttle-rate", "0.2", "--fail-rate", "0.3"];

/** Reads that survive the faults; the deletes are paced by the bulk delete itself. */
function clientFor(emulator) {
  return new Client({ accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, regionId: emulator.regionId, endpoint: emulator.url, maxRetries: 10 });
}

async function repositoryOf(emulator, client) {
  const { repoId } = await client.getRepository({ instanceId: emulator.instanceId, repoNamespaceName: "demo", repoName: "big-app" });
  const repository = client.repository({ instanceId: emulator.instanceId, repoId, namespaceName: "demo", repoName: "big-app" });
  const names = [];
  for await (const tag of repository.allTags({ pageSize: 100 })) names.push(tag.name);
  if (names.length < COUNT) throw new Error(`demo/big-app has ${names.length} tags, fewer than ${COUNT}`);
  return { repoId, repository, names: names.slice(0, COUNT) };
}

function startEdge(emulator) {
  const token = randomBytes(24).toString("hex");
  const child = spawn(process.execPath, [path.join(ROOT, "edge/serve.mjs"), "--listen", "127.0.0.1:0"], {
    env: { ...process.env, ACCESS_KEY_ID: emulator.accessKeyId, ACCESS_KEY_SECRET: emulator.accessKeySecret, UPSTREAM: emulator.url, REGION_ID: emulator.regionId, PROXY_TOKEN: token, ALLOWED_ACTIONS: "Get*,List*,DeleteRepoTag" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.once("exit", (code) => reject(new Error(`edge proxy exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const match = buffer.match(/listening on (http:\/\/\S+)/);
      if (match) {
        child.removeAllListeners("exit");
        child.stdout.resume();
        resolve({ url: match[1], token, stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once("exit", done), child.kill("SIGTERM")))) });
      }
    });
  });
}

function print(label, { summary }, ms) {
  const { deleted, alreadyGone, failed, notAttempted, attempts } = summary;
  console.log(`${label.padEnd(44)} deleted ${String(deleted + alreadyGone).padStart(5)} (already gone ${alreadyGone})  requests ${String(attempts).padStart(5)}  failed ${failed}  not attempted ${notAttempted}  ${(ms / 1000).toFixed(1)} s`);
}

async function direct() {
  const emulator = await startEmulator(FAULTS);
  try {
    const { repository, names } = await repositoryOf(emulator, clientFor(emulator));
    const start = performance.now();
    const report = await repository.deleteTags(names);
    print("(a) direct, throttle 20% + 503 30%", report, performance.now() - start);
  } finally {
    await emulator.close();
  }
}

async function viaProxy(label, faults) {
  const emulator = await startEmulator(faults);
  const edge = await startEdge(emulator);
  try {
    const { repoId, names } = await repositoryOf(emulator, clientFor(emulator));
    const proxy = new ProxyClient({ proxyUrl: edge.url, proxyToken: edge.token });
    const deleteOne = (tag) => proxy.call("DeleteRepoTag", { instanceId: emulator.instanceId, repoId, tag });
    const start = performance.now();
    const report = await deleteTagsWith(deleteOne, names);
    print(label, report, performance.now() - start);
  } finally {
    await edge.stop();
    await emulator.close();
  }
}

console.log(`bulk delete of ${COUNT} tags of demo/big-app, concurrency 4 (the default)`);
await direct();
await viaProxy("(b) edge proxy (default limit), clean", []);
await viaProxy("(b) edge proxy (default limit), throttle+503", FAULTS);
