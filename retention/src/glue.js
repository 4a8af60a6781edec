// The JavaScript half of planRetention (retention/src/lib.rs): the tags
// cross into WebAssembly as ONE UTF-8 buffer and one Float64Array, and the
// decisions come back as a few strings and typed arrays, because a property
// read per tag across the boundary costs more than the whole plan (100,000
// tags).

const encoder = new TextEncoder();
// RFC 3339 date-time (the `T` and `Z` may be lower case, as RFC 3339 allows).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const NAMES = ["repository", "tag", "digest"];
const TIMES = ["pushedAt", "pulledAt", "createdAt"];

/** A time as ms since the epoch, NaN when absent; a string message when invalid. */
function toMs(value, field) {
  if (value === undefined || value === null) return NaN;
  if (typeof value === "number") return Number.isFinite(value) ? value : `${field}: must be a finite number of ms since the epoch`;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") {
    const ms = RFC3339.test(value) ? Date.parse(value.toUpperCase()) : NaN;
    return Number.isNaN(ms) ? `${field}: must be an RFC 3339 time like 2026-11-22T10:00:00Z, not ${JSON.stringify(value)}` : ms;
  }
  return `${field}: must be ms since the epoch (number or bigint) or RFC 3339 text, not ${typeof value}`;
}

/** `text` if it is a valid name for field `k` (0 repository, 1 tag, 2 digest), else undefined. */
function checkName(text, k) {
  if (text === undefined && k === 2) return ""; // a digest may be unknown
  if (typeof text !== "string" || text.includes("\0") || (k < 2 && text === "")) return undefined;
  return text;
}

/** `value` as ms (NaN when absent), or the message naming `tags[i].<TIMES[k]>`. */
function tagTime(value, i, k) {
  // The common cases first, without building the field's name.
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value === undefined || value === null) return NaN;
  return toMs(value, `tags[${i}].${TIMES[k]}`);
}

/**
 * `[repository, tag and digest of every tag, joined; Float64Array of
 * pushed, pulled, created per tag; Uint32Array of the names' lengths in
 * UTF-16 units]`, or the message naming the first bad field. The text
 * crosses through encodeText and the lengths cut it into names (no
 * separator: joining 300,000 names with one costs more than the cut).
 * A repository is sent as "" (never a valid name) when it is the previous
 * tag's: tags usually come a repository at a time.
 */
export function packTags(tags) {
  if (!Array.isArray(tags)) return "tags: must be an array of { repository, tag, digest, pushedAt, pulledAt? }";
  const times = new Float64Array(tags.length * 3);
  const parts = new Array(tags.length * 3);
  const lengths = new Uint32Array(tags.length * 3);
  let previous;
  // Fields read by name, not through NAMES/TIMES: a keyed read per field
  // costs more than the rest of the loop. Checks run in the fields' order
  // (repository, pushedAt, tag, pulledAt, digest, createdAt) so the first
  // bad field is the one named.
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag === null || typeof tag !== "object") return `tags[${i}]: must be an object`;
    const repository = checkName(tag.repository, 0);
    if (repository === undefined) return `tags[${i}].${NAMES[0]}: must be non-empty text`;
    if (repository !== previous) {
      parts[i * 3] = repository;
      lengths[i * 3] = repository.length;
    } else {
      parts[i * 3] = "";
    }
    previous = repository;
    const pushed = tagTime(tag.pushedAt, i, 0);
    if (typeof pushed === "string") return pushed;
    times[i * 3] = pushed;
    const name = checkName(tag.tag, 1);
    if (name === undefined) return `tags[${i}].${NAMES[1]}: must be non-empty text`;
    parts[i * 3 + 1] = name;
    lengths[i * 3 + 1] = name.length;
    const pulled = tagTime(tag.pulledAt, i, 1);
    if (typeof pulled === "string") return pulled;
    times[i * 3 + 1] = pulled;
    const digest = checkName(tag.digest, 2);
    if (digest === undefined) return `tags[${i}].${NAMES[2]}: must be non-empty text`;
    parts[i * 3 + 2] = digest;
    lengths[i * 3 + 2] = digest.length;
    const created = tagTime(tag.createdAt, i, 2);
    if (typeof created === "string") return created;
    times[i * 3 + 2] = created;
  }
  return [parts.join(""), times, lengths];
}

