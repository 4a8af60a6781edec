// The Node adapter's retention: edge/worker.js's own handlers (the package's
// retention engine planning) with the journal in a directory and the queue
// in process (serve.mjs --once / --dry-run), over all three registries of
// the emulator, and undo where each can.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { register } from "node:module";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CREDENTIALS, PROXY_TOKEN, bindingsFor, loadPackage } from "./harness.mjs";
import { AUTH_TOKEN, INSTANCE_ID, startRegistry } from "./retention-harness.mjs";
import { nodeRetentionEnv } from "../../edge/retention/node-runner.mjs";
import { startRetention } from "../../edge/retention/node-cli.mjs";

register("../../edge/wasm-loader.mjs", import.meta.url);
const { default: worker } = await import("../../edge/worker.js");

// tagdeck's policy language (docs/retention.md): all but the newest sha- tag.
const SHA_POLICY = { rules: [{ id: "commits", tags: { include: "sha-*" }, keep: { newest: 1 } }] };
let emulator;
let tagdeck;
const dirs = [];

before(async () => {
  emulator = await startRegistry();
  tagdeck = await loadPackage();
});
after(async () => {
  await emulator?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function journalDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tagdeck-retention-journal-"));
  dirs.push(dir);
  return dir;
}

function envWith(policies) {
  return bindingsFor(emulator.url, {
    SCALEWAY_SECRET_KEY: AUTH_TOKEN,
    SCALEWAY_ENDPOINT: emulator.url,
    SWR_AUTH_TOKEN: AUTH_TOKEN,
    SWR_ENDPOINT: emulator.url,
    RETENTION_POLICIES: JSON.stringify(policies),
  });
}

/** Runs the policies in process to the end; the records of the runs. */
async function runInNode(policies, dir = journalDir()) {
  const { env, queue } = await nodeRetentionEnv(worker, envWith(policies), { journalDir: dir, log: () => {} });
  await worker.scheduled({ scheduledTime: Date.now(), cron: "once" }, env, { waitUntil() {} });
  await queue.idle();
  const api = async (route, method = "GET") => (await worker.fetch(new Request(`http://node${route}`, { method, headers: { Authorization: `Bearer ${PROXY_TOKEN}` } }), env)).json();
  const { runs } = await api("/retention/runs");
  // An undo runs on the queue: started, waited for, and read from the run's record.
  const undo = async (id) => {
    const started = await api(`/retention/runs/${id}/undo`, "POST");
    assert.ok(started.attempt >= 1 && started.finishedAt === null, JSON.stringify(started));
    await queue.idle();
    return (await api(`/retention/runs/${id}`)).undo;
  };
  return { dir, api, undo, records: await Promise.all(runs.map((run) => api(`/retention/runs/${run.id}`))) };
}

const scaleway = () => new tagdeck.ScalewayRegistry({ authToken: AUTH_TOKEN, endpoint: emulator.url, region: "fr-par" });
const swr = () => new tagdeck.SwrRegistry({ authToken: AUTH_TOKEN, endpoint: emulator.url });
async function namesOf(tagRepository) {
  const names = new Set();
  for await (const tag of tagRepository.allTags()) names.add(tag.name);
  return names;
}

test("SWR: an apply run in process deletes the plan, journals to a directory, and undo copies the tags back from their source tag", async () => {
  const repo = swr().repository({ namespace: "platform", repository: "redis" });
  const beforeRun = await namesOf(repo);
  const { dir, undo: undoRun, records } = await runInNode([{ name: "swr-redis", registry: "swr", scope: { repository: "platform/redis" }, policy: SHA_POLICY, mode: "apply" }]);
  const [record] = records;
  assert.ok(record.finishedAt);
  const planned = record.decisions.filter((d) => d.action === "delete").map((d) => d.tag);
  assert.ok(planned.length > 3);
  assert.deepEqual(record.results.map((r) => [r.registry, r.tag, r.ok]), planned.map((tag) => ["swr", tag, true]));
  const afterRun = await namesOf(repo);
  assert.deepEqual([...beforeRun].filter((t) => !afterRun.has(t)).sort(), [...planned].sort());
  // The journal's files: one run record, one part, JSON, no secret.
  const files = readdirSync(dir).sort();
  assert.deepEqual(files.map((f) => f.replace(/\d{8}T\d{9}Z-[0-9a-f]{8}/, "ID")), ["part+ID+000000.json", "run+ID.json"]);
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), "utf8");
    JSON.parse(text);
    for (const secret of [AUTH_TOKEN, CREDENTIALS.accessKeySecret, PROXY_TOKEN]) assert.ok(!text.includes(secret));
  }
  const undo = await undoRun(record.id);
  assert.ok(undo.finishedAt && undo.results.length === record.results.length);
  assert.ok(undo.results.every((r) => r.ok && r.from), JSON.stringify(undo.results));
  assert.deepEqual(await namesOf(repo), beforeRun);
});

