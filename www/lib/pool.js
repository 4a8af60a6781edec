/**
 * Bounded concurrency: run `task(item, index)` for every item with at most
 * `limit` tasks in flight. Never throws; every item gets a settled result
 * in input order, so one failure never hides the others.
 *
 * `signal` (an AbortSignal) stops *starting* new tasks; items never started
 * are reported as `{ status: "skipped" }`.
 */
export async function runPool(items, limit, task, { signal } = {}) {
  const results = items.map(() => ({ status: "skipped" }));
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index], index) };
      } catch (error) {
        results[index] = { status: "rejected", reason: error };
      }
    }
  };
  const width = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Resolves after `ms`, or rejects early with an AbortError when `signal` fires. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortError() {
  const error = new Error("The operation was cancelled.");
  error.name = "AbortError";
  error.code = "Aborted";
  return error;
}
