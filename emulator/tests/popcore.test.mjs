// The vendor's own Node client, @alicloud/pop-core, against the emulator,
// unchanged: GET and POST, JSON answers (pop-core parses JSON only) and XML
// answers read with xml2js (the XML parser pop-core itself depends on),
// and the errors pop-core raises for a wrong secret, a reused nonce and a
// stale timestamp.
//
//   node --test emulator/tests/popcore.test.mjs
//
// The emulator binary is $TAGDECK_EMULATOR_BIN, else target/debug's, built
// with cargo when missing.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const RPCClient = require("@alicloud/pop-core");
const xml2js = require("xml2js");

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const INSTANCE = "cri-tagdeckdemo00001";
const REGION = "cn-hangzhou";

let emulator;
let endpoint;
let credentials = {};

function emulatorBinary() {
  if (process.env.TAGDECK_EMULATOR_BIN) return process.env.TAGDECK_EMULATOR_BIN;
  const built = path.join(repo, "target/debug/tagdeck-emulator");
  if (!existsSync(built)) {
    execFileSync("cargo", ["build", "-q", "-p", "tagdeck-emulator"], { cwd: repo, stdio: "inherit" });
  }
  return built;
}

before(async () => {
  emulator = spawn(emulatorBinary(), ["--listen", "127.0.0.1:0", "--seed", "demo"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: emulator.stdout });
  // The banner: the address first, then `name: value` lines.
  for await (const line of lines) {
    const address = line.match(/^tagdeck-emulator listening on (http:\/\/\S+)$/);
    if (address) endpoint = address[1];
    const pair = line.match(/^([a-z-]+): (.*)$/);
    if (pair) credentials[pair[1]] = pair[2];
    if (line.startsWith("state:")) break;
  }
  assert.ok(endpoint, "the emulator printed its address");
});

after(() => emulator?.kill());

function client(overrides = {}) {
  return new RPCClient({
    accessKeyId: credentials["access-key-id"],
    accessKeySecret: credentials["access-key-secret"],
    endpoint,
    apiVersion: "2018-12-01",
    ...overrides,
  });
}

const scope = { RegionId: REGION, InstanceId: INSTANCE };

async function repoId(namespace, name) {
  const r = await client().request("GetRepository", { ...scope, RepoNamespaceName: namespace, RepoName: name });
  return r.RepoId;
}

test("lists instances, namespaces, repositories and tags by GET and by POST", async () => {
  for (const method of ["GET", "POST"]) {
    const opts = { method };
    const c = client();
    const instances = await c.request("ListInstance", { RegionId: REGION }, opts);
    assert.equal(instances.Code, "success");
    assert.ok(instances.RequestId);
    assert.deepEqual(instances.Instances.map((i) => i.InstanceId), [INSTANCE]);
    const namespaces = await c.request("ListNamespace", scope, opts);
    assert.equal(namespaces.TotalCount, 4);
    assert.ok(namespaces.Namespaces.some((n) => n.NamespaceName === "demo"));
    const repos = await c.request("ListRepository", { ...scope, RepoNamespaceName: "demo" }, opts);
    assert.equal(repos.TotalCount, 4);
    const web = repos.Repositories.find((r) => r.RepoName === "web");
    const tags = await c.request("ListRepoTag", { ...scope, RepoId: web.RepoId, PageSize: 10 }, opts);
    assert.equal(tags.TotalCount, 48);
    assert.equal(tags.Images.length, 10);
    assert.match(tags.Images[0].Digest, /^[0-9a-f]{64}$/);
  }
});

test("pages through every tag of a repository", async () => {
  const big = await repoId("demo", "big-app");
  const seen = new Set();
  for (let page = 1; ; page++) {
    const r = await client().request("ListRepoTag", { ...scope, RepoId: big, PageNo: page, PageSize: 100 });
    assert.equal(r.TotalCount, 2400);
    if (r.Images.length === 0) break;
    for (const image of r.Images) seen.add(image.Tag);
  }
  assert.equal(seen.size, 2400);
});

