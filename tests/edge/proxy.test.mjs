// edge/worker.js in workerd (through miniflare), in front of the emulator on
// loopback: what it forwards, what it refuses and with which status, and
// that no secret ever shows in an answer or a log line.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
  CREDENTIALS,
  DASHBOARD_ORIGIN,
  PROXY_TOKEN,
  Transcript,
  auditLines,
  bindingsFor,
  loadPackage,
  startOwnEmulator,
  startWorker,
  useEmulator,
} from "./harness.mjs";
import { stringifyExact } from "../../edge/json.js";

const SECURITY_TOKEN = "sts-token-that-must-stay-secret-ZZ/+=";
const transcript = new Transcript();
const workers = [];
let emulator;
let tagdeck; // the package, initialized in Node
let direct; // the package's Client in Node, straight to the emulator
let proxy; // default settings: read-only actions
let repo; // { instanceId, repoId, namespaceName, repoName, tag }

async function worker(overrides, upstream = emulator) {
  const started = await startWorker(bindingsFor(upstream.url, overrides));
  workers.push(started);
  return started;
}

before(async () => {
  emulator = await useEmulator();
  tagdeck = await loadPackage();
  direct = new tagdeck.Client({ ...CREDENTIALS, regionId: "cn-hangzhou", endpoint: emulator.url });
  proxy = await worker();

  const { instances } = await direct.listInstance({});
  const instanceId = instances[0].instanceId;
  const { repositories } = await direct.listRepository({ instanceId, repoStatus: "ALL" });
  for (const repository of repositories) {
    const { images } = await direct.listRepoTag({ instanceId, repoId: repository.repoId, pageSize: 1 });
    if (images.length > 0) {
      repo = { instanceId, repoId: repository.repoId, namespaceName: repository.repoNamespaceName, repoName: repository.repoName, tag: images[0].tag };
      break;
    }
  }
  assert.ok(repo, "the demo data has a repository with tags");
});

after(async () => {
  for (const { mf } of workers) await mf.dispose();
  await emulator?.stop();
});

test("an allowed call is signed, forwarded and answered with the decoded JSON", async () => {
  const params = { instanceId: repo.instanceId, repoId: repo.repoId, pageSize: 30 };
  const answer = await transcript.call(proxy, "ListRepoTag", params);
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers["content-type"], "application/json; charset=utf-8");
  assert.equal(answer.headers.vary, "Origin");
  // The same text as the package's own answer in Node, serialized the
  // proxy's way: every field, and 64-bit sizes to the last digit.
  const expected = await direct.listRepoTag(params);
  assert.equal(typeof expected.images[0].imageSize, "bigint");
  const { requestId: _a, ...fromProxy } = answer.json;
  const { requestId: _b, ...fromDirect } = JSON.parse(stringifyExact(expected));
  assert.deepEqual(fromProxy, fromDirect);
  for (const image of expected.images) {
    assert.ok(answer.text.includes(`"imageSize":${image.imageSize}`), `imageSize ${image.imageSize} is exact in the JSON text`);
  }
  assert.match(answer.json.requestId, /\S/);
});

