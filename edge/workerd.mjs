#!/usr/bin/env node
// Runs edge/worker.js in workerd, the runtime of Cloudflare Workers, on this
// machine (through miniflare, from the project's node_modules): the worker
// exactly as a deployment runs it, with no account and no wrangler.
//
//   ACCESS_KEY_ID=... ACCESS_KEY_SECRET=... PROXY_TOKEN=... \
//   UPSTREAM=http://127.0.0.1:8080 REGION_ID=cn-hangzhou \
//   node edge/workerd.mjs --listen 127.0.0.1:8787
//
// Same settings, checks and first line (`tagdeck-edge listening on URL`) as
// serve.mjs; the worker's log lines (audit) come out on stdout.

import { readFileSync } from "node:fs";
import { PACKAGE, PACKAGE_WASM, exitWith, requirePackage, startupSettings } from "./cli.mjs";
import { workerd } from "./dev.mjs";

requirePackage();
// The package in Node as well, only to check the settings before workerd starts.
const tagdeck = await import(PACKAGE.href);
tagdeck.initSync({ module: readFileSync(PACKAGE_WASM) });
const { host, port, env } = startupSettings(tagdeck);

const mf = workerd("edge/worker.js", { bindings: env, host, port });
let url;
try {
  url = await mf.ready;
} catch (error) {
  exitWith([`workerd did not start on ${host}:${port}: ${error.message}`]);
}
console.log(`tagdeck-edge listening on ${url.origin}`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => mf.dispose().finally(() => process.exit(0)));
}
