/**
 * What an SWR image retention policy would delete in one repository, as the
 * package's retention engine reads SWR's rules (its "swr" dialect:
 * `planRetention({ format: "swr", policy }, tags, { now })`). The emulator
 * runs policies the same way (emulator/README.md). Nothing is deleted here.
 */
import { engineTags } from "./retention.js";
import { wireRules } from "../api/swr-retention.js";

/** The policy in SWR's own JSON, as the engine (and the service) reads it. */
export function swrDocument(policy) {
  return {
    algorithm: "or",
    rules: wireRules(policy).map(({ template, params, tagSelectors }) => ({ template, params, tag_selectors: tagSelectors })),
  };
}

/**
 * `{ deleted: [{ tag, reason }], kept, setAside, warnings }` for `tags` of
 * `repository` ("namespace/name"), or `{ error }` when the engine refuses the
 * policy (naming the field).
 */
export function previewPolicy(planRetention, policy, tags, { repository, now = Date.now() }) {
  let plan;
  try {
    // SWR deletes tag by tag: a tag sharing its image with a kept one still goes.
    plan = planRetention({ format: "swr", policy: swrDocument(policy) }, engineTags(tags, repository), { now, deletesTagsOneByOne: true });
  } catch (error) {
    return { error };
  }
  // With one rule, "rules[0]: " before every reason says nothing.
  const reason = (text) => (policy.rules.length === 1 ? text.replace(/^rules\[0\]: /, "") : text);
  const deleted = [];
  let setAside = 0;
  plan.decisions.forEach((decision) => {
    if (decision.action === "delete") deleted.push({ tag: decision.tag, reason: reason(decision.reason) });
    else if (/^(rules\[\d+\]: )?matches tag_selectors/.test(decision.reason)) setAside += 1;
  });
  return { deleted, kept: plan.decisions.length - deleted.length, setAside, warnings: plan.warnings };
}
