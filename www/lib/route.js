/**
 * Hash routes: the URL says where you are (instance, namespace,
 * repository, filter, sort, open tag) so a reload or a shared link keeps
 * your place. Nothing secret ever goes here.
 *
 * Alibaba CR (a registry has instances):
 *   #/instances
 *   #/i/{instanceId}
 *   #/i/{instanceId}/n/{namespace}
 *   #/i/{instanceId}/n/{namespace}/r/{repository}?q=&re=1&sort=name&dir=asc&tag=
 * Scaleway and SWR (one registry per region):
 *   #/namespaces
 *   #/n/{namespace}
 *   #/n/{namespace}/r/{repository}?q=…
 *
 * "namespace" and "repository" have both forms; `formatRoute` picks the one
 * whose names the params give, so views build routes the same way for all.
 */
const SHAPES = [
  { name: "repository", segments: ["i", "instanceId", "n", "namespace", "r", "repository"] },
  { name: "namespace", segments: ["i", "instanceId", "n", "namespace"] },
  { name: "instance", segments: ["i", "instanceId"] },
  { name: "instances", segments: ["instances"] },
  { name: "repository", segments: ["n", "namespace", "r", "repository"] },
  { name: "namespace", segments: ["n", "namespace"] },
  { name: "namespaces", segments: ["namespaces"] },
];
const MARKERS = new Set(["i", "n", "r", "instances", "namespaces"]);

/**
 * Query keys each view keeps in the URL, with their defaults (omitted when
 * default, each key on its own). Tags are sorted newest first by default.
 */
export const QUERY_DEFAULTS = { q: "", re: "", sort: "updated", dir: "desc", tag: "" };

export function parseRoute(hash) {
  const text = (hash ?? "").replace(/^#/, "");
  const [pathPart, queryPart = ""] = text.split("?", 2);
  const parts = pathPart.split("/").filter(Boolean).map(safeDecode);
  const query = Object.fromEntries(new URLSearchParams(queryPart));
  for (const shape of SHAPES) {
    if (shape.segments.length !== parts.length) continue;
    const params = {};
    const matches = shape.segments.every((segment, i) => {
      if (MARKERS.has(segment)) return parts[i] === segment;
      params[segment] = parts[i];
      return parts[i] !== "";
    });
    if (matches) return { name: shape.name, params, query };
  }
  return { name: "instances", params: {}, query: {} };
}

export function formatRoute({ name, params = {}, query = {} }) {
  const shape =
    SHAPES.find((candidate) => candidate.name === name && candidate.segments.every((segment) => MARKERS.has(segment) || segment in params)) ??
    SHAPES.find((candidate) => candidate.name === "instances");
  const path = shape.segments
    .map((segment) => (segment in params ? encodeURIComponent(params[segment]) : segment))
    .join("/");
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "" && value !== QUERY_DEFAULTS[key]) {
      search.set(key, String(value));
    }
  }
  const queryText = search.toString();
  return `#/${path}${queryText ? `?${queryText}` : ""}`;
}

/** The route one level up (for breadcrumbs and "back"). */
export function routeKey(route) {
  return formatRoute({ name: route.name, params: route.params });
}

function safeDecode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
