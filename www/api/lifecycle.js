/**
 * Alibaba CR artifact lifecycle (retention) rules: the
 * `*ArtifactLifecycleRule` operations of the cr 2018-12-01 API (the
 * vendor's API reference names each field), as records the lifecycle view
 * shows. A rule belongs to the instance; a repository is concerned by the
 * rules whose scope takes it in.
 */
import { fetchAllPages } from "../lib/paging.js";
import { toNumber } from "../lib/format.js";

/** ListArtifactLifecycleRule's largest page. */
const PAGE_SIZE = 100;
/** The `ScheduleTime` values the service documents, shortest first. */
export const SCHEDULES = ["DAY", "WEEK", "MONTH"];
export const SCOPES = ["REPO", "NAMESPACE", "INSTANCE"];

/** A rule as the view uses it (64-bit times as numbers of ms, absent ones null). */
export function toRule(answer) {
  return {
    ruleId: String(answer.ruleId ?? ""),
    scope: String(answer.scope ?? ""),
    namespaceName: String(answer.namespaceName ?? ""),
    repoName: String(answer.repoName ?? ""),
    tagRegexp: String(answer.tagRegexp ?? ""),
    retentionTagCount: toNumber(answer.retentionTagCount),
    enableDeleteTag: answer.enableDeleteTag === true,
    auto: answer.auto === true,
    scheduleTime: String(answer.scheduleTime ?? ""),
    nextTime: toNumber(answer.nextTime),
    createTime: toNumber(answer.createTime),
    modifiedTime: toNumber(answer.modifiedTime),
  };
}

/** Whether `rule` takes in repository `namespace/name`. */
export function ruleCovers(rule, namespace, name) {
  if (rule.scope === "INSTANCE") return true;
  if (rule.scope === "NAMESPACE") return rule.namespaceName === namespace;
  return rule.namespaceName === namespace && rule.repoName === name;
}

/** Every lifecycle rule of the instance (all pages). */
export async function listLifecycleRules(session, instanceId) {
  const result = await fetchAllPages({
    pageSize: PAGE_SIZE,
    concurrency: 2,
    keyOf: (rule) => rule.ruleId,
    fetchPage: async (pageNo, pageSize) => {
      const answer = await session.call("ListArtifactLifecycleRule", { instanceId, pageNo, pageSize });
      return { items: (answer.rules ?? []).map(toRule), totalCount: answer.totalCount };
    },
  });
  if (result.failedPages.length) throw result.failedPages[0].error;
  return result.items;
}

/** The parameters Create and Update send for the form's `fields`. */
function ruleParams(instanceId, fields) {
  return {
    instanceId,
    scope: fields.scope,
    // The service reads the names its scope needs; the others are left out, not sent empty.
    ...(fields.scope !== "INSTANCE" ? { namespaceName: fields.namespaceName } : {}),
    ...(fields.scope === "REPO" ? { repoName: fields.repoName } : {}),
    tagRegexp: fields.tagRegexp,
    retentionTagCount: fields.retentionTagCount,
    enableDeleteTag: fields.enableDeleteTag,
    auto: fields.auto,
    scheduleTime: fields.scheduleTime,
  };
}

/** Creates a rule; answers its RuleId. */
export async function createLifecycleRule(session, instanceId, fields) {
  const answer = await session.call("CreateArtifactLifecycleRule", ruleParams(instanceId, fields));
  return String(answer.ruleId ?? "");
}

export async function updateLifecycleRule(session, instanceId, ruleId, fields) {
  return session.call("UpdateArtifactLifecycleRule", { ...ruleParams(instanceId, fields), ruleId });
}

export async function deleteLifecycleRule(session, instanceId, ruleId) {
  return session.call("DeleteArtifactLifecycleRule", { instanceId, ruleId });
}
