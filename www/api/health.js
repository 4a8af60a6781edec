/**
 * Whether the registry is answering, as the requests themselves find out:
 * every request of a session goes through `health.fetch` (the package's
 * `fetch` option, and the proxy client's), so the first attempt that gets
 * no answer says so at once, while the retries behind it are still
 * waiting. The header's session pill and the views read it; nothing else
 * has to poll.
 *
 *   state   "ok" (the last request got an answer, even a refusal),
 *           "unreachable" (it got none: network, CORS, timeout) or
 *           "failing" (the server answered 502, 503 or 504)
 *   error   what the failing attempt saw (an Error shaped like the
 *           package's: code NetworkError, Timeout or HTTP5xx)
 *   since   when the current state began (ms since the epoch)
 */
import { apiError } from "./proxy-client.js";

/** Server answers that mean "the registry is not working", not "the request was wrong". */
const UNAVAILABLE = new Set([502, 503, 504]);

export function createHealth({ now = () => Date.now(), fetchImpl = (...args) => globalThis.fetch(...args) } = {}) {
  const listeners = new Set();
  let current = { state: "ok", error: null, since: now() };

  const set = (state, error) => {
    // Only a change is news: a burst of successes does not redraw the header each time.
    if (state === current.state && state === "ok") return;
    current = { state, error, since: state === current.state ? current.since : now() };
    for (const listener of listeners) listener(current);
  };

  return {
    get current() {
      return current;
    },
    /** Calls `listener(current)` on every change; returns the unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** A `fetch` that reports each attempt's outcome, then hands it on unchanged. */
    fetch: async (url, init) => {
      let response;
      try {
        response = await fetchImpl(url, init);
      } catch (error) {
        // The package and the proxy client abort a request only when its time is up
        // (the dashboard never cancels one half way), so an abort is a timeout too.
        const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
        set(
          "unreachable",
          apiError({
            code: timedOut ? "Timeout" : "NetworkError",
            message: timedOut ? "The registry did not answer in time." : `The registry could not be reached (${error?.message ?? "network error"}).`,
            retryable: true,
          }),
        );
        throw error;
      }
      if (UNAVAILABLE.has(response.status)) {
        set("failing", apiError({ code: `HTTP${response.status}`, message: `The registry answered HTTP ${response.status}.`, httpStatus: response.status, retryable: true }));
      } else {
        set("ok", null);
      }
      return response;
    },
  };
}
