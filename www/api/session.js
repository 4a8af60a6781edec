/**
 * A connection to one registry: `call(action, params)` either through the
 * tagdeck package's `Client` (direct mode: the keys live inside it, in this
 * tab's memory only) or through the edge proxy (no keys in the browser).
 * The returned session never exposes a secret.
 */
import { registryById } from "./registries.js";
import { ProxyClient, apiError } from "./proxy-client.js";

const PACKAGE_URL = "/pkg/tagdeck.js";
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

export async function openSession(settings) {
  const registry = registryById(settings.registry);
  if (!registry.available) {
    throw apiError({ code: "InvalidParameter", message: `${registry.label} is not supported by this build yet.` });
  }
  const region = (settings.region || registry.defaultRegion).trim();
  const endpoint = (settings.endpoint ?? "").trim();
  if (settings.mode === "proxy") {
    const proxy = new ProxyClient({ proxyUrl: settings.proxyUrl, proxyToken: settings.proxyToken });
    return makeSession({
      registry,
      mode: "proxy",
      region,
      endpoint: settings.proxyUrl.trim(),
      call: (action, params) => proxy.call(action, { regionId: region, ...params }),
      supports: () => true,
    });
  }

  for (const [field, label] of [
    ["accessKeyId", registry.keyLabels.id],
    ["accessKeySecret", registry.keyLabels.secret],
  ]) {
    if (!String(settings[field] ?? "").trim()) throw apiError({ code: "MissingParameter", message: `${label} is required.` });
  }
  const pkg = await loadPackage();
  const client = new pkg.Client({
    accessKeyId: settings.accessKeyId.trim(),
    accessKeySecret: settings.accessKeySecret.trim(),
    ...(settings.securityToken?.trim() ? { securityToken: settings.securityToken.trim() } : {}),
    regionId: region,
    ...(endpoint ? { endpoint } : {}),
    format: "JSON",
    timeoutMs: 20000,
    // Reads (Get*/List*) are retried by the package on throttling and 5xx;
    // writes are never retried unless asked, which the dashboard never does.
    maxRetries: 5,
  });
  const known = new Set(pkg.operations());
  return makeSession({
    registry,
    mode: "direct",
    region,
    endpoint: endpoint || registry.endpointFor(region),
    call: (action, params) => {
      const method = action[0].toLowerCase() + action.slice(1);
      return typeof client[method] === "function" ? client[method](params) : client.call(action, params);
    },
    supports: (action) => known.has(action),
  });
}

function makeSession({ registry, mode, region, endpoint, call, supports }) {
  return Object.freeze({
    registry,
    mode,
    region,
    endpoint,
    label: `${registry.short} \u00b7 ${region}${mode === "proxy" ? " \u00b7 via proxy" : ""}`,
    errorContext: { mode, endpoint },
    call,
    supports,
  });
}
