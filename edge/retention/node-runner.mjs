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
        retry: () => outcomes.set(entry, "retry"),
      }));
      try {
        await consume({ queue: "retention", messages });
      } catch (error) {
        log(`retention: the queue handler failed: ${error?.message ?? error}`);
        for (const entry of batch) if (!outcomes.has(entry)) outcomes.set(entry, "retry");
      }
      for (const entry of batch) if (outcomes.get(entry) === "retry") redeliver(entry);
    }
  }
  function redeliver(entry) {
    entry.deliveries++;
    if (entry.deliveries >= MAX_DELIVERIES) {
      log(`retention: a ${entry.body.kind} message of run ${entry.body.runId} failed ${entry.deliveries} times; the journal says where it stopped, and the next run of its policy resumes it`);
      return;
    }
    sleeping++;
    sleep(REDELIVERY_MS[entry.deliveries - 1]).then(() => {
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

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week;
 * numbers, `*`, `a-b`, `*\/n`, `a-b/n` and lists) as `matches(date)`, in UTC
 * as Workers cron triggers are.
 */
export function cronMatcher(expression) {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`--cron must have five fields (minute hour day month weekday), got ${JSON.stringify(expression)}`);
  const ranges = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const sets = fields.map((field, i) => expand(field, ...ranges[i], expression));
  if (sets[4].has(7)) sets[4].add(0);
  return (date) =>
    sets[0].has(date.getUTCMinutes()) && sets[1].has(date.getUTCHours()) && sets[2].has(date.getUTCDate()) && sets[3].has(date.getUTCMonth() + 1) && sets[4].has(date.getUTCDay());
}

function expand(field, low, high, expression) {
  const values = new Set();
  for (const part of field.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    const bad = () => new Error(`--cron field ${JSON.stringify(field)} of ${JSON.stringify(expression)} is not valid (numbers ${low}-${high}, *, a-b, */n)`);
    if (!match) throw bad();
    const from = match[1] === "*" ? low : Number(match[2]);
    const to = match[1] === "*" ? high : match[3] !== undefined ? Number(match[3]) : match[4] ? high : from;
    const step = match[4] ? Number(match[4]) : 1;
    if (from < low || to > high || from > to || step < 1) throw bad();
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
