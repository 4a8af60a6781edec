#!/usr/bin/env node
// Runs edge/worker.js in Node 20 behind node:http, for the demo and for
// machines without workerd:
//
//   ACCESS_KEY_ID=... ACCESS_KEY_SECRET=... UPSTREAM=http://127.0.0.1:8080 \
//   PROXY_TOKEN=... ALLOWED_ORIGINS=http://127.0.0.1:8080 \
//   node edge/serve.mjs --listen 127.0.0.1:8787
//
// Settings are the worker's bindings, read from environment variables of the
// same names. The first line printed is `tagdeck-edge listening on URL`.

import { register } from "node:module";
import http from "node:http";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";

register("./wasm-loader.mjs", import.meta.url);
const { default: worker } = await import("./worker.js");
const { operations } = await import("../pkg/tagdeck.js");
const { BINDINGS, ConfigError, readConfig } = await import("./config.js");

const { values: args } = parseArgs({ options: { listen: { type: "string", default: "127.0.0.1:8787" } } });
const listen = /^(.*):(\d+)$/.exec(args.listen);
if (!listen) fail(`--listen must be HOST:PORT, got ${JSON.stringify(args.listen)}`);

const env = Object.fromEntries(BINDINGS.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
try {
  readConfig(env, operations()); // fail at start rather than on the first request
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

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

server.listen(Number(listen[2]), listen[1], () => {
  const { address, port } = server.address();
  origin = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  console.log(`tagdeck-edge listening on ${origin}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}

function fail(message) {
  console.error(`tagdeck-edge: ${message}`);
  process.exit(2);
}
