// The loopback registry's signature check is what makes client.test.mjs
// meaningful, so it is checked itself: the vendor's own Node client
// (@alicloud/pop-core) gets through, a tampered or replayed request does not.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createRequire } from "node:module";

import { sign, startRegistry, stringToSign } from "./registry-server.mjs";

const require = createRequire(import.meta.url);
const RPCClient = require("@alicloud/pop-core").RPCClient;

let registry;
before(async () => {
  registry = await startRegistry({ accessKeyId: "pop-id", accessKeySecret: "pop-secret" });
});
after(() => registry.close());

const vendorClient = (secret = "pop-secret") =>
  new RPCClient({ accessKeyId: "pop-id", accessKeySecret: secret, endpoint: registry.url, apiVersion: "2018-12-01" });
const params = { RegionId: "cn-hangzhou", InstanceId: "cri-1", RepoId: "crr-1" };

test("the published vector: the RPC signing page's worked example (docs/api-facts.md)", () => {
  const text = stringToSign("GET", {
    AccessKeyId: "testid",
    Action: "DescribeRegions",
    Format: "XML",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    SignatureVersion: "1.0",
    Timestamp: "2016-02-23T12:46:24Z",
    Version: "2014-05-26",
  });
  assert.equal(sign(text, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
});

for (const method of ["GET", "POST"]) {
  test(`@alicloud/pop-core ${method} requests verify`, async () => {
    const answer = await vendorClient().request("ListRepoTag", params, { method });
    assert.equal(answer.TotalCount, 3);
    assert.equal(registry.requests.at(-1).verified, true);
  });
}

test("a wrong secret is refused with the server's string-to-sign", async () => {
  await assert.rejects(vendorClient("wrong").request("ListRepoTag", params, { method: "GET" }), /SignatureDoesNotMatch|signature/i);
  assert.notEqual(registry.requests.at(-1).verified, true);
});

test("a replayed nonce is refused", async () => {
  const first = await fetch(`${registry.url}/?${signedQuery("nonce-1")}`);
  assert.equal(first.status, 200);
  const replay = await fetch(`${registry.url}/?${signedQuery("nonce-1")}`);
  assert.equal(replay.status, 400);
  assert.match(await replay.text(), /SignatureNonceUsed/);
});

function signedQuery(nonce) {
  const p = {
    AccessKeyId: "pop-id",
    Action: "ListRepoTag",
    Format: "JSON",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: nonce,
    SignatureVersion: "1.0",
    Timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    Version: "2018-12-01",
    ...params,
  };
  p.Signature = sign(stringToSign("GET", p), "pop-secret");
  return new URLSearchParams(p).toString();
}
