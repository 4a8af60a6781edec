#!/usr/bin/env node
// Runs edge/worker.js in Node 20 behind node:http, for the demo and for
// machines without workerd:
//
//   ACCESS_KEY_ID=... ACCESS_KEY_SECRET=... PROXY_TOKEN=... \
//   UPSTREAM=http://127.0.0.1:8080 REGION_ID=cn-hangzhou \
//   node edge/serve.mjs --listen 127.0.0.1:8787
//
// Needs the package built into pkg/ (bash scripts/build-pkg.sh). Settings are
// the worker's bindings, read from environment variables of the same names;
// every bad one is reported at start, one per line, then it exits with 2.
// The first line printed is `tagdeck-edge listening on URL`.

import { register } from "node:module";
import http from "node:http";
import { Readable } from "node:stream";
import { PACKAGE, exitWith, requirePackage, startupSettings } from "./cli.mjs";

requirePackage();
register("./wasm-loader.mjs", import.meta.url);
const { default: worker } = await import("./worker.js");
const { host, port, env: proxyEnv, args } = startupSettings(await import(PACKAGE.href));
// Retention (--once, --dry-run, --cron, --journal): see retention/node-cli.mjs.
const { startRetention } = await import("./retention/node-cli.mjs");
const env = await startRetention(worker, proxyEnv, args);

const workerContext = { waitUntil: (promise) => promise.catch(() => {}), passThroughOnException() {} };
let origin;

const server = http.createServer(async (incoming, outgoing) => {
  try {
    const response = await worker.fetch(toRequest(incoming), env, workerContext);
    outgoing.writeHead(response.status, [...response.headers].flat());
    if (response.body) for await (const chunk of response.body) outgoing.write(chunk);
    outgoing.end();
  } catch (error) {
    console.error(`tagdeck-edge: ${error?.stack ?? error}`);
    if (!outgoing.headersSent) outgoing.writeHead(500, { "Content-Type": "application/json" });
    outgoing.end(JSON.stringify({ code: "Proxy.InternalError", message: "the proxy failed; see its log", requestId: null }));
  }
});

function toRequest(incoming) {
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i], incoming.rawHeaders[i + 1]);
  // The caller's address, as Cloudflare's edge would set it; a value sent by
  // the client itself must not count, or it could pick its own rate bucket.
  headers.set("CF-Connecting-IP", incoming.socket.remoteAddress ?? "unknown");
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url, origin), {
    method: incoming.method,
    headers,
    body: hasBody ? Readable.toWeb(incoming) : undefined,
    duplex: "half",
  });
}

server.on("error", (error) => exitWith([`cannot listen on ${host}:${port}: ${error.message}`]));
server.listen(port, host, () => {
  const bound = server.address();
  origin = `http://${bound.address.includes(":") ? `[${bound.address}]` : bound.address}:${bound.port}`;
  console.log(`tagdeck-edge listening on ${origin}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}

