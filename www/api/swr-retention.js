/**
 * Open Telekom Cloud SWR image retention policies: the package's
 * SwrRegistry methods for the SWR API reference's "Image Retention Policy
 * Management" operations, as records the retention-policy view shows. SWR
 * keeps at most one policy per repository and applies it as soon as it is
 * saved.
 */

/** The templates SWR documents, with the one parameter each takes. */
export const TEMPLATES = {
  tag_rule: { param: "num", min: 1, max: 1000 },
  date_rule: { param: "days", min: 1, max: 365 },
};

/** A policy as the view uses it: `{ id, rules: [{ template, count, labels, regexps }] }`. */
export function toPolicy(answer) {
  return {
    id: Number(answer.id),
    rules: (answer.rules ?? []).map((rule) => {
      const template = String(rule.template ?? "");
      const params = rule.params ?? {};
      const selectors = rule.tagSelectors ?? [];
      const patterns = (kind) => selectors.filter((selector) => selector.kind === kind).map((selector) => String(selector.pattern ?? ""));
      return {
        template,
        count: String(params[TEMPLATES[template]?.param] ?? params.num ?? params.days ?? ""),
        labels: patterns("label"),
        regexps: patterns("regexp"),
      };
    }),
  };
}

/** The rules as SWR takes them (numbers as strings, as it writes them). */
export function wireRules(policy) {
  return policy.rules.map((rule) => ({
    template: rule.template,
    params: { [TEMPLATES[rule.template]?.param ?? "num"]: String(rule.count).trim() },
    tagSelectors: [...rule.labels.map((pattern) => ({ kind: "label", pattern })), ...rule.regexps.map((pattern) => ({ kind: "regexp", pattern }))],
  }));
}

export async function listRetentions(session, where) {
  return (await session.client.listRetentions(where)).map(toPolicy);
}

/** Creates the repository's policy, or replaces the rules of policy `id`. */
export async function saveRetention(session, where, policy, id = null) {
  const body = { ...where, algorithm: "or", rules: wireRules(policy) };
  if (id === null) await session.client.createRetention(body);
  else await session.client.updateRetention({ ...body, retentionId: id });
}

export async function deleteRetention(session, where, id) {
  await session.client.deleteRetention({ ...where, retentionId: id });
}
