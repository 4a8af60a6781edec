// Signing only, for middleware that does its own fetch: takes a Request to a
// `cr` RPC endpoint with the operation's parameters in the query string
// (GET) or in an `application/x-www-form-urlencoded` body (POST), and
// returns the same call signed with the given credentials.
//
//   import { signFetchRequest } from "./sign.js";   // package initialized first
//   const signed = await signFetchRequest(
//     new Request("https://cr.cn-hangzhou.aliyuncs.com/?Action=ListInstance&RegionId=cn-hangzhou"),
//     { accessKeyId, accessKeySecret },
//   );
//   const answer = await fetch(signed);
//
// The package (pkg/tagdeck.js) must be initialized before the first call
// (`initSync({ module })` in Workers, `await init()` in a browser).

import { signRequest } from "../pkg/tagdeck.js";
import { encodeParams } from "./percent-encode.js";

/** Parameters the signer adds itself; a Request that already has one is refused. */
const SIGNER_OWNED = ["AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "SecurityToken", "Timestamp"];
const FORM = "application/x-www-form-urlencoded";

/**
 * @param {Request} request GET (params in the query) or POST (params in a form body), path `/`
 * @param {{ accessKeyId: string, accessKeySecret: string, securityToken?: string }} credentials
 * @param {{ timestamp?: string, nonce?: string }} [fixed] for reproducible signatures in tests
 * @returns {Promise<Request>} the signed Request; its body (POST) holds every parameter
 */
export async function signFetchRequest(request, credentials, fixed = {}) {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  if (method !== "GET" && method !== "POST") {
    throw new TypeError(`signFetchRequest: method ${method} is not used by the RPC API; use GET or POST`);
  }
  if (url.pathname !== "/") {
    throw new TypeError(`signFetchRequest: the RPC API lives at path "/", got ${JSON.stringify(url.pathname)}`);
  }
  const params = collectParams(url.searchParams, "query");
  if (method === "POST") {
    const type = request.headers.get("Content-Type") ?? "";
    const body = await request.text();
    if (body && !type.toLowerCase().startsWith(FORM)) {
      throw new TypeError(`signFetchRequest: a POST body must be ${FORM}, got Content-Type ${JSON.stringify(type)}`);
    }
    Object.assign(params, collectParams(new URLSearchParams(body), "body", params));
  }
  for (const name of SIGNER_OWNED) {
    if (name in params) throw new TypeError(`signFetchRequest: the request already carries ${name}; pass an unsigned request`);
  }
  // Version and Format are common parameters the signer takes as options.
  const { Version: version, Format: format, ...own } = params;
  const signed = signRequest({
    method,
    endpoint: url.origin,
    ...credentials,
    params: own,
    ...(version === undefined ? {} : { version }),
    ...(format === undefined ? {} : { format }),
    ...fixed,
  });

  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  const encoded = encodeParams(signed.params);
  if (method === "GET") {
    return new Request(`${url.origin}/?${encoded}`, { method, headers, signal: request.signal });
  }
  headers.set("Content-Type", FORM);
  return new Request(`${url.origin}/`, { method, headers, body: encoded, signal: request.signal });
}

/** Name → value; a name given twice is refused, since the API takes each once. */
function collectParams(searchParams, where, already = {}) {
  const params = {};
  for (const [name, value] of searchParams) {
    if (name in params || name in already) {
      throw new TypeError(`signFetchRequest: parameter ${name} is given twice (in the ${where})`);
    }
    params[name] = value;
  }
  return params;
}
