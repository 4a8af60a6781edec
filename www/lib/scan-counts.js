/**
 * Per-tag vulnerability counts for the tags table, fetched lazily and
 * politely: only for the tags asked for (the rows on screen, or every tag
 * shown when the table is sorted by them), at most `concurrency` requests
 * in flight, the most recently asked first, each tag once (cached for the
 * view's life). A registry without the operation stops the fetching at
 * its first answer.
 *
 * Each entry: { state, ... } with state "queued" or "loading" (asked),
 * "counts" (a finished scan with findings: total, high, medium, low,
 * unknown), "clean" (a finished scan found none), "none" (never scanned),
 * "scanning", "error" (with `error`) or "unsupported".
 */
import { isUnknownApi } from "./errors.js";

/** The service's answers for a tag without a finished scan. */
const NOT_SCANNED = new Set(["SCAN_TASK_NOT_EXIST"]);
const SCANNING = new Set(["SCAN_TASK_NOT_COMPLETE", "SCAN_TASK_IN_PROGRESS"]);

export function createScanCounts({ fetchCounts, concurrency = 4, onChange }) {
  const entries = new Map(); // tag -> entry
  const wanted = []; // tags asked for and not started, the most recent last
  let running = 0;
  let unsupported = false;

  function settle(tag, entry) {
    entries.set(tag, entry);
    onChange(tag, entry);
  }

  async function work() {
    while (wanted.length && running < concurrency && !unsupported) {
      const tag = wanted.pop();
      if (entries.get(tag)?.state !== "queued") continue;
      running += 1;
      entries.set(tag, { state: "loading" });
      fetchCounts(tag)
        .then((counts) => settle(tag, { state: Number(counts.total) > 0 ? "counts" : "clean", ...counts }))
        .catch((error) => {
          if (isUnknownApi(error)) {
            unsupported = true;
            settle(tag, { state: "unsupported", error });
          } else if (NOT_SCANNED.has(error?.code)) settle(tag, { state: "none" });
          else if (SCANNING.has(error?.code)) settle(tag, { state: "scanning" });
          else settle(tag, { state: "error", error });
        })
        .finally(() => {
          running -= 1;
          work();
        });
    }
  }

  return {
    /** The entry of `tag`, or null when not asked for yet. */
    get: (tag) => entries.get(tag) ?? null,
    /** Asks for the counts of `tags` (already known or asked: nothing more). */
    want(tags) {
      if (unsupported) return;
      for (const tag of tags) {
        if (entries.has(tag)) continue;
        entries.set(tag, { state: "queued" });
        wanted.push(tag);
      }
      work();
    },
    /** Forgets `tag`'s counts (a new scan), so that the next `want` fetches them again. */
    forget(tag) {
      entries.delete(tag);
    },
    /** How many of `tags` have an answer. */
    answered: (tags) => tags.reduce((count, tag) => count + (["counts", "clean", "none", "scanning", "error", "unsupported"].includes(entries.get(tag)?.state) ? 1 : 0), 0),
    get unsupported() {
      return unsupported;
    },
  };
}

/** The number the table sorts by: the total (a clean scan 0), tags without a finished scan below every scanned one. */
export function sortValue(entry) {
  if (entry?.state === "counts") return Number(entry.total);
  if (entry?.state === "clean") return 0;
  return -Infinity;
}