test("SWR: a dry run over a namespace, repositories not named, covers every repository of it and deletes nothing", async () => {
  const client = swr();
  const { repos } = await client.listRepositories({ namespace: "platform" });
  const expected = repos.map((r) => `platform/${r.name}`).sort();
  assert.ok(expected.length > 1, expected.join(" "));
  const before = new Map();
  for (const name of expected) before.set(name, await namesOf(client.repository({ namespace: "platform", repository: name.slice("platform/".length) })));
  const { records } = await runInNode([{ name: "swr-platform", registry: "swr", scope: { namespace: "platform" }, policy: SHA_POLICY, mode: "dry-run" }]);
  const [record] = records;
  assert.ok(record.finishedAt);
  assert.deepEqual(record.items.map((i) => i.repository).sort(), expected);
  assert.deepEqual([...new Set(record.decisions.map((d) => d.repository))].sort(), expected.filter((name) => before.get(name).size > 0));
  assert.ok(record.decisions.some((d) => d.action === "delete"), "the policy would delete something");
  assert.deepEqual(record.results, []);
  for (const name of expected) {
    assert.deepEqual(await namesOf(client.repository({ namespace: "platform", repository: name.slice("platform/".length) })), before.get(name), name);
  }
});

test("Scaleway: a tag is deleted (forced) only with every other tag on its digest; undo says it cannot create tags", async () => {
  const { namespaces } = await scaleway().listNamespaces({});
  const namespaceId = namespaces.find((n) => n.name === "platform").id;
  const { images } = await scaleway().listImages({ namespaceId });
  const image = images.find((i) => i.name === "postgres");
  const repo = scaleway().repository({ imageId: image.id });
  const beforeRun = await namesOf(repo);
  // Every build but the two newest goes, version and sha- tag together; but
  // `stable` (protected) points at an older build, and deleting a tag on
  // Scaleway deletes its manifest: the engine keeps that build's tags.
  const policy = { rules: [{ id: "builds", keep: { newest: 4 } }], protected: ["latest", "stable"] };
  const { undo: undoRun, records } = await runInNode([{ name: "scw-postgres", registry: "scaleway", scope: { region: "fr-par", namespaceId, image: "platform/postgres" }, policy, mode: "apply" }]);
  const [record] = records;
  assert.deepEqual(record.items.map((i) => i.repository), ["platform/postgres"]);
  const stable = record.decisions.find((d) => d.tag === "stable");
  assert.equal(stable.rule, "protected");
  const besideStable = record.decisions.filter((d) => d.digest === stable.digest && d.tag !== "stable" && d.tag !== "latest");
  assert.ok(besideStable.length === 2 && besideStable.every((d) => d.action === "keep" && d.rule === "safety:shared-digest"), JSON.stringify(besideStable));
  const deleted = record.decisions.filter((d) => d.action === "delete");
  assert.ok(deleted.length > 6 && deleted.every((d) => d.rule === "builds"));
  for (const d of deleted) {
    assert.ok(record.decisions.filter((other) => other.digest === d.digest).every((other) => other.action === "delete"), `${d.tag}: its digest goes whole`);
  }
  assert.deepEqual(record.results.map((r) => r.tag).sort(), deleted.map((d) => d.tag).sort());
  assert.ok(record.results.every((r) => r.ok), JSON.stringify(record.results.filter((r) => !r.ok)));
  const afterRun = await namesOf(repo);
  assert.deepEqual([...beforeRun].filter((t) => !afterRun.has(t)).sort(), deleted.map((d) => d.tag).sort());
  const undo = await undoRun(record.id);
  assert.ok(undo.finishedAt && undo.results.length === deleted.length);
  assert.ok(undo.results.every((r) => !r.ok && /scaleway has no API to create a tag: push platform\/postgres@sha256:[0-9a-f]{64} again as /.test(r.error)));
});

test("serve.mjs --once --dry-run: every policy as a dry run, a progress line per repository, exit 0", async () => {
  const dir = journalDir();
  const lines = [];
  const log = console.log;
  console.log = (line) => lines.push(String(line));
  let status;
  try {
    await startRetention(
      worker,
      envWith([{ name: "alibaba-platform", registry: "alibaba", scope: { instanceId: INSTANCE_ID, namespace: "platform" }, policy: SHA_POLICY, mode: "apply" }]),
      { once: true, "dry-run": true, journal: dir },
      { exit: (code) => (status = code) },
    );
  } finally {
    console.log = log;
  }
  assert.equal(status, 0);
  const progress = lines.filter((line) => /would be deleted \(dry run\)/.test(line));
  assert.equal(progress.length, 3, lines.join("\n"));
  assert.ok(lines.some((line) => /^alibaba-platform: finished \{.*"deleted":0/.test(line)), lines.join("\n"));
  const runFiles = readdirSync(dir).filter((file) => file.startsWith("run+"));
  assert.equal(runFiles.length, 1);
  const run = JSON.parse(readFileSync(path.join(dir, runFiles[0]), "utf8"));
  assert.equal(run.mode, "dry-run", "--dry-run overrode the policy's apply");
});
