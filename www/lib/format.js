/** Human-readable sizes, times and counts, with exact forms for tooltips. */

const SIZE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
const numberFormat = new Intl.NumberFormat("en");
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const exactFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "long",
});

/** A Long from the package (BigInt), a number, or a decimal string, as a Number. */
export function toNumber(value) {
  if (value === null || value === undefined || value === "") return NaN;
  return Number(value);
}

/** `123456789` → `"123.5 MB"` (decimal units, as `docker images` prints). */
export function formatBytes(value) {
  let size = toNumber(value);
  if (!Number.isFinite(size) || size < 0) return "—";
  let unit = 0;
  while (size >= 1000 && unit < SIZE_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  const digits = unit === 0 || size >= 100 ? 0 : 1;
  return `${size.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

/** The exact byte count, digit-grouped; BigInt values stay exact. */
export function exactBytes(value) {
  if (value === null || value === undefined || value === "") return "unknown size";
  const exact = typeof value === "bigint" ? value.toLocaleString("en") : formatCount(value);
  return `${exact} bytes`;
}

export function formatCount(value) {
  return numberFormat.format(toNumber(value));
}

/** Plural-aware count: `plural(1, "tag")` → "1 tag", `plural(2000, "tag")` → "2,000 tags". */
export function plural(count, noun, nouns = `${noun}s`) {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}

const RELATIVE_STEPS = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** Milliseconds since the epoch → "3 days ago" (relative to `now`). */
export function relativeTime(ms, now = Date.now()) {
  const time = toNumber(ms);
  if (!Number.isFinite(time) || time <= 0) return "—";
  let amount = (time - now) / 1000;
  for (const [unit, next] of RELATIVE_STEPS) {
    if (Math.abs(amount) < next) return relativeFormat.format(Math.round(amount), unit);
    amount /= next;
  }
  return "—";
}

/**
 * Milliseconds since the epoch → "2024-05-01 14:03" in this device's time
 * zone: a date that reads the same next year (a relative "3 years ago" does
 * not tell builds apart), year first so a column of them lines up.
 */
export function absoluteTime(ms) {
  const time = toNumber(ms);
  if (!Number.isFinite(time) || time <= 0) return "—";
  const date = new Date(time);
  const two = (value) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** Milliseconds since the epoch → "May 1, 2024, 2:03:22 PM GMT+2 (2024-05-01T12:03:22Z)". */
export function exactTime(ms) {
  const time = toNumber(ms);
  if (!Number.isFinite(time) || time <= 0) return "unknown time";
  const date = new Date(time);
  return `${exactFormat.format(date)} (${date.toISOString().replace(/\.\d{3}Z$/, "Z")})`;
}

/** Milliseconds since the epoch → ISO string for `<time datetime>`. */
export function isoTime(ms) {
  const time = toNumber(ms);
  return Number.isFinite(time) && time > 0 ? new Date(time).toISOString() : "";
}

/**
 * The hex part of a digest, lower case. Alibaba's ListRepoTag sends bare hex
 * (`67bfbcc1…`), other APIs `sha256:67bfbcc1…`; both compare equal here.
 */
export function digestHex(digest) {
  const text = String(digest ?? "").toLowerCase();
  return text.includes(":") ? text.slice(text.indexOf(":") + 1) : text;
}

/** `sha256:0123456789abcdef…` or `0123456789abcdef…` → `0123456789ab`. */
export function shortDigest(digest) {
  return digest ? digestHex(digest).slice(0, 12) : "\u2014";
}
