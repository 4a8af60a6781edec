// The retention runner's parts on their own: the bindings' parsing, the
// in-use list, the careful delete (against a scripted tag repository), the
// journal's record of a stopped item, the journal within KV's limits, a
// repository handed on from message to message, and the Node adapter's --cron.

import { test } from "node:test";
import assert from "node:assert/strict";
import { deleteTag, Interrupted, Throttled, mapBounded, redelivery } from "../../edge/retention/deleter.js";
import { loadInUse, parseInUse, parseReference, protect, protectedDigests } from "../../edge/retention/in-use.js";
import { Journal, KV_WRITE_INTERVAL_MS, RECORD_PAGE, kvStore } from "../../edge/retention/journal.js";
import { wholeRecord } from "../../www/api/retention-runs.js";
import { runItem } from "../../edge/retention/item.js";
import { JournalBehind, afterLastWrite, stepFor } from "../../edge/retention/handover.js";
import { STALE_UNDO_MS, finishUndoIfDone, startUndo, undoItem } from "../../edge/retention/undo.js";
import { summarize } from "../../edge/retention/run.js";
import { globMatcher } from "../../edge/retention/scope.js";
import { readPolicies, readRetentionSettings } from "../../edge/retention/settings.js";
import { inProcessQueue } from "../../edge/retention/node-runner.mjs";
import { STALE_RUN_MS, startDue } from "../../edge/retention/workers.js";
import { cronSchedule, startRetention } from "../../edge/retention/node-cli.mjs";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;

test("RETENTION_POLICIES: errors name the entry and the field", () => {
  const ok = { name: "p", registry: "alibaba", scope: { instanceId: "cri-1" }, policy: { rules: [] }, mode: "apply" };
  assert.deepEqual(readPolicies({ RETENTION_POLICIES: JSON.stringify([ok]) })[0].scope, { instanceId: "cri-1" });
  // SWR: no namespace is every namespace, no repository every repository.
  assert.deepEqual(readPolicies({ RETENTION_POLICIES: JSON.stringify([{ ...ok, registry: "swr", scope: {} }]) })[0].scope, {});
  const cases = [
    [undefined, /binding RETENTION_POLICIES is not set/],
    ["[", /RETENTION_POLICIES is not valid JSON/],
    ["{}", /must be a JSON list/],
    [[{ ...ok, registry: "ecr" }], /RETENTION_POLICIES\[0\]\.registry must be one of alibaba, scaleway, swr/],
    [[{ ...ok, mode: "now" }], /RETENTION_POLICIES\[0\]\.mode must be "dry-run" or "apply"/],
    [[ok, ok], /RETENTION_POLICIES\[1\]\.name "p" is used twice/],
    [[{ ...ok, scope: {} }], /RETENTION_POLICIES\[0\]\.scope\.instanceId is required for alibaba/],
    [[{ ...ok, scope: { instanceId: "c", image: "x" } }], /scope\.image is not a scope field of alibaba/],
    [[{ ...ok, registry: "swr", scope: { namespace: "n", repository: ["a"] } }], /scope\.repository must be a non-empty string/],
    [[{ ...ok, registry: "swr", scope: { region: "eu-de" } }], /scope\.region is not a scope field of swr; expected namespace, repository/],
    [[{ ...ok, policy: null }], /policy must be an object that planRetention accepts/],
  ];
  for (const [value, message] of cases) {
    const text = value === undefined || typeof value === "string" ? value : JSON.stringify(value);
    assert.throws(() => readPolicies({ RETENTION_POLICIES: text }), message, text);
  }
  assert.throws(() => readRetentionSettings({ RETENTION_CONCURRENCY: "0" }), /RETENTION_CONCURRENCY must be a whole number from 1 to 32/);
  assert.throws(() => readRetentionSettings({ IN_USE_URL: "ftp://x/y?token=s3cret" }), (error) => /IN_USE_URL must be an http\(s\) URL/.test(error.message) && !error.message.includes("s3cret"));
  assert.equal(readRetentionSettings({}).concurrency, 4);
});

test("image references: host ignored, tag or digest, where it runs", () => {
  assert.deepEqual(parseReference("registry.example.com:5000/shop/api:v3"), { repository: "shop/api", tag: "v3" });
  assert.deepEqual(parseReference(`cr.example.com/shop/api@${D1}`), { repository: "shop/api", digest: D1 });
  assert.deepEqual(parseReference(`shop/api:v3@${D1}`), { repository: "shop/api", tag: "v3", digest: D1 });
  assert.deepEqual(parseReference("host/shop/api"), { repository: "shop/api", tag: "latest" });
  assert.equal(parseReference("nginx:1"), undefined, "no namespace: not one of ours");
  const refs = parseInUse(`# prod\nh/shop/api:v3 deploy/api in prod\n\nh/shop/web@${D2}\n`);
  assert.deepEqual(refs, [
    { repository: "shop/api", tag: "v3", where: "deploy/api in prod" },
    { repository: "shop/web", digest: D2, where: `h/shop/web@${D2}` },
  ]);
  assert.throws(() => parseInUse("h/shop/api:v3\nnot a ref!"), /IN_USE line 2: "not" is not an image reference/);
});

