// The scheduled retention runner, edge/worker.js in workerd (miniflare: cron
// trigger, Queue, KV journal), planning with the package's retention engine,
// against the emulator: dry run (the engine's rule and reason journaled, in
// tagdeck's policy language and in GitLab's), apply, throttling, a failure
// mid-run and its resumption, undo, and deployed images kept.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { CREDENTIALS, PROXY_TOKEN } from "./harness.mjs";
import { INSTANCE_ID, directClient, faultRelay, startRegistry, startRetentionWorker, webhookReceiver } from "./retention-harness.mjs";

// platform/nginx, platform/redis and platform/postgres: a version tag and a
// `sha-` tag per build; the policy (tagdeck's language, docs/retention.md)
// deletes all but the two newest sha- tags.
const SHA_RULES = { rules: [{ id: "commits", tags: { include: "sha-*" }, keep: { newest: 2 } }] };
const POLICY = { name: "platform-sha", registry: "alibaba", scope: { instanceId: INSTANCE_ID, namespace: "platform" }, policy: SHA_RULES };
const policies = (mode, extra = {}) => JSON.stringify([{ ...POLICY, mode, ...extra }]);

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp({ mode = "apply", emulatorArgs = [], bindings = {}, relay = false } = {}) {
  const emulator = await startRegistry(emulatorArgs);
  cleanups.push(() => emulator.stop());
  const direct = await directClient(emulator.url);
  let upstream = emulator.url;
  let faults;
  if (relay) {
    faults = await faultRelay(emulator.url);
    cleanups.push(() => faults.close());
    upstream = faults.url;
  }
  const worker = await startRetentionWorker(upstream, { RETENTION_POLICIES: policies(mode), ...bindings });
  cleanups.push(() => worker.mf.dispose());
  return { emulator, direct, worker, faults, before: await direct.tagsOf("platform") };
}

const planned = (record) => record.decisions.filter((d) => d.action === "delete");
const key = (entry) => `${entry.repository}:${entry.tag}`;

/**
 * The journal's decisions are the engine's: for each repository, the same
 * action, rule and reason per tag as planRetention gives in Node for the
 * registry's tags at the run's start (Alibaba deletes tag by tag).
 */
async function assertEngineDecisions(direct, record, policy) {
  const pick = ({ tag, digest, action, rule, reason }) => ({ tag, digest, action, rule: rule ?? null, reason });
  const byTag = (a, b) => (a.tag < b.tag ? -1 : 1);
  for (const repository of new Set(record.decisions.map((d) => d.repository))) {
    const { decisions } = await direct.plan(repository, policy, { now: Date.parse(record.startedAt), deletesTagsOneByOne: true });
    const journaled = record.decisions.filter((d) => d.repository === repository);
    assert.deepEqual(journaled.map(pick).sort(byTag), decisions.map(pick).sort(byTag), repository);
  }
}

function assertNoSecret(texts) {
  for (const text of texts) {
    for (const secret of [CREDENTIALS.accessKeySecret, CREDENTIALS.accessKeyId, PROXY_TOKEN]) {
      assert.ok(!text.includes(secret), `a secret appeared in: ${text.slice(0, 200)}`);
    }
  }
}

