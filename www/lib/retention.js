/**
 * The dashboard's bridge to the retention engine (the package's
 * planRetention, its own WebAssembly module, loaded on first use): the
 * quick form as a tagdeck policy, a pasted vendor rule as the engine's
 * input, the dashboard's tag records as the engine's tags, and the totals
 * of a plan (what goes, what stays, the bytes freed).
 */
import { loadPackage } from "../api/session.js";

let enginePromise = null;

/** The package with its retention module instantiated (once). */
export function loadRetention() {
  enginePromise ??= loadPackage().then(async (pkg) => {
    await pkg.initRetention();
    return pkg;
  });
  enginePromise.catch(() => (enginePromise = null));
  return enginePromise;
}

/** The policy languages the dialog takes, with an example of each. */
export const FORMATS = [
  { id: "form", label: "Quick form (tagdeck)" },
  {
    id: "tagdeck",
    label: "tagdeck policy (JSON)",
    example: {
      rules: [
        { id: "releases", tags: { include: "v*" }, keep: { newest: 2, by: "version", per: "^v?(\\d+\\.\\d+)" } },
        { id: "builds", tags: { exclude: "v*" }, keep: { newest: 5, pushedWithinDays: 30 } },
      ],
      protected: ["latest", "stable"],
    },
  },
  {
    id: "ecr",
    label: "Amazon ECR lifecycle policy (JSON)",
    example: {
      rules: [
        { rulePriority: 1, description: "keep 3 prod", selection: { tagStatus: "tagged", tagPrefixList: ["prod"], countType: "imageCountMoreThan", countNumber: 3 }, action: { type: "expire" } },
        { rulePriority: 2, description: "expire old", selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "expire" } },
      ],
    },
  },
  { id: "gitlab", label: "GitLab cleanup policy (JSON)", example: { nameRegexDelete: ".*", nameRegexKeep: "stable|v\\d+\\.\\d+\\.\\d+", keepN: 5, olderThan: "14d" } },
  { id: "acr-purge", label: "az acr purge arguments", example: "--filter '.*:.*' --ago 30d --keep 5" },
  {
    id: "harbor",
    label: "Harbor retention rules (JSON)",
    example: {
      algorithm: "or",
      rules: [{ template: "latestPushedK", params: { latestPushedK: 10 }, tag_selectors: [{ kind: "doublestar", decoration: "matches", pattern: "**" }], scope_selectors: { repository: [{ kind: "doublestar", decoration: "repoMatches", pattern: "**" }] } }],
    },
  },
  { id: "swr", label: "SWR retention policy (JSON)", example: { algorithm: "or", rules: [{ template: "tag_rule", params: { num: "10" }, tag_selectors: [{ kind: "label", pattern: "latest" }] }] } },
  { id: "alibaba", label: "Alibaba lifecycle rule (JSON)", example: { scope: "INSTANCE", tagRegexp: "release-.*", retentionTagCount: 10, enableDeleteTag: true } },
];

/** The example of a format as the text to edit. */
export function exampleText(format) {
  const example = FORMATS.find((entry) => entry.id === format)?.example;
  return typeof example === "string" ? example : JSON.stringify(example, null, 2);
}

/**
 * The quick form as a tagdeck policy, or `{ errors: [{ field, message }] }`
 * for what the engine cannot be asked (the engine names everything else).
 */
export function formPolicy({ keepNewest, olderThanDays, pattern, protectedTags }) {
  const errors = [];
  const count = (value, field, label) => {
    if (value === "" || value === null || value === undefined) return null;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) errors.push({ field, message: `${label} must be a whole number of 0 or more.` });
    return number;
  };
  const keep = count(keepNewest, "keepNewest", "Keep newest");
  const days = count(olderThanDays, "olderThanDays", "Older than (days)");
  if (errors.length) return { errors };
  if (keep === null && days === null) {
    return { errors: [{ field: "keepNewest", message: "Set \u201ckeep newest\u201d or \u201colder than\u201d: without either, every considered tag would go." }] };
  }
  // The form's pattern is a search, as it always was; the engine's include is anchored.
  const rule = { keep: keep ? { newest: keep } : { none: true } };
  if (pattern) rule.tags = { include: { regex: `.*(?:${pattern}).*` } };
  const policy = { rules: [rule] };
  const protectedList = String(protectedTags ?? "").split(/[\s,]+/).filter(Boolean);
  if (protectedList.length) policy.protected = protectedList;
  if (days) policy.deleteOnlyOlderThanDays = days;
  return { policy };
}

/** A pasted policy in `format` as the engine's input, or `{ error }`. */
export function pastedPolicy(format, text) {
  if (format === "acr-purge") return { policy: { format, args: text } };
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not JSON: ${error.message}` };
  }
  if (format === "tagdeck") return { policy: value };
  if (format === "alibaba") return { policy: { format, rule: value } };
  return { policy: { format, policy: value } };
}

/** The dashboard's tag records as the engine's tags (push time: last update, else creation). */
export function engineTags(tags, repository, timeField = "updated") {
  return tags.map((tag) => ({
    repository,
    tag: tag.tag,
    digest: tag.digest || "",
    pushedAt: (timeField === "created" ? tag.created : tag.updated || tag.created) || null,
    createdAt: tag.created || null,
  }));
}

/**
 * Totals of a plan over `tags` (the same order as the plan's decisions):
 * `remove`/`keep` as `[{ tag, decision }]`, and the bytes freed: the size of
 * every image all of whose tags go (an image a kept tag still points at
 * frees nothing).
 */
export function summarize(plan, tags) {
  const remove = [];
  const keep = [];
  const keptDigests = new Set();
  plan.decisions.forEach((decision, i) => {
    const entry = { tag: tags[i], decision };
    if (decision.action === "delete") remove.push(entry);
    else {
      keep.push(entry);
      if (tags[i].digest) keptDigests.add(tags[i].digest);
    }
  });
  const freed = new Map();
  for (const { tag } of remove) {
    const key = tag.digest || `tag:${tag.tag}`;
    if (!keptDigests.has(tag.digest) && !freed.has(key)) freed.set(key, Number(tag.size) || 0);
  }
  let bytes = 0;
  for (const size of freed.values()) bytes += size;
  return { remove, keep, bytes, sizesKnown: tags.some((tag) => Number(tag.size) > 0) };
}

/**
 * Entries grouped by their deciding rule, biggest group first, each newest
 * first: `[[label, entries]]`. Labels: `rules[0]` (an index), `rule 1` (an
 * id such as ECR's priority), or the named clause (`protected`, `safety:…`).
 */
export function groupByRule(entries) {
  const groups = new Map();
  for (const entry of entries) {
    const rule = entry.decision.rule;
    const label = rule === null ? "no rule" : typeof rule === "number" ? `rules[${rule}]` : /^\d+$/.test(rule) ? `rule ${rule}` : rule;
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(entry);
  }
  const time = ({ tag }) => tag.updated || tag.created || 0;
  for (const members of groups.values()) members.sort((a, b) => time(b) - time(a) || (a.tag.tag < b.tag.tag ? -1 : 1));
  return [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}