test("kubectl pods: workloads named, the running digest protected", () => {
  const pods = {
    items: [
      {
        metadata: { name: "api-5f6d-abc", namespace: "prod", labels: { "pod-template-hash": "5f6d" }, ownerReferences: [{ kind: "ReplicaSet", name: "api-5f6d" }] },
        spec: { initContainers: [{ image: "h/shop/migrate:1" }], containers: [{ image: "h/shop/api:v3" }] },
        status: { containerStatuses: [{ imageID: `docker-pullable://h/shop/api@${D1}` }] },
      },
      { metadata: { name: "solo", namespace: "dev" }, spec: { containers: [{ image: "h/shop/tool:x" }] } },
    ],
  };
  assert.deepEqual(parseInUse(JSON.stringify(pods)), [
    { repository: "shop/migrate", tag: "1", where: "deploy/api in prod" },
    { repository: "shop/api", tag: "v3", where: "deploy/api in prod" },
    { repository: "shop/api", digest: D1, where: "deploy/api in prod" },
    { repository: "shop/tool", tag: "x", where: "pod/solo in dev" },
  ]);
  assert.throws(() => parseInUse('{"kind":"Pod"}'), /a kubectl document needs "items"/);
});

test("every tag on a protected digest is kept, with the reason", () => {
  const tags = [
    { repository: "shop/api", tag: "v3", digest: D1 },
    { repository: "shop/api", tag: "sha-1", digest: D1 },
    { repository: "shop/api", tag: "v2", digest: D2 },
  ];
  const digests = protectedDigests([{ repository: "shop/api", tag: "v3", where: "deploy/api in prod" }, { repository: "shop/api", tag: "gone", where: "x" }], tags);
  assert.deepEqual([...digests], [[D1, "deploy/api in prod"]]);
  const decisions = tags.map((t) => ({ ...t, action: "delete", rule: 0, reason: "old" }));
  const { decisions: kept, protectedCount } = protect(decisions, digests);
  assert.equal(protectedCount, 2);
  assert.deepEqual(kept.map((d) => [d.tag, d.action, d.reason]), [["v3", "keep", "in use: deploy/api in prod"], ["sha-1", "keep", "in use: deploy/api in prod"], ["v2", "delete", "old"]]);
  assert.equal(kept[0].overrides, "old", "what the policy wanted is kept for the record");
});

/** A TagRepository whose answers are scripted per call; records every call. */
function scripted(deletes, gets = []) {
  const calls = [];
  const next = (list, name) => {
    const step = list.shift();
    if (step instanceof Error) throw step;
    if (step === undefined) throw new Error(`unexpected ${name}`);
    return step;
  };
  return {
    calls,
    deleteTag: async (ref, options) => (calls.push(["delete", ref, options]), next(deletes, "delete")),
    getTag: async (ref) => (calls.push(["get", ref]), next(gets, "get")),
  };
}
const apiError = (code, httpStatus, extra = {}) => Object.assign(new Error(code), { code, httpStatus, ...extra });
const sleeps = [];
const sleep = async (ms) => sleeps.push(ms);

test("delete: throttled calls are sent again after the registry's wait", async () => {
  sleeps.length = 0;
  const repo = scripted([apiError("Throttling.User", 400, { retryAfterMs: 1500 }), apiError("SVCSTG.SWR.4290001", 429), null]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), { ok: true });
  assert.equal(repo.calls.filter(([kind]) => kind === "delete").length, 3);
  assert.equal(sleeps[0], 1500);
});

