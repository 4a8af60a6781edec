// planRetention, explainRetention and retentionTags from the packed package
// ("tagdeck", re-exported from tagdeck/retention, its own WebAssembly
// module), as a Node user calls them: the contract's shapes, the three time
// forms, errors as TagdeckErrors naming the field, and the tags of a real
// registry (the emulator's SWR and Scaleway) gathered into the engine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as tagdeck from "./tagdeck.mjs";
import { startEmulator } from "./emulator.mjs";
import { generatedTags, pinnedPolicies, planHash, inputHash } from "./retention-input.mjs";

const { planRetention, explainRetention, retentionTags, initRetentionSync, SwrRegistry, ScalewayRegistry } = tagdeck;
const NOW = Date.parse("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
const TOKEN = "0b7c3e52-9a1f-4c8e-b5d2-6f4a1e9c7d30";

test("before the retention module is instantiated, planRetention says how to do it", () => {
  assert.throws(
    () => planRetention({ rules: [] }, [], { now: NOW }),
    (error) => error instanceof Error && error.name === "TagdeckError" && error.code === "NotInitialized" && /initRetention/.test(error.message),
  );
});

// Tests run in order: the first one sees the module not yet instantiated.
test("initRetentionSync instantiates it from the bytes the package exports", async () => {
  initRetentionSync(await readFile(new URL(import.meta.resolve("tagdeck/retention/tagdeck_retention_bg.wasm"))));
  assert.deepEqual(planRetention({ rules: [{ keep: { newest: 1 } }] }, [], { now: NOW }), { decisions: [], warnings: [] });
});

let emulator;
before(async () => {
  emulator = await startEmulator(["--auth-token", TOKEN]);
});
after(() => emulator?.close());

const ecrExample = (prodPriority, betaPriority) => ({
  format: "ecr",
  policy: {
    rules: [
      { rulePriority: prodPriority, selection: { tagStatus: "tagged", tagPrefixList: ["prod"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
      { rulePriority: betaPriority, selection: { tagStatus: "tagged", tagPrefixList: ["beta"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
    ],
  },
});
const ecrImages = [
  ["beta-1", "sha256:a", 10], ["prod-1", "sha256:a", 10], ["beta-2", "sha256:b", 9], ["prod-2", "sha256:b", 9], ["beta-3", "sha256:c", 8],
].map(([tag, digest, days]) => ({ repository: "repo", tag, digest, pushedAt: NOW - days * DAY }));
const deleted = (plan) => plan.decisions.filter((d) => d.action === "delete").map((d) => d.tag).sort();

test("the contract's shape: one decision per tag, in input order, with rule and reason", () => {
  const plan = planRetention(ecrExample(1, 2), ecrImages, { now: NOW });
  assert.equal(plan.decisions.length, ecrImages.length);
  assert.deepEqual(Object.keys(plan.decisions[0]), ["repository", "tag", "digest", "action", "rule", "reason"]);
  assert.deepEqual(plan.decisions.map((d) => d.tag), ecrImages.map((t) => t.tag));
  assert.deepEqual(deleted(plan), ["beta-1", "prod-1"]);
  assert.equal(plan.decisions[0].rule, "1");
  assert.match(plan.decisions[0].reason, /the image's tags go with it: beta-1, prod-1/);
  assert.deepEqual(plan.warnings, []);
  // The vendor's documented outcome with the priorities swapped.
  assert.deepEqual(deleted(planRetention(ecrExample(2, 1), ecrImages, { now: NOW })), ["beta-1", "beta-2", "prod-1", "prod-2"]);
});

test("times as ms numbers, bigints, RFC 3339 text and Dates give the same plan", () => {
  const policy = { rules: [{ keep: { newest: 1 } }], safety: { sharedDigest: false } };
  const forms = [(ms) => ms, (ms) => BigInt(ms), (ms) => new Date(ms).toISOString(), (ms) => new Date(ms).toISOString().replace("Z", "+00:00"), (ms) => new Date(ms)];
  const plans = forms.map((form) =>
    planRetention(policy, ecrImages.map((t) => ({ ...t, pushedAt: form(t.pushedAt) })), { now: form(NOW) }),
  );
  for (const plan of plans) assert.deepEqual(plan, plans[0]);
  assert.deepEqual(deleted(plans[0]), ["beta-1", "beta-2", "prod-1", "prod-2"]);
  assert.equal(plans[0].decisions[4].rule, 0);
  assert.equal(plans[0].decisions[4].reason, "rules[0]: newest 1 of all tags: this is #1");
});

test("the decisions do not depend on the order of the tags", () => {
  const policy = { rules: [{ keep: { newest: 2, by: "version", per: "^v(\\d+)\\." } }] };
  const tags = Array.from({ length: 40 }, (_, i) => ({ repository: `r${i % 3}`, tag: `v${i % 4}.${i}.0`, digest: `sha256:${i}`, pushedAt: NOW - i * DAY }));
  const key = (d) => `${d.repository}:${d.tag}:${d.action}:${d.rule}:${d.reason}`;
  const forward = planRetention(policy, tags, { now: NOW }).decisions.map(key).sort();
  const backward = planRetention(policy, tags.slice().reverse(), { now: NOW }).decisions.map(key).sort();
  assert.deepEqual(backward, forward);
});

test("an invalid policy is refused whole, with a TagdeckError naming the field", () => {
  const refused = (policy, pattern) =>
    assert.throws(
      () => planRetention(policy, ecrImages, { now: NOW }),
      (error) => error instanceof Error && error.name === "TagdeckError" && error.code === "InvalidPolicy" && pattern.test(error.message),
    );
  refused({ rules: [{ keep: { newest: 1 } }, { keep: { newest: 1 } }, { keep: { newest: 0 } }] }, /^rules\[2\]\.keep\.newest: must be ≥ 1$/);
  refused({ format: "gitlab", policy: { keepN: 5n } }, /^policy: must be a JSON object/);
  refused({ format: "acr-purge", args: "--filter app:.*" }, /^args --ago: is required/);
  refused({ format: "ecr", policy: { rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }] } }, /Lifecycle policy validation failure: tagPrefixList or tagPatternList is required/);
});

test("bad tags and options are refused naming the field", () => {
  const bad = (tags, options, pattern) =>
    assert.throws(() => planRetention({ rules: [{ keep: { newest: 1 } }] }, tags, options), (e) => e.code === "InvalidParameter" && pattern.test(e.message));
  bad("tags", { now: NOW }, /^tags: must be an array/);
  bad([{ repository: "r", tag: "a", digest: "d", pushedAt: "yesterday" }], { now: NOW }, /^tags\[0\]\.pushedAt: must be an RFC 3339 time/);
  bad([{ repository: "r", tag: "", digest: "d" }], { now: NOW }, /^tags\[0\]\.tag: must be non-empty text/);
  bad([], { nowMs: NOW }, /^options\.nowMs: unknown option/);
});

test("explainRetention gives the tagdeck equivalent, which plans the same", () => {
  const gitlab = { format: "gitlab", policy: { nameRegexDelete: ".*", nameRegexKeep: "keep-.*", keepN: 1, olderThan: "14d" } };
  const explanation = explainRetention(gitlab);
  assert.equal(explanation.format, "gitlab");
  assert.deepEqual(explanation.equivalent.protected, ["latest"]);
  const tags = ["latest", "v1", "v2", "v3", "keep-me"].map((tag, i) => ({ repository: "app", tag, digest: `sha256:${tag}`, pushedAt: NOW - (i + 1) * 10 * DAY }));
  assert.deepEqual(deleted(planRetention(gitlab, tags, { now: NOW })), deleted(planRetention(explanation.equivalent, tags, { now: NOW })));
  assert.equal(explainRetention(ecrExample(1, 2)).equivalent, null);
});

// Computed by the engine before its speed work (issue 14 item 6): a change
// that alters any decision, rule, reason or warning of these plans, or
// their order, fails here and says which policy's plan moved.
const PINNED_PLANS = {
  bench: "83701d2e238ff04a110d427db86a1088f63f5849b7e83fa7ff2c9b1c7b0f8049",
  clauses: "57100508a5948cf9021c1627076ee5ff5b4fd7d219cd3eb7fc29eb495436b166",
  warnTimes: "cd73b23e6ebe4ad5f15df6c9a4ceb43c9b65b2daf60068d23c4eae73bada9f1e",
  oneByOne: "c427d80b6d2633ed50b4ee80785c0c5de72096087c73b8a1089400c46ab23c9f",
  ecr: "31c757280fb7b8cad772e3133f37a6e0c14c9f43140d87ea9caa5e7283031521",
  gitlab: "dd9f0a030e4d9015f9e19337bf32a37e07d4b86118d1e85d31165834842604d7",
  acrPurge: "93f4c72ab7590b286b58e83a9d9a4a1d528578d53aeecc599605c09d6325445d",
  harbor: "f6830de6685c0ae8fc2e1e0fe91768da3b9a83bde0f735ed5ee39a478a5fd0c5",
  swr: "342ff9e0feb919dfb7d09e0acb0502b8d7c72a3135aba9c932dd8ba2d175158e",
  alibaba: "986bb9be6fc5d3225c0b13d2ce604bf7a3aff8c970365fad3e68a1864083d4c3",
};

test("20,000 generated tags: every dialect's whole plan is the pinned one", () => {
  const tags = generatedTags();
  // The input itself first: a moved plan is then the engine's doing.
  assert.equal(inputHash(tags), "9ae0beb7a3fd9fbe28438aa30dd3f78cddebc59422bc46c74d1cb01fda95330f");
  const hashes = {};
  for (const [name, [policy, options]] of Object.entries(pinnedPolicies)) {
    const plan = planRetention(policy, tags, { now: NOW, ...options });
    assert.equal(plan.decisions.length, tags.length);
    hashes[name] = planHash(plan);
  }
  assert.deepEqual(hashes, PINNED_PLANS);
  // The same input in reverse order: the same decisions, reversed.
  const reversed = planRetention(pinnedPolicies.clauses[0], tags.toReversed(), { now: NOW });
  assert.equal(planHash({ ...reversed, decisions: reversed.decisions.toReversed() }), PINNED_PLANS.clauses);
});

test("names outside ASCII cross intact into the engine and back", () => {
  // The names cross as one UTF-8 text, a byte per character when ASCII;
  // these take the other path, a lone surrogate among them.
  const tags = [
    { repository: "équipe/app", tag: "ünï-2😀", digest: "sha256:ä", pushedAt: NOW - DAY },
    { repository: "équipe/app", tag: "ünï-1", digest: "sha256:ä", pushedAt: NOW - 2 * DAY },
    { repository: "équipe/app", tag: "x\uD800", digest: "sha256:b", pushedAt: NOW - 3 * DAY },
  ];
  const plan = planRetention({ rules: [{ keep: { newest: 1 } }] }, tags, { now: NOW });
  assert.deepEqual(plan.decisions.map((d) => [d.repository, d.tag, d.action, d.rule]), [
    ["équipe/app", "ünï-2😀", "keep", 0],
    ["équipe/app", "ünï-1", "keep", "safety:shared-digest"],
    ["équipe/app", "x\uD800", "delete", 0],
  ]);
  assert.match(plan.decisions[1].reason, /^shares digest sha256:ä with kept tag `ünï-2😀`/);
  assert.equal(plan.decisions[2].reason, "rules[0]: not among the newest 1 of all tags: this is #3");
});

test("retentionTags gathers SWR's tags with the last update as the push time", async () => {
  const swr = new SwrRegistry({ authToken: TOKEN, endpoint: emulator.url });
  const repository = swr.repository({ namespace: "demo", repository: "web" });
  const tags = await retentionTags(repository, "demo/web");
  const listed = [];
  for await (const tag of repository.allTags()) listed.push(tag);
  assert.equal(tags.length, listed.length);
  assert.ok(tags.length > 0);
  for (const [i, tag] of tags.entries()) {
    assert.equal(tag.repository, "demo/web");
    assert.equal(tag.tag, listed[i].name);
    assert.equal(tag.digest, listed[i].digest ?? "");
    assert.equal(tag.pushedAt, listed[i].updatedMs ?? listed[i].createdMs);
  }
  const plan = planRetention({ rules: [{ keep: { newest: 3 } }] }, tags, { now: Date.parse("2030-01-01T00:00:00Z") });
  assert.equal(plan.decisions.length, tags.length);
  assert.ok(plan.decisions.some((d) => d.action === "delete"));
});

test("retentionTags keeps the id a Scaleway tag is deleted by, and a registry without tag ids gives none", async () => {
  const scaleway = new ScalewayRegistry({ authToken: TOKEN, endpoint: emulator.url, region: "fr-par" });
  const demo = (await scaleway.listNamespaces()).namespaces.find((n) => n.name === "demo");
  const web = (await scaleway.listImages({ namespaceId: demo.id, pageSize: 100 })).images.find((i) => i.name === "web");
  const repository = scaleway.repository({ imageId: web.id });
  const tags = await retentionTags(repository, "demo/web", { pageSize: 100 });
  const listed = [];
  for await (const tag of repository.allTags({ pageSize: 100 })) listed.push(tag);
  assert.ok(tags.length > 0);
  assert.ok(listed.every((tag) => typeof tag.id === "string" && tag.id !== ""));
  assert.deepEqual(tags.map((tag) => [tag.tag, tag.id]), listed.map((tag) => [tag.name, tag.id]));

  const swr = new SwrRegistry({ authToken: TOKEN, endpoint: emulator.url });
  const swrListed = [];
  for await (const tag of swr.repository({ namespace: "demo", repository: "web" }).allTags()) swrListed.push(tag);
  const swrTags = await retentionTags(swr.repository({ namespace: "demo", repository: "web" }), "demo/web");
  assert.deepEqual(swrTags.map((tag) => tag.id), swrListed.map((tag) => tag.id || undefined));
});

test("retentionTags refuses what is not a repository of the common interface", async () => {
  await assert.rejects(retentionTags({}, "x"), (e) => e.name === "TagdeckError" && e.code === "InvalidParameter" && /allTags/.test(e.message));
  const scaleway = new ScalewayRegistry({ authToken: TOKEN, endpoint: emulator.url, region: "fr-par" });
  await assert.rejects(retentionTags(scaleway.repository({ imageId: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" }), ""), (e) => e.code === "InvalidParameter" && /^name:/.test(e.message));
});
