// What tagdeck is measured against: the ways people sign and decode
// Alibaba Cloud RPC calls in JavaScript today.
//
// - `popCoreSign`: @alicloud/pop-core's RPC signing path, copied line for
//   line from its lib/rpc.js (`request()` up to the URL; its helpers
//   formatParams, flatParams, normalize, canonicalize, encode), with its own
//   kitx for the timestamp padding, the nonce and the HMAC (Node crypto).
// - `webCryptoSign`: the same canonicalization with WebCrypto's HMAC, as a
//   Worker or a browser would do it (the CryptoKey imported once and reused:
//   the best case for WebCrypto).
// - decoders that turn a ListRepoTag answer into the same camelCase objects
//   tagdeck returns, with xml2js (what pop-core's ROA client uses),
//   fast-xml-parser, and JSON.parse.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const kitx = require("kitx");
const xml2js = require("xml2js");
const { XMLParser } = require("fast-xml-parser");

// ---- pop-core lib/rpc.js, verbatim where it matters ----------------------

function firstLetterUpper(str) {
  return str.slice(0, 1).toUpperCase() + str.slice(1);
}

function formatParams(params) {
  var keys = Object.keys(params);
  var newParams = {};
  for (var i = 0; i < keys.length; i++) {
    var key = keys[i];
    newParams[firstLetterUpper(key)] = params[key];
  }
  return newParams;
}

function timestamp() {
  var date = new Date();
  var YYYY = date.getUTCFullYear();
  var MM = kitx.pad2(date.getUTCMonth() + 1);
  var DD = kitx.pad2(date.getUTCDate());
  var HH = kitx.pad2(date.getUTCHours());
  var mm = kitx.pad2(date.getUTCMinutes());
  var ss = kitx.pad2(date.getUTCSeconds());
  return `${YYYY}-${MM}-${DD}T${HH}:${mm}:${ss}Z`;
}