test("delete: a wait longer than a message sleeps through, or throttling that does not stop, hands the tag to the queue: delivered again after the wait", async () => {
  sleeps.length = 0;
  // Retry-After: 90 s is honoured whole, not cut short: the message stops and comes back in 90 s.
  let repo = scripted([apiError("Throttling.User", 400, { retryAfterMs: 90_000 })]);
  const stopped = await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }).catch((error) => error);
  assert.ok(stopped instanceof Throttled && stopped instanceof Interrupted, String(stopped));
  assert.equal(stopped.retryAfterMs, 90_000);
  assert.match(stopped.message, /^t: the registry asked to wait 90 s \(Throttling\.User: /);
  assert.deepEqual(redelivery(stopped), { delaySeconds: 90 });
  assert.deepEqual(sleeps, [], "nothing slept in the message");
  // Throttled on every attempt (short waits): not a failed result, a stop.
  repo = scripted(Array.from({ length: 8 }, () => apiError("SVCSTG.SWR.4290001", 429, { retryAfterMs: 2_000 })));
  const still = await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }).catch((error) => error);
  assert.ok(still instanceof Throttled, String(still));
  assert.match(still.message, /still throttled after 8 attempts/);
  assert.equal(repo.calls.length, 8);
  assert.deepEqual(redelivery(still), { delaySeconds: 2 });
  // Other stops take the queue's own delay; a wait beyond Queues' 12 hours is cut to it.
  assert.equal(redelivery(new Interrupted("x")), undefined);
  assert.deepEqual(redelivery(new Throttled("x", 3 * 86_400_000)), { delaySeconds: 43_200 });
});

test("delete: a call that may have been applied is looked up before anything is sent again", async () => {
  // Timed out, and the tag is gone: done, not sent again.
  let repo = scripted([apiError("Timeout", undefined)], [apiError("TAG_NOT_EXIST", 200)]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), { ok: true, note: "confirmed deleted after Timeout" });
  assert.deepEqual(repo.calls.map(([kind]) => kind), ["delete", "get"]);
  // A 503, the tag still there with its digest: sent again.
  repo = scripted([apiError("ServiceUnavailable", 503), null], [{ name: "t", digest: D1 }]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), { ok: true });
  assert.deepEqual(repo.calls.map(([kind]) => kind), ["delete", "get", "delete"]);
  // The tag now names another digest: left alone.
  repo = scripted([apiError("NetworkError", undefined)], [{ name: "t", digest: D2 }]);
  const moved = await deleteTag(repo, { tag: "t", digest: D1 }, { sleep });
  assert.equal(moved.ok, false);
  assert.match(moved.error, /now points at another digest/);
  // The look-up fails too: the fate is unknown, the item must stop.
  repo = scripted([apiError("NetworkError", undefined)], [apiError("NetworkError", undefined)]);
  await assert.rejects(deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), Interrupted);
  // Resumed with the tag pending: looked up first.
  repo = scripted([], [apiError("not_found", 404)]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1, id: "uuid-1" }, { sleep, uncertain: true }), { ok: true, note: "confirmed deleted on resume" });
  assert.deepEqual(repo.calls, [["get", { name: "t", id: "uuid-1" }]]);
});

test("delete: a refusal is a failed result, not retried; Scaleway's force is passed only when asked", async () => {
  let repo = scripted([apiError("TAG_IMMUTABLE", 200)]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), { ok: false, error: "TAG_IMMUTABLE: TAG_IMMUTABLE" });
  repo = scripted([null]);
  await deleteTag(repo, { tag: "t", digest: D1, id: "u" }, { sleep, force: true });
  assert.deepEqual(repo.calls[0], ["delete", { name: "t", id: "u" }, { force: true }]);
  repo = scripted([apiError("NotFound", 404)]);
  assert.deepEqual(await deleteTag(repo, { tag: "t", digest: D1 }, { sleep }), { ok: true, note: "already gone" });
});

test("mapBounded keeps the order and the bound", async () => {
  let running = 0;
  let most = 0;
  const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(most, 2);
});

test("the journal's record says what was done, what is in flight and what is not done", async () => {
  const data = new Map();
  const journal = new Journal({
    get: async (key) => data.get(key) ?? null,
    put: async (key, text) => void data.set(key, text),
    list: async (prefix) => [...data.keys()].filter((k) => k.startsWith(prefix)).sort().map((name) => ({ name })),
  });
  const id = "20250101T000000000Z-0123abcd";
  await journal.putRun({ id, name: "p", mode: "apply", startedAt: "2025-01-01T00:00:00.000Z", finishedAt: null, items: [{ index: 0, repository: "a/b" }, { index: 1, repository: "a/c" }] });
  const decision = (tag, action) => ({ repository: "a/b", tag, digest: D1, action, rule: 0, reason: "r" });
  await journal.putPart(id, {
    index: 0,
    status: "planned",
    stoppedBy: "cannot tell whether t2 was deleted: NetworkError",
    decisions: [decision("t1", "delete"), decision("t2", "delete"), decision("t3", "delete"), decision("k", "keep")],
    pending: [{ repository: "a/b", tag: "t2", digest: D1 }],
    results: [{ registry: "alibaba", repository: "a/b", tag: "t1", digest: D1, ok: true }],
  });
  const record = await journal.record(id);
  assert.deepEqual(record.items, [
    { index: 0, repository: "a/b", status: "planned", stoppedBy: "cannot tell whether t2 was deleted: NetworkError" },
    { index: 1, repository: "a/c", status: "waiting" },
  ]);
  assert.deepEqual(record.results.map((r) => r.tag), ["t1"]);
  assert.deepEqual(record.pending.map((r) => r.tag), ["t2"]);
  assert.deepEqual(record.notDone.map((r) => r.tag), ["t2", "t3"]);
  assert.equal(record.decisions.length, 4);
  assert.equal(await journal.doneCount(id), 0);
});

