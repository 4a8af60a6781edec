// The proxy's pure parts, in Node: settings, rate limiter, status mapping,
// exact JSON, redaction, CORS verdicts, the bearer check and the bounded
// body reader.
// The whole proxy is tested in workerd against the emulator (proxy.test.mjs).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readConfig, isReadOnly, ConfigError } from "../../edge/config.js";
import { TokenBucketLimiter } from "../../edge/rate-limit.js";
import { answerFor } from "../../edge/status.js";
import { stringifyExact } from "../../edge/json.js";
import { redactor } from "../../edge/redact.js";
import { corsFor } from "../../edge/cors.js";
import { bearerChecker } from "../../edge/auth.js";
import { readBodyWithin } from "../../edge/body.js";

const ACTIONS = ["ListRepoTag", "GetRepoTag", "DeleteRepoTag", "CreateRepoTag", "ListInstance"];
const BASE = {
  ACCESS_KEY_ID: "id",
  ACCESS_KEY_SECRET: "very-secret-value",
  UPSTREAM: "http://127.0.0.1:9",
  REGION_ID: "cn-hangzhou",
  PROXY_TOKEN: "0123456789abcdef0123",
};

test("config: read-only actions by default, explicit list otherwise", () => {
  assert.deepEqual([...readConfig(BASE, ACTIONS).allowedActions], ["ListRepoTag", "GetRepoTag", "ListInstance"]);
  const config = readConfig({ ...BASE, ALLOWED_ACTIONS: " ListRepoTag , DeleteRepoTag " }, ACTIONS);
  assert.deepEqual([...config.allowedActions], ["ListRepoTag", "DeleteRepoTag"]);
  assert.equal(isReadOnly("GetRepoTag"), true);
  assert.equal(isReadOnly("DeleteRepoTag"), false);
});

test("config: ALLOWED_ACTIONS takes prefix patterns: every read plus one write", () => {
  const config = readConfig({ ...BASE, ALLOWED_ACTIONS: "Get*,List*,DeleteRepoTag" }, ACTIONS);
  assert.deepEqual([...config.allowedActions].sort(), ["DeleteRepoTag", "GetRepoTag", "ListInstance", "ListRepoTag"]);
  assert.deepEqual([...readConfig({ ...BASE, ALLOWED_ACTIONS: "ListRepo*" }, ACTIONS).allowedActions], ["ListRepoTag"]);
  assert.throws(() => readConfig({ ...BASE, ALLOWED_ACTIONS: "*Tag" }, ACTIONS), /"\*Tag" is neither an Action name nor a prefix pattern/);
});

test("config: every problem is reported at once, each naming its binding", () => {
  const env = {
    ACCESS_KEY_SECRET: "very-secret-value",
    UPSTREAM: "http://127.0.0.1:9",
    PROXY_TOKEN: "short",
    ALLOWED_ORIGINS: "*, https://a.example/path",
    ALLOWED_ACTIONS: "Get*,Drop*,DeleteRepoTag,Nope,*,Li*st",
    RATE_LIMIT_BURST: "many",
    UPSTREAM_MAX_RETRIES: "-1",
  };
  let error;
  try {
    readConfig(env, ACTIONS);
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof ConfigError);
  const expected = [
    /^binding ACCESS_KEY_ID is not set$/,
    /^PROXY_TOKEN must be at least 16/,
    /^ALLOWED_ORIGINS must list origins explicitly/,
    /^ALLOWED_ORIGINS entry "https:\/\/a\.example\/path" is not an origin/,
    /^ALLOWED_ACTIONS pattern "Drop\*" matches no operation/,
    /^ALLOWED_ACTIONS names "Nope", which is not an operation/,
    /^ALLOWED_ACTIONS must not be "\*".*Get\*,List\*,DeleteRepoTag/,
    /^ALLOWED_ACTIONS entry "Li\*st" is neither an Action name nor a prefix pattern/,
    /^RATE_LIMIT_BURST must be a positive number, got "many"$/,
    /^UPSTREAM_MAX_RETRIES must be a whole number >= 0/,
    /^binding REGION_ID is not set, and UPSTREAM is not cr\.\{region\}\.aliyuncs\.com .*set REGION_ID/,
  ];
  assert.equal(error.problems.length, expected.length, error.problems.join("\n"));
  expected.forEach((pattern, i) => assert.match(error.problems[i], pattern));
  assert.equal(error.message, error.problems.join("; "));
  assert.ok(!error.message.includes(env.ACCESS_KEY_SECRET));
});

