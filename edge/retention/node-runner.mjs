// The retention runner in Node (serve.mjs --once / --cron): the worker's own
// `scheduled` and `queue` handlers, with the two platform bindings supplied
// in process: JOURNAL, a KV namespace over a directory of JSON files, and
// RETENTION_QUEUE, a queue that delivers batches to the worker's `queue`
// handler, again after a pause when a message asks (message.retry()), as
// Workers Queues do. The same messages, the same journal records.

import { directoryStore } from "./journal-directory.mjs";

const MAX_DELIVERIES = 6;
const REDELIVERY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const BATCH_SIZE = 4;

/** The KV namespace API (get, put, list) over a directory of JSON files. */
export async function directoryNamespace(dir) {
  const store = await directoryStore(dir);
  return {
    // Files take writes as fast as they come (KV takes one a second a key).
    writeIntervalMs: 0,
    get: (key) => store.get(key),
    put: (key, value) => store.put(key, value),
    async list({ prefix = "" } = {}) {
      return { keys: await store.list(prefix), list_complete: true };
    },
  };
}

/**
 * A queue producer (`sendBatch`) whose messages go to `consume(batch)` in
 * batches; `idle()` resolves when every message is settled.
 */
export function inProcessQueue(consume, { log = console.error, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
  const waiting = [];
  let pumping = false;
  let sleeping = 0;
  let idleWaiters = [];
  const settleIdle = () => {
    if (waiting.length > 0 || pumping || sleeping > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  };
  const kick = () => {
    if (pumping) return;
    pumping = true;
    pump().finally(() => {
      pumping = false;
      // A redelivery may have arrived while the last batch finished.
      if (waiting.length > 0) kick();
      else settleIdle();
    });
  };
  async function pump() {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, BATCH_SIZE);
      const outcomes = new Map();
      const messages = batch.map((entry) => ({
        body: entry.body,
        attempts: entry.deliveries + 1,
        ack: () => outcomes.set(entry, "ack"),
        retry: (options) => outcomes.set(entry, { delaySeconds: options?.delaySeconds }),
      }));
      try {
        await consume({ queue: "retention", messages });
      } catch (error) {
        log(`retention: the queue handler failed: ${error?.message ?? error}`);
        for (const entry of batch) if (!outcomes.has(entry)) outcomes.set(entry, {});
      }
      for (const entry of batch) {
        const outcome = outcomes.get(entry);
        if (outcome !== undefined && outcome !== "ack") redeliver(entry, outcome.delaySeconds);
      }
    }
  }
  /** Delivers `entry` again after `delaySeconds` when the handler asked for it, else after the next pause. */
  function redeliver(entry, delaySeconds) {
    entry.deliveries++;
    if (entry.deliveries >= MAX_DELIVERIES) {
      const then = entry.body.kind === "undo" ? "asking for the undo again (20 minutes on) starts it afresh" : "a cron tick 6 hours after the run started resumes it";
      log(`retention: a ${entry.body.kind} message of run ${entry.body.runId} failed ${entry.deliveries} times; the journal says where it stopped, and ${then}`);
      return;
    }
    sleeping++;
    sleep(delaySeconds > 0 ? delaySeconds * 1000 : REDELIVERY_MS[entry.deliveries - 1]).then(() => {
      sleeping--;
      waiting.push(entry);
      kick();
    });
  }
  return {
    async sendBatch(messages) {
      waiting.push(...messages.map(({ body }) => ({ body, deliveries: 0 })));
      kick();
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
  };
}

/**
 * The env of the worker in Node with the retention bindings supplied:
 * `{ env, queue }` — run `worker.scheduled(...)`, then `await queue.idle()`.
 */
export async function nodeRetentionEnv(worker, env, { journalDir, log }) {
  const withBindings = { ...env, JOURNAL: await directoryNamespace(journalDir) };
  const queue = inProcessQueue((batch) => worker.queue(batch, withBindings, { waitUntil() {} }), { log });
  withBindings.RETENTION_QUEUE = queue;
  return { env: withBindings, queue };
}