test("globs over namespace/name", () => {
  const match = globMatcher("shop/*-api");
  assert.ok(match("shop/orders-api"));
  assert.ok(!match("shop/a/b-api"));
  assert.ok(globMatcher("shop/**")("shop/a/b"));
  assert.ok(!globMatcher("shop.x/*")("shopyx/a"), "dots are literal");
  assert.ok(globMatcher(undefined)("anything"));
});

test("--cron: five fields in UTC (croner), the next tick, and errors that name --cron", () => {
  const next = (expression, from) => cronSchedule(expression).nextRun(new Date(from)).toISOString();
  assert.equal(next("*/15 * * * *", "2025-03-01T10:46:00Z"), "2025-03-01T11:00:00.000Z");
  assert.equal(next("30 3 * * 1-5", "2025-03-01T00:00:00Z"), "2025-03-03T03:30:00.000Z", "Saturday 1 March: next is Monday");
  assert.equal(next("0 0 * * 7", "2025-03-01T00:00:00Z"), "2025-03-02T00:00:00.000Z", "7 is Sunday too");
  assert.equal(next("0 3 * * *", "2025-03-01T03:00:00Z"), "2025-03-02T03:00:00.000Z", "UTC, whatever the machine's zone");
  const job = cronSchedule("0 3 * * *");
  assert.ok(!job.isRunning(), "nothing is scheduled until serve.mjs starts it");
  for (const [expression, error] of [
    ["* * * *", /--cron "\* \* \* \*": .*five, six, or seven/],
    ["61 * * * *", /--cron "61 \* \* \* \*": .*minute: 61/],
    ["0 0 3 * * *", /requires exactly 5 parts/],
  ]) {
    assert.throws(() => cronSchedule(expression), error);
  }
});

test("serve.mjs with a bad --cron stops before anything runs: status 2, the line names --cron", async () => {
  const lines = [];
  const error = console.error;
  console.error = (line) => lines.push(String(line));
  let status;
  try {
    const worker = { scheduled: () => assert.fail("nothing may run"), queue: () => assert.fail("nothing may run") };
    await startRetention(worker, { RETENTION_POLICIES: "[]" }, { cron: "0 3 * *", journal: "unused" }, { exit: (code) => (status = code) });
  } finally {
    console.error = error;
  }
  assert.equal(status, 2);
  assert.deepEqual(lines.length, 1);
  assert.match(lines[0], /^tagdeck-edge: --cron "0 3 \* \*": .*\(expected five fields: minute hour day-of-month month day-of-week, in UTC\)$/);
});

test("the in-process queue delivers again what a handler retries, then goes idle", async () => {
  const seen = [];
  const queue = inProcessQueue(
    async (batch) => {
      for (const message of batch.messages) {
        seen.push([message.body.n, message.attempts]);
        if (message.body.n === 2 && message.attempts < 3) message.retry();
        else message.ack();
      }
    },
    { sleep: async () => {}, log: () => {} },
  );
  await queue.sendBatch([{ body: { n: 1 } }, { body: { n: 2 } }]);
  await queue.idle();
  assert.deepEqual(seen, [[1, 1], [2, 1], [2, 2], [2, 3]]);
});

test("the in-process queue delivers a message again after the delay its handler asks for", async () => {
  const slept = [];
  const seen = [];
  const queue = inProcessQueue(
    async (batch) => {
      for (const message of batch.messages) {
        seen.push(message.attempts);
        if (message.attempts === 1) message.retry({ delaySeconds: 90 });
        else if (message.attempts === 2) message.retry();
        else message.ack();
      }
    },
    { sleep: async (ms) => void slept.push(ms), log: () => {} },
  );
  await queue.sendBatch([{ body: { n: 1 } }]);
  await queue.idle();
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(slept, [90_000, 2_000], "the asked delay, then the queue's own second pause");
});

test("the journal's store scrubs credentials out of everything written", async () => {
  const { redactingStore } = await import("../../edge/retention/journal.js");
  const { redactor } = await import("../../edge/redact.js");
  const written = [];
  const store = redactingStore({ put: async (key, text, metadata) => written.push(text, metadata) }, redactor(["LTAIkeyid0001", "s3cret/+="]));
  await store.put("part:x:0", JSON.stringify({ error: "SignatureDoesNotMatch: ...AccessKeyId=LTAIkeyid0001&Sig=s3cret%2F%2B%3D" }), { head: { name: "run with LTAIkeyid0001" } });
  assert.equal(written[0], JSON.stringify({ error: "SignatureDoesNotMatch: ...AccessKeyId=[redacted]&Sig=[redacted]" }));
  assert.deepEqual(written[1], { head: { name: "run with [redacted]" } }, "and out of the key's metadata");
});