test("a dry run deletes nothing and journals the plan", async () => {
  const { direct, worker, before } = await setUp({ mode: "dry-run" });
  await worker.trigger();
  const record = await worker.waitForRun();
  assert.equal(record.mode, "dry-run");
  assert.equal(record.name, "platform-sha");
  const tagCount = [...before.values()].reduce((n, tags) => n + tags.size, 0);
  assert.equal(record.decisions.length, tagCount, "one decision per tag");
  assert.ok(planned(record).length > 10, "the plan deletes something");
  assert.deepEqual(record.results, []);
  assert.equal(record.summary.planned, planned(record).length);
  assert.equal(record.summary.deleted, 0);
  assert.deepEqual(await direct.tagsOf("platform"), before, "nothing changed in the registry");
  assert.deepEqual(new Set(record.items.map((item) => item.repository)), new Set(before.keys()));
  // The engine decided, and the journal says which rule and why.
  await assertEngineDecisions(direct, record, SHA_RULES);
  for (const [repository, tags] of before) {
    const shas = [...tags.keys()].filter((tag) => tag.startsWith("sha-"));
    const deleted = planned(record).filter((d) => d.repository === repository);
    assert.equal(deleted.length, shas.length - 2, `${repository}: all but the two newest sha- tags`);
  }
  for (const d of planned(record)) {
    assert.ok(d.tag.startsWith("sha-"));
    assert.equal(d.rule, "commits");
    assert.match(d.reason, /^rule `commits`: not among the newest 2 of the tags matching `sha-\*`: this is #\d+$/);
  }
  assert.ok(record.decisions.filter((d) => !d.tag.startsWith("sha-")).every((d) => d.action === "keep" && d.rule === null && d.reason === "no rule selects this tag"));
});

test("a vendor's dialect: a GitLab cleanup policy, evaluated as GitLab does, its rule and reason journaled", async () => {
  const gitlab = { format: "gitlab", policy: { nameRegexDelete: "sha-.*", keepN: 2, olderThan: "7d" } };
  const { direct, worker, before } = await setUp({ mode: "dry-run", bindings: { RETENTION_POLICIES: policies("dry-run", { policy: gitlab }) } });
  await worker.trigger();
  const record = await worker.waitForRun();
  await assertEngineDecisions(direct, record, gitlab);
  const byTag = new Map(record.decisions.map((d) => [key(d), d]));
  for (const [repository, tags] of before) {
    assert.equal(byTag.get(`${repository}:latest`).rule, "latest", "GitLab always keeps latest");
    assert.equal(planned(record).filter((d) => d.repository === repository).length, [...tags.keys()].filter((tag) => tag.startsWith("sha-")).length - 2);
  }
  for (const d of planned(record)) {
    assert.equal(d.rule, "olderThan");
    assert.match(d.reason, /^#\d+ of the \d+ candidates by push time, beyond keepN 2, pushed \d+ days ago: older than 7d$/);
  }
  assert.ok(record.decisions.some((d) => d.rule === "keepN" && /within keepN 2/.test(d.reason)));
  assert.deepEqual(await direct.tagsOf("platform"), before);
});

test("an apply run deletes exactly what the plan said, journals every result and posts the summary", async () => {
  const hook = await webhookReceiver();
  cleanups.push(() => hook.close());
  const { direct, worker, before } = await setUp({ bindings: { RETENTION_WEBHOOK_URL: hook.url } });
  await worker.trigger();
  const record = await worker.waitForRun((run) => run.finishedAt && run.notifiedAt);
  const after = await direct.tagsOf("platform");
  const gone = [...before].flatMap(([repository, tags]) => [...tags.keys()].filter((tag) => !after.get(repository).has(tag)).map((tag) => `${repository}:${tag}`));
  assert.deepEqual(new Set(gone), new Set(planned(record).map(key)), "deleted = planned");
  assert.equal(record.results.length, planned(record).length, "one result per planned delete");
  assert.ok(record.results.every((result) => result.ok && result.registry === "alibaba" && /^sha256:/.test(result.digest)));
  assert.deepEqual(record.pending, []);
  assert.deepEqual(record.notDone, []);
  assert.equal(hook.received.length, 1);
  assert.deepEqual(
    { kept: hook.received[0].kept, deleted: hook.received[0].deleted, failed: hook.received[0].failed, protected: hook.received[0].protected, runId: hook.received[0].runId },
    { kept: record.decisions.length - gone.length, deleted: gone.length, failed: 0, protected: 0, runId: record.id },
  );
  // A second trigger starts a new run, which finds nothing more to delete.
  await worker.trigger();
  const second = await worker.waitForRun((run) => run.id !== record.id && run.finishedAt);
  assert.equal(second.summary.deleted, 0);
  assertNoSecret([JSON.stringify(record), JSON.stringify(second), ...worker.logs]);
});

test("a repository with more deletes than one message makes is handed on from message to message; each tag is deleted once", async () => {
  const { direct, worker, faults, before } = await setUp({ relay: true, bindings: { RETENTION_DELETES_PER_MESSAGE: "2", RETENTION_CONCURRENCY: "1" } });
  await worker.trigger();
  const record = await worker.waitForRun(undefined, 180_000);
  const after = await direct.tagsOf("platform");
  const perRepository = new Map();
  for (const { repository } of planned(record)) perRepository.set(repository, (perRepository.get(repository) ?? 0) + 1);
  assert.ok([...perRepository.values()].some((count) => count > 4), "some repository needs three messages or more");
  assert.equal(record.results.length, planned(record).length, "every planned delete has exactly one result");
  assert.ok(record.results.every((result) => result.ok && !result.note), JSON.stringify(record.results.filter((r) => !r.ok || r.note)));
  for (const entry of planned(record)) assert.ok(before.get(entry.repository).has(entry.tag) && !after.get(entry.repository).has(entry.tag));
  assert.equal(faults.applied.size, planned(record).length);
  assert.ok([...faults.applied.values()].every((count) => count === 1), JSON.stringify([...faults.applied]));
  assert.ok(worker.logs.some((line) => /handed on to a new message/.test(line)), "the hand-overs are logged");
  assert.equal(record.summary.deleted, planned(record).length);
});

test("a run against a throttling registry (--throttle-rate 0.3) still completes", async () => {
  const { direct, worker, before } = await setUp({ emulatorArgs: ["--throttle-rate", "0.3"] });
  await worker.trigger();
  const record = await worker.waitForRun(undefined, 180_000);
  assert.ok(record.results.length > 10);
  assert.ok(record.results.every((result) => result.ok), JSON.stringify(record.results.filter((r) => !r.ok)));
  const after = await direct.tagsOf("platform");
  for (const result of record.results) assert.ok(before.get(result.repository).has(result.tag) && !after.get(result.repository).has(result.tag));
});

test("a failure mid-run leaves a journal that names what was and was not done; the resumed run repeats no delete", async () => {
  const { direct, worker, faults, before } = await setUp({ relay: true, bindings: { UPSTREAM_MAX_RETRIES: "1", RETENTION_CONCURRENCY: "3" } });
  faults.breakAfter(5);
  await worker.trigger();
  // Stopped: every item done, stopped (by a tag whose fate it cannot check) or not started.
  const settledAtStop = (run) => faults.broken && run.pending.length > 0 && run.items.every((item) => item.status !== "planned" || item.stoppedBy);
  await worker.waitForRun(settledAtStop);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stopped = await worker.waitForRun(settledAtStop);
  const sharp = await direct.tagsOf("platform"); // straight to the emulator: the truth at the stop
  const notDone = new Set(stopped.notDone.map(key));
  assert.ok(faults.lost.size >= 1);
  assert.equal(stopped.results.length, faults.applied.size - faults.lost.size, "every answered delete is journaled as done");
  for (const entry of stopped.results) assert.ok(entry.ok && !sharp.get(entry.repository).has(entry.tag), `${key(entry)} is gone`);
  const lost = stopped.pending.filter((entry) => faults.lost.has(entry.tag));
  assert.equal(lost.length, faults.lost.size, "each delete whose answer was lost is pending");
  for (const entry of lost) assert.ok(!sharp.get(entry.repository).has(entry.tag), "and it was applied");
  for (const entry of stopped.pending) assert.ok(notDone.has(key(entry)), "pending deletes have no result yet");
  assert.ok(stopped.pending.some((entry) => !sharp.get(entry.repository).has(entry.tag)), "the delete whose answer was lost is pending, and it was applied");
  const pendingKeys = new Set(stopped.pending.map(key));
  for (const entry of stopped.notDone) {
    if (!pendingKeys.has(key(entry))) assert.ok(sharp.get(entry.repository).has(entry.tag), `${key(entry)} is not done and still there`);
  }
  assert.ok(!stopped.finishedAt);

  faults.heal();
  const record = await worker.waitForRun();
  const after = await direct.tagsOf("platform");
  assert.equal(record.results.length, planned(record).length, "every planned delete has exactly one result");
  assert.equal(new Set(record.results.map(key)).size, record.results.length, "no result twice");
  assert.ok(record.results.every((result) => result.ok));
  for (const entry of planned(record)) assert.ok(before.get(entry.repository).has(entry.tag) && !after.get(entry.repository).has(entry.tag));
  // At the emulator: each tag deleted once, the lost answer not sent again.
  assert.equal(faults.applied.size, planned(record).length);
  assert.ok([...faults.applied.values()].every((count) => count === 1), JSON.stringify([...faults.applied]));
  for (const result of record.results.filter((r) => faults.lost.has(r.tag))) {
    assert.equal(result.note, "confirmed deleted on resume", "a lost delete is confirmed by a look-up, not sent again");
  }
});

/** Starts an undo (202 and its head), waits for it on the queue, and answers it as the run's record shows it. */
async function undoRun(worker, runId) {
  const started = await worker.api(`/retention/runs/${runId}/undo`, { method: "POST" });
  assert.equal(started.status, 202, started.text);
  assert.equal(started.json.finishedAt, null);
  const record = await worker.waitForRun((run) => run.id === runId && run.undo?.attempt === started.json.attempt && run.undo.finishedAt);
  return record.undo;
}

test("undo re-creates the deleted tags from a tag on the same digest, and journals itself", async () => {
  const { direct, worker, before } = await setUp();
  await worker.trigger();
  const record = await worker.waitForRun();
  assert.ok(record.results.length > 0);
  const undone = await undoRun(worker, record.id);
  assert.equal(undone.results.length, record.results.length);
  assert.ok(undone.results.every((result) => result.ok && result.from), JSON.stringify(undone.results.filter((r) => !r.ok)));
  assert.deepEqual(await direct.tagsOf("platform"), before, "every tag back, on its digest");
  // Undoing again finds everything present and changes nothing.
  const again = await undoRun(worker, record.id);
  assert.equal(again.attempt, undone.attempt + 1);
  assert.ok(again.results.every((result) => result.ok && result.note === "already present"));
  // Refusals: no token, unknown run, a dry run.
  assert.equal((await worker.api(`/retention/runs/${record.id}/undo`, { method: "POST", token: null })).status, 401);
  assert.equal((await worker.api("/retention/runs/20200101T000000000Z-00000000/undo", { method: "POST" })).status, 404);
  assert.equal((await worker.api(`/retention/runs/${record.id}`, { method: "DELETE" })).status, 405);
  // A page of the record: a bad window is refused, naming the parameter.
  for (const [query, parameter] of [["from=-1", "from"], ["from=x", "from"], ["limit=0", "limit"], ["limit=251", "limit"]]) {
    const refused = await worker.api(`/retention/runs/${record.id}?${query}`);
    assert.equal(refused.status, 400, query);
    assert.match(refused.json.message, new RegExp(`^the parameter ${parameter} is invalid`), query);
  }
  const page = (await worker.api(`/retention/runs/${record.id}?from=1&limit=1`)).json;
  assert.deepEqual(page.page, { from: 1, to: 2, repositories: record.items.length, next: record.items.length > 2 ? 2 : null });
  assert.ok(page.results.every((result) => result.repository === record.items[1].repository));
});

test("undo of a repository larger than one message is handed on, and re-creates each tag once", async () => {
  const { direct, worker, faults, before } = await setUp({ relay: true, bindings: { RETENTION_DELETES_PER_MESSAGE: "2" } });
  await worker.trigger();
  const record = await worker.waitForRun(undefined, 180_000);
  const undone = await undoRun(worker, record.id);
  assert.equal(undone.results.length, record.results.length, "one undo result per delete");
  assert.equal(new Set(undone.results.map(key)).size, undone.results.length, "no result twice");
  assert.ok(undone.results.every((result) => result.ok && result.from), JSON.stringify(undone.results.filter((r) => !r.ok)));
  assert.deepEqual(await direct.tagsOf("platform"), before, "every tag back, on its digest");
  assert.equal(faults.created.size, record.results.length);
  assert.ok([...faults.created.values()].every((count) => count === 1), JSON.stringify([...faults.created]));
});

test("undo says plainly what it cannot restore: a digest no tag points at any more", async () => {
  // Delete every tag of platform/redis: nothing is left to copy from.
  const emulator = await startRegistry();
  cleanups.push(() => emulator.stop());
  const worker = await startRetentionWorker(emulator.url, {
    RETENTION_POLICIES: JSON.stringify([{ name: "redis-all", registry: "alibaba", scope: { instanceId: INSTANCE_ID, repository: "platform/redis" }, policy: { rules: [{ keep: { none: true } }] }, mode: "apply" }]),
  });
  cleanups.push(() => worker.mf.dispose());
  await worker.trigger();
  const record = await worker.waitForRun();
  assert.ok(record.results.length > 0 && record.results.every((result) => result.ok));
  const undone = await undoRun(worker, record.id);
  assert.equal(undone.results.length, record.results.length);
  assert.ok(undone.results.every((result) => !result.ok && /no tag of platform\/redis points at sha256:[0-9a-f]{64} any more/.test(result.error)));
});

test("a deployed image survives a policy that would delete it", async () => {
  // Which tags the policy deletes, from a dry run first.
  const probe = await setUp({ mode: "dry-run" });
  await probe.worker.trigger();
  const plan = planned(await probe.worker.waitForRun());
  const byTag = plan.find((d) => d.repository === "platform/nginx");
  const byDigest = plan.find((d) => d.repository === "platform/redis");
  const byPod = plan.find((d) => d.repository === "platform/postgres");
  const pods = {
    kind: "List",
    items: [
      {
        metadata: { name: "db-0", namespace: "prod", ownerReferences: [{ kind: "StatefulSet", name: "db" }] },
        spec: { containers: [{ name: "db", image: `registry.example.com/platform/postgres:${byPod.tag}` }] },
      },
      {
        metadata: { name: "api-7d9f8c-x1", namespace: "prod", labels: { "pod-template-hash": "7d9f8c" }, ownerReferences: [{ kind: "ReplicaSet", name: "api-7d9f8c" }] },
        spec: { containers: [{ name: "api", image: "cr.example.com/platform/redis:moved-on" }] },
        status: { containerStatuses: [{ name: "api", imageID: `docker-pullable://cr.example.com/platform/redis@${byDigest.digest}` }] },
      },
    ],
  };
  const hook = await webhookReceiver();
  cleanups.push(() => hook.close());
  const { direct, worker } = await setUp({
    bindings: {
      IN_USE: `# deployed by hand\nregistry-vpc.cn-hangzhou.cr.aliyuncs.com/platform/nginx:${byTag.tag} deploy/web in prod\ncr.example.com/platform/nginx:gone-away deploy/old in staging\n`,
      IN_USE_URL: await serveText(JSON.stringify(pods)),
      RETENTION_WEBHOOK_URL: hook.url,
    },
  });
  await worker.trigger();
  const record = await worker.waitForRun((run) => run.finishedAt && run.notifiedAt);
  const after = await direct.tagsOf("platform");
  const decision = (entry) => record.decisions.find((d) => key(d) === key(entry));
  for (const [entry, where] of [[byTag, "deploy/web in prod"], [byDigest, "deploy/api in prod"], [byPod, "sts/db in prod"]]) {
    assert.ok(after.get(entry.repository).has(entry.tag), `${key(entry)} is still there`);
    assert.equal(decision(entry).action, "keep");
    assert.equal(decision(entry).reason, `in use: ${where}`);
    // Every tag on the protected digest is kept (the version tag of the same build too).
    for (const d of record.decisions.filter((d) => d.repository === entry.repository && d.digest === entry.digest)) {
      assert.equal(d.action, "keep");
      assert.ok(after.get(entry.repository).has(d.tag));
    }
  }
  assert.ok(record.summary.protected >= 3);
  // Said, not hidden: references by a tag the repository does not have (the
  // pod's own `moved-on` is one, its running digest protected it anyway).
  assert.deepEqual(record.unresolvedInUse, [
    { repository: "platform/nginx", tag: "gone-away", where: "deploy/old in staging" },
    { repository: "platform/redis", tag: "moved-on", where: "deploy/api in prod" },
  ]);
  assert.equal(hook.received[0].protected, record.summary.protected);
  assert.ok(record.results.length > 0 && record.results.every((result) => result.ok), "the rest was deleted");
});

/** Serves `text` at a URL on loopback (the IN_USE_URL of a test). */
async function serveText(text) {
  const http = await import("node:http");
  const server = http.createServer((_, response) => response.writeHead(200, { "Content-Type": "application/json" }).end(text));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}/pods.json`;
}

test("starting a run over HTTP: a dry run on demand; refusals name what is wrong", async () => {
  const { direct, worker, before } = await setUp();
  const start = async (body, token) =>
    worker.mf.dispatchFetch("http://proxy.test/retention/runs", {
      method: "POST",
      headers: { ...(token === null ? {} : { Authorization: `Bearer ${PROXY_TOKEN}` }), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  assert.equal((await start({ policy: "platform-sha", dryRun: true }, null)).status, 401);
  const unknown = await start({ policy: "nope" });
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).message, /no policy named "nope"/);
  const badList = await start({ policy: "platform-sha", inUse: "cr.example.com/platform/nginx:v1\nnot-a-reference" });
  assert.equal(badList.status, 400);
  assert.match((await badList.json()).message, /the pasted in-use list line 2/);
  const started = await start({ policy: "platform-sha", dryRun: true });
  assert.equal(started.status, 202);
  const { runId } = await started.json();
  assert.equal((await start({ policy: "platform-sha" })).status, 409, "one run of a policy at a time");
  const record = await worker.waitForRun((run) => run.id === runId && run.finishedAt);
  assert.equal(record.mode, "dry-run", "the policy says apply; the request asked for a dry run");
  assert.deepEqual(await direct.tagsOf("platform"), before);
  const listed = (await worker.api("/retention/runs")).json;
  assert.deepEqual(listed.policies, [{ name: "platform-sha", registry: "alibaba", mode: "apply", scope: POLICY.scope }]);
});

test("a webhook that fails is posted again by the queue, once it answers", async () => {
  const http = await import("node:http");
  const received = [];
  let refusals = 2;
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    if (refusals-- > 0) return outgoing.writeHead(503).end();
    received.push(JSON.parse(Buffer.concat(chunks).toString()));
    outgoing.writeHead(204).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const { worker } = await setUp({ mode: "dry-run", bindings: { RETENTION_WEBHOOK_URL: `http://127.0.0.1:${server.address().port}/hook` } });
  await worker.trigger();
  const record = await worker.waitForRun((run) => run.finishedAt && run.notifiedAt);
  assert.equal(received.length, 1, "posted once it answered, and only then");
  assert.equal(received[0].runId, record.id);
  assert.equal(received[0].planned, record.summary.planned);
});
