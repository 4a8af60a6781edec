// Shared set-up for the retention tests: an emulator of their own (each
// test changes its state), edge/worker.js (the package's retention engine
// planning) in workerd with a KV journal and a queue, a fault-injecting
// relay in front of the emulator, and a webhook receiver.

import http from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { startEmulator, workerd } from "../../edge/dev.mjs";
import { CREDENTIALS, PROXY_TOKEN, ROOT, bindingsFor, loadPackage } from "./harness.mjs";
import { wholeRecord } from "../../www/api/retention-runs.js";

export const AUTH_TOKEN = randomUUID();
export const INSTANCE_ID = "cri-tagdeckdemo00001";

/** A fresh emulator with the demo data; `extraArgs` such as `--throttle-rate 0.3`. */
export function startRegistry(extraArgs = []) {
  const binary = process.env.TAGDECK_EMULATOR_BIN ?? path.join(ROOT, "target/debug/tagdeck-emulator");
  return startEmulator(binary, CREDENTIALS, ["--auth-token", AUTH_TOKEN, ...extraArgs]);
}

/**
 * edge/worker.js in workerd, in front of `upstream`, with JOURNAL (KV) and
 * RETENTION_QUEUE bindings.
 */
export async function startRetentionWorker(upstream, bindings) {
  const logs = [];
  const mf = workerd("edge/worker.js", {
    bindings: bindingsFor(upstream, {
      SCALEWAY_SECRET_KEY: AUTH_TOKEN,
      SCALEWAY_ENDPOINT: upstream,
      SWR_AUTH_TOKEN: AUTH_TOKEN,
      SWR_ENDPOINT: upstream,
      ...bindings,
    }),
    kvNamespaces: ["JOURNAL"],
    queueProducers: { RETENTION_QUEUE: { queueName: "retention" } },
    queueConsumers: { retention: { maxBatchSize: 5, maxBatchTimeout: 0.2, maxRetries: 30, retryDelay: 1 } },
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => logs.push(...String(chunk).split("\n").filter(Boolean)));
    },
  });
  await mf.ready;
  return {
    mf,
    logs,
    /** Fires the cron trigger, as Cloudflare does. */
    async trigger() {
      const worker = await mf.getWorker();
      await worker.scheduled({ scheduledTime: new Date(), cron: "0 3 * * *" });
    },
    /** A /retention/ route with the proxy's token. */
    async api(route, { method = "GET", token = PROXY_TOKEN } = {}) {
      const response = await mf.dispatchFetch(`http://proxy.test${route}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const text = await response.text();
      return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
    },
    /** Polls until the newest run satisfies `done(record)`; returns that record. */
    async waitForRun(done = (run) => run.finishedAt, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      let record;
      while (Date.now() < until) {
        const { json } = await this.api("/retention/runs");
        if (json?.runs?.length) {
          const id = json.runs[0].id;
          record = await wholeRecord(async (from) => (await this.api(`/retention/runs/${id}?from=${from}`)).json);
          if (done(record)) return record;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`the run did not get there within ${timeoutMs} ms; last: ${JSON.stringify(record)?.slice(0, 2000)}\n${logs.join("\n")}`);
    },
  };
}

/** The package's Client in Node, straight to the emulator, to look at its state. */
export async function directClient(url) {
  const tagdeck = await loadPackage();
  const repositoryOf = async (namespace, name) => {
    const { repositories } = await client.listRepository({ instanceId: INSTANCE_ID, repoNamespaceName: namespace, pageSize: 100 });
    const repo = repositories.find((candidate) => candidate.repoName === name);
    return client.repository({ instanceId: INSTANCE_ID, repoId: repo.repoId, namespaceName: namespace, repoName: name });
  };
  // Retries enough to read a throttling emulator (--throttle-rate) too.
  const client = new tagdeck.Client({ ...CREDENTIALS, regionId: "cn-hangzhou", endpoint: url, maxRetries: 10 });
  return {
    client,
    /** What the engine plans for `namespace/name` in Node: planRetention over retentionTags. */
    async plan(repository, policy, options) {
      const [namespace, name] = repository.split("/");
      return tagdeck.planRetention(policy, await tagdeck.retentionTags(await repositoryOf(namespace, name), repository), options);
    },
    /** `namespace/name` → Map(tag → digest), for every repository of `namespace`. */
    async tagsOf(namespace) {
      const { repositories } = await client.listRepository({ instanceId: INSTANCE_ID, repoNamespaceName: namespace, pageSize: 100 });
      const all = new Map();
      for (const repo of repositories) {
        const tags = new Map();
        for (let pageNo = 1; ; pageNo++) {
          const { images } = await client.listRepoTag({ instanceId: INSTANCE_ID, repoId: repo.repoId, pageNo, pageSize: 100 });
          for (const image of images) tags.set(image.tag, image.digest);
          if (images.length < 100) break;
        }
        all.set(`${repo.repoNamespaceName}/${repo.repoName}`, tags);
      }
      return all;
    },
  };
}

/**
 * A relay in front of the emulator that counts the deletes the emulator
 * applied and the tags it created (by repository id and tag), and can fail on purpose:
 * `breakAfter(n)`: after n applied deletes, the next delete is applied but
 * its answer is lost (the connection is cut), and every request after it is
 * cut before reaching the emulator, until `heal()`.
 */
export async function faultRelay(upstream) {
  const applied = new Map();
  const created = new Map();
  let budget = Infinity;
  let broken = false;
  const lost = new Set();
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    if (broken) return outgoing.socket.destroy();
    const params = new URLSearchParams(new URL(incoming.url, "http://relay").search);
    for (const [key, value] of new URLSearchParams(body.toString())) params.set(key, value);
    // Signature V3 names the operation in a header and signs `host`: the
    // relay keeps the client's Host, as a transparent relay does.
    const action = incoming.headers["x-acs-action"] ?? params.get("Action");
    const isDelete = action === "DeleteRepoTag";
    const headers = { ...incoming.headers };
    // node:http rather than fetch: fetch replaces the Host header.
    const answer = await new Promise((resolve, reject) => {
      const forwarded = http.request(new URL(incoming.url, upstream), { method: incoming.method, headers }, (response) => {
        const parts = [];
        response.on("data", (part) => parts.push(part));
        response.on("end", () => resolve({ status: response.statusCode, headers: Object.entries(response.headers), text: Buffer.concat(parts).toString() }));
        response.on("error", reject);
      });
      forwarded.on("error", reject);
      forwarded.end(chunks.length ? body : undefined);
    });
    const text = answer.text;
    if (isDelete && answer.status === 200 && !text.includes('"IsSuccess":false')) {
      const key = `${params.get("RepoId")}:${params.get("Tag")}`;
      applied.set(key, (applied.get(key) ?? 0) + 1);
      if (--budget < 0) {
        broken = true;
        lost.add(params.get("Tag"));
        return outgoing.socket.destroy();
      }
    }
    if (action === "CreateRepoTag" && answer.status === 200 && !text.includes('"IsSuccess":false')) {
      const key = `${params.get("RepoId")}:${params.get("ToTag")}`;
      created.set(key, (created.get(key) ?? 0) + 1);
    }
    outgoing.writeHead(answer.status, Object.fromEntries(answer.headers.filter(([name]) => !["content-length", "content-encoding", "transfer-encoding"].includes(name))));
    outgoing.end(text);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    applied,
    created,
    breakAfter(n) {
      budget = n;
    },
    get broken() {
      return broken;
    },
    /** The tags whose delete was applied but never answered (the one that broke it, and any in flight with it). */
    get lost() {
      return lost;
    },
    heal() {
      broken = false;
      budget = Infinity;
    },
    close: () => new Promise((resolve) => server.close(resolve)).then(() => server.closeAllConnections?.()),
  };
}

/** An HTTP endpoint that records the JSON bodies POSTed to it. */
export async function webhookReceiver() {
  const received = [];
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    received.push(JSON.parse(Buffer.concat(chunks).toString()));
    outgoing.writeHead(204).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}
