/**
 * "Via edge proxy" mode: the browser holds no AccessKey. Each operation is
 * `POST {proxy}/api/{Action}` with the camelCase parameters as JSON and
 * `Authorization: Bearer <proxy token>`; the proxy signs and forwards it and
 * answers with the decoded JSON, or `{ code, message, requestId }` and the
 * upstream's HTTP status.
 */
export class ProxyClient {
  #base;
  #token;
  #timeoutMs;
  #fetch;

  /** `fetch`: what sends the requests (the session's, which watches whether the proxy answers). */
  constructor({ proxyUrl, proxyToken, timeoutMs = 30000, fetch = (...args) => globalThis.fetch(...args) }) {
    const base = String(proxyUrl ?? "").trim().replace(/\/+$/, "");
    if (!/^https?:\/\//i.test(base)) {
      throw apiError({ code: "InvalidParameter", message: "Proxy URL must start with http:// or https://" });
    }
    if (!proxyToken) throw apiError({ code: "MissingParameter", message: "Proxy token is required." });
    this.#base = base;
    this.#token = proxyToken;
    this.#timeoutMs = timeoutMs;
    this.#fetch = fetch;
  }

  async call(action, params = {}) {
    let response;
    try {
      response = await this.#fetch(`${this.#base}/api/${encodeURIComponent(action)}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.#token}` },
        body: JSON.stringify(params, (_, value) => (typeof value === "bigint" ? value.toString() : value)),
        signal: AbortSignal.timeout(this.#timeoutMs),
        credentials: "omit",
      });
    } catch (error) {
      const timedOut = error?.name === "TimeoutError";
      throw apiError({
        code: timedOut ? "Timeout" : "NetworkError",
        message: timedOut ? `No answer from the proxy within ${this.#timeoutMs} ms.` : `The proxy could not be reached (${error?.message ?? "network error"}).`,
        retryable: true,
      });
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? parseExact(text) : {};
    } catch {
      body = null;
    }
    const requestId = body?.requestId ?? response.headers.get("x-acs-request-id") ?? "";
    if (!response.ok || body?.isSuccess === false || (body && body.code && !response.ok)) {
      throw apiError({
        code: body?.code ?? `HTTP${response.status}`,
        message: body?.message ?? `The proxy answered HTTP ${response.status}.`,
        requestId,
        httpStatus: response.status,
        recommend: body?.recommend ?? "",
        retryable: response.status === 429 || response.status >= 500,
        retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
      });
    }
    if (body === null) {
      throw apiError({ code: "DecodeError", message: "The proxy's answer is not JSON.", httpStatus: response.status });
    }
    return body;
  }
}

/** JSON.parse that keeps integers beyond 2^53 exact, as BigInt (sizes are 64-bit). */
function parseExact(text) {
  return JSON.parse(text, (_, value, context) =>
    typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
      ? BigInt(context.source)
      : value,
  );
}

/**
 * `Retry-After` (RFC 9110: delay-seconds or an HTTP-date) in milliseconds,
 * or undefined when absent or unreadable; the package's bulk delete waits
 * this long (edge/status.js sends it with every 429).
 */
export function retryAfterMs(header) {
  const text = String(header ?? "").trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** An Error shaped like the package's errors. */
export function apiError({ code, message, requestId = "", httpStatus = 0, recommend = "", retryable = false, retryAfterMs }) {
  const error = Object.assign(new Error(message), { code, requestId, httpStatus, recommend, retryable });
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}
