// tagdeck side by side with today's tools, in one Node process:
//   1. building and signing a ListRepoTag request;
//   2. decoding a 100-tag ListRepoTag answer into camelCase objects;
//   3. the size of the .wasm.
// Prints a table, the ratios and whether issue 8's goals are met. Every
// contender is first checked to produce the same result as tagdeck.
//
//   node bench/run.mjs [--quick] [--check] [--pkg DIR]
// (`bash scripts/bench.sh` builds pkg/ first when it is missing.)
// --quick: fewer samples (a smoke run); --check: exit 1 when a goal is
// missed; --pkg: another build of the package (default pkg/), to compare.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants as zlib } from "node:zlib";
import { deepStrictEqual } from "node:assert/strict";
import os from "node:os";
import { pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";

import { measureGroup, printGroup, formatBytes } from "./harness.mjs";
import { popCoreSign, webCryptoSigner, xml2jsDecode, fastXmlDecode, jsonParseDecode } from "./baselines.mjs";

const argv = process.argv.slice(2);
const args = new Set(argv);
const options = { rounds: args.has("--quick") ? 5 : 30 };
const pkgArg = argv.indexOf("--pkg");

// ---- the package ------------------------------------------------------------

const pkgDir =
  pkgArg >= 0 ? pathToFileURL(argv[pkgArg + 1].replace(/\/?$/, "/")) : new URL("../pkg/", import.meta.url);
const pkgJson = JSON.parse(readFileSync(new URL("package.json", pkgDir), "utf8"));
const wasmName = pkgJson.files.find((f) => f.endsWith(".wasm"));
const wasmBytes = readFileSync(new URL(wasmName, pkgDir));
const tagdeck = await import(new URL(pkgJson.module ?? pkgJson.main, pkgDir).href);
tagdeck.initSync({ module: wasmBytes });

// ---- inputs -----------------------------------------------------------------

const account = {
  endpoint: "https://cr.cn-shanghai.aliyuncs.com",
  apiVersion: "2018-12-01",
  accessKeyId: "testid",
  accessKeySecret: "testsecret",
};
const listRepoTag = {
  InstanceId: "cri-kmsiwlxxdcvaduwb",
  RegionId: "cn-shanghai",
  RepoId: "crr-tquyps22md8purzx",
  PageNo: 1,
  PageSize: 100,
};
const fixed = { timestamp: "2026-11-22T10:00:00Z", nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" };

const tagdeckSign = (given) =>
  tagdeck.signRequest({
    endpoint: account.endpoint,
    accessKeyId: account.accessKeyId,
    accessKeySecret: account.accessKeySecret,
    params: { Action: "ListRepoTag", ...listRepoTag },
    ...(given ?? {}),
  });
const webCryptoSign = await webCryptoSigner(account);

const xmlBody = readFileSync(new URL("fixtures/list-repo-tag-100.xml", import.meta.url), "utf8");
const jsonBody = readFileSync(new URL("fixtures/list-repo-tag-100.json", import.meta.url), "utf8");

// ---- cross-checks: every contender does the same work ----------------------

{
  const ours = tagdeckSign(fixed);
  const theirs = popCoreSign(account, "ListRepoTag", listRepoTag, fixed);
  const web = await webCryptoSign("ListRepoTag", listRepoTag, fixed);
  deepStrictEqual(ours.url, theirs.url, "tagdeck and pop-core sign different URLs");
  deepStrictEqual(web.url, theirs.url, "WebCrypto and pop-core sign different URLs");
  deepStrictEqual(ours.stringToSign, theirs.stringToSign);
}

/** tagdeck's Long fields are BigInt; the baselines have plain numbers. */
const plainNumbers = (value) =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
{
  const fromXml = tagdeck.decodeResponse("ListRepoTag", xmlBody, "XML");
  const fromJson = tagdeck.decodeResponse("ListRepoTag", jsonBody, "JSON");
  if (typeof fromJson.images[0].imageSize !== "bigint") throw new Error("imageSize (Long) is not a BigInt");
  deepStrictEqual(fromXml, fromJson, "tagdeck decodes the XML and JSON fixtures differently");
  const expected = plainNumbers(fromJson);
  deepStrictEqual(expected.images.length, 100);
  deepStrictEqual(xml2jsDecode(xmlBody), expected, "xml2js decodes differently");
  deepStrictEqual(fastXmlDecode(xmlBody), expected, "fast-xml-parser decodes differently");
  deepStrictEqual(jsonParseDecode(jsonBody), expected, "JSON.parse decodes differently");
}

// ---- header -----------------------------------------------------------------

const cpus = os.cpus();
console.log("tagdeck benchmarks: one Node process; cases of a group timed in interleaved rounds");
console.log(
  `node ${process.version}, nproc ${os.availableParallelism()}, ${cpus[0]?.model ?? "unknown CPU"}, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);
console.log(`package: ${pkgDir.pathname}${wasmName}; inputs: bench/fixtures/list-repo-tag-100.{xml,json} (${formatBytes(xmlBody.length)} / ${formatBytes(jsonBody.length)})`);

// ---- 1. signing -------------------------------------------------------------

const sign = await measureGroup(
  [
    { name: "tagdeck signRequest (wasm)", fn: () => tagdeckSign() },
    { name: "pop-core algorithm (Node crypto)", fn: () => popCoreSign(account, "ListRepoTag", listRepoTag) },
    { name: "WebCrypto HMAC (key imported once)", fn: () => webCryptoSign("ListRepoTag", listRepoTag), async: true },
  ],
  options,
);
printGroup("build + sign ListRepoTag (timestamp and nonce made per call)", sign);

const signFixed = await measureGroup(
  [
    { name: "tagdeck signRequest (wasm)", fn: () => tagdeckSign(fixed) },
    { name: "pop-core algorithm (Node crypto)", fn: () => popCoreSign(account, "ListRepoTag", listRepoTag, fixed) },
  ],
  options,
);
printGroup("build + sign ListRepoTag (timestamp and nonce given)", signFixed);

// ---- 2. decoding ------------------------------------------------------------

const xml = await measureGroup(
  [
    { name: "tagdeck decodeResponse XML (wasm)", fn: () => tagdeck.decodeResponse("ListRepoTag", xmlBody, "XML") },
    { name: "xml2js + camelCase", fn: () => xml2jsDecode(xmlBody) },
    { name: "fast-xml-parser + camelCase", fn: () => fastXmlDecode(xmlBody) },
  ],
  options,
);
printGroup("decode ListRepoTag, 100 tags, XML", xml);

const json = await measureGroup(
  [
    { name: "tagdeck decodeResponse JSON (wasm)", fn: () => tagdeck.decodeResponse("ListRepoTag", jsonBody, "JSON") },
    { name: "JSON.parse + camelCase", fn: () => jsonParseDecode(jsonBody) },
  ],
  options,
);
printGroup("decode ListRepoTag, 100 tags, JSON", json);

// ---- 3. size ----------------------------------------------------------------

// gzip -9 as scripts/build-pkg.sh measures it (zlib's level 9 differs by ~1%).
const gzipCli = () => {
  try {
    return execFileSync("gzip", ["-9", "-c"], { input: wasmBytes, maxBuffer: 1 << 26 }).length;
  } catch {
    return null;
  }
};
const gz = gzipCli() ?? gzipSync(wasmBytes, { level: 9 }).length;
const br = brotliCompressSync(wasmBytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`\nwasm size: ${wasmBytes.length} B raw, ${gz} B gzip -9, ${br} B brotli (${formatBytes(wasmBytes.length)} / ${formatBytes(gz)} / ${formatBytes(br)})`);

// ---- goals (issue 8) --------------------------------------------------------

const ratio = (group, i) => group[i].ratio;
const goals = [
  ["signing ≥ 5× faster than pop-core's path", ratio(sign, 1), (r) => r >= 5, (r) => `${r.toFixed(2)}× faster`],
  ["XML decoding ≥ 10× faster than xml2js", ratio(xml, 1), (r) => r >= 10, (r) => `${r.toFixed(2)}× faster`],
  ["XML decoding faster than fast-xml-parser", ratio(xml, 2), (r) => r > 1, (r) => `${r.toFixed(2)}× faster`],
  ["JSON decoding ≥ half the speed of JSON.parse + mapping", ratio(json, 1), (r) => r >= 0.5, (r) => `${r.toFixed(2)}× the speed`],
  ["wasm ≤ 150 KB gzipped (150,000 bytes)", gz, (n) => n <= 150_000, (n) => `${n} B = ${(n / 1024).toFixed(1)} KiB`],
];
console.log("\ngoals");
let missed = 0;
for (const [goal, value, met, show] of goals) {
  const ok = met(value);
  missed += ok ? 0 : 1;
  console.log(`  ${ok ? "MET   " : "MISSED"} ${goal.padEnd(56)} ${show(value)}`);
}
if (args.has("--check") && missed > 0) process.exit(1);
