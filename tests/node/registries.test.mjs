// ScalewayRegistry, SwrRegistry and the common tag interface, over real
// HTTP against tagdeck-emulator (demo data): the official Scaleway SDK
// (@scaleway/sdk-registry, its API URL pointed at the emulator) and tagdeck
// must agree on list (every page), get and delete; SWR pages through
// Content-Range; bad input is refused before any request.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { createClient } from "@scaleway/sdk-client";
import { Registryv1 } from "@scaleway/sdk-registry";

import { startEmulator } from "./emulator.mjs";
import { Client, ScalewayRegistry, SwrRegistry } from "./tagdeck.mjs";

// A Scaleway secret key is a UUID; the emulator accepts exactly this one.
const TOKEN = "0b7c3e52-9a1f-4c8e-b5d2-6f4a1e9c7d30";
const ACCESS_KEY_ID = "LTAI5tRegistriesTest01";
const ACCESS_KEY_SECRET = "registries-test-secret-do-not-show";

let emulator;
let sdk; // the official Scaleway client
let webImage; // the demo image `demo/web` (48 tags)

before(async () => {
  emulator = await startEmulator([
    "--auth-token", TOKEN, "--access-key-id", ACCESS_KEY_ID, "--access-key-secret", ACCESS_KEY_SECRET,
  ]);
  sdk = new Registryv1.API(
    createClient({ accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: TOKEN, apiURL: emulator.url, defaultRegion: "fr-par" }),
  );
  const namespaces = await sdk.listNamespaces({ name: "demo" });
  const images = await sdk.listImages({ namespaceId: namespaces.namespaces[0].id, name: "web" });
  webImage = images.images[0];
  assert.equal(webImage.name, "web");
});
after(() => emulator?.close());

/** A `fetch` that records what it is asked, then asks the real one. */
function recordingFetch() {
  const calls = [];
  const fetchFn = (url, init) => {
    calls.push({ url, init });
    return fetch(url, init);
  };
  return { calls, fetch: fetchFn };
}

function scaleway(options = {}) {
  return new ScalewayRegistry({ authToken: TOKEN, endpoint: emulator.url, retryBaseDelayMs: 5, ...options });
}

function swr(options = {}) {
  return new SwrRegistry({ authToken: TOKEN, endpoint: emulator.url, retryBaseDelayMs: 5, ...options });
}

async function rejects(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof Error, "a real Error");
    assert.equal(error.name, "TagdeckError");
    assert.equal(error.code, code, error.message);
    return true;
  });
}

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

test("the package README's registries example runs as written (first: before any delete)", async () => {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const readme = await readFile(join(here, "node_modules", "tagdeck", "README.md"), "utf8");
  const match = readme.match(/<!-- example: registries -->\s*```\w*\n([\s\S]*?)\n```/);
  assert.ok(match, "README has the registries example");
  // Beside the installed package, so that "tagdeck" resolves as for a user.
  const dir = join(here, "node_modules", ".readme-examples");
  await mkdir(dir, { recursive: true });
  const file = join(dir, "registries-example.mjs");
  await writeFile(file, match[1].replaceAll("http://127.0.0.1:8080", emulator.url));
  const { stdout } = await promisify(execFile)(process.execPath, [file], {
    env: { ...process.env, TAGDECK_AUTH_TOKEN: TOKEN },
  });
  assert.deepEqual(
    stdout.trim().split("\n").map((line) => line.replace(/sha256:[0-9a-f]{64}$/, "sha256:…")),
    ["scaleway: 48 tags, latest is sha256:…", "swr: 48 tags, latest is sha256:…"],
  );
});

