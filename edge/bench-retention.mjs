#!/usr/bin/env node
// A retention run at scale: edge/worker.js in workerd (miniflare: cron
// trigger, Queue, KV journal), planning with the package's retention engine,
// against the emulator started from a generated state file: REPOS
// repositories of TAGS tags each (a version tag and a `sha-` tag per build,
// sharing a digest), one tagdeck policy that deletes the older `sha-` tags.
// Prints the run's wall time, the requests the emulator received (by
// operation, counted by a relay in front of it) and the run's summary.
//
//   node edge/bench-retention.mjs [--repos 1000] [--tags 100] [--keep 40] [--mode apply|dry-run]
//                                 [--concurrency 10] [--batch 10]
//                                 [--count yes|no] [--json FILE] [--timeout 30]
//
// --concurrency: RETENTION_CONCURRENCY (deletes in flight per repository);
// --batch: the queue consumer's max_batch_size (repositories at once).
// --timeout: minutes to wait for the run to finish before giving up.
// It exits non-zero when the run failed a delete or did not delete exactly
// what it planned (nothing, in a dry run).
//
// --count no: no relay, so no request count, and none of the relay's cost
// in the time (each request crosses one more local hop with it).
// Needs pkg/ (scripts/build-pkg.sh) and the emulator (cargo build -p
// tagdeck-emulator; TAGDECK_EMULATOR_BIN for another build).

import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmulator, workerd } from "./dev.mjs";
import { wholeRecord } from "../www/api/retention-runs.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    repos: { type: "string", default: "1000" },
    tags: { type: "string", default: "100" },
    keep: { type: "string", default: "40" },
    mode: { type: "string", default: "apply" },
    count: { type: "string", default: "yes" },
    concurrency: { type: "string", default: "10" },
    batch: { type: "string", default: "10" },
    json: { type: "string" },
    timeout: { type: "string", default: "30" },
  },
});
const REPOS = Number(args.repos);
const BUILDS = Math.floor(Number(args.tags) / 2);
const KEEP = Number(args.keep);
const INSTANCE = "cri-tagdeckdemo00001";
const binary = process.env.TAGDECK_EMULATOR_BIN ?? path.join(ROOT, "target/debug/tagdeck-emulator");
const credentials = { accessKeyId: `LTAI${randomBytes(8).toString("hex")}`, accessKeySecret: randomBytes(24).toString("base64url") };
const authToken = randomUUID();
const proxyToken = randomBytes(24).toString("hex");

const WORKER = "edge/worker.js";
const policy = { rules: [{ id: "commits", tags: { include: "sha-*" }, keep: { newest: KEEP } }] };