/** A KV namespace in memory, with metadata, that counts its operations. */
function memoryNamespace() {
  const data = new Map();
  const ops = { get: 0, put: 0, list: 0 };
  return {
    data,
    ops,
    get: async (key) => (ops.get++, data.get(key)?.value ?? null),
    put: async (key, value, options) => void (ops.put++, data.set(key, { value, metadata: options?.metadata })),
    list: async ({ prefix }) => {
      ops.list++;
      const keys = [...data.keys()].filter((k) => k.startsWith(prefix)).sort();
      return { keys: keys.map((name) => ({ name, metadata: data.get(name).metadata })), list_complete: true };
    },
  };
}

test("KV: writes to one key are a second apart (KV's limit); other keys do not wait", async () => {
  let clock = 0;
  const waits = [];
  const namespace = memoryNamespace();
  const store = kvStore(namespace, { now: () => clock, sleep: async (ms) => (waits.push(ms), (clock += ms)) });
  await store.put("part:a", "1");
  clock += 300;
  await store.put("part:a", "2");
  assert.deepEqual(waits, [KV_WRITE_INTERVAL_MS - 300]);
  await store.put("part:b", "1");
  assert.equal(waits.length, 1, "another key does not wait");
  clock += 2 * KV_WRITE_INTERVAL_MS;
  await store.put("part:a", "3");
  assert.equal(waits.length, 1, "a write a second after the last does not wait");
  assert.equal(namespace.data.get("part:a").value, "3");
});

test("a run's summary and the list of runs come from the keys' metadata: one listing, no record read", async () => {
  const namespace = memoryNamespace();
  const journal = new Journal(kvStore(namespace, { sleep: async () => {} }));
  const id = "20250101T000000000Z-0123abcd";
  const items = Array.from({ length: 30 }, (_, index) => ({ index, repository: `a/r${index}` }));
  await journal.putRun({ id, name: "p", registry: "alibaba", mode: "apply", scope: { instanceId: "i" }, policy: { rules: [] }, startedAt: "2025-01-01T00:00:00.000Z", finishedAt: null, status: "running", items, protect: [] });
  const decision = (tag, action) => ({ repository: "a/b", tag, digest: D1, action, rule: 0, reason: "r" });
  for (const { index } of items) {
    await journal.putPart(id, {
      index,
      status: "done",
      protectedCount: 1,
      decisions: [decision("t1", "delete"), decision("t2", "delete"), decision("k", "keep")],
      pending: [],
      results: [{ tag: "t1", ok: true }, { tag: "t2", ok: false, error: "refused" }],
    });
  }
  namespace.ops.get = 0;
  namespace.ops.list = 0;
  const counts = await journal.partCounts(id);
  assert.deepEqual(summarize({ items }, counts), { repositories: 30, tags: 90, kept: 30, protected: 30, planned: 60, deleted: 30, failed: 30 });
  const runs = await journal.runs();
  assert.deepEqual(runs.map(({ id: runId, name, status, scope }) => ({ runId, name, status, scope })), [{ runId: id, name: "p", status: "running", scope: { instanceId: "i" } }]);
  assert.ok(!("items" in runs[0]) && !("policy" in runs[0]) && !("protect" in runs[0]), "the list shows the run's head only");
  assert.deepEqual(namespace.ops, { get: 0, put: 31, list: 2 });
});

