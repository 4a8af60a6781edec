// CORS for the proxy: only the configured origins, never `*`.

const ALLOWED_METHODS = "POST, OPTIONS";
const ALLOWED_REQUEST_HEADERS = "Authorization, Content-Type";
// Headers a page may read from an answer besides the CORS-safelisted ones.
const EXPOSED_HEADERS = "Retry-After, X-Request-Id";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

/**
 * The CORS verdict for a request's `Origin` header.
 * - no Origin (curl, servers): `{ allowed: true, headers: {} }`, CORS is a browser matter;
 * - an allowed origin: `{ allowed: true, headers: {...} }` echoing that origin;
 * - any other origin: `{ allowed: false }`; the proxy refuses the request outright,
 *   so a foreign page cannot even cause a side effect it cannot read.
 * @param {string | null} origin
 * @param {Set<string>} allowedOrigins
 */
export function corsFor(origin, allowedOrigins) {
  if (origin === null) return { allowed: true, headers: {} };
  if (!allowedOrigins.has(origin)) return { allowed: false };
  return {
    allowed: true,
    headers: {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Expose-Headers": EXPOSED_HEADERS,
    },
  };
}

/** Headers of the answer to a preflight (OPTIONS) from an allowed origin. */
export function preflightHeaders(corsHeaders) {
  return {
    ...corsHeaders,
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    "Access-Control-Allow-Headers": ALLOWED_REQUEST_HEADERS,
    "Access-Control-Max-Age": PREFLIGHT_MAX_AGE_SECONDS,
  };
}
