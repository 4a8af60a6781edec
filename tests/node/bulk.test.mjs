// Bulk work through the common tag interface, against the emulator:
// `deleteTags` under injected throttling (20%) and 503s (30%) ends with
// every tag deleted, on every registry, and says how many requests it took;
// `allTags()` can be deleted from while iterating; throttled writes are
// retried by default, other failed writes are not.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startEmulator } from "./emulator.mjs";
import { Client, ScalewayRegistry, SwrRegistry } from "./tagdeck.mjs";

let flaky; // --throttle-rate 0.2 --fail-rate 0.3
let steady; // no faults

before(async () => {
  [flaky, steady] = await Promise.all([startEmulator(["--throttle-rate", "0.2", "--fail-rate", "0.3"]), startEmulator()]);
});
after(() => Promise.all([flaky?.close(), steady?.close()]));

/** A client whose reads survive the faults (the deletes are paced by deleteTags). */
function alibaba(emulator, options = {}) {
  return new Client({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    regionId: emulator.regionId,
    endpoint: emulator.url,
    maxRetries: 10,
    retryBaseDelayMs: 5,
    ...options,
  });
}

async function alibabaRepository(emulator, client, repoName) {
  const { repoId } = await client.getRepository({ instanceId: emulator.instanceId, repoNamespaceName: "demo", repoName });
  return client.repository({ instanceId: emulator.instanceId, repoId, namespaceName: "demo", repoName });
}

async function names(repository) {
  const all = [];
  for await (const tag of repository.allTags({ pageSize: 100 })) all.push(tag.name);
  return all;
}

/** Every tag ended as deleted (or already gone after a retry); the report adds up. */
function assertAllDeleted(report, requested) {
  const { results, summary } = report;
  assert.equal(results.length, requested.length);
  assert.deepEqual(results.map((r) => r.tag), requested);
  const failures = results.filter((r) => !r.ok);
  assert.equal(failures.length, 0, failures.slice(0, 3).map((r) => `${r.tag}: ${r.error?.code} ${r.error?.message}`).join("; "));
  assert.equal(summary.requested, requested.length);
  assert.equal(summary.deleted + summary.alreadyGone, requested.length);
  assert.equal(summary.failed + summary.notAttempted, 0);
  assert.equal(summary.attempts, results.reduce((sum, r) => sum + r.attempts, 0));
  for (const result of results) assert.ok(result.attempts >= 1 && (result.alreadyGone ? result.attempts > 1 : true));
}

describe("deleteTags under 20% throttling and 30% 503s", () => {
  test("Alibaba: 1,000 tags of demo/big-app, every one deleted, retries counted", async () => {
    const client = alibaba(flaky);
    const repository = await alibabaRepository(flaky, client, "big-app");
    const before = await names(repository);
    const doomed = before.slice(0, 1000);
    const progress = { deleting: 0, waiting: 0, done: 0 };
    const report = await repository.deleteTags(doomed, { concurrency: 8, onProgress: (event) => (progress[event.state] += 1) });
    assertAllDeleted(report, doomed);
    // Faults were met and retried: more requests than tags, each counted once.
    assert.ok(report.summary.attempts > 1000, `attempts ${report.summary.attempts}`);
    assert.equal(progress.deleting, report.summary.attempts);
    assert.equal(progress.done, 1000);
    assert.equal(progress.waiting, report.summary.attempts - 1000);
    const after = new Set(await names(repository));
    assert.equal(after.size, before.length - 1000);
    for (const name of doomed) assert.ok(!after.has(name), `${name} is still there`);
  });

  test("Scaleway and SWR: the same helper on their repositories", async () => {
    const scaleway = new ScalewayRegistry({ authToken: flaky.authToken, endpoint: flaky.url, maxRetries: 10, retryBaseDelayMs: 5 });
    const [demo] = (await scaleway.listNamespaces({ name: "demo" })).namespaces;
    const [image] = (await scaleway.listImages({ namespaceId: demo.id, name: "big-app" })).images;
    const swr = new SwrRegistry({ authToken: flaky.authToken, endpoint: flaky.url, maxRetries: 10, retryBaseDelayMs: 5 });
    for (const repository of [scaleway.repository({ imageId: image.id }), swr.repository({ namespace: "demo", repository: "big-app" })]) {
      const before = await names(repository);
      // Tags whose digest no kept tag shares would need no force on Scaleway; force them all alike.
      const doomed = before.slice(0, 15);
      const report = await repository.deleteTags(doomed, { concurrency: 6, force: repository.provider === "scaleway" });
      assertAllDeleted(report, doomed);
      const after = new Set(await names(repository));
      for (const name of doomed) assert.ok(!after.has(name), `${repository.provider}: ${name} is still there`);
    }
  });

  test("a tag that does not exist fails once, with its error; a stopped run lists what it did not attempt", async () => {
    const repository = await alibabaRepository(steady, alibaba(steady), "big-app");
    const report = await repository.deleteTags(["no-such-tag-anywhere"]);
    assert.equal(report.results[0].ok, false);
    assert.equal(report.results[0].attempts, 1);
    assert.equal(report.results[0].error.code, "TAG_NOT_EXIST");
    assert.equal(report.summary.failed, 1);

    const controller = new AbortController();
    controller.abort();
    const stopped = await repository.deleteTags(["a", "b"], { signal: controller.signal });
    assert.deepEqual(stopped.results.map((r) => [r.tag, r.ok, r.attempts, r.error.code]), [["a", false, 0, "NotAttempted"], ["b", false, 0, "NotAttempted"]]);
    assert.deepEqual({ ...stopped.summary }, { requested: 2, deleted: 0, alreadyGone: 0, failed: 0, notAttempted: 2, attempts: 0, stopped: true });
  });

  test("bad arguments are refused before any request", async () => {
    const repository = await alibabaRepository(steady, alibaba(steady), "web");
    for (const [tags, options, field] of [
      ["latest", undefined, /tags/],
      [["x"], { concurrency: 0 }, /concurrency/],
      [["x"], { concurency: 2 }, /concurency/],
      [["x"], { onProgress: "yes" }, /onProgress/],
    ]) {
      await assert.rejects(repository.deleteTags(tags, options), (e) => e.name === "TagdeckError" && e.code === "InvalidParameter" && field.test(e.message));
    }
  });
});