describe("Scaleway: tagdeck and the official SDK agree", () => {
  test("namespaces and images", async () => {
    const ours = await scaleway().listNamespaces();
    const theirs = await sdk.listNamespaces({});
    assert.equal(ours.totalCount, theirs.totalCount);
    assert.deepEqual(ours.namespaces.map((n) => [n.id, n.name, n.endpoint]), theirs.namespaces.map((n) => [n.id, n.name, n.endpoint]));
    const demo = ours.namespaces.find((n) => n.name === "demo");
    const ourImages = await scaleway().listImages({ namespaceId: demo.id, pageSize: 100 });
    const theirImages = await sdk.listImages({ namespaceId: demo.id, pageSize: 100 });
    assert.deepEqual(
      ourImages.images.map((i) => [i.id, i.name, i.size, i.tags.length]),
      theirImages.images.map((i) => [i.id, i.name, BigInt(i.size), i.tags.length]),
    );
    assert.equal(typeof ourImages.images[0].size, "bigint");
  });

  for (const orderBy of ["created_at_asc", "name_desc"]) {
    test(`list, every page (${orderBy}): SDK .all(), native pages and allTags() give the same tags`, async () => {
      const theirs = await sdk.listTags({ imageId: webImage.id, pageSize: 20, orderBy }).all();
      assert.equal(theirs.length, 48);

      const registry = scaleway();
      const native = [];
      for (let page = 1; ; page++) {
        const answer = await registry.listTags({ imageId: webImage.id, page, pageSize: 20, orderBy });
        assert.equal(answer.totalCount, 48);
        native.push(...answer.tags);
        if (answer.tags.length < 20) break;
      }
      assert.equal(native.length, 48);

      const sort = orderBy === "name_desc" ? { key: "name", descending: true } : { key: "created" };
      const recorder = recordingFetch();
      const common = await collect(scaleway({ fetch: recorder.fetch }).repository({ imageId: webImage.id }).allTags({ pageSize: 20, sort }));
      assert.equal(recorder.calls.length, 3, "three pages of 20");

      const sdkView = theirs.map((t) => [t.id, t.name, t.imageId, t.status, t.digest, t.createdAt.getTime(), t.updatedAt.getTime()]);
      assert.deepEqual(native.map((t) => [t.id, t.name, t.imageId, t.status, t.digest, Date.parse(t.createdAt), Date.parse(t.updatedAt)]), sdkView);
      assert.deepEqual(common.map((t) => [t.id, t.name, t.imageId, t.status, t.digest, t.createdMs, t.updatedMs]), sdkView);
      assert.ok(common.every((t) => t.provider === "scaleway"));
    });
  }

  test("get: by id natively, by name and by listed tag through the common interface", async () => {
    const [first] = (await sdk.listTags({ imageId: webImage.id, name: "latest" })).tags;
    const theirs = await sdk.getTag({ tagId: first.id });
    const native = await scaleway().getTag({ tagId: first.id });
    assert.deepEqual(
      [native.id, native.name, native.digest, native.status, Date.parse(native.createdAt)],
      [theirs.id, theirs.name, theirs.digest, theirs.status, theirs.createdAt.getTime()],
    );
    const repository = scaleway().repository({ imageId: webImage.id });
    const byName = await repository.getTag("latest");
    const byTag = await repository.getTag(byName);
    for (const tag of [byName, byTag]) {
      assert.deepEqual([tag.id, tag.name, tag.digest, tag.createdMs], [theirs.id, theirs.name, theirs.digest, theirs.createdAt.getTime()]);
    }
  });

  test("delete: unforced refusals agree, and each sees the other's deletes", async () => {
    const all = await sdk.listTags({ imageId: webImage.id, pageSize: 100 }).all();
    // Scaleway refuses to delete a tag whose digest another tag shares unless
    // forced; in the demo data every tag shares its digest with another.
    const [byUs, byTheSdk] = all.filter((t) => t.name !== "latest" && all.some((o) => o.id !== t.id && o.digest === t.digest));
    const repository = scaleway().repository({ imageId: webImage.id });
    await rejects(repository.deleteTag(byUs.name), "precondition_failed");
    await assert.rejects(sdk.deleteTag({ tagId: byUs.id }), /precondition/);

    // tagdeck by name: looks the id up, then DELETE; answers the deleted tag.
    const deleted = await repository.deleteTag(byUs.name, { force: true });
    assert.equal(deleted.id, byUs.id);
    await assert.rejects(sdk.getTag({ tagId: byUs.id }), /not found/i);

    await sdk.deleteTag({ tagId: byTheSdk.id, force: true });
    await rejects(scaleway().getTag({ tagId: byTheSdk.id }), "not_found");
    await rejects(repository.getTag(byTheSdk.name), "not_found");

    const after = await sdk.listTags({ imageId: webImage.id, pageSize: 100 }).all();
    const ours = await collect(repository.allTags());
    assert.equal(after.length, all.length - 2);
    assert.deepEqual(ours.map((t) => t.id), after.map((t) => t.id));
    assert.ok(!ours.some((t) => t.id === byUs.id || t.id === byTheSdk.id));
  });
});