test("a repository is handed on after RETENTION_DELETES_PER_MESSAGE deletes; a message delivered again deletes nothing twice", async () => {
  const tags = [..."1234567"].map((n) => ({ tag: `old-${n}`, digest: `sha256:${n.repeat(64)}`, pushed: 0 })).concat({ tag: "keep", digest: D1, pushed: 0 });
  const present = new Set(tags.map((t) => t.tag));
  const deleted = [];
  const repository = {
    capabilities: { maxPageSize: 100, create: true },
    deleteTag: async (tag) => {
      if (!present.delete(tag)) throw Object.assign(new Error("gone"), { code: "TAG_NOT_EXIST" });
      deleted.push(tag);
    },
    getTag: async () => assert.fail("nothing is uncertain here"),
  };
  const namespace = memoryNamespace();
  const deps = {
    journal: new Journal(kvStore(namespace, { sleep: async () => {} })),
    clientOf: () => ({ repository: () => repository }),
    gather: async () => tags.filter((t) => present.has(t.tag)),
    plan: (_policy, given) => ({ decisions: given.map(({ tag }) => ({ tag, action: tag.startsWith("old-") ? "delete" : "keep", rule: 0, reason: "r" })) }),
    concurrency: 1,
    deletesPerMessage: 3,
    sleep: async () => {},
  };
  const first = { kind: "item", runId: "r", index: 0, step: 0, registry: "alibaba", repository: "a/b", locator: {}, policy: {}, mode: "apply", protect: [], now: 0 };
  const one = await runItem(first, deps);
  assert.deepEqual([deleted.length, one.next.step, one.part.status], [3, 1, "planned"]);
  // The first message again (its hand-over may not have been sent): it sends the hand-over again, deletes nothing.
  const again = await runItem(first, deps);
  assert.deepEqual([deleted.length, again.next?.step], [3, 1]);
  // Once the journal records the hand-over as sent (run.js does after sending), it is not sent twice.
  await deps.journal.markHandedOn(first, 1);
  assert.deepEqual([(await runItem(first, deps)).next, deleted.length], [undefined, 3]);
  assert.ok(namespace.data.has("sent:r:item:0:000000:1"), [...namespace.data.keys()].join(" "));
  const two = await runItem(one.next, deps);
  assert.deepEqual([deleted.length, two.next.step], [6, 2]);
  // A message two steps old does nothing at all.
  assert.deepEqual([(await runItem(first, deps)).next, deleted.length], [undefined, 6]);
  const three = await runItem(two.next, deps);
  assert.deepEqual([deleted.length, three.next, three.part.status], [7, undefined, "done"]);
  assert.deepEqual((await runItem(two.next, deps)).next, undefined, "a done item does nothing");
  assert.deepEqual(deleted.sort(), [..."1234567"].map((n) => `old-${n}`));
  assert.deepEqual(three.part.results.map((r) => [r.tag, r.ok]).sort(), deleted.map((tag) => [tag, true]));
  assert.ok(present.has("keep"));
});

test("RETENTION_DELETES_PER_MESSAGE: a whole number from 1, named when wrong", () => {
  assert.equal(readRetentionSettings({}).deletesPerMessage, 200);
  assert.equal(readRetentionSettings({ RETENTION_DELETES_PER_MESSAGE: "25" }).deletesPerMessage, 25);
  for (const bad of ["0", "2.5", "many", "100000"]) {
    assert.throws(() => readRetentionSettings({ RETENTION_DELETES_PER_MESSAGE: bad }), /RETENTION_DELETES_PER_MESSAGE must be a whole number from 1 to 5000/);
  }
});

test("hand-over: which message works, which sends its hand-over again, which does nothing, which waits for the journal", () => {
  assert.deepEqual(stepFor({}, undefined), { work: 0 }, "the first message");
  assert.deepEqual(stepFor({}, { step: 3 }), { work: 3 }, "a resumed run's message (no step) goes on where the part is");
  assert.deepEqual(stepFor({ step: 3 }, { step: 3 }), { work: 3 });
  assert.deepEqual(stepFor({ step: 2 }, { step: 3 }), { resend: 3 }, "handed on, and the next has not begun: its hand-over may be lost");
  assert.deepEqual(stepFor({ step: 2 }, { step: 3, startedStep: 3 }), {}, "the next has begun");
  assert.deepEqual(stepFor({ step: 1 }, { step: 3 }), {}, "older still");
  assert.throws(() => stepFor({ step: 4 }, { step: 3 }), JournalBehind, "a stale read");
  assert.throws(() => stepFor({ step: 1 }, undefined), JournalBehind, "no part yet for a handed-on message");
});

test("hand-over: the next message waits until a second has passed since the part was written (KV's limit, across isolates)", async () => {
  const waits = [];
  const sleep = async (ms) => waits.push(ms);
  const now = Date.parse("2025-01-01T00:00:01.000Z");
  await afterLastWrite({ writtenAt: "2025-01-01T00:00:00.700Z" }, 1000, sleep, now);
  await afterLastWrite({ writtenAt: "2025-01-01T00:00:00.000Z" }, 1000, sleep, now);
  await afterLastWrite({ writtenAt: "2025-01-01T00:00:00.700Z" }, 0, sleep, now);
  await afterLastWrite(undefined, 1000, sleep, now);
  assert.deepEqual(waits, [700]);
});