function encode(str) {
  var result = encodeURIComponent(str);
  return result
    .replace(/!/g, "%21")
    .replace(/'/g, "%27")
    .replace(/\(/g, "%28")
    .replace(/\)/g, "%29")
    .replace(/\*/g, "%2A");
}

function replaceRepeatList(target, key, repeat) {
  for (var i = 0; i < repeat.length; i++) {
    var item = repeat[i];
    if (Array.isArray(item)) {
      replaceRepeatList(target, `${key}.${i + 1}`, item);
    } else if (item && typeof item === "object") {
      const keys = Object.keys(item);
      for (var j = 0; j < keys.length; j++) {
        if (Array.isArray(item[keys[j]])) {
          replaceRepeatList(target, `${key}.${i + 1}.${keys[j]}`, item[keys[j]]);
        } else {
          target[`${key}.${i + 1}.${keys[j]}`] = item[keys[j]];
        }
      }
    } else {
      target[`${key}.${i + 1}`] = item;
    }
  }
}

function flatParams(params) {
  var target = {};
  var keys = Object.keys(params);
  for (let i = 0; i < keys.length; i++) {
    var key = keys[i];
    var value = params[key];
    if (Array.isArray(value)) {
      replaceRepeatList(target, key, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function normalize(params) {
  var list = [];
  var flated = flatParams(params);
  var keys = Object.keys(flated).sort();
  for (let i = 0; i < keys.length; i++) {
    var key = keys[i];
    var value = flated[key];
    list.push([encode(key), encode(value)]);
  }
  return list;
}

function canonicalize(normalized) {
  var fields = [];
  for (var i = 0; i < normalized.length; i++) {
    var [key, value] = normalized[i];
    fields.push(key + "=" + value);
  }
  return fields.join("&");
}

/**
 * pop-core's `RPCClient#request` from its arguments to the URL it sends
 * (GET), without the HTTP exchange. `fixed` pins the timestamp and nonce
 * (for the cross-check with tagdeck); otherwise they are made as pop-core
 * makes them.
 */
export function popCoreSign({ endpoint, apiVersion, accessKeyId, accessKeySecret }, action, params, fixed) {
  action = firstLetterUpper(action);
  params = formatParams(params);
  const defaultParams = {
    Format: "JSON",
    Timestamp: fixed ? fixed.timestamp : timestamp(),
    Version: apiVersion,
  };
  defaultParams.SignatureMethod = "HMAC-SHA1";
  defaultParams.SignatureVersion = "1.0";
  defaultParams.SignatureNonce = fixed ? fixed.nonce : kitx.makeNonce();
  defaultParams.AccessKeyId = accessKeyId;
  params = Object.assign({ Action: action }, defaultParams, params);

  const method = "GET";
  const normalized = normalize(params);
  const canonicalized = canonicalize(normalized);
  const stringToSign = `${method}&${encode("/")}&${encode(canonicalized)}`;
  const key = accessKeySecret + "&";
  const signature = kitx.sha1(stringToSign, key, "base64");
  normalized.push(["Signature", encode(signature)]);
  const url = `${endpoint}/?${canonicalize(normalized)}`;
  return { url, stringToSign, signature };
}

// ---- WebCrypto ------------------------------------------------------------

const utf8 = new TextEncoder();

/** A signer over WebCrypto's HMAC-SHA1 with the key imported once. */
export async function webCryptoSigner({ endpoint, apiVersion, accessKeyId, accessKeySecret }) {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(accessKeySecret + "&"),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  return async function sign(action, params, fixed) {
    const all = {
      ...params,
      Action: action,
      AccessKeyId: accessKeyId,
      Format: "JSON",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: fixed ? fixed.nonce : crypto.randomUUID(),
      SignatureVersion: "1.0",
      Timestamp: fixed ? fixed.timestamp : new Date().toISOString().slice(0, 19) + "Z",
      Version: apiVersion,
    };
    const query = Object.keys(all)
      .sort()
      .map((k) => `${encode(k)}=${encode(String(all[k]))}`)
      .join("&");
    const stringToSign = `GET&%2F&${encode(query)}`;
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(stringToSign)));
    const signature = btoa(String.fromCharCode(...mac));
    return { url: `${endpoint}/?${query}&Signature=${encode(signature)}`, stringToSign, signature };
  };
}

// ---- decoding into camelCase objects -------------------------------------

const lowerFirst = (key) => key.charAt(0).toLowerCase() + key.slice(1);

/** Recursively renames keys to camelCase; `leaf` converts scalars. */
function camelize(value, leaf) {
  if (Array.isArray(value)) return value.map((item) => camelize(item, leaf));
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) out[lowerFirst(key)] = camelize(value[key], leaf);
    return out;
  }
  return leaf(value);
}

const same = (v) => v;

/** XML text to the JS value it stands for: numbers and booleans typed. */
function typedText(text) {
  if (typeof text !== "string") return text;
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === "true") return true;
  if (text === "false") return false;
  return text;
}

/** One `<Images>` is one item; none is an empty list (docs/api-facts.md, "cr answers"). */
function imagesAsList(answer) {
  const images = answer.images;
  answer.images = images === undefined ? [] : Array.isArray(images) ? images : [images];
  return answer;
}

/** xml2js as pop-core configures it (explicitArray: false), then camelCase. */
export function xml2jsDecode(body) {
  let parsed;
  xml2js.parseString(body, { explicitArray: false, async: false }, (error, result) => {
    if (error) throw error;
    parsed = result;
  });
  const [root] = Object.keys(parsed);
  return imagesAsList(camelize(parsed[root], typedText));
}

const fastXml = new XMLParser({
  isArray: (_name, jpath) => jpath === "ListRepoTagResponse.Images",
  parseTagValue: true,
});

/** fast-xml-parser (typed values, Images always a list), then camelCase. */
export function fastXmlDecode(body) {
  const parsed = fastXml.parse(body);
  return imagesAsList(camelize(parsed.ListRepoTagResponse, same));
}

/** `JSON.parse` then camelCase keys. */
export function jsonParseDecode(body) {
  return camelize(JSON.parse(body), same);
}
