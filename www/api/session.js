/**
 * A connection to one registry. Alibaba CR: `call(action, params)` either
 * through the tagdeck package's `Client` (direct mode: the keys live inside
 * it, in this tab's memory only) or through the edge proxy (no keys in the
 * browser). Scaleway and SWR: the package's `ScalewayRegistry` or
 * `SwrRegistry` as `client` (the token lives inside it). `verify()` makes
 * one cheap request that proves the credentials. The returned session never
 * exposes a secret.
 */
import { registryById } from "./registries.js";
import { ProxyClient, apiError } from "./proxy-client.js";
import { createHealth } from "./health.js";

const PACKAGE_URL = "/pkg/index.js";
let packagePromise = null;

/** Loads and initialises the wasm package once. */
export function loadPackage() {
  packagePromise ??= import(PACKAGE_URL).then(async (pkg) => {
    await pkg.default();
    return pkg;
  });
  packagePromise.catch(() => (packagePromise = null));
  return packagePromise;
}

/**
 * Opens a session with `settings` (the connect form's values). Where the
 * registry has regions to switch between (direct mode: the keys are the
 * account's, the region only picks the endpoint), `session.inRegion(region)`
 * opens the same connection in another region without asking for the keys
 * again; they stay in this closure, never on the session object.
 */
export async function openSession(settings) {
  const registry = registryById(settings.registry);
  const region = (settings.region || registry.defaultRegion).trim();
  const endpoint = (settings.endpoint ?? "").trim();
  const health = createHealth();
  // A proxy signs for its own region; SWR's form names one repository (of one region).
  const switchable = settings.mode !== "proxy" && !registry.locator;
  const common = { health, inRegion: switchable ? (other) => openSession({ ...settings, region: other }) : null };
  if (registry.id === "scaleway" || registry.id === "swr") return openRestSession(registry, settings, region, endpoint, common);
  if (settings.mode === "proxy") {
    const proxy = new ProxyClient({ proxyUrl: settings.proxyUrl, proxyToken: settings.proxyToken, fetch: health.fetch });
    return makeSession({
      ...common,
      registry,
      mode: "proxy",
      region,
      endpoint: settings.proxyUrl.trim(),
      // The proxy signs for its own region (its REGION_ID), adding RegionId where an operation declares
      // it; the catalogue refuses a RegionId elsewhere, so none is sent from here.
      call: (action, params) => proxy.call(action, params),
      supports: () => true,
    });
  }

  requireCredentials(registry, settings);
  const pkg = await loadPackage();
  const client = new pkg.Client({
    accessKeyId: settings.accessKeyId.trim(),
    accessKeySecret: settings.accessKeySecret.trim(),
    ...(settings.securityToken?.trim() ? { securityToken: settings.securityToken.trim() } : {}),
    regionId: region,
    format: "JSON",
    ...clientOptions(endpoint, health),
  });
  const known = new Set(pkg.operations());
  return directSession(client, registry, region, endpoint, common, {
    // `call` by Action: the per-operation methods (`listRepoTag`) are the
    // same calls under the package's camelCase names.
    call: (action, params) => client.call(action, params),
    supports: (action) => known.has(action),
  });
}

/** Scaleway or SWR, direct: the package's registry client holds the token. */
async function openRestSession(registry, settings, region, endpoint, common) {
  requireCredentials(registry, settings);
  const locator = registry.locator ? repositoryLocator(settings) : null;
  const pkg = await loadPackage();
  const Registry = registry.id === "scaleway" ? pkg.ScalewayRegistry : pkg.SwrRegistry;
  const client = new Registry({ authToken: settings.authToken.trim(), region, ...clientOptions(endpoint, common.health) });
  return directSession(client, registry, region, endpoint, common, {
    client,
    call: (operation, params) => client.call(operation, params),
    supports: () => false,
    // SWR has no listing to try: one tag of the repository to open proves the token.
    verify: locator
      ? () => client.listRepositoryTags({ ...locator, offset: 0, limit: 1 })
      : () => client.listNamespaces({ pageSize: 1 }),
    landing: locator ? { name: "repository", params: locator } : null,
  });
}

/**
 * What every client of the package is given in direct mode: the endpoint
 * when one is set (else the registry's own for the region), a 20 s timeout,
 * and up to 5 retries of reads (Get*, List*, GETs) on throttling and 5xx;
 * writes are never retried unless asked, which the dashboard never does.
 * Every attempt, retries included, tells the session whether the registry
 * answers.
 */
function clientOptions(endpoint, health) {
  return { ...(endpoint ? { endpoint } : {}), timeoutMs: 20000, maxRetries: 5, fetch: health.fetch };
}

/** A direct session over the package's `client`, which holds the credentials; `close()` frees it, wiping them. */
function directSession(client, registry, region, endpoint, common, calls) {
  return makeSession({
    ...common,
    registry,
    mode: "direct",
    region,
    endpoint: endpoint || registry.endpointFor(region),
    close: () => client.free(),
    ...calls,
  });
}

function requireCredentials(registry, settings) {
  for (const { name, label, optional } of registry.credentials) {
    if (!optional && !String(settings[name] ?? "").trim()) throw apiError({ code: "MissingParameter", message: `${label} is required.` });
  }
}

function repositoryLocator(settings) {
  const namespace = String(settings.namespace ?? "").trim();
  const repository = String(settings.repository ?? "").trim();
  if (!namespace) throw apiError({ code: "MissingParameter", message: "Namespace is required." });
  if (!repository) throw apiError({ code: "MissingParameter", message: "Repository is required." });
  return { namespace, repository };
}

function makeSession({ registry, mode, region, endpoint, call, supports, health, inRegion, client = null, verify = null, landing = null, close = () => {} }) {
  return Object.freeze({
    registry,
    mode,
    region,
    endpoint,
    /** Whether the registry answers (api/health.js). */
    health,
    /** Opens this connection in another region (a new session), or null where that is not possible. */
    inRegion,
    label: `${registry.short} \u00b7 ${region}${mode === "proxy" ? " \u00b7 via proxy" : ""}`,
    errorContext: { mode, endpoint, registry: registry.id },
    call,
    supports,
    client,
    // One cheap read proves the keys (or token), the clock and the network.
    verify: verify ?? (() => call("ListInstance", { pageNo: 1, pageSize: 1 })),
    /** Where to go after connecting when the URL names no place (SWR: the repository asked for). */
    landing,
    /** Releases the package's client, wiping the credentials it holds (once no call is in flight). */
    close,
  });
}