test("a missing or wrong token is refused with 401", async () => {
  const params = { instanceId: repo.instanceId };
  for (const token of [null, "", PROXY_TOKEN.slice(0, -1), `${PROXY_TOKEN}x`, PROXY_TOKEN.replace(/.$/, (c) => (c === "a" ? "b" : "a"))]) {
    const answer = await transcript.call(proxy, "GetInstance", params, { token });
    assert.equal(answer.status, 401, `token ${JSON.stringify(token)}`);
    assert.equal(answer.json.code, "Proxy.Unauthorized");
    assert.equal(answer.headers["www-authenticate"], 'Bearer realm="tagdeck"');
    assert.match(answer.json.requestId, /^[0-9a-f-]{36}$/);
  }
  const basic = await transcript.call(proxy, "GetInstance", params, { token: null, headers: { Authorization: `Basic ${PROXY_TOKEN}` } });
  assert.equal(basic.status, 401);
  // Refused before its body mattered, a large chunked body is still read
  // off the wire (up to 1 MiB), so the client gets the 401 rather than a
  // reset connection. Without that, most of these attempts end in ECONNRESET.
  for (let attempt = 0; attempt < 3; attempt++) {
    let sent = 0;
    const large = new ReadableStream({
      pull(controller) {
        if (sent >= 640 * 1024) return controller.close();
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const unread = await transcript.call(proxy, "GetInstance", undefined, { token: "wrong-wrong-wrong-wrong", body: large, headers: { "Content-Type": "application/json" } });
    assert.equal(unread.status, 401);
  }
});

test("actions outside the allow-list get 403, unknown actions 404", async () => {
  const target = { instanceId: repo.instanceId, repoId: repo.repoId, tag: repo.tag };
  const refused = await transcript.call(proxy, "DeleteRepoTag", target);
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, "Proxy.ActionNotAllowed");
  assert.match(refused.json.message, /DeleteRepoTag/);
  const stillThere = await direct.getRepoTag({ instanceId: repo.instanceId, repoId: repo.repoId, tag: repo.tag });
  assert.equal(stillThere.tag, repo.tag, "the refused delete never reached the registry");

  const unknown = await transcript.call(proxy, "DropAllTags", {});
  assert.equal(unknown.status, 404);
  assert.deepEqual(Object.keys(unknown.json).sort(), ["code", "message", "requestId"]);
  assert.equal(unknown.json.code, "InvalidApi.NotFound");

  const narrow = await worker({ ALLOWED_ACTIONS: "GetInstance" });
  const listing = await transcript.call(narrow, "ListInstance", {});
  assert.equal(listing.status, 403, "an explicit list replaces the read-only default");
  assert.equal((await transcript.call(narrow, "GetInstance", { instanceId: repo.instanceId })).status, 200);
});

test("CORS: allowed origin echoed, foreign origin refused, preflight answered", async () => {
  const params = { instanceId: repo.instanceId };
  const allowed = await transcript.call(proxy, "GetInstance", params, { origin: DASHBOARD_ORIGIN });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers["access-control-allow-origin"], DASHBOARD_ORIGIN);
  assert.equal(allowed.headers.vary, "Origin");
  assert.match(allowed.headers["access-control-expose-headers"], /Retry-After/);

  const foreign = await transcript.call(proxy, "GetInstance", params, { origin: "https://evil.example" });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.code, "Proxy.OriginNotAllowed");
  assert.equal(foreign.headers["access-control-allow-origin"], undefined);

  const preflightHeaders = { "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" };
  const preflight = await transcript.call(proxy, "ListRepoTag", undefined, { method: "OPTIONS", token: null, origin: DASHBOARD_ORIGIN, headers: preflightHeaders });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers["access-control-allow-origin"], DASHBOARD_ORIGIN);
  assert.match(preflight.headers["access-control-allow-methods"], /POST/);
  assert.match(preflight.headers["access-control-allow-headers"], /Authorization/);
  assert.equal(preflight.headers.vary, "Origin");
  for (const [name, value] of Object.entries(preflight.headers)) assert.notEqual(value, "*", `${name} is never *`);

  const foreignPreflight = await transcript.call(proxy, "ListRepoTag", undefined, { method: "OPTIONS", token: null, origin: "https://evil.example", headers: preflightHeaders });
  assert.equal(foreignPreflight.status, 403);
  assert.equal(foreignPreflight.headers["access-control-allow-origin"], undefined);
});

test("bodies over 64 KiB are refused with 413, by declared length and by bytes read", async () => {
  const big = JSON.stringify({ instanceId: repo.instanceId, padding: "x".repeat(64 * 1024) });
  const declared = await transcript.call(proxy, "GetInstance", undefined, { body: big, headers: { "Content-Type": "application/json" } });
  assert.equal(declared.status, 413);
  assert.equal(declared.json.code, "Proxy.BodyTooLarge");

  // No Content-Length: 512 KiB in 16 KiB chunks, counted as they arrive.
  let sent = 0;
  const chunked = new ReadableStream({
    pull(controller) {
      sent += 16 * 1024;
      controller.enqueue(new TextEncoder().encode(" ".repeat(16 * 1024)));
      if (sent >= 512 * 1024) controller.close();
    },
  });
  const streamed = await transcript.call(proxy, "GetInstance", undefined, { body: chunked, headers: { "Content-Type": "application/json" } });
  assert.equal(streamed.status, 413);
  assert.equal(streamed.json.code, "Proxy.BodyTooLarge");

  const justUnder = JSON.stringify({ instanceId: repo.instanceId }).padEnd(64 * 1024, " ");
  const fits = await transcript.call(proxy, "GetInstance", undefined, { body: justUnder, headers: { "Content-Type": "application/json" } });
  assert.equal(fits.status, 200, "64 KiB exactly is accepted");
});

