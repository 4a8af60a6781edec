// Turns the worker's env bindings into validated settings.
//
// Every binding is a string (Workers vars and secrets, or process.env in the
// Node adapter). Each binding is described once in BINDING_RULES; every
// problem is collected, so one start-up reports all of them, each by the
// binding's NAME and never by its value: the credential values are secrets.

/** The largest request body the proxy accepts, in bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;
/** How much of a too-large chunked body is read and dropped so the client sees the 413. */
export const MAX_DRAINED_BYTES = 1024 * 1024;

/** Shortest accepted PROXY_TOKEN: shorter tokens can be guessed. */
const MIN_PROXY_TOKEN_LENGTH = 16;

/**
 * One entry per binding: whether it must be set, how its text becomes a
 * setting (`parse(text, context)` returns the value or throws a ConfigError
 * whose message names the binding), and the value when it is not set.
 */
const BINDING_RULES = [
  { name: "ACCESS_KEY_ID", required: true },
  { name: "ACCESS_KEY_SECRET", required: true },
  { name: "SECURITY_TOKEN" },
  { name: "UPSTREAM", required: true, parse: parseUpstream },
  // Not set: taken from UPSTREAM (see regionOf below).
  { name: "REGION_ID", parse: parseRegion },
  { name: "PROXY_TOKEN", required: true, parse: parseProxyToken },
  { name: "ALLOWED_ORIGINS", parse: (text) => new Set(eachOf(list(text), parseOrigin)), unset: () => new Set() },
  {
    name: "ALLOWED_ACTIONS",
    parse: (text, { knownActions }) => expandActions(text, knownActions),
    unset: ({ knownActions }) => new Set(knownActions.filter(isReadOnly)),
  },
  { name: "RATE_LIMIT_BURST", parse: positiveNumber, unset: () => 60 },
  { name: "RATE_LIMIT_PER_SECOND", parse: positiveNumber, unset: () => 20 },
  { name: "UPSTREAM_TIMEOUT_MS", parse: positiveNumber, unset: () => 10_000 },
  // Not set: the package's own default.
  { name: "UPSTREAM_MAX_RETRIES", parse: nonNegativeInteger },
];

/** Every binding the proxy reads (the Node adapter takes these from process.env). */
export const BINDINGS = BINDING_RULES.map((rule) => rule.name);

/**
 * A configuration problem. `problems` lists every one found, each naming
 * its binding; the message is all of them, separated by "; ".
 */
export class ConfigError extends Error {
  constructor(problems) {
    const all = Array.isArray(problems) ? problems : [problems];
    super(all.join("; "));
    this.name = "ConfigError";
    this.problems = all;
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
 * @throws {ConfigError} listing every binding that is missing or invalid
 */
export function readConfig(env, knownActions) {
  const context = { knownActions };
  const problems = [];
  const values = {};
  for (const { name, required, parse = (text) => text, unset = () => undefined } of BINDING_RULES) {
    const text = bindingText(env, name);
    if (text === undefined) {
      if (required) problems.push(`binding ${name} is not set`);
      else values[name] = unset(context);
      continue;
    }
    try {
      values[name] = parse(text, context, name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const regionId = values.REGION_ID ?? (values.UPSTREAM && regionOf(values.UPSTREAM, problems));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    credentials: {
      accessKeyId: values.ACCESS_KEY_ID,
      accessKeySecret: values.ACCESS_KEY_SECRET,
      securityToken: values.SECURITY_TOKEN,
    },
    upstream: values.UPSTREAM,
    regionId,
    proxyToken: values.PROXY_TOKEN,
    allowedOrigins: values.ALLOWED_ORIGINS,
    allowedActions: values.ALLOWED_ACTIONS,
    knownActions: new Set(knownActions),
    rateLimit: { burst: values.RATE_LIMIT_BURST, perSecond: values.RATE_LIMIT_PER_SECOND },
    timeoutMs: values.UPSTREAM_TIMEOUT_MS,
    maxRetries: values.UPSTREAM_MAX_RETRIES,
  };
}

/** The binding's text, trimmed; undefined when it is not set or blank. */
function bindingText(env, name) {
  const value = env[name];
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return String(value).trim();
}

function list(text) {
  return text.split(",").map((item) => item.trim()).filter(Boolean);
}

/** Collects the problem of each item instead of stopping at the first. */
function eachOf(items, parse) {
  const problems = [];
  const values = items.flatMap((item) => {
    try {
      return [parse(item)];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return [];
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return values;
}

function positiveNumber(text, _context, name) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  }
  return value;
}

function nonNegativeInteger(text, _context, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number >= 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

function parseProxyToken(text) {
  if (text.length < MIN_PROXY_TOKEN_LENGTH) {
    throw new ConfigError(`PROXY_TOKEN must be at least ${MIN_PROXY_TOKEN_LENGTH} characters long`);
  }
  return text;
}

/** Region ids are lower-case words joined by hyphens (`cn-hangzhou`, `ap-southeast-1`). */
function parseRegion(text) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(text)) {
    throw new ConfigError(`REGION_ID must be a region id such as cn-hangzhou, got ${JSON.stringify(text)}`);
  }
  return text;
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

/**
 * ALLOWED_ACTIONS: comma-separated Action names and prefix patterns ending
 * in `*` (`Get*,List*,DeleteRepoTag` is every read plus one write). Each
 * entry must name or match at least one operation of the catalogue, so a
 * typo cannot silently allow nothing; a lone `*` is refused like
 * ALLOWED_ORIGINS's: it would allow deleting instances too.
 */
function expandActions(text, knownActions) {
  const matched = eachOf(list(text), (entry) => {
    if (entry === "*") {
      throw new ConfigError("ALLOWED_ACTIONS must not be \"*\" (it allows every write, DeleteInstance included); list what is needed, e.g. Get*,List*,DeleteRepoTag");
    }
    const pattern = /^([A-Za-z][A-Za-z0-9]*)(\*?)$/.exec(entry);
    if (!pattern) {
      throw new ConfigError(`ALLOWED_ACTIONS entry ${JSON.stringify(entry)} is neither an Action name nor a prefix pattern such as Get* (a * may only end an entry)`);
    }
    const [, prefix, star] = pattern;
    const actions = star ? knownActions.filter((action) => action.startsWith(prefix)) : knownActions.filter((action) => action === prefix);
    if (actions.length === 0) {
      throw new ConfigError(star
        ? `ALLOWED_ACTIONS pattern ${JSON.stringify(entry)} matches no operation of the catalogue`
        : `ALLOWED_ACTIONS names ${JSON.stringify(entry)}, which is not an operation of the catalogue`);
    }
    return actions;
  });
  return new Set(matched.flat());
}

/**
 * `cr.cn-hangzhou.aliyuncs.com` → `cn-hangzhou`. Any other upstream (the
 * emulator, a private address) says nothing about its region, so
 * REGION_ID must be set: recorded as a problem, not guessed.
 */
function regionOf(origin, problems) {
  const match = /^cr\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(new URL(origin).hostname);
  if (!match) {
    problems.push("binding REGION_ID is not set, and UPSTREAM is not cr.{region}.aliyuncs.com to take it from; set REGION_ID (e.g. cn-hangzhou)");
    return undefined;
  }
  return match[1];
}