describe("SWR", () => {
  const web = { namespace: "demo", repository: "web" };

  test("pages through Content-Range across 3 pages (separate parameters and the filter form)", async () => {
    for (const form of ["separate", "filter"]) {
      const registry = swr();
      const seen = [];
      const ranges = [];
      let offset = 0;
      for (;;) {
        const params = form === "separate"
          ? { ...web, offset, limit: 20, orderColumn: "updated_at", orderType: "desc" }
          : { ...web, filter: `offset::${offset}|limit::20|order_column::updated_at|order_type::desc` };
        const page = await registry.listRepositoryTags(params);
        ranges.push(page.contentRange);
        assert.equal(page.total, 48);
        seen.push(...page.tags.map((t) => t.tag));
        if (page.nextOffset === null) break;
        assert.equal(page.nextOffset, offset + 20);
        offset = page.nextOffset;
      }
      assert.equal(ranges.length, 3, form);
      assert.ok(ranges.every((r) => /^\d+-\d+\/48$/.test(r)), ranges.join(" "));
      assert.equal(new Set(seen).size, 48, form);
    }
    const recorder = recordingFetch();
    const common = await collect(swr({ fetch: recorder.fetch }).repository(web).allTags({ pageSize: 20, sort: { key: "updated", descending: true } }));
    assert.equal(recorder.calls.length, 3);
    assert.equal(new Set(common.map((t) => t.name)).size, 48);
    assert.ok(common.every((t) => typeof t.size === "bigint" && t.path.endsWith(`/demo/web:${t.name}`)));
    assert.match(recorder.calls[2].url, /\?offset=40&limit=20&order_column=updated_at&order_type=desc$/);
    assert.equal(recorder.calls[0].init.headers["X-Auth-Token"], TOKEN);
  });

  test("lists namespaces and pages through every repository of a namespace", async () => {
    const recorder = recordingFetch();
    const registry = swr({ fetch: recorder.fetch });
    const { namespaces } = await registry.listNamespaces();
    assert.ok(namespaces.some((n) => n.name === "demo" && typeof n.id === "bigint"), JSON.stringify(namespaces.map((n) => n.name)));

    const everything = await registry.listRepositories({ namespace: "demo" });
    assert.equal(everything.nextOffset, null);
    const expected = everything.repos.map((r) => r.name);
    assert.ok(expected.includes("web") && expected.includes("big-app"), expected.join(" "));
    assert.ok(everything.repos.every((r) => r.namespace === "demo"));
    const web = everything.repos.find((r) => r.name === "web");
    assert.equal(web.numImages, 48n);
    assert.equal(web.tags.length, 48);
    assert.equal(typeof web.size, "bigint");
    assert.match(web.path, /\/demo\/web$/);

    const seen = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const page = await registry.listRepositories({ namespace: "demo", offset, limit: 2 });
      pages++;
      assert.equal(page.total, expected.length);
      seen.push(...page.repos.map((r) => r.name));
      if (page.nextOffset === null) break;
      assert.equal(page.nextOffset, offset + 2);
      offset = page.nextOffset;
    }
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));
    assert.match(recorder.calls.at(-1).url, /\/v2\/manage\/repos\?namespace=demo&offset=\d+&limit=2$/);

    await rejects(registry.listRepositories({ namespace: "Demo" }), "InvalidParameter");
    await rejects(registry.listRepositories({ offset: 1, limit: 2 }), "InvalidParameter");
    await rejects(registry.listRepositories({ orderColumn: "size", orderType: "asc" }), "InvalidParameter");
  });

  test("create from a source tag, get, delete — natively and through the common interface", async () => {
    const registry = swr();
    await registry.createRepoTag({ ...web, sourceTag: "latest", destinationTag: "native-copy" });
    const native = await registry.showRepoTag({ ...web, tag: "native-copy" });
    const source = await registry.showRepoTag({ ...web, tag: "latest" });
    assert.equal(native.digest, source.digest);
    await registry.deleteRepoTag({ ...web, tag: "native-copy" });
    await rejects(registry.showRepoTag({ ...web, tag: "native-copy" }), "SVCSTG.SWR.4040003");

    const repository = registry.repository(web);
    assert.deepEqual(repository.capabilities, { create: true, maxPageSize: 1000, sortKeys: ["created", "updated"] });
    const created = await repository.createTag("latest", "common-copy");
    assert.equal(created.name, "common-copy");
    assert.equal(created.digest, source.digest);
    await rejects(repository.createTag("latest", "common-copy"), "SVCSTG.SWR.4090001");
    assert.equal((await repository.createTag("stable", "common-copy", { overwrite: true })).name, "common-copy");
    assert.equal(await repository.deleteTag("common-copy"), null);
    await rejects(repository.getTag("common-copy"), "SVCSTG.SWR.4040003");
  });
});

