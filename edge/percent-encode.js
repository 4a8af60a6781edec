// RFC 3986 percent-encoding as Alibaba's RPC signing uses it: only
// `A-Z a-z 0-9 - _ . ~` stay; space is %20, never `+`.

export function percentEncode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `{ A: "1", B: "x y" }` → `A=1&B=x%20y`. */
export function encodeParams(params) {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join("&");
}
