// Client end to end over real HTTP against a loopback registry that
// verifies every signature independently (registry-server.mjs).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { Client, operations } from "./tagdeck.mjs";
import { startRegistry } from "./registry-server.mjs";

const ID = "test-id";
const SECRET = "test-secret-do-not-show";
const INSTANCE = { instanceId: "cri-kmsiwlxxdcvaduwb", repoId: "crr-tquyps22md8purzx" };

let registry;
before(async () => {
  registry = await startRegistry({ accessKeyId: ID, accessKeySecret: SECRET });
});
after(() => registry.close());

function client(options = {}) {
  return new Client({
    // registry-server.mjs verifies signature 1.0 (the default is "3",
    // tested against the emulator in signing-v3.test.mjs).
    signatureVersion: "1.0",
    accessKeyId: ID,
    accessKeySecret: SECRET,
    regionId: "cn-hangzhou",
    endpoint: registry.url,
    retryBaseDelayMs: 10,
    ...options,
  });
}

function lastRequest() {
  return registry.requests.at(-1);
}

describe("Client over HTTP", () => {
  test("every catalogue operation is a method", () => {
    const c = client();
    for (const action of operations()) {
      const method = action[0].toLowerCase() + action.slice(1);
      assert.equal(typeof c[method], "function", method);
    }
    assert.ok(operations().includes("ListRepoTag"));
  });

  for (const format of ["JSON", "XML"]) {
    for (const method of ["GET", "POST"]) {
      test(`listRepoTag, ${format} over ${method}: verified signature, exact 64-bit sizes`, async () => {
        const answer = await client({ format, method }).listRepoTag({ ...INSTANCE, pageNo: 1, pageSize: 30 });
        const sent = lastRequest();
        assert.equal(sent.verified, true, "the server verified the signature");
        assert.equal(sent.method, method);
        assert.equal(sent.params.RegionId, undefined, "the region is in the endpoint: ListRepoTag has no RegionId");
        assert.equal(sent.params.Format, format);
        if (method === "POST") {
          assert.equal(sent.headers["content-type"], "application/x-www-form-urlencoded");
        }
        assert.equal(answer.totalCount, 3);
        assert.equal(typeof answer.requestId, "string");
        assert.deepEqual(
          answer.images.map((i) => i.tag),
          ["v1", "v2", "huge"],
        );
        const huge = answer.images.find((i) => i.tag === "huge");
        assert.equal(huge.imageSize, 9007199254740993n);
        assert.equal(typeof answer.images[0].imageCreate, "bigint");
      });
    }
  }

  test("paging parameters reach the server", async () => {
    const answer = await client().listRepoTag({ ...INSTANCE, pageNo: 2, pageSize: 2 });
    assert.deepEqual(answer.images.map((i) => i.tag), ["huge"]);
    assert.equal(answer.pageNo, 2);
    assert.equal(lastRequest().params.PageSize, "2");
  });

  test("call() by Action name, and an STS token is signed", async () => {
    const answer = await client({ securityToken: "sts-token" }).call("GetRepoTag", { ...INSTANCE, tag: "v2" });
    assert.equal(answer.tag, "v2");
    assert.equal(answer.imageSize, 31457280n);
    assert.equal(lastRequest().params.SecurityToken, "sts-token");
    assert.equal(lastRequest().verified, true);
  });

  test("API errors reject with a TagdeckError carrying every field", async () => {
    await assert.rejects(client().getRepoTag({ ...INSTANCE, tag: "nope" }), (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, "TagdeckError");
      assert.match(error.stack, /TagdeckError/);
      assert.equal(error.code, "TAG_NOT_EXIST");
      assert.equal(error.httpStatus, 404);
      assert.match(error.requestId, /^REQ-/);
      assert.match(error.recommend, /troubleshoot/);
      assert.equal(error.retryable, false);
      return true;
    });
  });

  test("a wrong secret is diagnosed as such, without showing it", async () => {
    const wrong = client({ accessKeySecret: "not-the-secret" });
    await assert.rejects(wrong.listRepoTag(INSTANCE), (error) => {
      assert.equal(error.code, "SignatureDoesNotMatch");
      assert.match(error.message, /AccessKey secret is wrong/);
      assert.ok(!error.message.includes("not-the-secret"));
      assert.ok(!error.message.includes(SECRET));
      return true;
    });
  });

  test("an unknown AccessKey id is the service's error", async () => {
    await assert.rejects(client({ accessKeyId: "other" }).listRepoTag(INSTANCE), { code: "InvalidAccessKeyId.NotFound", httpStatus: 404 });
  });

  test("bad parameters are refused before anything is sent", async () => {
    const before = registry.requests.length;
    await assert.rejects(client().listRepoTag({ ...INSTANCE, pageSize: 1000 }), (error) => {
      assert.equal(error.code, "InvalidParameter");
      assert.match(error.message, /PageSize/);
      return true;
    });
    await assert.rejects(client().listRepoTag({ instanceId: "cri-1" }), { code: "MissingParameter" });
    await assert.rejects(client().listRepoTag({ ...INSTANCE, repoId: 42 }), { code: "InvalidParameter" });
    assert.throws(() => new Client({ accessKeyId: ID, accessKeySecret: SECRET }), (error) => {
      assert.equal(error.code, "InvalidParameter");
      assert.match(error.message, /regionId/);
      return true;
    });
    assert.equal(registry.requests.length, before);
  });

  test("retries: dropped connection, 503 and throttling, then success, each attempt signed anew", async () => {
    registry.faults.push({ drop: true }, { status: 503, code: "ServiceUnavailable" }, { status: 400, code: "Throttling.User", retryAfter: 50 });
    const before = registry.requests.length;
    const answer = await client({ maxRetries: 3 }).listRepoTag(INSTANCE);
    assert.equal(answer.totalCount, 3);
    const attempts = registry.requests.slice(before);
    assert.equal(attempts.length, 4);
    const nonces = new Set(attempts.map((r) => r.params.SignatureNonce));
    assert.equal(nonces.size, 4, "a fresh nonce per attempt");
    assert.ok(attempts[3].at - attempts[2].at >= 45, "x-acs-retry-after honoured");
    assert.equal(attempts[3].verified, true);
  });

  test("a non-retryable error is not retried, nor is a write by default", async () => {
    registry.faults.push({ status: 400, code: "InvalidParameter", message: "bad" });
    let before = registry.requests.length;
    await assert.rejects(client().listRepoTag(INSTANCE), { code: "InvalidParameter", retryable: false });
    assert.equal(registry.requests.length - before, 1);

    registry.faults.push({ status: 503, code: "ServiceUnavailable" });
    before = registry.requests.length;
    await assert.rejects(client().deleteRepoTag({ ...INSTANCE, tag: "v1" }), { code: "ServiceUnavailable", retryable: true });
    assert.equal(registry.requests.length - before, 1);
    assert.ok(registry.images.some((i) => i.Tag === "v1"), "nothing was deleted");
  });

  test("retryWrites retries a write; the write then applies once", async () => {
    registry.faults.push({ status: 500, code: "InternalError" });
    await client({ retryWrites: true, method: "POST" }).deleteRepoTag({ ...INSTANCE, tag: "v1" });
    assert.ok(!registry.images.some((i) => i.Tag === "v1"));
    await assert.rejects(client().getRepoTag({ ...INSTANCE, tag: "v1" }), { code: "TAG_NOT_EXIST" });
  });

  test("timeoutMs aborts a slow answer", async () => {
    registry.faults.push({ delayMs: 1500 });
    const started = Date.now();
    await assert.rejects(client({ timeoutMs: 200, maxRetries: 0 }).listRepoTag(INSTANCE), (error) => {
      assert.equal(error.code, "Timeout");
      assert.equal(error.retryable, true);
      return true;
    });
    assert.ok(Date.now() - started < 1200, "did not wait for the slow answer");
  });

  test("a closed port is a NetworkError naming the endpoint", async () => {
    const dead = new Client({ accessKeyId: ID, accessKeySecret: SECRET, regionId: "cn-hangzhou", endpoint: "http://127.0.0.1:9", maxRetries: 0 });
    await assert.rejects(dead.listRepoTag(INSTANCE), (error) => {
      assert.equal(error.code, "NetworkError");
      assert.match(error.message, /127\.0\.0\.1:9/);
      assert.equal(error.httpStatus, undefined);
      return true;
    });
  });

  test("the client exposes no secret", () => {
    const c = client({ securityToken: "sts-secret" });
    const seen = JSON.stringify(c) + Object.getOwnPropertyNames(c).join() + String(c);
    assert.ok(!seen.includes(SECRET) && !seen.includes("sts-secret"), seen);
    assert.equal(c.accessKeySecret, undefined);
    c.free();
  });
});