// On tmpfs where there is one: the emulator syncs its state file before it answers a change,
// and a disk's fsync would be measured instead of the run.
const dir = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "tagdeck-bench-retention-"));
try {
  const stateFile = path.join(dir, "state.json");
  await generateState(stateFile);
  const emulator = await startEmulator(binary, credentials, ["--auth-token", authToken, "--state", stateFile]);
  const relay = args.count === "yes" ? await countingRelay(emulator.url) : null;
  let mf;
  // Interrupted: stop what this script started before leaving.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await mf?.dispose().catch(() => {});
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  mf = workerd(WORKER, {
    bindings: {
      ACCESS_KEY_ID: credentials.accessKeyId,
      ACCESS_KEY_SECRET: credentials.accessKeySecret,
      UPSTREAM: relay ? relay.url : emulator.url,
      REGION_ID: "cn-hangzhou",
      PROXY_TOKEN: proxyToken,
      RETENTION_CONCURRENCY: args.concurrency,
      RETENTION_POLICIES: JSON.stringify([{ name: "bench", registry: "alibaba", scope: { instanceId: INSTANCE, namespace: "bench" }, policy, mode: args.mode }]),
    },
    kvNamespaces: ["JOURNAL"],
    queueProducers: { RETENTION_QUEUE: { queueName: "retention" } },
    queueConsumers: { retention: { maxBatchSize: Number(args.batch), maxBatchTimeout: 0.1, maxRetries: 10, retryDelay: 1 } },
  });
  try {
    await mf.ready;
    const api = async (route) => (await mf.dispatchFetch(`http://bench.test${route}`, { headers: { Authorization: `Bearer ${proxyToken}` } })).json();
    const started = performance.now();
    await (await mf.getWorker()).scheduled({ scheduledTime: new Date(), cron: "0 3 * * *" });
    // A run that stops making progress would otherwise keep the bench waiting.
    const deadline = started + Number(args.timeout) * 60_000;
    let run;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      [run] = (await api("/retention/runs")).runs;
      if (run?.finishedAt) break;
      if (performance.now() > deadline) throw new Error(`the run did not finish within ${args.timeout} minutes: ${JSON.stringify(run ?? null)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const record = await wholeRecord((from) => api(`/retention/runs/${run.id}?from=${from}`));
    const requests = relay ? [...relay.counts.values()].reduce((a, b) => a + b, 0) : null;
    const report = {
      worker: WORKER,
      repositories: REPOS,
      tags: REPOS * BUILDS * 2,
      mode: args.mode,
      concurrency: Number(args.concurrency),
      batch: Number(args.batch),
      seconds: Number(seconds.toFixed(1)),
      requests,
      requestsByOperation: relay ? Object.fromEntries([...relay.counts].sort()) : null,
      summary: record.summary,
      results: { ok: record.results.filter((r) => r.ok).length, failed: record.results.filter((r) => !r.ok).length },
    };
    console.log(JSON.stringify(report, null, 2));
    if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    // A figure is worth reporting only for a run that did what it planned.
    const { planned, deleted, failed } = record.summary;
    const expected = args.mode === "apply" ? planned : 0;
    if (failed !== 0 || deleted !== expected || report.results.failed !== 0) {
      console.error(`bench-retention: the run did not do what it planned: planned ${planned}, deleted ${deleted} (expected ${expected}), failed ${failed}`);
      process.exitCode = 1;
    }
  } finally {
    await mf.dispose();
    await relay?.close();
    await emulator.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The emulator's demo state (it writes it on start with --state), with the
 * first instance's repositories replaced by REPOS generated ones in a
 * namespace `bench`; digests are taken from the demo's images, so every tag
 * has a real manifest.
 */
async function generateState(file) {
  const seed = path.join(dir, "seed.json");
  const first = await startEmulator(binary, credentials, ["--auth-token", authToken, "--state", seed]);
  await first.stop();
  if (!existsSync(seed)) throw new Error("the emulator did not write its state file on start");
  const state = JSON.parse(readFileSync(seed, "utf8"));
  const instance = state.instances.find((i) => i.id === INSTANCE);
  const digests = Object.keys(state.images);
  const day = 86_400_000;
  const base = Date.UTC(2024, 0, 1);
  instance.namespaces.push({ id: "crn-benchbenchbench01", name: "bench", status: "NORMAL", auto_create_repo: true, default_repo_type: "PRIVATE", create_time: base });
  instance.repo_quota = Math.max(instance.repo_quota, REPOS + 100);
  instance.repositories = Array.from({ length: REPOS }, (_, r) => {
    const tags = [];
    for (let b = 0; b < BUILDS; b++) {
      const digest = digests[(r * BUILDS + b) % digests.length];
      const time = base + (r % 7) * day + b * day;
      const sha = createHash("sha1").update(`${r}/${b}`).digest("hex").slice(0, 7);
      tags.push({ name: `1.0.${b}`, digest, status: "NORMAL", create_time: time, update_time: time });
      tags.push({ name: `sha-${sha}`, digest, status: "NORMAL", create_time: time, update_time: time });
    }
    return {
      id: `crr-bench${String(r).padStart(10, "0")}`,
      namespace: "bench",
      name: `service-${String(r).padStart(4, "0")}`,
      status: "NORMAL",
      repo_type: "PRIVATE",
      build_type: "MANUAL",
      summary: "",
      detail: "",
      create_time: base,
      modified_time: base,
      tags,
      build_rules: [],
      build_records: [],
      triggers: [],
      scans: [],
    };
  });
  // rng is a u64 the emulator wrote exactly; JSON.parse rounds it, so it is put back as text.
  const rng = /"rng":(\d+)/.exec(readFileSync(seed, "utf8"))[1];
  writeFileSync(file, JSON.stringify(state).replace(/"rng":\d+(?:\.\d+)?(?:e\+?\d+)?/, `"rng":${rng}`));
}

/**
 * A relay in front of the emulator counting requests by operation (Action):
 * bodies are streamed through on kept-alive connections, so the relay costs
 * little beside the count.
 */
async function countingRelay(upstream) {
  const counts = new Map();
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, noDelay: true });
  const server = http.createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on("data", (chunk) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(new URL(incoming.url, "http://relay").search);
      if (body.length) for (const [key, value] of new URLSearchParams(body.toString())) params.set(key, value);
      const action = params.get("Action") ?? incoming.headers["x-acs-action"] ?? `${incoming.method} ${incoming.url.split("?")[0]}`;
      counts.set(action, (counts.get(action) ?? 0) + 1);
      // The client's Host is kept, as a transparent relay does: signature V3 signs it.
      const forward = http.request(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
        (answer) => {
          outgoing.writeHead(answer.statusCode, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", () => outgoing.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  // Small writes go out at once: with Nagle's algorithm and delayed ACKs each
  // relayed answer could wait tens of milliseconds.
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: () => new Promise((resolve) => server.close(resolve)).then(() => (server.closeAllConnections?.(), agent.destroy())),
  };
}
