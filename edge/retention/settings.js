// The retention bindings → validated settings. Like config.js for the
// proxy, an error names the binding (and the field inside it) at fault and
// never quotes a credential's value.
//
//   RETENTION_POLICIES    JSON list of { name, registry, scope, policy, mode }
//   IN_USE                image references, one a line, or `kubectl get pods -A -o json`
//   IN_USE_URL            where to fetch that text at the start of each run
//   RETENTION_WEBHOOK_URL where each run's summary is POSTed (JSON)
//   RETENTION_CONCURRENCY deletes in flight per repository (default 4)
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
  "SCALEWAY_SECRET_KEY",
  "SCALEWAY_ENDPOINT",
  "SWR_AUTH_TOKEN",
  "SWR_REGION",
  "SWR_ENDPOINT",
];

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

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
  const concurrencyText = env.RETENTION_CONCURRENCY?.trim();
  const concurrency = concurrencyText ? Number(concurrencyText) : DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new ConfigError(`RETENTION_CONCURRENCY must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return {
    concurrency,
    inUseText: env.IN_USE?.trim() ? env.IN_USE : undefined,
    inUseUrl: optionalUrl(env, "IN_USE_URL"),
    webhookUrl: optionalUrl(env, "RETENTION_WEBHOOK_URL"),
  };
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
