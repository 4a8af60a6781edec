// Planning 100,000 tags across 1,000 repositories in one call (issue 14's
// goal: under 100 ms in Node), beside the dashboard's former JavaScript
// retention (www/lib/retention.js: newest N, older than D days, one regex,
// protected globs; one call per repository) as the baseline. Each side is
// given the policy it can express:
//   tagdeck: keep the 10 newest `v*` by version, 2 per minor version, tags
//            pushed within 30 days, protect `latest`; safety rules on;
//   old JS:  keep the 10 newest, older than 30 days, pattern ^v, protect latest.
//
//   node bench/retention.mjs [--quick]     (pkg/ built by scripts/build-pkg.sh)
import { readFileSync } from "node:fs";
import os from "node:os";
import { measureGroup, printGroup } from "./harness.mjs";
import { planRetention as oldPlanRetention } from "./retention-baseline.mjs";

const quick = process.argv.includes("--quick");
const tagdeck = await import(new URL("../pkg/index.js", import.meta.url).href);
tagdeck.initSync({ module: readFileSync(new URL("../pkg/tagdeck_bg.wasm", import.meta.url)) });
tagdeck.initRetentionSync(readFileSync(new URL("../pkg/retention/tagdeck_retention_bg.wasm", import.meta.url)));

const NOW = Date.parse("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
const REPOSITORIES = 1_000;
const PER_REPOSITORY = 100;

// Deterministic data: per repository, 100 tags: versions v1.<minor>.<patch>,
// pr-<n> branch builds, and `latest`, pushed over the last 200 days; every
// tenth tag shares its digest with the tag before it.
const tags = [];
for (let r = 0; r < REPOSITORIES; r++) {
  const repository = `team-${r % 20}/service-${r}`;
  for (let i = 0; i < PER_REPOSITORY; i++) {
    const tag = i === 0 ? "latest" : i % 3 === 0 ? `pr-${i}` : `v1.${i % 7}.${i}`;
    const digest = `sha256:${(r * PER_REPOSITORY + i - (i % 10 === 9 ? 1 : 0)).toString(16).padStart(64, "0")}`;
    tags.push({ repository, tag, digest, pushedAt: NOW - ((i * 37 + r * 11) % 200) * DAY - i * 1000 });
  }
}
const policy = {
  rules: [
    { tags: { include: "v*" }, keep: { newest: 2, by: "version", per: "^v(\\d+\\.\\d+)\\." } },
    { tags: { include: "v*" }, keep: { newest: 10, by: "version" } },
    { keep: { pushedWithinDays: 30 } },
  ],
  protected: ["latest"],
};

// The old shape: per repository, { tag, updated, created }.
const byRepository = new Map();
for (const t of tags) {
  if (!byRepository.has(t.repository)) byRepository.set(t.repository, []);
  byRepository.get(t.repository).push({ tag: t.tag, digest: t.digest, updated: t.pushedAt, created: t.pushedAt });
}
const oldPolicy = { keepNewest: 10, olderThanDays: 30, pattern: "^v", protectedTags: "latest" };
const oldPlanAll = () => {
  let removed = 0;
  for (const repoTags of byRepository.values()) removed += oldPlanRetention(repoTags, oldPolicy, NOW).remove.length;
  return removed;
};

const plan = tagdeck.planRetention(policy, tags, { now: NOW });
const deletes = plan.decisions.filter((d) => d.action === "delete").length;
console.log(`${tags.length} tags in ${REPOSITORIES} repositories; tagdeck deletes ${deletes}, the old JS ${oldPlanAll()} (different policies: see the header)`);
console.log(`nproc ${os.availableParallelism()}, ${os.cpus()[0].model}, Node ${process.version}`);

const results = await measureGroup(
  [
    { name: "tagdeck planRetention (wasm engine, one call)", fn: () => tagdeck.planRetention(policy, tags, { now: NOW }) },
    { name: "old www/lib/retention.js (1,000 calls)", fn: oldPlanAll },
  ],
  { rounds: quick ? 3 : 10 },
);
printGroup("retention: 100,000 tags, 1,000 repositories", results);
// CPU time per plan as well: on a shared machine the wall time above also
// counts the time other processes held the cores.
const cpuMs = (fn) => {
  const samples = [];
  for (let k = 0; k < (quick ? 3 : 7); k++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1];
};
const tagdeckCpu = cpuMs(() => tagdeck.planRetention(policy, tags, { now: NOW }));
const oldCpu = cpuMs(oldPlanAll);
console.log(`CPU time per plan (median): tagdeck ${tagdeckCpu.toFixed(1)} ms, old JS ${oldCpu.toFixed(1)} ms; load average ${os.loadavg()[0].toFixed(1)}`);
const ms = results[0].ns / 1e6;
console.log(`goal: under 100 ms per plan: ${ms.toFixed(1)} ms ${ms < 100 ? "(met)" : "(MISSED)"}`);
if (process.argv.includes("--check") && ms >= 100) process.exitCode = 1;