test("undo: each repository handed on, an earlier attempt's messages ignored, and an undo whose finishing failed is finished later", async () => {
  const namespace = memoryNamespace();
  const journal = new Journal(kvStore(namespace, { sleep: async () => {} }));
  const runId = "20250101T000000000Z-0123abcd";
  const deleted = ["a", "b", "c", "d", "e"].map((tag) => ({ registry: "alibaba", repository: "ns/r", tag, digest: D1, ok: true }));
  await journal.putRun({ id: runId, name: "p", registry: "alibaba", mode: "apply", startedAt: "2025-01-01T00:00:00.000Z", finishedAt: "2025-01-01T00:01:00.000Z", items: [{ index: 0, repository: "ns/r", locator: {} }] });
  await journal.putPart(runId, { index: 0, status: "done", decisions: deleted.map(({ tag }) => ({ tag, action: "delete" })), pending: [], results: deleted });
  const present = new Map([["keep", D1]]);
  const created = [];
  const repository = {
    capabilities: { maxPageSize: 100, create: true },
    createTag: async (from, to) => (created.push(to), present.set(to, present.get(from))),
  };
  const sent = [];
  const deps = {
    journal,
    send: async (messages) => void sent.push(...messages),
    clientOf: () => ({ repository: () => repository }),
    gather: async () => [...present].map(([tag, digest]) => ({ tag, digest })),
    deletesPerMessage: 2,
    sleep: async () => {},
  };
  const head = await startUndo(runId, deps);
  assert.deepEqual([head.attempt, head.finishedAt, head.items], [1, null, [0]]);
  assert.equal((await startUndo(runId, deps)).attempt, 1, "asked again while it goes: the same undo");
  let message = sent.shift();
  assert.equal(sent.length, 0);
  // An earlier attempt's message does nothing.
  assert.deepEqual(await undoItem({ ...message, attempt: 0 }, deps), {});
  for (let i = 0; i < 5 && message; i++) message = (await undoItem(message, deps)).next;
  assert.equal(message, undefined);
  assert.deepEqual(created.sort(), ["a", "b", "c", "d", "e"], "each tag created once, over three messages");
  const record = await journal.record(runId);
  assert.ok(record.undo.finishedAt);
  assert.deepEqual(record.undo.results.map((r) => [r.tag, r.ok, r.from]), ["a", "b", "c", "d", "e"].map((tag) => [tag, true, "keep"]));
  // A second undo is a new attempt; its finishing is lost (the head put fails once), and the message delivered again finishes it.
  const second = await startUndo(runId, deps);
  assert.equal(second.attempt, 2);
  message = sent.shift();
  const put = namespace.put;
  let calls = 0;
  namespace.put = async (key, ...rest) => {
    if (key.startsWith("undo:") && calls++ === 0) throw new Error("KV PUT failed: 429 Too Many Requests");
    return put(key, ...rest);
  };
  let failed;
  try {
    for (let next = message; next; next = (await undoItem(next, deps)).next) message = next;
  } catch (error) {
    failed = error;
  }
  assert.match(String(failed?.message), /429/);
  assert.equal((await journal.getUndo(runId)).finishedAt, null);
  await undoItem(message, deps);
  assert.ok((await journal.getUndo(runId)).finishedAt, "finished by the message delivered again");
  assert.ok((await journal.record(runId)).undo.results.every((r) => r.ok && r.note === "already present"));
  assert.equal(created.length, 5, "nothing created twice");
  namespace.put = put;
  assert.equal((await finishUndoIfDone(runId, { journal })).attempt, 2);
  // An undo whose messages were lost: the same attempt while it may still be going, a new one once it has written nothing for STALE_UNDO_MS.
  const third = await startUndo(runId, { ...deps, send: async () => {} });
  const startedAt = Date.parse(third.startedAt);
  assert.equal((await startUndo(runId, { ...deps, now: startedAt + STALE_UNDO_MS - 1000 })).attempt, 3);
  assert.equal((await startUndo(runId, { ...deps, now: startedAt + STALE_UNDO_MS + 1000 })).attempt, 4);
});

test("IN_USE_URL: its list joins IN_USE's; an answer that is not 2xx stops the run's scoping, naming IN_USE_URL", async () => {
  const asked = [];
  const answering = (status, body) => async (url, init) => (asked.push([url, init.headers.Accept]), new Response(body, { status }));
  const refs = await loadInUse({ inUseText: "registry.example.com/shop/api:v3 deploy/api in prod", inUseUrl: "https://deploy.example.com/in-use" }, answering(200, `registry.example.com/shop/web@${D1}`));
  assert.deepEqual(
    refs.map((ref) => [ref.repository, ref.tag ?? ref.digest]),
    [
      ["shop/api", "v3"],
      ["shop/web", D1],
    ],
  );
  assert.deepEqual(asked, [["https://deploy.example.com/in-use", "application/json, text/plain"]]);
  await assert.rejects(loadInUse({ inUseUrl: "https://deploy.example.com/in-use" }, answering(503, "down")), /^Error: IN_USE_URL answered 503; the run does not start without its protection list$/);
  // No URL: nothing is fetched.
  assert.deepEqual(await loadInUse({ inUseText: "" }, () => assert.fail("fetched without IN_USE_URL")), []);
});

