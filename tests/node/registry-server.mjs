// A small loopback stand-in for the `cr` RPC endpoint, written
// independently of the Rust code: it parses GET queries and POST form
// bodies, verifies RPC signature 1.0 with node:crypto (rejecting a reused
// nonce and a stale timestamp as the service does), keeps a few tags in
// memory and answers in JSON or XML. Tests can script faults (status codes,
// Throttling with x-acs-retry-after, dropped connections, slow answers).

import { createHmac } from "node:crypto";
import { createServer } from "node:http";

/** RFC 3986: unreserved characters stay, everything else is %XY. */
export function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function stringToSign(method, params) {
  const canonical = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((k) => `${encode(k)}=${encode(params[k])}`)
    .join("&");
  return `${method}&${encode("/")}&${encode(canonical)}`;
}

export function sign(text, secret) {
  return createHmac("sha1", `${secret}&`).update(text).digest("base64");
}

/** `a=1&b=%20x` (a `+` is a space in a form body). */
function parseForm(text) {
  const params = {};
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const [k, v] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    params[decodeURIComponent(k.replace(/\+/g, " "))] = decodeURIComponent(v.replace(/\+/g, " "));
  }
  return params;
}

/** One image per tag; `huge` is 2^53 + 1 bytes, to check exactness end to end. */
function seedImages() {
  return [
    { Tag: "v1", Digest: "sha256:aaa", ImageId: "img-1", Status: "NORMAL", ImageSize: "27107966", ImageCreate: "1572839125000", ImageUpdate: "1572875608000" },
    { Tag: "v2", Digest: "sha256:bbb", ImageId: "img-2", Status: "NORMAL", ImageSize: "31457280", ImageCreate: "1572939125000", ImageUpdate: "1572975608000" },
    { Tag: "huge", Digest: "sha256:ccc", ImageId: "img-3", Status: "NORMAL", ImageSize: "9007199254740993", ImageCreate: "1573039125000", ImageUpdate: "1573075608000" },
  ];
}

function xmlEscape(text) {
  return String(text).replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]);
}

/** JSON with some numbers written as numbers (as the service does). */
function toJson(body) {
  const numeric = new Set(["PageNo", "PageSize", "TotalCount", "ImageSize", "ImageCreate", "ImageUpdate"]);
  const walk = (value, key) => {
    if (Array.isArray(value)) return `[${value.map((v) => walk(v)).join(",")}]`;
    if (value && typeof value === "object") {
      return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${walk(v, k)}`).join(",")}}`;
    }
    if (numeric.has(key)) return String(value); // big numbers stay exact as text
    return JSON.stringify(value);
  };
  return walk(body);
}

function toXml(root, body) {
  const walk = (value, key) => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key)).join(""); // flat arrays
    if (value && typeof value === "object") {
      return `<${key}>${Object.entries(value).map(([k, v]) => walk(v, k)).join("")}</${key}>`;
    }
    return `<${key}>${xmlEscape(value)}</${key}>`;
  };
  const inner = Object.entries(body).map(([k, v]) => walk(v, k)).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><${root}>${inner}</${root}>`;
}

/**
 * Starts the server on 127.0.0.1 and a free port.
 * @returns {Promise<{url, requests, faults, images, close}>}
 */
export async function startRegistry({ accessKeyId = "test-id", accessKeySecret = "test-secret", cors = false } = {}) {
  const requests = [];
  const seenNonces = new Set();
  /** Scripted faults, used one per request, oldest first. */
  const faults = [];
  let images = seedImages();
  let counter = 0;

  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url, "http://registry");
      const params = req.method === "POST" ? parseForm(raw) : parseForm(url.search.slice(1));
      const record = { method: req.method, path: url.pathname, params, headers: req.headers, at: Date.now() };
      requests.push(record);
      const fault = faults.shift();
      if (fault?.drop) {
        req.socket.destroy();
        return;
      }
      const send = () => answer(req, res, params, fault, record);
      if (fault?.delayMs) setTimeout(send, fault.delayMs);
      else send();
    });
  });

  function reply(res, params, status, body, headers = {}) {
    const format = (params.Format ?? "XML").toUpperCase();
    const xmlRoot = status >= 300 ? "Error" : `${params.Action}Response`;
    const text = format === "JSON" ? toJson(body) : toXml(xmlRoot, body);
    const type = format === "JSON" ? "application/json" : "text/xml";
    const extra = cors ? { "access-control-allow-origin": "*" } : {};
    res.writeHead(status, { "content-type": `${type};charset=utf-8`, ...extra, ...headers });
    res.end(text);
  }

  function error(res, params, status, code, message, headers) {
    const requestId = `REQ-${++counter}`;
    reply(
      res,
      params,
      status,
      { RequestId: requestId, HostId: "registry.test", Code: code, Message: message, Recommend: `https://api.test/troubleshoot?q=${code}` },
      headers,
    );
  }

  function answer(req, res, params, fault, record) {
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" });
      return res.end();
    }
    if (fault?.status) {
      const headers = fault.retryAfter !== undefined ? { "x-acs-retry-after": String(fault.retryAfter) } : {};
      return error(res, params, fault.status, fault.code, fault.message ?? "scripted fault", headers);
    }
    // Authentication, as the service checks it.
    for (const name of ["AccessKeyId", "Action", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"]) {
      if (params[name] === undefined) return error(res, params, 400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
    if (params.AccessKeyId !== accessKeyId) {
      return error(res, params, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    const skew = Math.abs(Date.parse(params.Timestamp) - Date.now());
    if (!(skew <= 15 * 60 * 1000)) {
      return error(res, params, 400, "InvalidTimeStamp.Expired", `Specified time stamp or date value is expired.`);
    }
    const expected = stringToSign(req.method, params);
    record.stringToSign = expected;
    if (sign(expected, accessKeySecret) !== params.Signature) {
      return error(res, params, 400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${expected}`);
    }
    if (seenNonces.has(params.SignatureNonce)) {
      return error(res, params, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
    seenNonces.add(params.SignatureNonce);
    record.verified = true;

    const requestId = `REQ-${++counter}`;
    const ok = (body) => reply(res, params, 200, { RequestId: requestId, IsSuccess: true, Code: "success", ...body });
    switch (params.Action) {
      case "ListRepoTag": {
        const pageNo = Number(params.PageNo ?? 1);
        const pageSize = Number(params.PageSize ?? 30);
        const page = images.slice((pageNo - 1) * pageSize, pageNo * pageSize);
        return ok({ PageNo: pageNo, PageSize: pageSize, TotalCount: images.length, Images: page });
      }
      case "GetRepoTag": {
        const image = images.find((i) => i.Tag === params.Tag);
        if (!image) return error(res, params, 404, "TAG_NOT_EXIST", `tag ${params.Tag} does not exist`);
        return ok(image);
      }
      case "DeleteRepoTag": {
        const before = images.length;
        images = images.filter((i) => i.Tag !== params.Tag);
        if (images.length === before) return error(res, params, 404, "TAG_NOT_EXIST", `tag ${params.Tag} does not exist`);
        return ok({});
      }
      default:
        return error(res, params, 404, "InvalidApi.NotFound", `Specified api is not found, please check your url and method.`);
    }
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    get images() {
      return images;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}
