/**
 * What the dashboard keeps on this device. Non-secret preferences (registry,
 * mode, region, endpoint, proxy URL) are always kept so the form is
 * pre-filled. Keys and tokens are written only when the user ticked
 * "remember on this device", and "Disconnect" erases them.
 */
const PREFS_KEY = "tagdeck.prefs";
const REMEMBERED_KEY = "tagdeck.remembered";
const PREF_FIELDS = ["registry", "mode", "region", "endpoint", "proxyUrl"];
const SECRET_FIELDS = ["accessKeyId", "accessKeySecret", "securityToken", "proxyToken"];

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

export function forgetKeys() {
  try {
    localStorage.removeItem(REMEMBERED_KEY);
  } catch {
    // Storage disabled: nothing was stored either.
  }
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
