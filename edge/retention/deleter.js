// Deleting one tag with care. A refused call that the registry did not act
// on (throttled: 429, `Throttling.*`) is sent again after the wait the
// registry asked for: slept through when short, else the item stops and its
// message is delivered again once the wait is over (`Throttled`). A call
// that may have been applied (timeout, network failure, 5xx) is never sent
// again blind: the tag is looked up first, and only deleted again if it is
// still there with the planned digest.

const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 20_000;
/** The longest wait a message sleeps through; a registry asking for more gets it from the queue. */
const LONGEST_SLEEP_MS = 20_000;
/** The longest delay a Workers Queue message may be given (12 hours). */
const MAX_QUEUE_DELAY_S = 43_200;

/** The registry said the tag is not there (each registry in its own words). */
export function isNotFound(error) {
  return error?.httpStatus === 404 || ["TAG_NOT_EXIST", "not_found", "NotFound"].includes(error?.code);
}

function isThrottled(error) {
  return error?.httpStatus === 429 || /^Throttling/.test(error?.code ?? "");
}

/** The request may have reached the registry and been applied. */
function mayHaveApplied(error) {
  return ["Timeout", "NetworkError", "DecodeError"].includes(error?.code) || error?.httpStatus >= 500 || typeof error?.code !== "string";
}

/** Thrown when a tag's fate cannot be known now (the check failed too): the item stops and resumes later. */
export class Interrupted extends Error {
  constructor(message) {
    super(message);
    this.name = "Interrupted";
  }
}

/**
 * Thrown when the registry keeps a delete throttled, or asks for a longer
 * wait than a message sleeps through: nothing was applied, the item stops,
 * and its message is delivered again after `retryAfterMs`.
 */
export class Throttled extends Interrupted {
  constructor(message, retryAfterMs) {
    super(message);
    this.name = "Throttled";
    this.retryAfterMs = retryAfterMs;
  }
}

/** How a queue message stopped by `error` is delivered again: `{ delaySeconds }` after a throttled stop, else the queue's own delay. */
export function redelivery(error) {
  if (!(error instanceof Throttled)) return undefined;
  return { delaySeconds: Math.min(MAX_QUEUE_DELAY_S, Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
}

export const describe = (error) => (error?.code ? `${error.code}: ${error.message}` : String(error?.message ?? error));

/**
 * Deletes `decision.tag` from `tagRepository`.
 * @param {object} tagRepository the package's TagRepository
 * @param {{ tag: string, digest: string, id?: string }} decision
 * @param {{ force?: boolean, sleep?: (ms: number) => Promise<void>, uncertain?: boolean }} options
 *   `uncertain`: an earlier attempt (before a stop) may have been applied; look first
 * @returns {Promise<{ ok: boolean, error?: string, note?: string }>}
 * @throws {Interrupted} when neither the delete nor the look-up gets an answer
 */
export async function deleteTag(tagRepository, decision, { force = false, sleep = defaultSleep, uncertain = false } = {}) {
  const ref = decision.id ? { name: decision.tag, id: decision.id } : decision.tag;
  let lastError;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (uncertain) {
      const state = await lookUp(tagRepository, decision);
      if (state === "gone") return { ok: true, note: lastError ? `confirmed deleted after ${lastError.code ?? "an error"}` : "confirmed deleted on resume" };
      if (state === "moved") return { ok: false, error: `${decision.tag} now points at another digest than ${decision.digest}; not deleted` };
      uncertain = false;
    }
    try {
      await tagRepository.deleteTag(ref, force ? { force: true } : undefined);
      return { ok: true };
    } catch (error) {
      lastError = error;
      if (isNotFound(error)) return attempt === 0 ? { ok: true, note: "already gone" } : { ok: true, note: "confirmed deleted" };
      if (isThrottled(error)) {
        const wait = waitFor(error, attempt);
        if (wait > LONGEST_SLEEP_MS || attempt === MAX_ATTEMPTS - 1) {
          const why = wait > LONGEST_SLEEP_MS ? `the registry asked to wait ${Math.ceil(wait / 1000)} s` : `still throttled after ${MAX_ATTEMPTS} attempts`;
          throw new Throttled(`${decision.tag}: ${why} (${describe(error)}); the repository goes on after that wait`, wait);
        }
        await sleep(wait);
        continue;
      }
      if (!mayHaveApplied(error)) return { ok: false, error: describe(error) };
      uncertain = true;
      await sleep(waitFor(error, attempt));
    }
  }
  return { ok: false, error: `gave up after ${MAX_ATTEMPTS} attempts; last: ${describe(lastError)}` };
}

/** "present", "gone" or "moved" (same name, other digest). */
async function lookUp(tagRepository, decision) {
  try {
    const tag = await tagRepository.getTag(decision.id ? { name: decision.tag, id: decision.id } : decision.tag);
    return tag.digest && decision.digest && tag.digest !== decision.digest ? "moved" : "present";
  } catch (error) {
    if (isNotFound(error)) return "gone";
    throw new Interrupted(`cannot tell whether ${decision.tag} was deleted: ${describe(error)}`);
  }
}

function waitFor(error, attempt) {
  if (error?.retryAfterMs > 0) return error.retryAfterMs;
  return Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work(item)` over `items` with at most `limit` at once; results in input order. */
export async function mapBounded(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}