/**
 * Writes `text` as UTF-8 into `into` (a view of the module's memory: no
 * copy in between, where wasm-bindgen's own string passing copies one
 * character at a time) and returns the bytes written, or -1 when `into`
 * is too small.
 */
export function encodeText(text, into) {
  const { read, written } = encoder.encodeInto(text, into);
  return read === text.length ? written : -1;
}

/** `[now or NaN, deletesTagsOneByOne]`, or the message naming the bad option. */
export function packOptions(options) {
  if (options === undefined || options === null) return [NaN, false];
  if (typeof options !== "object") return "options: must be an object like { now }";
  for (const key of Object.keys(options)) {
    if (key !== "now" && key !== "deletesTagsOneByOne") return `options.${key}: unknown option (expected now, deletesTagsOneByOne)`;
  }
  const now = toMs(options.now, "options.now");
  if (typeof now === "string") return now;
  const oneByOne = options.deletesTagsOneByOne ?? false;
  if (typeof oneByOne !== "boolean") return "options.deletesTagsOneByOne: must be true or false";
  return [now, oneByOne];
}

/** The policy as JSON text, or `undefined` when it cannot be one. */
export function policyText(policy) {
  if (typeof policy === "string") return policy;
  try {
    return JSON.stringify(policy);
  } catch {
    return undefined;
  }
}

/**
 * The plan as the contract says: `{ decisions: [{ repository, tag, digest,
 * action, rule, reason }], warnings }`. Rules and reasons cross once each,
 * separated by NUL: `rules` holds each distinct rule as "" (none), "#3"
 * (index 3) or "=id", `reasons` each distinct reason, and `ruleOf` and
 * `reasonOf` (Uint32Arrays) the index of each tag's rule and reason in them.
 */
export function planResult(tags, actions, rules, ruleOf, reasons, reasonOf, warnings) {
  const ruleList = rules.split("\0").map((rule) => (rule === "" ? null : rule[0] === "#" ? Number(rule.slice(1)) : rule.slice(1)));
  const reasonList = reasons.split("\0");
  const decisions = new Array(tags.length);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    decisions[i] = {
      repository: tag.repository,
      tag: tag.tag,
      digest: tag.digest ?? "",
      action: actions[i] === 1 ? "delete" : "keep",
      rule: ruleList[ruleOf[i]],
      reason: reasonList[reasonOf[i]],
    };
  }
  return { decisions, warnings: warnings === "" ? [] : warnings.split("\0") };
}

/**
 * Every tag of one repository of the common tag interface, as the engine's
 * input. The push time is the last time the tag was pointed at an image:
 * the common `updatedMs` (Alibaba `ImageUpdate`, Scaleway `updated_at`, SWR
 * `updated`), else `createdMs` (`ImageCreate`, `created_at`, `created`).
 * The tag's id, where the registry names tags by one (Scaleway), is kept:
 * deleting the tag takes it.
 */
export async function gatherTags(source, repository, options) {
  if (source === null || typeof source !== "object" || typeof source.allTags !== "function") {
    return "repository: must have allTags() (a registry's repository(...) or client.repository(...))";
  }
  if (typeof repository !== "string" || repository === "") return "name: must be the repository's name, e.g. \"team/app\"";
  const tags = [];
  for await (const tag of source.allTags(options ?? undefined)) {
    tags.push({
      repository,
      tag: tag.name,
      digest: tag.digest ?? "",
      pushedAt: tag.updatedMs ?? tag.createdMs ?? null,
      createdAt: tag.createdMs ?? null,
      size: tag.size ?? null,
      ...(tag.id ? { id: tag.id } : {}),
    });
  }
  return tags;
}