test("config: problems name the binding, never a secret value", () => {
  const cases = [
    [{ ...BASE, ACCESS_KEY_SECRET: "" }, /ACCESS_KEY_SECRET is not set/],
    [{ ...BASE, UPSTREAM: undefined }, /UPSTREAM is not set/],
    [{ ...BASE, UPSTREAM: "http://127.0.0.1:9/path" }, /UPSTREAM must be an origin/],
    [{ ...BASE, UPSTREAM: "ftp://example.com" }, /UPSTREAM must use http or https/],
    [{ ...BASE, REGION_ID: undefined }, /REGION_ID is not set, and UPSTREAM is not cr\.\{region\}/],
    [{ ...BASE, PROXY_TOKEN: "short" }, /PROXY_TOKEN must be at least 16/],
    [{ ...BASE, ALLOWED_ORIGINS: "*" }, /ALLOWED_ORIGINS must list origins explicitly/],
    [{ ...BASE, ALLOWED_ORIGINS: "https://a.example/path" }, /not an origin/],
    [{ ...BASE, ALLOWED_ACTIONS: "ListRepoTag,DropEverything" }, /"DropEverything", which is not an operation/],
    [{ ...BASE, RATE_LIMIT_BURST: "-1" }, /RATE_LIMIT_BURST must be a positive number/],
    [{ ...BASE, UPSTREAM_MAX_RETRIES: "1.5" }, /UPSTREAM_MAX_RETRIES must be a whole number/],
    [{ ...BASE, REGION_ID: "CN Hangzhou" }, /REGION_ID must be a region id such as cn-hangzhou/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => readConfig(env, ACTIONS), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(BASE.ACCESS_KEY_SECRET) && !error.message.includes(BASE.PROXY_TOKEN));
      return true;
    });
  }
});

test("config: bare host upstream means https; region from the endpoint name", () => {
  const config = readConfig({ ...BASE, REGION_ID: undefined, UPSTREAM: "cr.cn-shanghai.aliyuncs.com", ALLOWED_ORIGINS: "https://dash.example, http://127.0.0.1:8080" }, ACTIONS);
  assert.equal(config.upstream, "https://cr.cn-shanghai.aliyuncs.com");
  assert.equal(config.regionId, "cn-shanghai");
  assert.deepEqual([...config.allowedOrigins], ["https://dash.example", "http://127.0.0.1:8080"]);
  assert.equal(readConfig({ ...BASE, REGION_ID: "eu-central-1" }, ACTIONS).regionId, "eu-central-1");
});

test("rate limit: burst, then refill at the configured rate, per caller", () => {
  let now = 1_000_000;
  const limiter = new TokenBucketLimiter({ burst: 3, perSecond: 2 }, () => now);
  for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take("a"), { allowed: true });
  assert.deepEqual(limiter.take("a"), { allowed: false, retryAfterMs: 500 });
  assert.deepEqual(limiter.take("b"), { allowed: true }, "another caller has its own bucket");
  now += 499;
  assert.equal(limiter.take("a").allowed, false, "less than one token refilled");
  now += 1;
  assert.equal(limiter.take("a").allowed, true, "one token after 500 ms at 2/s");
  const slow = new TokenBucketLimiter({ burst: 1, perSecond: 0.1 }, () => now);
  slow.take("c");
  assert.deepEqual(slow.take("c"), { allowed: false, retryAfterMs: 10_000 });
});

