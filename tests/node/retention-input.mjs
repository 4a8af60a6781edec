// The input and policies of the pinned-plan test (retention.test.mjs): the
// whole plan of a large generated input, pinned: every speed change to
// the engine or its glue must leave each plan byte-identical. The input is
// generated from a fixed seed (20,000 tags in 150 repositories, partly
// interleaved) with every kind of tag the engine treats apart: versions,
// pre-releases, branch builds, shared and missing digests, unknown,
// placeholder (1970), future and created-after-updated times, pull times,
// a repository whose tags all share one push time, and the time forms
// (number, bigint, RFC 3339 text, Date).
import { createHash } from "node:crypto";

const NOW = Date.parse("2026-12-01T00:00:00Z");
const DAY = 86_400_000;

/** mulberry32: a small PRNG with a fixed seed, so the input never changes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedTags(count = 20_000, seed = 0x5eed) {
  const next = random(seed);
  const int = (n) => Math.floor(next() * n);
  const repositories = Array.from({ length: 150 }, (_, r) => (r % 3 === 0 ? `team-${r % 11}/svc-${r}` : r % 3 === 1 ? `lib/app-${r}` : `solo-${r}`));
  const names = repositories.map(() => new Set());
  const lastDigest = repositories.map(() => "");
  const hex = () => Array.from({ length: 8 }, () => int(0x100000000).toString(16).padStart(8, "0")).join("");
  const tagName = () => {
    switch (int(9)) {
      case 0: return `v${int(3)}.${int(12)}.${int(30)}`;
      case 1: return `${int(3)}.${int(12)}.${int(30)}-rc.${int(12)}`;
      case 2: return `v${int(3)}.${int(12)}`;
      case 3: return `pr-${int(4000)}`;
      case 4: return `main-${hex().slice(0, 7)}`;
      case 5: return `release-${int(60)}`;
      case 6: return ["latest", "stable", "nightly", "prod-1", "beta-2", "keep-me"][int(6)];
      case 7: return `build-${int(500)}`;
      default: return `v${int(2)}.${int(5)}.${int(9)}-alpine`;
    }
  };
  const time = (ms) => {
    switch (int(20)) {
      case 0: return BigInt(ms);
      case 1: return new Date(ms).toISOString();
      case 2: return new Date(ms);
      default: return ms;
    }
  };
  const tags = [];
  let r = 0;
  while (tags.length < count) {
    // Runs of one repository (as registries list them), now and then another.
    if (int(8) === 0) r = int(repositories.length);
    const repository = repositories[r];
    let tag = tagName();
    while (names[r].has(tag)) tag = tagName();
    names[r].add(tag);
    const roll = int(100);
    const digest = roll < 15 && lastDigest[r] !== "" ? lastDigest[r] : roll < 17 ? "" : `sha256:${hex()}`;
    if (digest !== "") lastDigest[r] = digest;
    const item = { repository, tag, digest };
    if (r === 7) {
      item.pushedAt = NOW - 5 * DAY; // every tag of this repository at one instant
    } else {
      const timeRoll = int(100);
      const pushed = timeRoll === 0 ? 0 : timeRoll === 1 ? NOW + 3 * DAY : NOW - int(400 * DAY);
      if (timeRoll !== 2) item.pushedAt = time(pushed);
      if (timeRoll === 3) item.createdAt = pushed + DAY;
      else if (int(4) === 0) item.createdAt = pushed - int(30 * DAY);
    }
    if (int(5) < 2) item.pulledAt = time(NOW - int(90 * DAY));
    if (digest === "" && int(2) === 0) delete item.digest;
    tags.push(item);
    if (int(40) === 0) r = (r + 1) % repositories.length;
  }
  return tags;
}

const harborRule = (template, params, tags, repos) => ({
  disabled: false, action: "retain", template, params,
  tag_selectors: [{ kind: "doublestar", decoration: "matches", pattern: tags, extras: "{\"untagged\":true}" }],
  scope_selectors: { repository: [{ kind: "doublestar", decoration: "repoMatches", pattern: repos }] },
});

/** Every dialect, and tagdeck's own language with each of its clauses. */
export const pinnedPolicies = {
  bench: [{
    rules: [
      { tags: { include: "v*" }, keep: { newest: 2, by: "version", per: "^v(\\d+\\.\\d+)\\." } },
      { tags: { include: "v*" }, keep: { newest: 10, by: "version" } },
      { keep: { pushedWithinDays: 30 } },
    ],
    protected: ["latest"],
  }],
  clauses: [{
    rules: [
      { id: "team", repositories: "team-*/**", tags: { include: { regex: "v?\\d+\\..*" }, exclude: "*-alpine" }, keep: { newest: 3, per: { regex: "^v?(\\d+)\\.(\\d+)" } } },
      { id: "prs", tags: { include: ["pr-*", "main-*"] }, keep: { pushedWithinDays: 60, pulledWithinDays: 14 } },
      { repositories: ["lib/**", "solo-1*"], keep: { newest: 5 } },
      { tags: { include: "build-*" }, keep: { newest: 4, by: "version" } },
      { tags: { include: "nightly" }, keep: { none: true } },
    ],
    protected: ["stable", { regex: "prod-\\d+" }],
    deleteOnlyOlderThanDays: 7,
  }],
  warnTimes: [{ rules: [{ keep: { newest: 8 } }], safety: { timestamps: "warn", sharedDigest: false } }],
  oneByOne: [{ rules: [{ keep: { newest: 6, by: "version" } }] }, { deletesTagsOneByOne: true }],
  ecr: [{ format: "ecr", policy: { rules: [
    { rulePriority: 1, selection: { tagStatus: "tagged", tagPrefixList: ["prod", "beta"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
    { rulePriority: 2, selection: { tagStatus: "tagged", tagPatternList: ["v*.*"], countType: "imageCountMoreThan", countNumber: 5 }, action: { type: "expire" } },
    { rulePriority: 3, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 90 }, action: { type: "expire" } },
  ] } }],
  gitlab: [{ format: "gitlab", policy: { nameRegexDelete: ".*", nameRegexKeep: "keep-.*|stable", keepN: 5, olderThan: "30d" } }],
  acrPurge: [{ format: "acr-purge", args: "--filter 'lib/.*:.*' --filter 'team-1/svc-.*:^v' --ago 20d --keep 3" }],
  harbor: [{ format: "harbor", policy: { algorithm: "or", rules: [
    harborRule("latestPushedK", { latestPushedK: 4 }, "v*", "**"),
    harborRule("nDaysSinceLastPull", { nDaysSinceLastPull: 30 }, "**", "lib/**"),
    harborRule("always", {}, "{latest,stable}", "**"),
  ] } }],
  swr: [{ format: "swr", policy: { algorithm: "or", rules: [
    { template: "tag_rule", params: { num: "4" }, tag_selectors: [{ kind: "regexp", pattern: "^pr-.*" }] },
  ] } }],
  alibaba: [{ format: "alibaba", rule: { scope: "INSTANCE", tagRegexp: "release-.*", retentionTagCount: 6, enableDeleteTag: true } }],
};

/** The plan's SHA-256, over its JSON text (every field, in order). */
export function planHash(plan) {
  return createHash("sha256").update(JSON.stringify(plan)).digest("hex");
}

/** The input's SHA-256, over its JSON text (a bigint written as `<digits>n`). */
export function inputHash(tags) {
  const text = JSON.stringify(tags, (_, value) => (typeof value === "bigint" ? `${value}n` : value));
  return createHash("sha256").update(text).digest("hex");
}
