// The signing proxy's request pipeline, independent of how the package was
// loaded (worker.js does that for workerd, serve.mjs for Node).
//
//   POST /api/{Action}   body: JSON object of the operation's camelCase parameters
//
// Checks, in order: origin (CORS) → route and method → rate limit (per
// caller) → bearer token → action known (404) and allowed (403) → body size
// (413) and shape (400/415). Then the call is signed with the env
// credentials by the package's Client and sent to UPSTREAM; the decoded
// answer comes back as JSON, or an error as `{ code, message, requestId }`
// with the status its meaning calls for (status.js).

import { ConfigError, MAX_BODY_BYTES, MAX_DRAINED_BYTES, isReadOnly, readConfig } from "./config.js";
import { corsFor, preflightHeaders } from "./cors.js";
import { bearerChecker } from "./auth.js";
import { discardBody, readBodyWithin } from "./body.js";
import { TokenBucketLimiter } from "./rate-limit.js";
import { redactor } from "./redact.js";
import { stringifyExact } from "./json.js";
import { answerFor, retryAfterSeconds } from "./status.js";

const ROUTE = /^\/api\/([A-Za-z][A-Za-z0-9]*)$/;

/** An answer the proxy gives by itself, with the status it deserves. */
class Refusal {
  constructor(status, code, message, headers = {}) {
    Object.assign(this, { status, code, message, headers });
  }
}

/**
 * Settings, signing client, rate limiter and token check for `env`; or
 * `{ configError }` listing every binding at fault (the Node adapter calls
 * this at start, the worker on its first request).
 * @param {{ Client: Function, operations: () => string[] }} tagdeck an initialized package
 */