describe("bad input is refused before any request", () => {
  test("native methods and the common interface", async () => {
    const recorder = recordingFetch();
    const scw = scaleway({ fetch: recorder.fetch });
    const otc = swr({ fetch: recorder.fetch });
    const scwRepo = scw.repository({ imageId: webImage.id });
    const swrRepo = otc.repository({ namespace: "demo", repository: "web" });
    const cases = [
      [scw.listTags({ imageId: "web" }), "InvalidParameter"],
      [scw.listTags({ imageId: webImage.id, pageSize: 101 }), "InvalidParameter"],
      [scw.listTags({ imageId: webImage.id, page: 0 }), "InvalidParameter"],
      [scw.listTags({ imageId: webImage.id, orderBy: "status_asc" }), "InvalidParameter"],
      [scw.listTags({ imageId: webImage.id, pgae: 2 }), "InvalidParameter"],
      [scw.listTags({}), "MissingParameter"],
      [scw.listTags("web"), "InvalidParameter"],
      [scw.getTag({ tagId: "latest" }), "InvalidParameter"],
      [scw.deleteTag({ tagId: webImage.id, force: "yes" }), "InvalidParameter"],
      [scw.call("CreateTag", {}), "InvalidApi.NotFound"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", offset: 15, limit: 10 }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", limit: 10 }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", offset: 0, limit: 1001 }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", orderColumn: "updated_at" }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", orderColumn: "size", orderType: "asc" }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", filter: "offset::0|limit::10", tag: "v1" }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "demo", repository: "web", filter: "offset::5|limit::10" }), "InvalidParameter"],
      [otc.listRepositoryTags({ namespace: "Demo", repository: "web" }), "InvalidParameter"],
      [otc.showRepoTag({ namespace: "demo", repository: "web", tag: "a/b" }), "InvalidParameter"],
      [otc.createRepoTag({ namespace: "demo", repository: "web", sourceTag: "latest" }), "MissingParameter"],
      [scwRepo.listTags({ pageSize: 101 }), "InvalidParameter"],
      [scwRepo.listTags({ sort: { key: "updated" } }), "InvalidParameter"],
      [scwRepo.createTag("latest", "copy"), "InvalidApi.NotFound"],
      [scwRepo.getTag("not a tag"), "InvalidParameter"],
      [swrRepo.listTags({ page: 0 }), "InvalidParameter"],
      [swrRepo.listTags({ pageSize: 10, colour: "red" }), "InvalidParameter"],
      [swrRepo.deleteTag(42), "InvalidParameter"],
      [swrRepo.createTag("latest", ".bad"), "InvalidParameter"],
    ];
    for (const [promise, code] of cases) await rejects(promise, code);
    assert.throws(() => swrRepo.allTags({ pageSize: 5000 }), (e) => e.code === "InvalidParameter");
    assert.throws(() => scw.repository({ imageId: "web" }), (e) => e.code === "InvalidParameter");
    assert.throws(() => otc.repository({ namespace: "demo" }), (e) => e.code === "InvalidParameter");
    assert.throws(() => new ScalewayRegistry({ authToken: "" }), (e) => e.code === "InvalidParameter");
    assert.throws(() => new SwrRegistry({ authToken: TOKEN, regoin: "eu-de" }), (e) => e.code === "InvalidParameter" && /regoin/.test(e.message));
    assert.equal(recorder.calls.length, 0, "nothing was sent");
  });
});

