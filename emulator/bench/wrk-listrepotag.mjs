// ListRepoTag throughput of the emulator on loopback, measured with wrk.
//
//   cargo build --profile emulator -p tagdeck-emulator
//   node emulator/bench/wrk-listrepotag.mjs [--connections 64] [--threads 2] [--duration 10s]
//
// wrk sends one URL over and over. A signed GET carries its nonce, and the
// emulator (like the service) refuses a nonce it has seen, so the emulator
// runs here with --no-nonce-check, which exists for this use only: every
// other check (signature, timestamp window, key, parameters, paging over the
// 2,400-tag demo repository) still runs on every request. The URL is signed
// once, here, the way @alicloud/pop-core signs (HMAC-SHA1, RFC 3986).
//
// Prints wrk's report and one summary line:
//   ListRepoTag: N requests/s, p50 X, p99 Y, errors E (non-2xx + socket)

import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const connections = option("connections", "64");
const threads = option("threads", "2");
const duration = option("duration", "10s");
const pageSize = option("page-size", "30");

const binary = process.env.TAGDECK_EMULATOR_BIN ?? path.join(repo, "target/emulator/tagdeck-emulator");
if (!existsSync(binary)) {
  console.error(`no emulator at ${binary}: run cargo build --profile emulator -p tagdeck-emulator`);
  process.exit(2);
}

const emulator = spawn(binary, ["--listen", "127.0.0.1:0", "--seed", "demo", "--no-nonce-check"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const banner = {};
let endpoint;
for await (const line of createInterface({ input: emulator.stdout })) {
  const address = line.match(/^tagdeck-emulator listening on (http:\/\/\S+)$/);
  if (address) endpoint = address[1];
  const pair = line.match(/^([a-z-]+): (.*)$/);
  if (pair) banner[pair[1]] = pair[2];
  if (line.startsWith("state:")) break;
}

function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function signedUrl(params) {
  const all = {
    AccessKeyId: banner["access-key-id"],
    Format: "JSON",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: randomUUID(),
    SignatureVersion: "1.0",
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    Version: "2018-12-01",
    ...params,
  };
  const query = Object.keys(all)
    .sort()
    .map((k) => `${encode(k)}=${encode(String(all[k]))}`)
    .join("&");
  const signature = createHmac("sha1", `${banner["access-key-secret"]}&`)
    .update(`GET&${encode("/")}&${encode(query)}`)
    .digest("base64");
  return `${endpoint}/?${query}&Signature=${encode(signature)}`;
}

try {
  const scope = { RegionId: banner["region-id"], InstanceId: banner["instance-id"] };
  const repoAnswer = await (await fetch(signedUrl({ Action: "GetRepository", ...scope, RepoNamespaceName: "demo", RepoName: "big-app" }))).json();
  const url = signedUrl({ Action: "ListRepoTag", ...scope, RepoId: repoAnswer.RepoId, PageNo: 2, PageSize: pageSize });
  const check = await fetch(url);
  const body = await check.json();
  if (check.status !== 200 || body.TotalCount !== 2400) {
    throw new Error(`the signed URL does not work: ${check.status} ${JSON.stringify(body)}`);
  }
  const command = ["wrk", `-c${connections}`, `-t${threads}`, `-d${duration}`, "--latency", url];
  console.log(`$ ${command.slice(0, -1).join(" ")} '<signed ListRepoTag URL, PageSize ${pageSize}>'`);
  const report = execFileSync(command[0], command.slice(1), { encoding: "utf8" });
  console.log(report);
  const rps = report.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
  const p50 = report.match(/^\s+50%\s+(\S+)/m)?.[1];
  const p99 = report.match(/^\s+99%\s+(\S+)/m)?.[1];
  const non2xx = Number(report.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socket = report.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  console.log(`ListRepoTag: ${rps} requests/s, p50 ${p50}, p99 ${p99}, errors ${non2xx + socketErrors} (non-2xx ${non2xx}, socket ${socketErrors})`);
  if (non2xx + socketErrors > 0) process.exitCode = 1;
} finally {
  emulator.kill();
}
