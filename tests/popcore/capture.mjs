// Sends each case through the vendor's own Node client, @alicloud/pop-core,
// to a loopback server and prints exactly what arrived, so that
// tests/popcore_crosscheck.rs can compare tagdeck's requests byte for byte.
//
// Usage: node tests/popcore/capture.mjs CASES.json > captures.json
//
// A case is
//   { method: "GET"|"POST", action, apiVersion, accessKeyId, accessKeySecret,
//     securityToken: string|null, unixSeconds, nonce, trailingSlash,
//     params: [[name, value], ...] }
// and the output is
//   { popCoreVersion, port, captures: [{ method, url, contentType, body } | { error }] }
// with one capture per case, in order.
//
// pop-core reads the clock (`new Date()` in its module-private `timestamp()`)
// and the nonce (`kitx.makeNonce()`) inside `request()`; its `_buildParams`
// is never called by `request()`, so overriding it would change nothing.
// The two sources are pinned instead: `Date` without arguments returns the
// case's instant, and the `makeNonce` export of the very kitx module that
// pop-core loaded returns the case's nonce. The Rust side checks that the
// pinned values arrived, so a pop-core release that reads them differently
// fails loudly rather than comparing against random values.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const popCorePath = require.resolve('@alicloud/pop-core');
const RPCClient = require('@alicloud/pop-core');
const popCoreVersion = require('@alicloud/pop-core/package.json').version;
// Resolved from pop-core's own location, so it is the instance pop-core uses.
const kitx = createRequire(popCorePath)('kitx');

let pinnedMillis = null;
let pinnedNonce = null;

const RealDate = globalThis.Date;
class PinnedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0 && pinnedMillis !== null) {
      super(pinnedMillis);
    } else {
      super(...args);
    }
  }
}
globalThis.Date = PinnedDate;
kitx.makeNonce = () => {
  if (pinnedNonce === null) throw new Error('capture.mjs: nonce asked for outside a case');
  return pinnedNonce;
};

const casesPath = process.argv[2];
if (!casesPath) {
  console.error('usage: node tests/popcore/capture.mjs CASES.json');
  process.exit(2);
}
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));

// What the server saw since the last case started.
let arrived = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    arrived.push({
      method: req.method,
      url: req.url,
      contentType: req.headers['content-type'] ?? null,
      body: Buffer.concat(chunks).toString('latin1'),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"RequestId":"capture"}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

// One keep-alive agent for all cases: each RPCClient would otherwise keep a
// socket of its own open until the process ends.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const captures = [];
for (const c of cases) {
  arrived = [];
  pinnedMillis = c.unixSeconds * 1000;
  pinnedNonce = c.nonce;
  try {
    const client = new RPCClient({
      endpoint: `http://127.0.0.1:${port}${c.trailingSlash ? '/' : ''}`,
      apiVersion: c.apiVersion,
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      securityToken: c.securityToken ?? undefined,
    });
    client.keepAliveAgent.destroy();
    // A plain object, not a Map: pop-core walks it with Object.keys.
    const params = {};
    for (const [name, value] of c.params) params[name] = value;
    await client.request(c.action, params, { method: c.method, agent, timeout: 10000 });
    if (arrived.length !== 1) {
      captures.push({ error: `expected one request to arrive, got ${arrived.length}` });
    } else {
      captures.push(arrived[0]);
    }
  } catch (err) {
    captures.push({ error: String(err && err.stack ? err.stack : err) });
  } finally {
    pinnedMillis = null;
    pinnedNonce = null;
  }
}

agent.destroy();
server.close();
process.stdout.write(JSON.stringify({ popCoreVersion, port, captures }));
