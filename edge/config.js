// Turns the worker's env bindings into validated settings.
//
// Every binding is a string (Workers vars and secrets, or process.env in the
// Node adapter). A bad or missing binding is reported by its NAME, never by
// its value: the values of the credential bindings are secrets.

/** The largest request body the proxy accepts, in bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;
/** How much of a too-large chunked body is read and dropped so the client sees the 413. */
export const MAX_DRAINED_BYTES = 1024 * 1024;

/** Shortest accepted PROXY_TOKEN: shorter tokens can be guessed. */
const MIN_PROXY_TOKEN_LENGTH = 16;

const DEFAULTS = {
  RATE_LIMIT_BURST: 60,
  RATE_LIMIT_PER_SECOND: 20,
  UPSTREAM_TIMEOUT_MS: 10_000,
};

/** Every binding the proxy reads (the Node adapter takes these from process.env). */
export const BINDINGS = [
  "ACCESS_KEY_ID",
  "ACCESS_KEY_SECRET",
  "SECURITY_TOKEN",
  "UPSTREAM",
  "REGION_ID",
  "PROXY_TOKEN",
  "ALLOWED_ORIGINS",
  "ALLOWED_ACTIONS",
  "RATE_LIMIT_BURST",
  "RATE_LIMIT_PER_SECOND",
  "UPSTREAM_TIMEOUT_MS",
  "UPSTREAM_MAX_RETRIES",
];

/** A configuration problem; its message names the binding at fault. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
}

/** `Get*` and `List*` actions read; everything else changes state. */
export function isReadOnly(action) {
  return action.startsWith("Get") || action.startsWith("List");
}

/**
 * Reads the settings from `env`.
 * @param {Record<string, string | undefined>} env the bindings
 * @param {string[]} knownActions the catalogue's actions (`operations()`)
 * @throws {ConfigError} naming the first binding that is missing or invalid
 */
export function readConfig(env, knownActions) {
  const known = new Set(knownActions);
  const upstream = parseUpstream(required(env, "UPSTREAM"));
  const proxyToken = required(env, "PROXY_TOKEN");
  if (proxyToken.length < MIN_PROXY_TOKEN_LENGTH) {
    throw new ConfigError(`PROXY_TOKEN must be at least ${MIN_PROXY_TOKEN_LENGTH} characters long`);
  }
  const allowedActions = env.ALLOWED_ACTIONS?.trim()
    ? list(env.ALLOWED_ACTIONS).map((action) => {
        if (!known.has(action)) {
          throw new ConfigError(`ALLOWED_ACTIONS names ${JSON.stringify(action)}, which is not an operation of the catalogue`);
        }
        return action;
      })
    : knownActions.filter(isReadOnly);
  return {
    credentials: {
      accessKeyId: required(env, "ACCESS_KEY_ID"),
      accessKeySecret: required(env, "ACCESS_KEY_SECRET"),
      securityToken: optional(env, "SECURITY_TOKEN"),
    },
    upstream,
    regionId: optional(env, "REGION_ID") ?? regionOfEndpoint(upstream),
    proxyToken,
    allowedOrigins: new Set(list(env.ALLOWED_ORIGINS ?? "").map(parseOrigin)),
    allowedActions: new Set(allowedActions),
    knownActions: known,
    rateLimit: {
      burst: positiveNumber(env, "RATE_LIMIT_BURST"),
      perSecond: positiveNumber(env, "RATE_LIMIT_PER_SECOND"),
    },
    timeoutMs: positiveNumber(env, "UPSTREAM_TIMEOUT_MS"),
    maxRetries: optional(env, "UPSTREAM_MAX_RETRIES") === undefined ? undefined : nonNegativeInteger(env, "UPSTREAM_MAX_RETRIES"),
  };
}

function optional(env, name) {
  const value = env[name];
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return String(value).trim();
}

function required(env, name) {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(`binding ${name} is not set`);
  return value;
}

function list(text) {
  return text.split(",").map((item) => item.trim()).filter(Boolean);
}

function positiveNumber(env, name) {
  const text = optional(env, name);
  if (text === undefined) return DEFAULTS[name];
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  }
  return value;
}

function nonNegativeInteger(env, name) {
  const text = optional(env, name);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number >= 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** UPSTREAM: a full http(s) origin, or a bare host (https is assumed). */
function parseUpstream(text) {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`UPSTREAM must be a host or an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`UPSTREAM must use http or https, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new ConfigError("UPSTREAM must be an origin (scheme, host and port) without path, query or user info");
  }
  return url.origin;
}

/** ALLOWED_ORIGINS entries are exact origins; `*` is refused on purpose. */
function parseOrigin(text) {
  if (text === "*") {
    throw new ConfigError("ALLOWED_ORIGINS must list origins explicitly; \"*\" would let any web page spend these credentials");
  }
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`ALLOWED_ORIGINS entry ${JSON.stringify(text)} is not an origin such as https://dash.example.com`);
  }
  if (url.origin === "null" || url.origin !== text.replace(/\/$/, "")) {
    throw new ConfigError(`ALLOWED_ORIGINS entry ${JSON.stringify(text)} is not an origin (scheme://host[:port], nothing after it)`);
  }
  return url.origin;
}

/** `cr.cn-hangzhou.aliyuncs.com` → `cn-hangzhou`; other hosts need REGION_ID. */
function regionOfEndpoint(origin) {
  const match = /^cr\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(new URL(origin).hostname);
  if (!match) throw new ConfigError("binding REGION_ID is not set, and UPSTREAM is not cr.{region}.aliyuncs.com to take it from");
  return match[1];
}