test("a run still going is left alone; one going for STALE_RUN_MS is resumed (its scope sent again), not started anew", async () => {
  const journal = new Journal(kvStore(memoryNamespace(), { sleep: async () => {} }));
  const sent = [];
  const deps = { journal, send: async (messages) => void sent.push(...messages), log: () => {} };
  const policy = { name: "p", registry: "alibaba", mode: "apply", scope: { instanceId: "i" }, policy: { rules: [] } };
  const start = Date.parse("2025-01-01T03:00:00.000Z");
  const [first] = await startDue(deps, [policy], start);
  assert.deepEqual(sent, [{ kind: "scope", runId: first }]);
  // Its messages are lost: it never finishes.
  assert.deepEqual(await startDue(deps, [policy], start + STALE_RUN_MS - 1), [], "still going: no second run");
  assert.equal(sent.length, 1);
  assert.deepEqual(await startDue(deps, [policy], start + STALE_RUN_MS), [first], "resumed, under the same id");
  assert.deepEqual(sent.at(-1), { kind: "scope", runId: first });
  assert.equal((await journal.runs()).length, 1, "no new run in the journal");
  // Once it has finished, the next tick starts a new run.
  await journal.putRun({ ...(await journal.getRun(first)), finishedAt: new Date(start + STALE_RUN_MS + 1).toISOString(), status: "finished" });
  const [second] = await startDue(deps, [policy], start + STALE_RUN_MS + 60_000);
  assert.notEqual(second, first);
  assert.equal((await journal.runs()).length, 2);
});

test("a run's record comes a page of repositories at a time, each within an invocation's KV operations; the pages make the whole", async () => {
  const namespace = memoryNamespace();
  const journal = new Journal(kvStore(namespace, { sleep: async () => {} }));
  const id = "20250101T000000000Z-0123abcd";
  const items = Array.from({ length: 600 }, (_, index) => ({ index, repository: `a/r${index}` }));
  await journal.putRun({ id, name: "p", registry: "alibaba", mode: "apply", scope: { instanceId: "i" }, policy: { rules: [] }, startedAt: "2025-01-01T00:00:00.000Z", finishedAt: "2025-01-01T00:30:00.000Z", status: "finished", items, protect: [] });
  const decision = (repository, tag, action) => ({ repository, tag, digest: D1, action, rule: 0, reason: "r" });
  for (const { index, repository } of items) {
    await journal.putPart(id, { index, status: "done", decisions: [decision(repository, `t${index}`, "delete"), decision(repository, "keep", "keep")], pending: [], results: [{ repository, tag: `t${index}`, digest: D1, ok: true }] });
  }
  await journal.putUndo(id, { runId: id, attempt: 1, startedAt: "2025-01-01T01:00:00.000Z", finishedAt: null, items: items.map(({ index }) => index) });
  for (const { index, repository } of items) {
    await journal.putUndoPart(id, 1, { index, repository, status: "done", finishedAt: `2025-01-01T01:${String(index % 60).padStart(2, "0")}:00.000Z`, results: [{ repository, tag: `t${index}`, ok: true, from: "keep" }] });
  }
  namespace.ops.get = 0;
  namespace.ops.list = 0;
  const first = await journal.record(id);
  assert.deepEqual(first.page, { from: 0, to: RECORD_PAGE, repositories: 600, next: RECORD_PAGE });
  assert.equal(first.results.length, RECORD_PAGE);
  assert.equal(first.undo.results.length, RECORD_PAGE);
  assert.equal(first.items.length, 600, "every repository's status is on every page");
  assert.ok(first.items.every((item) => item.status === "done"));
  // No message saw the undo's last repository finish: every status says done, so it is finished.
  assert.equal(first.undo.finishedAt, "2025-01-01T01:59:00.000Z");
  assert.ok(namespace.ops.get + namespace.ops.list <= 2 * RECORD_PAGE + 4, `${JSON.stringify(namespace.ops)} for one page`);

  const last = await journal.record(id, { from: 500, limit: 200 });
  assert.deepEqual(last.page, { from: 500, to: 600, repositories: 600, next: null });
  assert.deepEqual(last.results.map((result) => result.tag), items.slice(500).map(({ index }) => `t${index}`));

  const whole = await wholeRecord((from) => journal.record(id, { from }));
  assert.ok(!("page" in whole));
  assert.deepEqual(whole.results.map((result) => result.tag), items.map(({ index }) => `t${index}`));
  assert.equal(whole.decisions.length, 1200);
  assert.equal(whole.undo.results.length, 600);
  assert.deepEqual(whole.notDone, []);
});
