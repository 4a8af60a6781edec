// Shared set-up for the edge tests: the emulator, the proxy in workerd
// (miniflare), the package in Node for direct calls, and a transcript of
// everything the proxy said (responses and log lines) for the secret check.

import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startEmulator, workerd } from "../../edge/dev.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Random credentials for this run; the emulator accepts exactly these. */
export const CREDENTIALS = {
  accessKeyId: process.env.TAGDECK_EMULATOR_KEY_ID ?? `LTAI${randomBytes(8).toString("hex")}`,
  accessKeySecret: process.env.TAGDECK_EMULATOR_KEY_SECRET ?? `edge-secret-${randomBytes(16).toString("hex")}`,
};
export const PROXY_TOKEN = `edge-proxy-token-${randomBytes(16).toString("hex")}`;
export const DASHBOARD_ORIGIN = "http://dashboard.test";

/**
 * The emulator: the one scripts/test-edge.sh started (TAGDECK_EMULATOR_URL
 * with TAGDECK_EMULATOR_KEY_ID/SECRET), or a fresh one from the built binary.
 */
export async function useEmulator() {
  if (process.env.TAGDECK_EMULATOR_URL) return { url: process.env.TAGDECK_EMULATOR_URL, stop: async () => {} };
  return startOwnEmulator();
}

/** The built emulator binary (scripts/test-edge.sh builds it). */
export const EMULATOR_BIN = process.env.TAGDECK_EMULATOR_BIN ?? path.join(ROOT, "target/debug/tagdeck-emulator");

/** A fresh emulator of this test's own, with this run's credentials and `extraArgs` (faults). */
export function startOwnEmulator(extraArgs = []) {
  return startEmulator(EMULATOR_BIN, CREDENTIALS, extraArgs);
}

/** The package, initialized in Node as a user would: the core and the retention engine. */
export async function loadPackage() {
  const tagdeck = await import(path.join(ROOT, "pkg/index.js"));
  tagdeck.initSync({ module: readFileSync(path.join(ROOT, "pkg/tagdeck_bg.wasm")) });
  tagdeck.initRetentionSync(readFileSync(path.join(ROOT, "pkg/retention/tagdeck_retention_bg.wasm")));
  return tagdeck;
}

/** Bindings for a proxy in front of `upstream`, with this run's secrets. */
export function bindingsFor(upstream, overrides = {}) {
  return {
    ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    ACCESS_KEY_SECRET: CREDENTIALS.accessKeySecret,
    UPSTREAM: upstream,
    PROXY_TOKEN,
    ALLOWED_ORIGINS: DASHBOARD_ORIGIN,
    REGION_ID: "cn-hangzhou",
    ...overrides,
  };
}

/**
 * edge/worker.js in workerd through miniflare, with the wasm loaded by a
 * CompiledWasm module rule, as a deployment does it.
 */
export async function startWorker(bindings) {
  const logs = [];
  const mf = workerd("edge/worker.js", {
    bindings,
    handleRuntimeStdio(stdout, stderr) {
      const collect = (stream) => {
        let pending = "";
        stream.on("data", (chunk) => {
          const lines = (pending + chunk).split("\n");
          pending = lines.pop();
          logs.push(...lines.filter(Boolean));
        });
      };
      collect(stdout);
      collect(stderr);
    },
  });
  let url;
  try {
    url = (await mf.ready).toString().replace(/\/$/, "");
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the runtime's last words arrive
    throw new Error(`workerd did not start: ${error.message}\n${logs.join("\n")}`);
  }
  return { mf, logs, url };
}

/**
 * Every response text the proxy gave, and every log line, so a test can
 * check at the end that no secret ever appeared in any of them.
 */
export class Transcript {
  entries = [];

  /** `POST /api/{action}` through `mf.dispatchFetch`, recorded. */
  async call(worker, action, params, { token = PROXY_TOKEN, origin, caller = "198.51.100.1", headers = {}, method = "POST", body } = {}) {
    const all = { "CF-Connecting-IP": caller, ...headers };
    if (token !== null) all.Authorization = `Bearer ${token}`;
    if (origin) all.Origin = origin;
    if (body === undefined && params !== undefined) {
      body = JSON.stringify(params);
      all["Content-Type"] ??= "application/json";
    }
    const response = await worker.mf.dispatchFetch(`http://proxy.test/api/${action}`, { method, headers: all, body, duplex: "half" });
    return this.record(response);
  }

  async record(response) {
    const text = await response.text();
    const headers = Object.fromEntries(response.headers);
    this.entries.push(`${response.status} ${JSON.stringify(headers)} ${text}`);
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers, text, json };
  }

  /** Fails if any recorded text, or any of `logs`, contains one of `secrets`. */
  assertNoSecret(assert, logs, secrets) {
    const everything = [...this.entries, ...logs];
    assert.ok(everything.length > 0, "nothing was recorded");
    for (const secret of secrets.filter(Boolean)) {
      for (const text of everything) {
        assert.ok(!text.includes(secret), `a secret appeared in: ${text.slice(0, 200)}`);
      }
    }
  }
}

/** The audit lines among captured log lines. */
export function auditLines(logs) {
  return logs.flatMap((line) => {
    try {
      const entry = JSON.parse(line);
      return entry.audit ? [entry] : [];
    } catch {
      return [];
    }
  });
}
