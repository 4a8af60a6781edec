// Work over many tags, in plain JavaScript (it costs the WebAssembly
// nothing): `repository.deleteTags(...)` and `deleteTagsWith(...)` pace a
// bulk delete to what the registry (or a proxy in front of it) allows, and
// `repository.allTags()` iterates over a snapshot. src/wasm/repository.rs
// declares them for Rust.
import { tagdeckError } from "./guards.js";

/** Tags deleted at once unless told otherwise. */
const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
/** Requests per tag before a failure that retrying might fix is reported as it is. */
const DEFAULT_MAX_ATTEMPTS = 20;
/** Backoff when the answer names no wait: full jitter in [0, min(MAX, BASE * 2^n)). */
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 20_000;
/** A service asking for a longer wait than this is reported, not waited for. */
const LONGEST_WAIT_MS = 120_000;

/** `repository.deleteTags(tags, options)`: each attempt is one request (`deleteOnce`). */
export function deleteTagsOf(repository, tags, options) {
  return pacedDeletes((tag, force) => repository.__deleteTagOnce(tag, force), tags, options, true);
}

/** `deleteTagsWith(deleteOne, tags, options)`: the same pacing over any delete function. */
export function deleteTagsWith(deleteOne, tags, options) {
  if (typeof deleteOne !== "function") {
    return Promise.reject(tagdeckError("InvalidParameter", `the parameter deleteOne is invalid: expected a function, got ${describe(deleteOne)}`));
  }
  return pacedDeletes((tag, force) => deleteOne(tag, { force }), tags, options, false);
}

/**
 * Deletes `tags`, at most `concurrency` at a time. Deleting is idempotent,
 * so a failure that may pass later (throttling, 5xx, a timeout, a network
 * error) is tried again, up to `maxAttempts` requests per tag; an answer
 * "no such tag" to such a retry means an earlier attempt was applied, and
 * counts as done (`alreadyGone`). Throttling (which means "not applied")
 * pauses every deletion for the wait the answer asks for (Retry-After,
 * x-acs-retry-after) and halves the concurrency, which grows back one by
 * one as deletions succeed. Every tag ends in the report: deleted, already
 * gone, failed with its last error, or not attempted because the run was
 * stopped (`signal`).
 */
function pacedDeletes(deleteOnce, tags, options, withForce) {
  let settings;
  let list;
  try {
    settings = deleteOptions(options, withForce);
    list = tagList(tags);
  } catch (error) {
    return Promise.reject(error);
  }
  const { concurrency, maxAttempts, force, signal, onProgress } = settings;
  const results = list.map((tag) => ({ tag: tagName(tag), ok: false, attempts: 0 }));
  const lastError = new Array(list.length);
  const ready = list.map((_, index) => index);
  const sleeping = new Map();
  let limit = concurrency;
  let successesAtLimit = 0;
  let active = 0;
  let pauseUntil = 0;
  let done = 0;
  let timer;

  return new Promise((resolve) => {
    let finished = false;
    const stopped = () => signal?.aborted === true;

    const report = (index, state, extra = {}) => {
      if (!onProgress) return;
      try {
        onProgress({ index, tag: results[index].tag, state, attempts: results[index].attempts, done, total: list.length, ...extra });
      } catch {
        // A throwing progress callback must not lose the run's report.
      }
    };

    const settle = (index, outcome) => {
      Object.assign(results[index], outcome);
      done += 1;
      report(index, "done", { result: results[index] });
    };

    const leftOver = (index) => {
      const error = lastError[index] ?? tagdeckError("NotAttempted", `${results[index].tag} was not attempted: the run was stopped first`);
      settle(index, { ok: false, error });
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener?.("abort", pump);
      resolve({ results, summary: summarize(results, stopped()) });
    };

    function pump() {
      if (finished) return;
      clearTimeout(timer);
      if (stopped()) {
        for (const [index, handle] of sleeping) {
          clearTimeout(handle);
          leftOver(index);
        }
        sleeping.clear();
        while (ready.length) leftOver(ready.shift());
        if (active === 0) finish();
        return;
      }
      const wait = pauseUntil - Date.now();
      if (ready.length && wait > 0) {
        timer = setTimeout(pump, wait);
      } else {
        while (active < limit && ready.length) attempt(ready.shift());
      }
      if (active === 0 && ready.length === 0 && sleeping.size === 0) finish();
    }

    async function attempt(index) {
      active += 1;
      const result = results[index];
      result.attempts += 1;
      report(index, "deleting");
      try {
        await deleteOnce(list[index], force);
        settle(index, { ok: true });
        successesAtLimit += 1;
        if (limit < concurrency && successesAtLimit >= limit) {
          limit += 1;
          successesAtLimit = 0;
        }
      } catch (error) {
        failed(index, error);
      } finally {
        active -= 1;
        pump();
      }
    }

    function failed(index, error) {
      const result = results[index];
      lastError[index] = error;
      if (result.attempts > 1 && isTagNotFound(error)) {
        // An earlier attempt's answer was lost (timeout, 5xx after applying it).
        return settle(index, { ok: true, alreadyGone: true });
      }
      const wait = retryWait(error, result.attempts);
      if (wait === null || result.attempts >= maxAttempts || stopped()) return settle(index, { ok: false, error });
      report(index, "waiting", { error, retryInMs: wait });
      if (isThrottling(error)) {
        // Not applied, and every other deletion would be refused too: all wait, fewer at once.
        pauseUntil = Math.max(pauseUntil, Date.now() + wait);
        limit = Math.max(1, Math.ceil(limit / 2));
        successesAtLimit = 0;
        ready.unshift(index);
      } else {
        sleeping.set(
          index,
          setTimeout(() => {
            sleeping.delete(index);
            ready.push(index);
            pump();
          }, wait),
        );
      }
    }

    signal?.addEventListener?.("abort", pump);
    pump();
  });
}

