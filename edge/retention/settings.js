// The retention bindings → validated settings. Like config.js for the
// proxy, an error names the binding (and the field inside it) at fault and
// never quotes a credential's value.
//
//   RETENTION_POLICIES    JSON list of { name, registry, scope, policy, mode }
//   IN_USE                image references, one a line, or `kubectl get pods -A -o json`
//   IN_USE_URL            where to fetch that text at the start of each run
//   RETENTION_WEBHOOK_URL where each run's summary is POSTed (JSON)
//   RETENTION_CONCURRENCY deletes in flight per repository (default 4)
//   RETENTION_DELETES_PER_MESSAGE  deletes one queue message makes before it
//                         hands its repository on to a new message (default 200)
//   SCALEWAY_SECRET_KEY, SCALEWAY_ENDPOINT; SWR_AUTH_TOKEN, SWR_REGION, SWR_ENDPOINT
// The Alibaba client uses the proxy's own ACCESS_KEY_ID, ACCESS_KEY_SECRET,
// SECURITY_TOKEN, UPSTREAM and REGION_ID.

import { ConfigError } from "../config.js";

export const REGISTRIES = ["alibaba", "scaleway", "swr"];
export const MODES = ["dry-run", "apply"];

/** Every binding the retention runner reads (the Node adapter takes these from process.env). */
export const RETENTION_BINDINGS = [
  "RETENTION_POLICIES",
  "IN_USE",
  "IN_USE_URL",
  "RETENTION_WEBHOOK_URL",
  "RETENTION_CONCURRENCY",
  "RETENTION_DELETES_PER_MESSAGE",
  "SCALEWAY_SECRET_KEY",
  "SCALEWAY_ENDPOINT",
  "SWR_AUTH_TOKEN",
  "SWR_REGION",
  "SWR_ENDPOINT",
];

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;
// A Workers invocation may make 1,000 KV operations and (paid plan) 10,000
// subrequests, and a queue consumer runs for at most 15 minutes: 200 deletes
// (with their look-ups, the listing and the journal's writes) stay well
// inside all three, and at a registry's rate limit take a few minutes.
const DEFAULT_DELETES_PER_MESSAGE = 200;
const MAX_DELETES_PER_MESSAGE = 5_000;

/** What each registry's `scope` may hold, and which of it is required. */
const SCOPE_FIELDS = {
  alibaba: { required: ["instanceId"], optional: ["namespace", "repository"] },
  scaleway: { required: ["region"], optional: ["namespaceId", "image"] },
  swr: { required: [], optional: ["namespace", "repository"] },
};

/**
 * RETENTION_POLICIES as a checked list.
 * @returns {{ name: string, registry: string, scope: object, policy: object, mode: string }[]}
 * @throws {ConfigError}
 */
export function readPolicies(env) {
  const text = env.RETENTION_POLICIES;
  if (text === undefined || String(text).trim() === "") throw new ConfigError("binding RETENTION_POLICIES is not set");
  let list;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`RETENTION_POLICIES is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(list)) throw new ConfigError("RETENTION_POLICIES must be a JSON list of { name, registry, scope, policy, mode }");
  const names = new Set();
  return list.map((entry, index) => {
    const at = `RETENTION_POLICIES[${index}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new ConfigError(`${at} must be an object`);
    const name = entry.name;
    if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      throw new ConfigError(`${at}.name must be 1 to 64 letters, digits, '.', '_' or '-'`);
    }
    if (names.has(name)) throw new ConfigError(`${at}.name ${JSON.stringify(name)} is used twice`);
    names.add(name);
    if (!REGISTRIES.includes(entry.registry)) throw new ConfigError(`${at}.registry must be one of ${REGISTRIES.join(", ")}`);
    if (!MODES.includes(entry.mode)) throw new ConfigError(`${at}.mode must be "dry-run" or "apply"`);
    if (entry.policy === null || typeof entry.policy !== "object") throw new ConfigError(`${at}.policy must be an object that planRetention accepts`);
    return { name, registry: entry.registry, scope: readScope(entry.registry, entry.scope, `${at}.scope`), policy: entry.policy, mode: entry.mode };
  });
}

function readScope(registry, scope, at) {
  if (scope === null || typeof scope !== "object" || Array.isArray(scope)) throw new ConfigError(`${at} must be an object`);
  const { required, optional } = SCOPE_FIELDS[registry];
  for (const key of Object.keys(scope)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new ConfigError(`${at}.${key} is not a scope field of ${registry}; expected ${[...required, ...optional].join(", ")}`);
    }
  }
  for (const key of required) {
    if (scope[key] === undefined) throw new ConfigError(`${at}.${key} is required for ${registry}`);
  }
  for (const [key, value] of Object.entries(scope)) {
    if (typeof value !== "string" || value.trim() === "") throw new ConfigError(`${at}.${key} must be a non-empty string`);
  }
  return scope;
}

/** The optional retention settings besides the policies. */
export function readRetentionSettings(env) {
  return {
    concurrency: wholeNumber(env, "RETENTION_CONCURRENCY", DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
    deletesPerMessage: wholeNumber(env, "RETENTION_DELETES_PER_MESSAGE", DEFAULT_DELETES_PER_MESSAGE, MAX_DELETES_PER_MESSAGE),
    inUseText: env.IN_USE?.trim() ? env.IN_USE : undefined,
    inUseUrl: optionalUrl(env, "IN_USE_URL"),
    webhookUrl: optionalUrl(env, "RETENTION_WEBHOOK_URL"),
  };
}

function wholeNumber(env, name, fallback, most) {
  const text = env[name]?.trim();
  const value = text ? Number(text) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > most) throw new ConfigError(`${name} must be a whole number from 1 to ${most}`);
  return value;
}

function optionalUrl(env, name) {
  const text = env[name]?.trim();
  if (!text) return undefined;
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigError(`${name} must be an http(s) URL`);
  return url.href;
}
