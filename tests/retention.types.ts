// Type check of the retention API (tsc --noEmit --strict): every dialect's
// policy shape, the plan's shape, and the init functions.
import { planRetention, explainRetention, retentionTags, initRetention, initRetentionSync } from "../pkg/index.js";
import type { RetentionPolicy, RetentionPlan, RetentionTag } from "../pkg/index.js";

const tags: RetentionTag[] = [
  { repository: "app", tag: "v1", digest: "sha256:1", pushedAt: 1_700_000_000_000 },
  { repository: "app", tag: "v2", pushedAt: 1_700_000_000_000n, pulledAt: "2026-11-22T10:00:00Z" },
];
const policies: RetentionPolicy[] = [
  { rules: [{ tags: { include: "v*", exclude: { regex: "v0.*" } }, keep: { newest: 2, by: "version", per: "^v(\\d+)" } }], protected: ["latest"], safety: { timestamps: "warn" } },
  { format: "ecr", policy: { rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", tagPrefixList: ["prod"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }] } },
  { format: "gitlab", policy: { nameRegexDelete: ".*", keepN: 5, olderThan: "14d" } },
  { format: "acr-purge", args: "--filter app:.* --ago 30d --keep 3" },
  { format: "harbor", policy: { algorithm: "or", rules: [{ template: "latestPushedK", params: { latestPushedK: 10 }, tag_selectors: [{ kind: "doublestar", decoration: "matches", pattern: "**" }] }] } },
  { format: "swr", policy: { algorithm: "or", rules: [{ template: "tag_rule", params: { num: "1" }, tag_selectors: [{ kind: "regexp", pattern: "^v2.*" }] }] } },
  { format: "alibaba", rule: { scope: "REPO", namespaceName: "ns", repoName: "app", tagRegexp: "release-.*", retentionTagCount: 5 } },
];
export async function check(bytes: Uint8Array, repository: { allTags(): AsyncIterable<unknown> }): Promise<string[]> {
  initRetentionSync(bytes);
  await initRetention();
  const plan: RetentionPlan = planRetention(policies[0], tags, { now: Date.now(), deletesTagsOneByOne: true });
  const rule: number | string | null = plan.decisions[0].rule;
  const equivalent = explainRetention(policies[2]).equivalent?.rules.length;
  const gathered: RetentionTag[] = await retentionTags(repository, "demo/web");
  return [String(rule), String(equivalent), plan.decisions[0].action, String(gathered.length), ...plan.warnings];
}