test("status: by what the failure means, not by how the registry said it", () => {
  const cases = [
    // [code, upstream HTTP status, retryAfterMs, expected status, expected Retry-After]
    ["TAG_NOT_EXIST", 200, undefined, 404],
    ["REPO_NOT_EXIST", 200, undefined, 404],
    ["InvalidApi.NotFound", 404, undefined, 404],
    ["TAG_ALREADY_EXIST", 200, undefined, 409],
    ["NAMESPACE_QUOTA_EXCEED", 200, undefined, 409],
    ["MissingParameter", undefined, undefined, 400],
    ["InvalidParameter", undefined, undefined, 400],
    ["InvalidParameter", 400, undefined, 400],
    ["Throttling.User", 400, 1500, 429, "2"],
    ["Throttling.User", 400, undefined, 429, "1"],
    ["too_many_requests", 429, undefined, 429, "1"],
    ["SignatureDoesNotMatch", 400, undefined, 502],
    ["InvalidAccessKeyId.NotFound", 404, undefined, 502],
    ["InvalidTimeStamp.Expired", 400, undefined, 502],
    ["Forbidden.RAM", 403, undefined, 403],
    ["ServiceUnavailable", 503, 2000, 502, "2"],
    ["InternalError", 500, undefined, 502],
    ["NetworkError", undefined, undefined, 502],
    ["DecodeError", 200, undefined, 502],
    ["Timeout", undefined, undefined, 504],
    ["INSTANCE_STATUS_INVALID", 200, undefined, 400],
    // An unknown code: the upstream's own 4xx status where it has one of these meanings.
    ["SomethingNew", 404, undefined, 404],
    ["SomethingNew", 409, undefined, 409],
    ["SomethingNew", 403, undefined, 403],
    ["SomethingNew", 422, undefined, 400],
  ];
  for (const [code, httpStatus, retryAfterMs, status, retryAfter] of cases) {
    const answer = answerFor({ code, httpStatus, retryAfterMs });
    assert.equal(answer.status, status, `${code} (HTTP ${httpStatus})`);
    assert.equal(answer.headers["Retry-After"], retryAfter, `${code}: Retry-After`);
  }
});

test("exact JSON: BigInt as a JSON number with every digit", () => {
  const value = { imageSize: 9223372036854775807n, list: [1n, undefined, "x"], skip: undefined, nested: { ok: true, n: null } };
  const text = stringifyExact(value);
  assert.equal(text, '{"imageSize":9223372036854775807,"list":[1,null,"x"],"nested":{"ok":true,"n":null}}');
  assert.equal(stringifyExact({ a: [1, "two"] }), JSON.stringify({ a: [1, "two"] }));
});

test("redaction: raw, encoded and double-encoded forms", () => {
  const redact = redactor(["se cret/+=", undefined, "TOKEN"]);
  const once = "se%20cret%2F%2B%3D";
  const twice = "se%2520cret%252F%252B%253D";
  assert.equal(redact(`a se cret/+= b ${once} c ${twice} d TOKEN`), "a [redacted] b [redacted] c [redacted] d [redacted]");
});

test("CORS: no Origin passes without headers; only listed origins are echoed", () => {
  const allowed = new Set(["https://dash.example"]);
  assert.deepEqual(corsFor(null, allowed), { allowed: true, headers: {} });
  assert.equal(corsFor("https://evil.example", allowed).allowed, false);
  assert.equal(corsFor("https://dash.example", allowed).headers["Access-Control-Allow-Origin"], "https://dash.example");
});

test("bearer check: exact token only", async () => {
  const check = bearerChecker("0123456789abcdef0123");
  const withAuth = (value) => new Request("http://x/", { headers: value === undefined ? {} : { Authorization: value } });
  assert.equal(await check(withAuth("Bearer 0123456789abcdef0123")), true);
  assert.equal(await check(withAuth("bearer 0123456789abcdef0123")), true);
  for (const wrong of [undefined, "", "Bearer", "Bearer 0123456789abcdef012", "Bearer 0123456789abcdef01234", "Basic 0123456789abcdef0123", "Bearer 0123456789abcdef0123 x"]) {
    assert.equal(await check(withAuth(wrong)), false, String(wrong));
  }
});

test("body limit: declared length and actual bytes", async () => {
  const post = (body, headers = {}) => new Request("http://x/", { method: "POST", body, headers, duplex: "half" });
  assert.deepEqual(await readBodyWithin(post("x".repeat(10), { "Content-Length": "11" }), 10), { tooLarge: true });
  assert.equal((await readBodyWithin(post("x".repeat(10)), 10)).bytes.length, 10);
  // A stream with no length that keeps going past the limit.
  const stream = new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(4));
    },
  });
  assert.deepEqual(await readBodyWithin(post(stream), 10, 100), { tooLarge: true });
  // Within the drain limit the whole body is read (and dropped) before the refusal.
  let pulled = 0;
  const finite = new ReadableStream({
    pull(controller) {
      if (pulled++ < 10) controller.enqueue(new Uint8Array(4));
      else controller.close();
    },
  });
  assert.deepEqual(await readBodyWithin(post(finite), 10, 100), { tooLarge: true });
  assert.equal(pulled, 11, "read to the end");
});
