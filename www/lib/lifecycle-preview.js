/**
 * What a lifecycle rule would delete in one repository, under tagdeck's
 * reading of the rule (the vendor documents no evaluation order, anchoring
 * or schedule; emulator/README.md states the reading, and the emulator runs
 * rules by it): the package's retention engine, `planRetention({ format:
 * "alibaba", rule }, tags, { now })`, decides. Nothing is deleted here.
 */
import { engineTags } from "./retention.js";

/** The preamble of what the preview says: a reading, not the vendor's word. */
export const READING_LABEL = "tagdeck\u2019s reading";

/**
 * The rule as the engine takes it: the fields a run uses. The `Policies`
 * that answers carry are the same rule in the service's newer form
 * (`TagWildcard` is the `TagRegexp` text there, not a wildcard), so they
 * are not passed: the engine would read that text as a glob.
 */
export function engineRule(rule) {
  return {
    ...(rule.scope ? { scope: rule.scope } : {}),
    ...(rule.namespaceName ? { namespaceName: rule.namespaceName } : {}),
    ...(rule.repoName ? { repoName: rule.repoName } : {}),
    tagRegexp: rule.tagRegexp,
    retentionTagCount: Number.isFinite(rule.retentionTagCount) ? rule.retentionTagCount : 0,
    enableDeleteTag: rule.enableDeleteTag,
  };
}


/**
 * `{ deleted: [{ tag, reason }], kept, warnings }` for `tags` of
 * `repository` ("namespace/name"), or `{ error }` when the engine refuses
 * the rule (naming the field). `immutable`: the repository's tags are
 * immutable, and no rule deletes them.
 */
export function previewRule(planRetention, rule, tags, { repository, immutable = false, now = Date.now() }) {
  if (immutable) {
    return { deleted: [], kept: tags.length, warnings: [], immutable: true };
  }
  let plan;
  try {
    // The registry deletes tag by tag (DeleteRepoTag), so a tag sharing its image with a kept one is still deleted.
    plan = planRetention({ format: "alibaba", rule: engineRule(rule) }, engineTags(tags, repository), { now, deletesTagsOneByOne: true });
  } catch (error) {
    return { error };
  }
  // The engine starts every reason with "tagdeck's reading of the lifecycle rule: "; the preview says so once.
  const reason = (text) => text.replace(/^tagdeck's reading of the lifecycle rule: /, "");
  const deleted = plan.decisions.filter((decision) => decision.action === "delete").map((decision) => ({ tag: decision.tag, reason: reason(decision.reason) }));
  return { deleted, kept: plan.decisions.length - deleted.length, warnings: plan.warnings };
}
