// The retention runner in Node (serve.mjs --once / --cron): the same
// messages as in Workers, carried by an in-process queue, with the journal
// in a directory of JSON files. A message that fails is delivered again
// after a pause, as the Workers queue does; one that keeps failing is left
// unfinished in the journal, and the next run of its policy resumes it.

import { Interrupted } from "./deleter.js";
import { Journal } from "./journal.js";
import { directoryStore } from "./journal-directory.mjs";
import { finishIfDone, handleMessage } from "./run.js";
import { registryClients } from "./scope.js";
import { readRetentionSettings } from "./settings.js";
import { startDue } from "./workers.js";

const MAX_DELIVERIES = 6;
const REDELIVERY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const MESSAGES_AT_ONCE = 4;

/** Everything a run needs in Node, from the bindings (process.env) and a journal directory. */
export async function nodeDeps(tagdeck, env, { journalDir, log = console.log, fetch: fetchImpl = fetch }) {
  const settings = readRetentionSettings(env);
  return {
    journal: new Journal(await directoryStore(journalDir)),
    clientOf: registryClients(tagdeck, env),
    plan: tagdeck.planRetention,
    settings,
    concurrency: settings.concurrency,
    fetch: fetchImpl,
    log,
  };
}

/**
 * Runs the due policies to the end, in process.
 * @returns {Promise<{ runIds: string[], unfinished: string[] }>}
 */
export async function runOnce(deps, policies, { now = Date.now(), sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
  const queue = [];
  const full = { ...deps, send: async (messages) => queue.push(...messages.map((body) => ({ body, deliveries: 0 }))) };
  const runIds = await startDue(full, policies, now);
  const waiting = new Set();
  while (queue.length > 0 || waiting.size > 0) {
    if (queue.length === 0) {
      await Promise.race(waiting);
      continue;
    }
    const batch = queue.splice(0, MESSAGES_AT_ONCE);
    await Promise.all(
      batch.map(async (message) => {
        try {
          await handleMessage(message.body, full);
        } catch (error) {
          message.deliveries++;
          const what = message.body.repository ?? message.body.kind;
          if (message.deliveries >= MAX_DELIVERIES) {
            deps.log(`${what}: gave up after ${message.deliveries} deliveries: ${error.message}; the journal says where it stopped`);
            return;
          }
          deps.log(`${what}: ${error instanceof Interrupted ? "stopped" : "failed"} (${error.message}); again in ${REDELIVERY_MS[message.deliveries - 1] / 1000} s`);
          const pause = sleep(REDELIVERY_MS[message.deliveries - 1]).then(() => {
            waiting.delete(pause);
            queue.push(message);
          });
          waiting.add(pause);
        }
      }),
    );
  }
  const unfinished = [];
  for (const id of runIds) if (!(await finishIfDone(id, full))) unfinished.push(id);
  return { runIds, unfinished };
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
