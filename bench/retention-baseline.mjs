/**
 * The dashboard's former retention planner (www/lib/retention.js before the
 * engine replaced it), kept as the baseline of bench/retention.mjs.
 *
 * The retention helper's dry run: which tags a policy would delete, and
 * why every other tag stays. Pure; deleting is a separate, confirmed step.
 *
 * Policy (every part optional, but "keep newest" or "older than" must be set):
 * - `protectedTags`: names (or `*` globs) never deleted, e.g. `latest`;
 * - `pattern`: a regular expression; only tags whose name matches are
 *   considered (the newest-N count is taken among them, as in the
 *   registry's own lifecycle rules);
 * - `keepNewest`: among the considered tags, the N newest stay;
 * - `olderThanDays`: only tags older than D days go;
 * - `timeField`: "updated" (last push, default) or "created".
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export const KEEP_REASONS = {
  protected: "protected",
  unmatched: "does not match the pattern",
  newest: "among the newest",
  recent: "younger than the age limit",
};

export function planRetention(tags, policy, now = Date.now()) {
  const errors = validate(policy);
  if (errors.length) return { errors, remove: [], keep: [] };

  const keepNewest = toCount(policy.keepNewest);
  const olderThanDays = toCount(policy.olderThanDays);
  const pattern = policy.pattern ? new RegExp(policy.pattern) : null;
  const isProtected = protectedMatcher(policy.protectedTags);
  const timeOf = (tag) => Number(policy.timeField === "created" ? tag.created : tag.updated || tag.created) || 0;
  const cutoff = olderThanDays === null ? null : now - olderThanDays * DAY_MS;

  const keep = [];
  const remove = [];
  const considered = [];
  for (const tag of tags) {
    if (isProtected(tag.tag)) keep.push({ tag, reason: KEEP_REASONS.protected });
    else if (pattern && !pattern.test(tag.tag)) keep.push({ tag, reason: KEEP_REASONS.unmatched });
    else considered.push(tag);
  }
  // Newest first; equal times fall back to the name so the plan is deterministic.
  considered.sort((a, b) => timeOf(b) - timeOf(a) || (a.tag < b.tag ? -1 : 1));
  considered.forEach((tag, index) => {
    if (keepNewest !== null && index < keepNewest) keep.push({ tag, reason: KEEP_REASONS.newest });
    else if (cutoff !== null && timeOf(tag) >= cutoff) keep.push({ tag, reason: KEEP_REASONS.recent });
    else remove.push({ tag, reason: removalReason(keepNewest, olderThanDays) });
  });
  return { errors: [], remove, keep };
}

/** Keep reasons counted, in a fixed order, for the summary line. */
export function countReasons(keep) {
  const counts = new Map(Object.values(KEEP_REASONS).map((reason) => [reason, 0]));
  for (const { reason } of keep) counts.set(reason, counts.get(reason) + 1);
  return [...counts].filter(([, count]) => count > 0);
}

function removalReason(keepNewest, olderThanDays) {
  const parts = [];
  if (keepNewest !== null) parts.push(`not among the ${keepNewest} newest`);
  if (olderThanDays !== null) parts.push(`older than ${olderThanDays} days`);
  return parts.join(", ");
}

function validate(policy) {
  const errors = [];
  for (const [field, label] of [
    ["keepNewest", "Keep newest"],
    ["olderThanDays", "Older than (days)"],
  ]) {
    const value = policy[field];
    if (value !== "" && value !== null && value !== undefined && toCount(value) === null) {
      errors.push({ field, message: `${label} must be a whole number of 0 or more.` });
    }
  }
  if (toCount(policy.keepNewest) === null && toCount(policy.olderThanDays) === null) {
    errors.push({
      field: "keepNewest",
      message: "Set \u201ckeep newest\u201d or \u201colder than\u201d: without either, every considered tag would go.",
    });
  }
  if (policy.pattern) {
    try {
      new RegExp(policy.pattern);
    } catch (error) {
      errors.push({ field: "pattern", message: `The pattern is not a valid regular expression: ${error.message}` });
    }
  }
  return errors;
}

/** A non-negative integer, or null when empty or invalid. */
function toCount(value) {
  if (value === "" || value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : null;
}

/** "latest, stable, release-*" → name => boolean (exact names, `*` as a wildcard). */
export function protectedMatcher(list) {
  const entries = (Array.isArray(list) ? list : String(list ?? "").split(/[\s,]+/))
    .map((entry) => entry.trim())
    .filter(Boolean);
  const exact = new Set(entries.filter((entry) => !entry.includes("*")));
  const globs = entries
    .filter((entry) => entry.includes("*"))
    .map((glob) => new RegExp(`^${glob.split("*").map(escapeRegExp).join(".*")}$`));
  return (name) => exact.has(name) || globs.some((glob) => glob.test(name));
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