test("bad bodies and methods: 400 names the problem, 415, 405", async () => {
  const notJson = await transcript.call(proxy, "GetInstance", undefined, { body: "{instanceId:", headers: { "Content-Type": "application/json" } });
  assert.equal(notJson.status, 400);
  assert.match(notJson.json.message, /not valid JSON/);
  const array = await transcript.call(proxy, "GetInstance", [repo.instanceId]);
  assert.equal(array.status, 400);
  assert.match(array.json.message, /JSON object/);
  const form = await transcript.call(proxy, "GetInstance", undefined, { body: "InstanceId=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  assert.equal(form.status, 415);
  const get = await transcript.call(proxy, "GetInstance", undefined, { method: "GET" });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, "POST, OPTIONS");
  // The package's own validation, passed on: the missing parameter is named.
  const missing = await transcript.call(proxy, "ListRepoTag", { instanceId: repo.instanceId });
  assert.equal(missing.status, 400);
  assert.match(missing.json.message, /RepoId|repoId/);
});

test("the registry's refusals answer by what they mean: missing 404, conflict 409, invalid 400", async () => {
  const writer = await worker({ ALLOWED_ACTIONS: "Get*,List*,CreateRepoTag" });
  const expectations = [
    // [action, params, status, code]
    ["GetRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: "no-such-tag-here" }, 404, "TAG_NOT_EXIST"],
    ["GetRepository", { instanceId: repo.instanceId, repoNamespaceName: repo.namespaceName, repoName: "no-such-repo" }, 404, "REPO_NOT_EXIST"],
    ["CreateRepoTag", { instanceId: repo.instanceId, namespaceName: repo.namespaceName, repoName: repo.repoName, fromTag: repo.tag, toTag: repo.tag }, 409, "TAG_ALREADY_EXIST"],
    ["ListRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, pageSize: "many" }, 400, "InvalidParameter"],
  ];
  for (const [action, params, status, code] of expectations) {
    const answer = await transcript.call(writer, action, params);
    assert.equal(answer.status, status, `${action}: ${answer.text}`);
    assert.equal(answer.json.code, code, action);
    assert.match(answer.json.message, /\S/);
    assert.match(answer.json.requestId, /\S/);
    assert.equal(answer.headers["retry-after"], undefined, `${action}: nothing to wait for`);
  }
  // The same code as the package's own error, asked directly.
  await assert.rejects(direct.getRepoTag({ instanceId: repo.instanceId, repoId: repo.repoId, tag: "no-such-tag-here" }), { code: "TAG_NOT_EXIST" });
});

test("a throttled registry answers 429 with Retry-After; a failing one 502, with its code", async () => {
  const throttled = await startOwnEmulator(["--throttle-rate", "1"]);
  const failing = await startOwnEmulator(["--fail-rate", "1"]);
  try {
    const noRetries = { UPSTREAM_MAX_RETRIES: "0" };
    const params = { instanceId: repo.instanceId };
    const slow = await transcript.call(await worker(noRetries, throttled), "GetInstance", params);
    assert.equal(slow.status, 429, slow.text);
    assert.equal(slow.json.code, "Throttling.User");
    // The emulator asks for 200 ms (x-acs-retry-after); Retry-After is whole seconds, rounded up.
    assert.equal(slow.headers["retry-after"], "1");
    const down = await transcript.call(await worker(noRetries, failing), "GetInstance", params);
    assert.equal(down.status, 502, down.text);
    assert.equal(down.json.code, "ServiceUnavailable");
  } finally {
    await throttled.stop();
    await failing.stop();
  }
});

test("a burst over the rate limit gets 429 with Retry-After, per caller", async () => {
  const limited = await worker({ RATE_LIMIT_BURST: "5", RATE_LIMIT_PER_SECOND: "0.5" });
  const params = { instanceId: repo.instanceId };
  const statuses = [];
  let last;
  for (let i = 0; i < 8; i++) {
    last = await transcript.call(limited, "GetInstance", params, { caller: "203.0.113.7" });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  assert.equal(last.json.code, "Throttling.Proxy");
  assert.ok(Number(last.headers["retry-after"]) >= 1 && Number(last.headers["retry-after"]) <= 2, `Retry-After ${last.headers["retry-after"]}`);
  // The package itself classes this code as throttling, which it retries: the
  // proxy's refusal, decoded as a registry's error answer (HTTP 200 and
  // IsSuccess false, so the code alone decides), is a retryable error.
  const asRegistryAnswer = JSON.stringify({ Code: last.json.code, Message: last.json.message, RequestId: last.json.requestId, IsSuccess: false });
  assert.throws(() => tagdeck.decodeResponse("GetInstance", asRegistryAnswer, "JSON"), (error) => {
    assert.equal(error.code, "Throttling.Proxy");
    assert.equal(error.retryable, true);
    return true;
  });
  const other = await transcript.call(limited, "GetInstance", params, { caller: "203.0.113.8" });
  assert.equal(other.status, 200, "another caller has its own bucket");
  const guessing = await transcript.call(limited, "GetInstance", params, { caller: "203.0.113.7", token: "guess-guess-guess-guess" });
  assert.equal(guessing.status, 429, "token guesses are throttled too");
});

test("a 97-tag bulk delete over the rate limit loses nothing when the client waits Retry-After", async (t) => {
  // The trap this guards: 18 of 97 deletes "lost" to the proxy's limit. A
  // throttled delete is refused before anything is applied, so a client that
  // waits what Retry-After says and sends it again deletes every tag once.
  // A limit below the default (60 at once, 20/s), so that 97 calls exceed it
  // however fast this machine answers them.
  const bulk = await worker({ ALLOWED_ACTIONS: "Get*,List*,DeleteRepoTag", RATE_LIMIT_BURST: "20", RATE_LIMIT_PER_SECOND: "10" });
  const tags = Array.from({ length: 97 }, (_, i) => `bulk-${Date.now()}-${i}`);
  for (const toTag of tags) {
    await direct.createRepoTag({ instanceId: repo.instanceId, namespaceName: repo.namespaceName, repoName: repo.repoName, fromTag: repo.tag, toTag });
  }
  const results = new Map();
  let throttled = 0;
  const queue = [...tags];
  const deleteOne = async (tag) => {
    for (;;) {
      const answer = await transcript.call(bulk, "DeleteRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag }, { caller: "203.0.113.97" });
      if (answer.status !== 429) return answer;
      throttled++;
      assert.match(answer.json.code, /^Throttling\./);
      const seconds = Number(answer.headers["retry-after"]);
      assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After ${answer.headers["retry-after"]}`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  };
  // Eight at a time, as a dashboard's bulk delete sends them.
  const started = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let tag = queue.shift(); tag !== undefined; tag = queue.shift()) results.set(tag, await deleteOne(tag));
  }));
  t.diagnostic(`${tags.length} deletes: ${tags.length + throttled} attempts (${throttled} answered 429), ${Date.now() - started} ms`);
  assert.ok(throttled > 0, "the limit was reached");
  // Every delete answered 200 in the end, none 404: no throttled attempt had been applied.
  assert.deepEqual([...results.values()].map((answer) => answer.status), tags.map(() => 200));
  for (const tag of tags) {
    await assert.rejects(direct.getRepoTag({ instanceId: repo.instanceId, repoId: repo.repoId, tag }), { code: "TAG_NOT_EXIST" }, `${tag} is gone`);
  }
});

test("a slow upstream times out with 504", async () => {
  const sockets = new Set();
  const silent = http.createServer(() => {}); // accepts, never answers
  silent.on("connection", (socket) => sockets.add(socket));
  await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    const slow = await worker({ UPSTREAM: `http://127.0.0.1:${silent.address().port}`, UPSTREAM_TIMEOUT_MS: "300", UPSTREAM_MAX_RETRIES: "0" });
    const started = Date.now();
    const answer = await transcript.call(slow, "GetInstance", { instanceId: repo.instanceId });
    assert.equal(answer.status, 504);
    assert.equal(answer.json.code, "Timeout");
    assert.ok(Date.now() - started < 5000, "answered soon after the timeout");
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test("one audit line per mutating call, none for reads", async () => {
  // "Every read plus two writes", as patterns; other writes stay refused.
  const writer = await worker({ ALLOWED_ACTIONS: "Get*,List*,CreateRepoTag,DeleteRepoTag" });
  const newTag = `edge-audit-${Date.now()}`;
  const create = await transcript.call(writer, "CreateRepoTag", {
    instanceId: repo.instanceId,
    namespaceName: repo.namespaceName,
    repoName: repo.repoName,
    fromTag: repo.tag,
    toTag: newTag,
  }, { caller: "192.0.2.44" });
  assert.equal(create.status, 200, create.text);
  const read = await transcript.call(writer, "GetRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: newTag }, { caller: "192.0.2.44" });
  assert.equal(read.status, 200, read.text);
  const remove = await transcript.call(writer, "DeleteRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: newTag }, { caller: "192.0.2.44" });
  assert.equal(remove.status, 200, remove.text);
  const again = await transcript.call(writer, "DeleteRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: newTag }, { caller: "192.0.2.44" });
  assert.equal(again.status, 404, "deleting twice: the tag does not exist");
  const unauthorized = await transcript.call(writer, "DeleteRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: repo.tag }, { token: null });
  assert.equal(unauthorized.status, 401);

  // Lines reach the captured stdout asynchronously.
  await waitFor(() => auditLines(writer.logs).length >= 4);
  const lines = auditLines(writer.logs);
  assert.deepEqual(lines.map((line) => [line.action, line.status]), [
    ["CreateRepoTag", 200],
    ["DeleteRepoTag", 200],
    ["DeleteRepoTag", again.status],
    ["DeleteRepoTag", 401],
  ]);
  assert.equal(lines[0].caller, "192.0.2.44");
  assert.equal(lines[0].result, "ok");
  assert.equal(lines[0].requestId, create.json.requestId);
  assert.equal(lines[0].target.toTag, newTag);
  assert.equal(lines[2].result, again.json.code);
  assert.equal(lines[3].result, "Proxy.Unauthorized");
  for (const line of lines) assert.match(line.requestId, /\S/);

  const scan = await transcript.call(writer, "CreateRepoTagScanTask", { instanceId: repo.instanceId, repoId: repo.repoId, tag: repo.tag });
  assert.equal(scan.status, 403, "a write the patterns do not cover");
  assert.equal(scan.json.code, "Proxy.ActionNotAllowed");
});

test("a misconfigured worker lists every binding at fault, and nothing else", async () => {
  const broken = await worker({ ACCESS_KEY_SECRET: "", REGION_ID: "", ALLOWED_ACTIONS: "Get*,Drop*" });
  const answer = await transcript.call(broken, "GetInstance", { instanceId: repo.instanceId });
  assert.equal(answer.status, 500);
  assert.equal(answer.json.code, "Proxy.Misconfigured");
  assert.equal(answer.json.problems.length, 3, answer.text);
  assert.match(answer.json.problems[0], /ACCESS_KEY_SECRET is not set/);
  assert.match(answer.json.problems[1], /ALLOWED_ACTIONS pattern "Drop\*" matches no operation/);
  assert.match(answer.json.problems[2], /REGION_ID is not set/);
  assert.equal(answer.json.message, answer.json.problems.join("; "));
});

test("no secret in any answer or log line, even when the upstream quotes its string-to-sign", async () => {
  // A wrong secret makes the emulator answer SignatureDoesNotMatch, whose
  // message carries its string-to-sign: the AccessKeyId and the STS token,
  // percent-encoded. None of it may reach the caller or the log.
  const wrong = await worker({ ACCESS_KEY_SECRET: `${CREDENTIALS.accessKeySecret}-wrong`, SECURITY_TOKEN, ALLOWED_ACTIONS: "GetInstance,DeleteRepoTag" });
  const answer = await transcript.call(wrong, "GetInstance", { instanceId: repo.instanceId });
  assert.ok(answer.status >= 400);
  assert.match(answer.json.code, /SignatureDoesNotMatch|InvalidSecurityToken|InvalidAccessKeyId/);
  await transcript.call(wrong, "DeleteRepoTag", { instanceId: repo.instanceId, repoId: repo.repoId, tag: repo.tag });
  await waitFor(() => auditLines(wrong.logs).length >= 1);

  const logs = workers.flatMap(({ logs }) => logs);
  transcript.assertNoSecret(assert, logs, [
    CREDENTIALS.accessKeySecret,
    `${CREDENTIALS.accessKeySecret}-wrong`,
    SECURITY_TOKEN,
    encodeURIComponent(SECURITY_TOKEN),
    PROXY_TOKEN,
    CREDENTIALS.accessKeyId,
  ]);
});

async function waitFor(condition, timeoutMs = 5000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting for log lines");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
