/**
 * The edge proxy's retention journal: `GET /retention/runs`,
 * `GET /retention/runs/<id>`, `POST /retention/runs` (start one now) and
 * `POST /retention/runs/<id>/undo`, with the proxy's bearer token. Errors
 * are `Error`s with `code`, `message` and `httpStatus`, as the other clients'.
 */
export class RunsClient {
  #base;
  #token;

  constructor({ proxyUrl, proxyToken }) {
    const base = String(proxyUrl ?? "").trim().replace(/\/+$/, "");
    if (!/^https?:\/\//i.test(base)) throw failure("InvalidParameter", "Proxy URL must start with http:// or https://");
    if (!proxyToken) throw failure("MissingParameter", "Proxy token is required.");
    this.#base = base;
    this.#token = proxyToken;
  }

  list() {
    return this.#send("GET", "/retention/runs");
  }

  /** The run's whole record: every page of its repositories, one request a page. */
  get(id) {
    return wholeRecord((from) => this.#send("GET", `/retention/runs/${encodeURIComponent(id)}?from=${from}`));
  }

  start({ policy, dryRun, inUse }) {
    return this.#send("POST", "/retention/runs", { policy, dryRun, inUse });
  }

  undo(id) {
    return this.#send("POST", `/retention/runs/${encodeURIComponent(id)}/undo`);
  }

  async #send(method, path, body) {
    let response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        credentials: "omit",
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw failure(error?.name === "TimeoutError" ? "Timeout" : "NetworkError", `The proxy could not be reached (${error?.message ?? "network error"}).`);
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (!response.ok) throw failure(json?.code ?? `HTTP${response.status}`, json?.message ?? `The proxy answered HTTP ${response.status}.`, response.status);
    return json;
  }
}

function failure(code, message, httpStatus) {
  return Object.assign(new Error(message), { name: "TagdeckError", code, httpStatus, requestId: "", retryable: httpStatus >= 500 });
}

/** What a page of a run's record holds for its repositories only; the rest is the run's, on every page. */
const PAGED = ["decisions", "results", "pending", "notDone", "unresolvedInUse"];

/**
 * A run's whole record from its pages (`GET /retention/runs/<id>` answers
 * a page of repositories at a time, to stay within a Workers invocation's
 * limits): `getPage(from)` answers the page starting at repository `from`.
 */
export async function wholeRecord(getPage) {
  const record = await getPage(0);
  for (let next = record.page?.next; next !== null && next !== undefined; ) {
    const page = await getPage(next);
    for (const key of PAGED) record[key].push(...page[key]);
    if (page.undo && record.undo) record.undo.results.push(...page.undo.results);
    next = page.page.next;
  }
  delete record.page;
  return record;
}
