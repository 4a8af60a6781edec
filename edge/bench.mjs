#!/usr/bin/env node
// What the proxy costs, measured in one run:
//  1. the worker's bundle: every module worker.js pulls in (its own files,
//     pkg/tagdeck.js, both .wasm: the core and the retention engine), raw and gzipped;
//  2. latency of the same call, sequentially, N times each, interleaved:
//     direct (the package's Client in Node → emulator), through the worker in
//     workerd (miniflare's HTTP socket), and through the Node adapter.
//
//   node edge/bench.mjs [--calls 1000] [--action ListRepoTag] [--json FILE]
//
// Needs pkg/ (scripts/build-pkg.sh) and target/emulator/tagdeck-emulator
// (cargo build --profile emulator -p tagdeck-emulator), or TAGDECK_EMULATOR_BIN.

import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { spawnListening, startEmulator, workerd } from "./dev.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "1000" },
    warmup: { type: "string", default: "100" },
    action: { type: "string", default: "ListRepoTag" },
    "page-size": { type: "string", default: "20" },
    json: { type: "string" },
  },
});
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);

// ---- 1. bundle size ----

/** worker.js and every module it imports, transitively (relative imports). */
function bundleFiles(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith(".js") && !file.endsWith(".mjs")) return;
    const source = readFileSync(file, "utf8");
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/gm)) {
      visit(path.resolve(path.dirname(file), specifier));
    }
  };
  visit(entry);
  return [...seen];
}

function bundleSize() {
  const files = bundleFiles(path.join(ROOT, "edge/worker.js")).map((file) => {
    const bytes = readFileSync(file);
    return { file: path.relative(ROOT, file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return { files, total };
}

// ---- 2. latency ----

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { calls: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function main() {
  const size = bundleSize();
  console.log("worker bundle (what a deployment uploads):");
  for (const f of size.files) console.log(`  ${f.file.padEnd(28)} ${String(f.raw).padStart(8)} B raw ${String(f.gzip).padStart(8)} B gzip`);
  console.log(`  ${"total".padEnd(28)} ${String(size.total.raw).padStart(8)} B raw ${String(size.total.gzip).padStart(8)} B gzip`);

  const credentials = { accessKeyId: `LTAI${randomBytes(8).toString("hex")}`, accessKeySecret: randomBytes(24).toString("base64url") };
  const proxyToken = randomBytes(24).toString("hex");
  const stops = [];
  try {
    const emulator = await startEmulator(process.env.TAGDECK_EMULATOR_BIN ?? path.join(ROOT, "target/emulator/tagdeck-emulator"), credentials);
    stops.push(emulator.stop);
    const bindings = {
      ACCESS_KEY_ID: credentials.accessKeyId,
      ACCESS_KEY_SECRET: credentials.accessKeySecret,
      UPSTREAM: emulator.url,
      REGION_ID: "cn-hangzhou",
      PROXY_TOKEN: proxyToken,
      // Latency, not the limiter, is measured here.
      RATE_LIMIT_BURST: "1000000000",
      RATE_LIMIT_PER_SECOND: "1000000000",
    };

    const mf = workerd("edge/worker.js", { bindings });
    stops.push(() => mf.dispose());
    const workerdUrl = (await mf.ready).toString().replace(/\/$/, "");

    const node = await spawnListening(process.execPath, [path.join(ROOT, "edge/serve.mjs"), "--listen", "127.0.0.1:0"], {
      env: bindings,
      banner: /^tagdeck-edge listening on (http:\/\/\S+)/,
    });
    stops.push(node.stop);

    const tagdeck = await import(path.join(ROOT, "pkg/index.js"));
    tagdeck.initSync({ module: readFileSync(path.join(ROOT, "pkg/tagdeck_bg.wasm")) });
    const client = new tagdeck.Client({ ...credentials, regionId: "cn-hangzhou", endpoint: emulator.url });
    const params = await paramsFor(client, args.action, Number(args["page-size"]));

    const viaProxy = (base) => async () => {
      const response = await fetch(`${base}/api/${args.action}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${proxyToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(params),
      });
      if (response.status !== 200) throw new Error(`proxy answered ${response.status}: ${await response.text()}`);
      await response.json();
    };
    const paths = {
      direct: () => client.call(args.action, params),
      "proxy (workerd)": viaProxy(workerdUrl),
      "proxy (node adapter)": viaProxy(node.url),
    };

    const samples = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
    for (let i = 0; i < WARMUP + CALLS; i++) {
      // Interleaved, so a slow moment of the machine hits every path alike.
      for (const [name, call] of Object.entries(paths)) {
        const started = performance.now();
        await call();
        if (i >= WARMUP) samples[name].push(performance.now() - started);
      }
    }
    const results = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summary(s)]));
    console.log(`\n${args.action} ${JSON.stringify(params)}: ${CALLS} sequential calls per path after ${WARMUP} warm-up, interleaved (ms)`);
    console.log(`  ${"path".padEnd(22)} ${"median".padStart(8)} ${"p99".padStart(8)} ${"mean".padStart(8)}`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`  ${name.padEnd(22)} ${r.median.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${r.mean.toFixed(3).padStart(8)}`);
    }
    const added = {};
    for (const name of Object.keys(results).filter((n) => n !== "direct")) {
      added[name] = { median: results[name].median - results.direct.median, p99: results[name].p99 - results.direct.p99 };
      console.log(`  added by ${name}: median +${added[name].median.toFixed(3)} ms, p99 +${added[name].p99.toFixed(3)} ms`);
    }
    if (args.json) writeFileSync(args.json, JSON.stringify({ size, action: args.action, params, calls: CALLS, results, added }, null, 2));
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

/** Parameters for the measured call, from the demo data. */
async function paramsFor(client, action, pageSize) {
  const { instances } = await client.listInstance({});
  const instanceId = instances[0].instanceId;
  if (action !== "ListRepoTag") return { instanceId };
  const { repositories } = await client.listRepository({ instanceId, repoStatus: "ALL" });
  for (const repository of repositories) {
    const { images } = await client.listRepoTag({ instanceId, repoId: repository.repoId, pageSize: 1 });
    if (images.length > 0) return { instanceId, repoId: repository.repoId, pageSize };
  }
  throw new Error("the demo data has no repository with tags");
}

await main();