describe("deleteTagsWith: the same pacing over any delete function", () => {
  test("throttled answers pause every deletion for the wait they ask; a retried 'not found' is done", async () => {
    const seen = [];
    let calls = 0;
    const throttled = (ms) => Object.assign(new Error("slow down"), { code: "Throttling.Proxy", httpStatus: 429, retryable: true, retryAfterMs: ms });
    const deleteOne = async (tag) => {
      calls += 1;
      seen.push(tag);
      if (calls === 1) throw throttled(30);
      if (tag === "b" && seen.filter((t) => t === "b").length === 1) throw Object.assign(new Error("gateway"), { code: "ServiceUnavailable", httpStatus: 503, retryable: true, retryAfterMs: 1 });
      if (tag === "b") throw Object.assign(new Error("gone"), { code: "TAG_NOT_EXIST", httpStatus: 404, retryable: false });
    };
    const { deleteTagsWith } = await import("./tagdeck.mjs");
    const report = await deleteTagsWith(deleteOne, ["a", "b", "c"], { concurrency: 1 });
    assert.deepEqual(
      report.results.map((r) => [r.tag, r.ok, r.attempts, r.alreadyGone ?? false]),
      [["a", true, 2, false], ["b", true, 2, true], ["c", true, 1, false]],
    );
    assert.equal(seen[1], "a", "the throttled tag goes first after the pause");
    assert.deepEqual({ ...report.summary, stopped: undefined }, { requested: 3, deleted: 2, alreadyGone: 1, failed: 0, notAttempted: 0, attempts: 5, stopped: undefined });
  });

  test("a failure retrying cannot fix is reported at once, with its error", async () => {
    const { deleteTagsWith } = await import("./tagdeck.mjs");
    const denied = Object.assign(new Error("no"), { code: "Forbidden.RAM", httpStatus: 403, retryable: false });
    const report = await deleteTagsWith(() => Promise.reject(denied), ["x"]);
    assert.deepEqual(report.results, [{ tag: "x", ok: false, attempts: 1, error: denied }]);
  });
});

describe("writes and throttling", () => {
  /** A fetch answering the first `n` requests with `status` (and a Retry-After of 0 s). */
  function failingFirst(n, status) {
    let count = 0;
    return async (url, init) => {
      count += 1;
      if (count <= n) return new Response(JSON.stringify({ Code: status === 429 ? "Throttling.User" : "ServiceUnavailable", Message: "injected", RequestId: "r" }), { status, headers: { "retry-after": "0" } });
      return fetch(url, init);
    };
  }

  test("a throttled write is retried by default (throttling means not applied); a 503 on a write is not", async () => {
    const probe = alibaba(steady);
    const repository = await alibabaRepository(steady, probe, "web");
    const [first, second] = (await repository.listTags({ pageSize: 2 })).tags;
    const { repoId } = await probe.getRepository({ instanceId: steady.instanceId, repoNamespaceName: "demo", repoName: "web" });
    const params = (tag) => ({ instanceId: steady.instanceId, repoId, tag });
    await alibaba(steady, { fetch: failingFirst(1, 429) }).deleteRepoTag(params(first.name));
    await assert.rejects(alibaba(steady, { fetch: failingFirst(1, 503) }).deleteRepoTag(params(second.name)), (e) => e.httpStatus === 503);
    await alibaba(steady, { fetch: failingFirst(1, 503), retryWrites: true }).deleteRepoTag(params(second.name));
  });
});

describe("allTags(): a snapshot you can delete from", () => {
  test("deleting every tag while iterating deletes all of them, across pages", async () => {
    const client = alibaba(steady);
    const repository = await alibabaRepository(steady, client, "api");
    const existing = await names(repository);
    for (let i = existing.length; i < 120; i += 1) await repository.createTag(existing[0], `while-iterating-${i}`);
    const total = (await names(repository)).length;
    assert.ok(total >= 120, `${total} tags`);
    const yielded = [];
    for await (const tag of repository.allTags({ pageSize: 20 })) {
      yielded.push(tag.name);
      await repository.deleteTag(tag);
    }
    assert.equal(yielded.length, total);
    assert.equal(new Set(yielded).size, total);
    assert.deepEqual(await names(repository), []);
  });

  test("a sort the registry cannot do (Alibaba: none) is done on the client", async () => {
    const repository = await alibabaRepository(steady, alibaba(steady), "web");
    assert.deepEqual(repository.capabilities.sortKeys, []);
    const tags = [];
    for await (const tag of repository.allTags({ pageSize: 7, sort: { key: "name", descending: true } })) tags.push(tag.name);
    assert.ok(tags.length > 7);
    assert.deepEqual(tags, [...tags].sort().reverse());
    const byTime = [];
    for await (const tag of repository.allTags({ sort: { key: "updated" } })) byTime.push(tag.updatedMs);
    assert.deepEqual(byTime, [...byTime].sort((a, b) => a - b));
  });
});