/** How long to wait before retrying after `error`, or null when retrying cannot help. */
function retryWait(error, attempts) {
  if (error?.retryable !== true) return null;
  const asked = error.retryAfterMs;
  if (typeof asked === "number" && Number.isFinite(asked) && asked >= 0) return asked > LONGEST_WAIT_MS ? null : asked;
  return Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts - 1, 20));
}

/** Throttling: refused before anything was applied (src/error.rs `is_retryable` reads it the same way). */
function isThrottling(error) {
  return String(error?.code ?? "").startsWith("Throttling") || error?.httpStatus === 429;
}

/**
 * "No such tag": Alibaba's TAG_NOT_EXIST (404 through tagdeck's proxy),
 * Scaleway's and SWR's 404. A missing repository, namespace or instance is
 * not a missing tag.
 */
function isTagNotFound(error) {
  const code = String(error?.code ?? "");
  if (/REPO|NAMESPACE|INSTANCE|IMAGE/i.test(code)) return false;
  return code === "TAG_NOT_EXIST" || error?.httpStatus === 404;
}

function summarize(results, stopped) {
  const summary = { requested: results.length, deleted: 0, alreadyGone: 0, failed: 0, notAttempted: 0, attempts: 0, stopped };
  for (const result of results) {
    summary.attempts += result.attempts;
    if (result.ok) summary[result.alreadyGone ? "alreadyGone" : "deleted"] += 1;
    else if (result.attempts === 0) summary.notAttempted += 1;
    else summary.failed += 1;
  }
  return summary;
}

function deleteOptions(options, withForce) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object" || Array.isArray(options)) throw invalid("options", `expected an object, got ${describe(options)}`);
  const known = ["concurrency", "maxAttempts", "onProgress", "signal", ...(withForce ? ["force"] : [])];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw invalid(key, `unknown option; the options are ${known.join(", ")}`);
  }
  const integer = (name, max, fallback) => {
    const value = options[name];
    if (value === undefined || value === null) return fallback;
    if (!Number.isInteger(value) || value < 1 || value > max) throw invalid(name, `expected an integer from 1 to ${max}, got ${describe(value)}`);
    return value;
  };
  const { onProgress, signal, force } = options;
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") throw invalid("onProgress", `expected a function, got ${describe(onProgress)}`);
  if (signal !== undefined && signal !== null && typeof signal?.aborted !== "boolean") throw invalid("signal", `expected an AbortSignal, got ${describe(signal)}`);
  if (force !== undefined && force !== null && typeof force !== "boolean") throw invalid("force", `expected true or false, got ${describe(force)}`);
  return {
    concurrency: integer("concurrency", MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
    maxAttempts: integer("maxAttempts", 100, DEFAULT_MAX_ATTEMPTS),
    onProgress: onProgress ?? null,
    signal: signal ?? null,
    force: force === true,
  };
}

function tagList(tags) {
  if (tags === null || typeof tags !== "object" || typeof tags[Symbol.iterator] !== "function") {
    throw invalid("tags", `expected an array of tag names or tags, got ${describe(tags)}`);
  }
  return Array.from(tags);
}

function tagName(tag) {
  return typeof tag === "string" ? tag : String(tag?.name ?? "");
}

function invalid(name, reason) {
  return tagdeckError("InvalidParameter", `the parameter ${name} is invalid: ${reason}`);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

// ---- allTags(): a snapshot ----------------------------------------------------

/**
 * `repository.allTags(...)`: lists every page before yielding the first
 * tag, so that deleting tags while iterating (which shifts the later pages
 * of a live listing) skips none; a tag listed twice (added meanwhile) is
 * yielded once. `sort` is the registry's where it can (`serverSorts`), else
 * done here over the whole snapshot.
 */
export async function* tagSnapshot(repository, pageSize, sort, serverSorts) {
  const byName = new Map();
  let page = { page: 1, pageSize };
  while (page) {
    const answer = await repository.listTags({ ...page, ...(sort && serverSorts ? { sort } : {}) });
    for (const tag of answer.tags) if (!byName.has(tag.name)) byName.set(tag.name, tag);
    page = answer.next ?? null;
  }
  const tags = [...byName.values()];
  if (sort && !serverSorts) tags.sort(compareBy(sort));
  yield* tags;
}

/** Names in code-point order, times oldest first; `descending` flips; a missing time sorts last. */
function compareBy({ key, descending }) {
  const field = { name: "name", created: "createdMs", updated: "updatedMs" }[key];
  const direction = descending ? -1 : 1;
  return (a, b) => {
    const x = a[field];
    const y = b[field];
    if (x === y) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  };
}
