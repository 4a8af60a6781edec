// The package against the project's emulator (tagdeck-emulator, demo
// data): what the dashboard and the README examples rely on.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { Client, operations } from "./tagdeck.mjs";
import { startEmulator } from "./emulator.mjs";

let emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator?.close());

function client(options = {}) {
  return new Client({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    regionId: emulator.regionId,
    endpoint: emulator.url,
    ...options,
  });
}

describe("against tagdeck-emulator", () => {
  for (const format of ["JSON", "XML"]) {
    for (const method of ["GET", "POST"]) {
      test(`repository lookup and tag paging, ${format} over ${method}`, async () => {
        const c = client({ format, method });
        const instanceId = emulator.instanceId;
        const repo = await c.getRepository({ instanceId, repoNamespaceName: "demo", repoName: "web" });
        assert.match(repo.repoId, /^crr-/);
        const first = await c.listRepoTag({ instanceId, repoId: repo.repoId, pageNo: 1, pageSize: 20 });
        assert.ok(first.totalCount > 20, `demo/web has ${first.totalCount} tags`);
        assert.equal(first.images.length, 20);
        const seen = new Set(first.images.map((i) => i.tag));
        for (let page = 2; (page - 1) * 20 < first.totalCount; page++) {
          const next = await c.listRepoTag({ instanceId, repoId: repo.repoId, pageNo: page, pageSize: 20 });
          for (const image of next.images) seen.add(image.tag);
        }
        assert.equal(seen.size, first.totalCount, "every tag once over all pages");
        for (const image of first.images) {
          assert.equal(typeof image.imageSize, "bigint");
          assert.equal(typeof image.imageUpdate, "bigint");
          assert.match(image.digest, /^(sha256:)?[0-9a-f]{64}$/);
        }
      });
    }
  }

  test("create, read and delete a tag; the state follows", async () => {
    const c = client({ method: "POST" });
    const instanceId = emulator.instanceId;
    const repo = await c.getRepository({ instanceId, repoNamespaceName: "demo", repoName: "worker" });
    const { images } = await c.listRepoTag({ instanceId, repoId: repo.repoId, pageSize: 100 });
    const source = images[0];
    await c.createRepoTag({ instanceId, namespaceName: "demo", repoName: "worker", fromTag: source.tag, toTag: "from-npm-test" });
    const created = await c.getRepoTag({ instanceId, repoId: repo.repoId, tag: "from-npm-test" });
    assert.equal(created.digest, source.digest);
    await c.deleteRepoTag({ instanceId, repoId: repo.repoId, tag: "from-npm-test" });
    await assert.rejects(c.getRepoTag({ instanceId, repoId: repo.repoId, tag: "from-npm-test" }), (error) => {
      // The service answers a missing tag with IsSuccess false (HTTP 200 or 4xx).
      assert.ok(error instanceof Error);
      assert.match(error.code, /NOT_EXIST|NotFound/i);
      assert.equal(typeof error.httpStatus, "number");
      assert.equal(typeof error.requestId, "string");
      assert.equal(error.retryable, false);
      return true;
    });
  });

  test("every Get*/List* operation that needs only the instance decodes the emulator's answer", async () => {
    const c = client();
    const decoded = [];
    for (const action of operations().filter((a) => /^(Get|List)/.test(a))) {
      try {
        await c.call(action, { instanceId: emulator.instanceId });
        decoded.push(action);
      } catch (error) {
        // Operations that need more parameters are refused before sending,
        // or answered with the service's own refusal of what is missing or
        // does not exist: a 4xx, or a 200 with IsSuccess false (the SDK
        // marks fewer parameters required than the service then finds).
        const refusedByUs = ["MissingParameter", "InvalidParameter"].includes(error.code) && error.httpStatus === undefined;
        const refusedByService = error.httpStatus >= 200 && error.httpStatus < 500 && error.code !== "SignatureDoesNotMatch";
        assert.ok(refusedByUs || refusedByService, `${action}: ${error.code} ${error.message}`);
      }
    }
    for (const action of ["GetInstance", "GetInstanceUsage", "ListNamespace", "ListRepository"]) {
      assert.ok(decoded.includes(action), `${action} decoded (decoded: ${decoded.join(", ")})`);
    }
  });

  test("a wrong secret: the emulator's string-to-sign equals ours, so the secret is named", async () => {
    await assert.rejects(client({ accessKeySecret: "not-the-demo-secret" }).getInstance({ instanceId: emulator.instanceId }), (error) => {
      assert.equal(error.code, "SignatureDoesNotMatch");
      assert.match(error.message, /AccessKey secret is wrong/);
      assert.ok(!error.message.includes("not-the-demo-secret"));
      return true;
    });
  });
});

describe("against a slow emulator", () => {
  let slow;
  before(async () => {
    slow = await startEmulator(["--latency-ms", "1500"]);
  });
  after(() => slow?.close());

  test("timeoutMs ends the wait and aborts", async () => {
    const c = new Client({
      accessKeyId: slow.accessKeyId,
      accessKeySecret: slow.accessKeySecret,
      regionId: slow.regionId,
      endpoint: slow.url,
      timeoutMs: 200,
      maxRetries: 1,
      retryBaseDelayMs: 10,
    });
    const started = Date.now();
    await assert.rejects(c.getInstance({ instanceId: slow.instanceId }), { code: "Timeout", retryable: true });
    assert.ok(Date.now() - started < 1400, "two attempts of 200 ms, not the 1500 ms answer");
  });
});

describe("against an emulator that throttles every request", () => {
  let throttling;
  before(async () => {
    throttling = await startEmulator(["--throttle-rate", "1"]);
  });
  after(() => throttling?.close());

  const client = (options) =>
    new Client({
      accessKeyId: throttling.accessKeyId,
      accessKeySecret: throttling.accessKeySecret,
      regionId: throttling.regionId,
      endpoint: throttling.url,
      ...options,
    });

  test("retries wait what x-acs-retry-after asks, then give up with a retryable error", async () => {
    const started = Date.now();
    await assert.rejects(client({ maxRetries: 2 }).getInstance({ instanceId: throttling.instanceId }), (error) => {
      assert.match(error.code, /^Throttling/);
      assert.equal(error.retryable, true);
      assert.equal(typeof error.retryAfterMs, "number");
      assert.ok(Date.now() - started >= 2 * error.retryAfterMs, "two waits of retryAfterMs");
      return true;
    });
  });

  test("a wait longer than retryMaxDelayMs is not taken", async () => {
    const started = Date.now();
    await assert.rejects(client({ retryMaxDelayMs: 50 }).getInstance({ instanceId: throttling.instanceId }), { retryable: true });
    assert.ok(Date.now() - started < 150);
  });
});
