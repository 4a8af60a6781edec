// edge/sign.js: signing a fetch Request, checked against the published
// vector, against the emulator (GET and POST) from Node and from workerd.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CREDENTIALS, loadPackage, useEmulator } from "./harness.mjs";
import { workerd } from "../../edge/dev.mjs";

let signFetchRequest;
let tagdeck;
let started; // the emulator, started by the first test that needs it
const emulator = () => (started ??= useEmulator());

before(async () => {
  tagdeck = await loadPackage();
  ({ signFetchRequest } = await import("../../edge/sign.js"));
});
after(async () => started?.then((running) => running.stop(), () => {}));

// The worked example of the vendor's RPC signature documentation (the
// DescribeRegions request signed with testid/testsecret), the first vector of
// tests/vectors/signature.json.
const VECTOR = {
  url: "http://ecs.aliyuncs.com/?Action=DescribeRegions&Format=XML&Version=2014-05-26",
  credentials: { accessKeyId: "testid", accessKeySecret: "testsecret" },
  fixed: { timestamp: "2016-02-23T12:46:24Z", nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" },
  signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
};

test("GET: the published vector's signature, every parameter in the query", async () => {
  const signed = await signFetchRequest(new Request(VECTOR.url), VECTOR.credentials, VECTOR.fixed);
  assert.equal(signed.method, "GET");
  const query = new URL(signed.url).searchParams;
  assert.equal(query.get("Signature"), VECTOR.signature);
  assert.equal(query.get("Timestamp"), "2016-02-23T12:46:24Z");
  assert.equal(query.get("Version"), "2014-05-26");
  assert.equal(query.get("Format"), "XML");
  assert.match(signed.url, /Timestamp=2016-02-23T12%3A46%3A24Z/, "RFC 3986 encoding in the URL");
});

test("POST: a form body in, a signed form body out, same signature as signRequest", async () => {
  const request = new Request("http://ecs.aliyuncs.com/", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "Action=DescribeRegions&Format=XML&Version=2014-05-26",
  });
  const signed = await signFetchRequest(request, VECTOR.credentials, VECTOR.fixed);
  assert.equal(signed.method, "POST");
  assert.equal(signed.url, "http://ecs.aliyuncs.com/");
  assert.equal(signed.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  const body = new URLSearchParams(await signed.text());
  const expected = tagdeck.signRequest({
    method: "POST",
    endpoint: "http://ecs.aliyuncs.com",
    ...VECTOR.credentials,
    ...VECTOR.fixed,
    params: { Action: "DescribeRegions" },
    version: "2014-05-26",
    format: "XML",
  });
  assert.equal(body.get("Signature"), expected.signature);
  assert.notEqual(body.get("Signature"), VECTOR.signature, "POST signs a different string than GET");
});

test("refusals name what is wrong", async () => {
  const cases = [
    [new Request(`${VECTOR.url}&Signature=x`), /already carries Signature/],
    [new Request(`${VECTOR.url}&Action=Other`), /Action is given twice/],
    [new Request("http://ecs.aliyuncs.com/v1/?Action=X"), /path "\/"/],
    [new Request("http://ecs.aliyuncs.com/?Action=X", { method: "PUT" }), /method PUT/],
    [new Request("http://ecs.aliyuncs.com/", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } }), /x-www-form-urlencoded/],
  ];
  for (const [request, message] of cases) {
    await assert.rejects(signFetchRequest(request, VECTOR.credentials), message);
  }
});

test("signed requests are accepted by the emulator, GET and POST", async () => {
  const { url } = await emulator();
  const get = await signFetchRequest(new Request(`${url}/?Action=ListInstance&RegionId=cn-hangzhou`), CREDENTIALS);
  const getAnswer = await fetch(get);
  assert.equal(getAnswer.status, 200, await getAnswer.clone().text());
  assert.ok(Array.isArray(tagdeck.decodeResponse("ListInstance", await getAnswer.text(), "JSON").instances));

  const post = await signFetchRequest(
    new Request(`${url}/`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "Action=ListInstance&RegionId=cn-hangzhou&PageSize=5" }),
    CREDENTIALS,
  );
  const postAnswer = await fetch(post);
  assert.equal(postAnswer.status, 200, await postAnswer.clone().text());
  assert.equal(tagdeck.decodeResponse("ListInstance", await postAnswer.text(), "JSON").pageSize, 5);

  const wrong = await signFetchRequest(new Request(`${url}/?Action=ListInstance&RegionId=cn-hangzhou`), { ...CREDENTIALS, accessKeySecret: "not-the-secret" });
  const refused = await fetch(wrong);
  assert.equal(refused.status >= 400, true);
  assert.match(await refused.text(), /SignatureDoesNotMatch/);
});

test("the same helper inside workerd: a user's middleware signs and forwards", async () => {
  const { url } = await emulator();
  const mf = workerd("tests/edge/workers/sign-worker.js", {
    bindings: { UPSTREAM: url, ACCESS_KEY_ID: CREDENTIALS.accessKeyId, ACCESS_KEY_SECRET: CREDENTIALS.accessKeySecret },
  });
  try {
    const answer = await mf.dispatchFetch("http://middleware.test/?Action=ListInstance&RegionId=cn-hangzhou");
    const text = await answer.text();
    assert.equal(answer.status, 200, text);
    assert.ok(Array.isArray(tagdeck.decodeResponse("ListInstance", text, "JSON").instances));
  } finally {
    await mf.dispose();
  }
});