export function prepare(tagdeck, env) {
  let config;
  try {
    config = readConfig(env, tagdeck.operations());
  } catch (error) {
    if (error instanceof ConfigError) return { configError: error };
    throw error;
  }
  const { credentials } = config;
  const redact = redactor([credentials.accessKeySecret, credentials.securityToken, credentials.accessKeyId, config.proxyToken]);
  let client;
  try {
    client = new tagdeck.Client({
      ...credentials,
      regionId: config.regionId,
      endpoint: config.upstream,
      format: "JSON",
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
  } catch (error) {
    return { configError: new ConfigError(redact(`the package refused the settings: ${error.message}`)) };
  }
  return {
    config,
    client,
    redact,
    limiter: new TokenBucketLimiter(config.rateLimit),
    isAuthorized: bearerChecker(config.proxyToken),
  };
}

/**
 * Builds the Workers-style handler around an initialized tagdeck package.
 * Audit and error lines go to console.log, one JSON object per line.
 * @param {{ Client: Function, operations: () => string[] }} tagdeck
 */
export function createProxy(tagdeck) {
  const log = (entry) => console.log(entry);
  // Settings, client and rate limiter per env object: built on first use and
  // kept for the isolate's life (Workers hand every request the same env).
  const states = new WeakMap();

  function stateFor(env) {
    let state = states.get(env);
    if (!state) {
      state = prepare(tagdeck, env);
      states.set(env, state);
    }
    return state;
  }

  async function fetch(request, env) {
    const requestId = crypto.randomUUID();
    const state = stateFor(env);
    if (state.configError) {
      // Every problem, each naming its binding; no binding's value is ever in them.
      const { message, problems } = state.configError;
      return json(500, { code: "Proxy.Misconfigured", message, problems, requestId }, { "X-Request-Id": requestId });
    }
    const caller = request.headers.get("CF-Connecting-IP") ?? "unknown";
    const exchange = { action: undefined, caller, requestId };
    let response;
    try {
      response = await serve(request, state, exchange);
    } catch (error) {
      log(state.redact(JSON.stringify({ level: "error", requestId, message: String(error?.stack ?? error) })));
      response = json(500, { code: "Proxy.InternalError", message: "the proxy failed; see its log", requestId }, { "X-Request-Id": requestId });
    }
    if (request.method === "POST" && exchange.action && state.config.knownActions.has(exchange.action) && !isReadOnly(exchange.action)) {
      log(state.redact(JSON.stringify({
        audit: true,
        time: new Date().toISOString(),
        action: exchange.action,
        caller,
        target: exchange.target,
        status: response.status,
        result: exchange.code ?? "ok",
        requestId: exchange.upstreamRequestId ?? requestId,
      })));
    }
    return response;
  }

  async function serve(request, state, exchange) {
    const { config, redact } = state;
    const cors = corsFor(request.headers.get("Origin"), config.allowedOrigins);
    const reply = (status, body, headers = {}) =>
      json(status, body, { ...(cors.headers ?? {}), "X-Request-Id": exchange.requestId, ...headers });
    const refuse = async ({ status, code, message, headers }) => {
      exchange.code = code;
      await discardBody(request, MAX_DRAINED_BYTES);
      return reply(status, { code, message: redact(message), requestId: exchange.requestId }, headers);
    };

    const route = ROUTE.exec(new URL(request.url).pathname);
    exchange.action = route?.[1];
    if (!cors.allowed) {
      return refuse(new Refusal(403, "Proxy.OriginNotAllowed", "this origin is not in the proxy's ALLOWED_ORIGINS"));
    }
    if (!route) {
      return refuse(new Refusal(404, "Proxy.NotFound", "the proxy answers POST /api/{Action} only"));
    }
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { ...preflightHeaders(cors.headers), Vary: "Origin" } });
    }
    if (request.method !== "POST") {
      return refuse(new Refusal(405, "Proxy.MethodNotAllowed", `method ${request.method} is not allowed; use POST`, { Allow: "POST, OPTIONS" }));
    }

    const refusal = await admit(request, state, exchange);
    if (refusal) return refuse(refusal);
    const body = await parseParams(request);
    if (body instanceof Refusal) return refuse(body);
    exchange.target = targetOf(body);

    try {
      const answer = await state.client.call(exchange.action, body);
      exchange.upstreamRequestId = answer?.requestId;
      return new Response(stringifyExact(answer), { status: 200, headers: responseHeaders({ ...cors.headers, "X-Request-Id": exchange.requestId }) });
    } catch (error) {
      if (typeof error?.code !== "string") throw error;
      exchange.code = error.code;
      exchange.upstreamRequestId = error.requestId ?? undefined;
      const { status, headers } = answerFor(error);
      const payload = { code: error.code, message: redact(error.message ?? ""), requestId: error.requestId ?? exchange.requestId };
      if (error.recommend) payload.recommend = redact(error.recommend);
      // Retry-After carries the registry's own wait (x-acs-retry-after) when it gave one.
      return reply(status, payload, headers);
    }
  }

  /** Rate limit, token, action: a Refusal, or undefined when the call may go on. */
  async function admit(request, { config, limiter, isAuthorized }, exchange) {
    const verdict = limiter.take(exchange.caller);
    if (!verdict.allowed) {
      // A Throttling* code, as the registry's own throttling: clients that
      // retry those (the package, the dashboard) retry this after Retry-After.
      const seconds = retryAfterSeconds(verdict.retryAfterMs);
      return new Refusal(429, "Throttling.Proxy", `too many calls from this caller; retry in ${seconds} s`, { "Retry-After": String(seconds) });
    }
    if (!(await isAuthorized(request))) {
      return new Refusal(401, "Proxy.Unauthorized", "missing or wrong Authorization: Bearer token", { "WWW-Authenticate": 'Bearer realm="tagdeck"' });
    }
    if (!config.knownActions.has(exchange.action)) {
      return new Refusal(404, "InvalidApi.NotFound", `unknown action ${exchange.action}`);
    }
    if (!config.allowedActions.has(exchange.action)) {
      return new Refusal(403, "Proxy.ActionNotAllowed", `action ${exchange.action} is not in the proxy's ALLOWED_ACTIONS`);
    }
    return undefined;
  }

  return { fetch };
}

/** The JSON body as an object of parameters, or a Refusal naming what is wrong. */
async function parseParams(request) {
  const read = await readBodyWithin(request, MAX_BODY_BYTES, MAX_DRAINED_BYTES);
  if (read.tooLarge) {
    return new Refusal(413, "Proxy.BodyTooLarge", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (read.bytes.length === 0) return {};
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return new Refusal(415, "Proxy.UnsupportedMediaType", "the body must be JSON (Content-Type: application/json)");
  }
  let params;
  try {
    params = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
  } catch (error) {
    return new Refusal(400, "InvalidParameter", `the body is not valid JSON: ${error.message}`);
  }
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return new Refusal(400, "InvalidParameter", "the body must be a JSON object of the operation's parameters");
  }
  return params;
}

/** What a mutating call acts on, for the audit line: identifiers only, never other values. */
function targetOf(params) {
  const target = {};
  for (const [key, value] of Object.entries(params)) {
    if (/(Id|Name|Tag)$|^tag$/.test(key) && (typeof value === "string" || typeof value === "number")) {
      target[key] = value;
    }
  }
  return target;
}

function responseHeaders(extra) {
  return {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    // The answer depends on the Origin header (CORS), so caches must key on it.
    Vary: "Origin",
    ...extra,
  };
}

function json(status, body, headers) {
  return new Response(JSON.stringify(body), { status, headers: responseHeaders(headers) });
}
