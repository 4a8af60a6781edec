/**
 * What the dashboard keeps on this device. Non-secret preferences (registry,
 * mode, region, endpoint, proxy URL, the SWR repository to open) are always
 * kept so the form is pre-filled, and so are the repositories recently
 * opened where the registry cannot list them (SWR). Keys and tokens are
 * written only when the user ticked "remember on this device", and
 * "Disconnect" erases them.
 */
const PREFS_KEY = "tagdeck.prefs";
const REMEMBERED_KEY = "tagdeck.remembered";
const RECENT_KEY = "tagdeck.recent";
const RECENT_LIMIT = 8;
const PREF_FIELDS = ["registry", "mode", "region", "endpoint", "proxyUrl", "namespace", "repository"];
const SECRET_FIELDS = ["accessKeyId", "accessKeySecret", "securityToken", "proxyToken", "authToken"];

export function loadPrefs() {
  return read(PREFS_KEY) ?? {};
}

export function loadRemembered() {
  return read(REMEMBERED_KEY);
}

export function saveConnection(settings, remember) {
  write(PREFS_KEY, pick(settings, PREF_FIELDS));
  if (remember) write(REMEMBERED_KEY, pick(settings, [...PREF_FIELDS, ...SECRET_FIELDS]));
  else forgetKeys();
}

/** A region switched to in the header: the next visit (and a remembered reconnect) starts there. */
export function saveRegion(region) {
  write(PREFS_KEY, { ...loadPrefs(), region });
  const remembered = loadRemembered();
  if (remembered) write(REMEMBERED_KEY, { ...remembered, region });
}

export function forgetKeys() {
  try {
    localStorage.removeItem(REMEMBERED_KEY);
  } catch {
    // Storage disabled: nothing was stored either.
  }
}

/** Repositories recently opened on this registry, newest first: [{ namespace, repository }]. */
export function loadRecent(registryId) {
  const all = read(RECENT_KEY) ?? {};
  return Array.isArray(all[registryId]) ? all[registryId].filter((entry) => entry?.namespace && entry?.repository) : [];
}

export function rememberRecent(registryId, namespace, repository) {
  const all = read(RECENT_KEY) ?? {};
  const others = loadRecent(registryId).filter((entry) => entry.namespace !== namespace || entry.repository !== repository);
  write(RECENT_KEY, { ...all, [registryId]: [{ namespace, repository }, ...others].slice(0, RECENT_LIMIT) });
}

function pick(source, fields) {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined && source[field] !== "").map((field) => [field, source[field]]));
}

function read(key) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the session still works, it just is not kept.
  }
}
