// signRequest({ signatureVersion: "3" }) end to end: the signed request,
// sent by plain fetch (every parameter in the URL, an empty body, the
// returned headers but host, which fetch sets from the URL), is accepted by
// the emulator's V3 verifier; a replay of the same request is refused.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { signRequest } from "./tagdeck.mjs";
import { startEmulator } from "./emulator.mjs";

let emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator?.close());

function signed(extra = {}) {
  return signRequest({
    signatureVersion: "3",
    method: "POST",
    endpoint: emulator.url,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    params: {
      Action: "ListRepository",
      InstanceId: emulator.instanceId,
      RegionId: emulator.regionId,
      RepoName: "no such repo + ~*中",
    },
    ...extra,
  });
}

async function send(request) {
  const { host, ...headers } = request.headers;
  assert.equal(host, new URL(emulator.url).host);
  const answer = await fetch(request.url, { method: request.method, headers });
  return { status: answer.status, body: await answer.json() };
}

test("a V3 request from signRequest is accepted, and its nonce only once", async () => {
  const request = signed();
  assert.match(request.headers.authorization, /^ACS3-HMAC-SHA256 Credential=/);
  assert.ok(request.url.includes("RepoName=no%20such%20repo%20%2B%20~%2A%E4%B8%AD"), request.url);
  assert.ok(!request.url.includes("Action="), request.url);
  const first = await send(request);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.IsSuccess, true);
  assert.equal(first.body.TotalCount, 0);
  const replay = await send(request);
  assert.equal(replay.body.Code, "SignatureNonceUsed");
});

test("a V3 request signed with another secret is SignatureDoesNotMatch, with the server's canonical request", async () => {
  const request = signed({ accessKeySecret: "not-the-secret" });
  const answer = await send(request);
  assert.equal(answer.status, 400);
  assert.equal(answer.body.Code, "SignatureDoesNotMatch");
  assert.ok(answer.body.Message.includes(request.canonicalRequest), answer.body.Message);
});