describe("errors, retries and secrets", () => {
  test("a wrong token: the registry's error in the Client's Error shape, no secret anywhere", async () => {
    const wrong = "11111111-2222-3333-4444-555555555555";
    const scw = new ScalewayRegistry({ authToken: wrong, endpoint: emulator.url });
    await assert.rejects(scw.listNamespaces(), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "TagdeckError");
      assert.equal(e.code, "denied_authentication");
      assert.equal(e.httpStatus, 401);
      assert.equal(e.retryable, false);
      assert.ok(!e.message.includes(wrong) && !e.stack.includes(wrong));
      return true;
    });
    const otc = new SwrRegistry({ authToken: wrong, endpoint: emulator.url });
    await rejects(otc.repository({ namespace: "demo", repository: "web" }).listTags(), "SVCSTG.SWR.4010001");
    for (const registry of [scw, otc]) {
      assert.ok(!JSON.stringify(registry).includes(wrong));
      assert.ok(!Object.values(registry).some((v) => String(v).includes(wrong)));
    }
  });

  test("429 is retried (Retry-After honoured), for reads and for deletes: throttled means not applied", async () => {
    let throttle = 0;
    const calls = [];
    const flaky = (url, init) => {
      calls.push(init.method);
      if (throttle > 0) {
        throttle--;
        return Promise.resolve(new Response(JSON.stringify({ message: "too many requests", type: "too_many_requests" }), { status: 429, headers: { "retry-after": "0" } }));
      }
      return fetch(url, init);
    };
    const scw = scaleway({ fetch: flaky });
    throttle = 1;
    const page = await scw.listTags({ imageId: webImage.id, pageSize: 1 });
    assert.equal(page.tags.length, 1);
    assert.deepEqual(calls, ["GET", "GET"]);

    calls.length = 0;
    throttle = 1;
    // Throttled means refused before anything was applied: a write is sent again too.
    await scw.deleteTag({ tagId: page.tags[0].id, force: true });
    assert.deepEqual(calls, ["DELETE", "DELETE"]);
  });
});

describe("Alibaba through the same interface", () => {
  test("client.repository: every page, create, get, delete", async () => {
    const client = new Client({ accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, regionId: "cn-hangzhou", endpoint: emulator.url });
    const instanceId = (await client.listInstance({})).instances[0].instanceId;
    const repos = await client.listRepository({ instanceId, pageSize: 100 });
    const web = repos.repositories.find((r) => r.repoNamespaceName === "demo" && r.repoName === "web");
    const repository = client.repository({ instanceId, repoId: web.repoId, namespaceName: "demo", repoName: "web" });
    assert.equal(repository.provider, "alibaba");

    const all = await collect(repository.allTags({ pageSize: 20 }));
    const total = (await client.listRepoTag({ instanceId, repoId: web.repoId, pageSize: 1 })).totalCount;
    assert.equal(all.length, total);
    assert.ok(all.every((t) => t.digest.startsWith("sha256:") && typeof t.size === "bigint"));

    const created = await repository.createTag("latest", "from-common");
    const latest = await repository.getTag("latest");
    assert.equal(created.digest, latest.digest);
    assert.equal(await repository.deleteTag(created), null);
    await rejects(repository.getTag("from-common"), "TAG_NOT_EXIST");
    await rejects(repository.createTag("latest", "x", { overwrite: true }), "InvalidParameter");
  });
});