test("creates a tag from another, reads it back and deletes it", async () => {
  const c = client();
  const web = await repoId("demo", "web");
  const source = await c.request("GetRepoTag", { ...scope, RepoId: web, Tag: "stable" });
  await c.request(
    "CreateRepoTag",
    { InstanceId: INSTANCE, RegionId: REGION, NamespaceName: "demo", RepoName: "web", FromTag: "stable", ToTag: "popcore-copy" },
    { method: "POST" },
  );
  const copy = await c.request("GetRepoTag", { ...scope, RepoId: web, Tag: "popcore-copy" });
  assert.equal(copy.Digest, source.Digest);
  assert.equal(String(copy.ImageSize), String(source.ImageSize));
  await c.request("DeleteRepoTag", { ...scope, RepoId: web, Tag: "popcore-copy" }, { method: "POST" });
  await assert.rejects(
    c.request("GetRepoTag", { ...scope, RepoId: web, Tag: "popcore-copy" }),
    (err) => err.code === "TAG_NOT_EXIST" && err.data.IsSuccess === false,
  );
});

test("a wrong secret gives SignatureDoesNotMatch with the server's string-to-sign", async () => {
  const wrong = client({ accessKeySecret: "not-the-secret" });
  for (const method of ["GET", "POST"]) {
    await assert.rejects(wrong.request("ListNamespace", scope, { method }), (err) => {
      assert.equal(err.code, "SignatureDoesNotMatch");
      assert.match(err.data.Message, new RegExp(`:${method}&%2F&AccessKeyId%3D`));
      assert.ok(err.data.RequestId);
      return true;
    });
  }
});

test("a reused nonce gives SignatureNonceUsed", async () => {
  const nonce = randomUUID();
  await client().request("ListNamespace", { ...scope, SignatureNonce: nonce });
  await assert.rejects(
    client().request("ListNamespace", { ...scope, SignatureNonce: nonce }),
    (err) => err.code === "SignatureNonceUsed",
  );
});

test("a stale timestamp gives InvalidTimeStamp.Expired", async () => {
  await assert.rejects(
    client().request("ListNamespace", { ...scope, Timestamp: "2020-01-01T00:00:00Z" }),
    (err) => err.code === "InvalidTimeStamp.Expired",
  );
});

test("an unknown key and an unknown action are refused", async () => {
  await assert.rejects(
    client({ accessKeyId: "LTAI5tUnknownKey" }).request("ListNamespace", scope),
    (err) => err.code === "InvalidAccessKeyId.NotFound",
  );
  await assert.rejects(client().request("DescribeRegions", {}), (err) => err.code === "InvalidApi.NotFound");
  await assert.rejects(
    client().request("ListRepoTag", scope),
    (err) => err.code === "MissingParameter" && /RepoId/.test(err.data.Message),
  );
});

// pop-core parses JSON only; XML answers are signed the way pop-core signs
// and read with xml2js.
function popEncode(text) {
  return encodeURIComponent(text)
    .replace(/!/g, "%21")
    .replace(/'/g, "%27")
    .replace(/\(/g, "%28")
    .replace(/\)/g, "%29")
    .replace(/\*/g, "%2A");
}

async function signedXml(action, params, method = "GET", secret = credentials["access-key-secret"]) {
  const all = {
    Action: action,
    Format: "XML",
    Version: "2018-12-01",
    AccessKeyId: credentials["access-key-id"],
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...params,
  };
  const query = Object.keys(all)
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(String(all[k]))}`)
    .join("&");
  const stringToSign = `${method}&${popEncode("/")}&${popEncode(query)}`;
  const signature = createHmac("sha1", `${secret}&`).update(stringToSign).digest("base64");
  const body = `${query}&Signature=${popEncode(signature)}`;
  const response =
    method === "GET"
      ? await fetch(`${endpoint}/?${body}`)
      : await fetch(`${endpoint}/`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
  return { status: response.status, xml: await xml2js.parseStringPromise(await response.text()) };
}

test("XML answers have the <{Action}Response> root and flat lists", async () => {
  const web = await repoId("demo", "web");
  for (const method of ["GET", "POST"]) {
    const { status, xml } = await signedXml("ListRepoTag", { ...scope, RepoId: web, PageSize: 3 }, method);
    assert.equal(status, 200);
    const root = xml.ListRepoTagResponse;
    assert.ok(root, "root element");
    assert.equal(root.TotalCount[0], "48");
    assert.equal(root.IsSuccess[0], "true");
    // Flat: one <Images> element per tag, no inner item element.
    assert.equal(root.Images.length, 3);
    assert.match(root.Images[0].Digest[0], /^[0-9a-f]{64}$/);
  }
});

test("XML errors are <Error> documents", async () => {
  const { status, xml } = await signedXml("ListNamespace", scope, "GET", "wrong");
  assert.equal(status, 400);
  assert.equal(xml.Error.Code[0], "SignatureDoesNotMatch");
  assert.ok(xml.Error.RequestId[0]);
  assert.ok(xml.Error.Recommend[0].includes("SignatureDoesNotMatch"));
});
