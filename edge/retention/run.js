// A run from start to summary, as messages on a queue:
//   start       the run is journaled (status "scoping") and a `scope` message sent
//   scope       the repositories in scope are listed and the protection list
//               loaded, journaled with the run, and one `item` message sent per
//               repository (items carry all they need: KV reads of a key just
//               written elsewhere may be stale)
//   item        see item.js
//   after items whoever sees every item done writes the summary and posts the webhook;
//               if that fails, a `finish` message has the queue try it again
//   undo        one repository of an undo (undo.js)
// The Workers adapter carries the messages on RETENTION_QUEUE, the Node
// adapter on an in-process queue; the code is the same.

import { Interrupted } from "./deleter.js";
import { loadInUse, referencesFor } from "./in-use.js";
import { runItem } from "./item.js";
import { undoItem } from "./undo.js";
import { newRunId } from "./journal.js";
import { listScope } from "./scope.js";

/** Most messages one `sendBatch` takes (the Queues limit). */
const SEND_BATCH = 100;

/**
 * Starts one run of `policy`: journals it and sends its `scope` message.
 * @param deps { journal, send(messages[]) }
 * @returns {Promise<string>} the run id
 */
export async function startRun(policy, { journal, send, now = Date.now(), pastedInUse = [] }) {
  const id = newRunId(now);
  await journal.putRun({
    id,
    name: policy.name,
    registry: policy.registry,
    mode: policy.mode,
    scope: policy.scope,
    policy: policy.policy,
    startedAt: new Date(now).toISOString(),
    finishedAt: null,
    status: "scoping",
    items: null,
    protect: null,
    // References pasted in the dashboard for this run; the bindings' list is added when it is scoped.
    pastedInUse,
    summary: null,
  });
  await send([{ kind: "scope", runId: id }]);
  return id;
}

/** What a message of any kind asks; throws to have it delivered again. */
export async function handleMessage(message, deps) {
  if (message.kind === "scope") return scopeRun(message.runId, deps);
  if (message.kind === "item" || message.kind === "undo") {
    // A repository handed on (see item.js, undo.js) goes on in a new message;
    // if this send fails, this message is delivered again and sends it again.
    // Once sent, that is journaled: this message delivered again (its ack
    // lost) must not send a second one, or two would work on the repository at once.
    const { next } = await (message.kind === "item" ? runItem : undoItem)(message, deps);
    if (next) {
      await deps.send([next]);
      await deps.journal.markHandedOn(message, next.step);
    }
    return;
  }
  // A finish that failed (the webhook did not answer), tried again by the queue.
  if (message.kind === "finish") return finishIfDone(message.runId, deps);
  throw new Error(`unknown retention message kind ${JSON.stringify(message.kind)}`);
}

async function scopeRun(runId, deps) {
  const { journal, clientOf, send, settings, fetch: fetchImpl } = deps;
  const run = await journal.getRun(runId);
  if (!run) throw new Error(`run ${runId} is not in the journal`);
  // Scoped before: this is a resumption (or this message delivered again),
  // so the items go without a step and each goes on where its part is (handover.js).
  const resuming = Boolean(run.items);
  if (!run.items) {
    const [items, protect] = await Promise.all([listScope(run, clientOf), loadInUse(settings, fetchImpl)]);
    run.items = items.map((item, index) => ({ index, ...item }));
    run.protect = [...(run.pastedInUse ?? []), ...protect];
    run.status = "running";
    await journal.putRun(run);
  }
  // Sending again after a stop is harmless: an item that is done does nothing.
  const now = Date.parse(run.startedAt);
  const messages = run.items.map(({ index, repository, locator }) => ({
    kind: "item",
    runId,
    index,
    ...(resuming ? {} : { step: 0 }),
    registry: run.registry,
    repository,
    locator,
    policy: run.policy,
    mode: run.mode,
    now,
    protect: referencesFor(run.protect, repository),
  }));
  for (let start = 0; start < messages.length; start += SEND_BATCH) await send(messages.slice(start, start + SEND_BATCH));
  if (messages.length === 0) await finishIfDone(runId, deps);
}

/**
 * Writes the summary and posts the webhook once every item is done.
 * @returns {Promise<boolean>} whether the run is finished
 */
export async function finishIfDone(runId, { journal, settings, fetch: fetchImpl = fetch, log = () => {} }) {
  const run = await journal.getRun(runId);
  if (!run?.items) return false;
  if (!run.finishedAt) {
    if ((await journal.doneCount(runId)) < run.items.length) return false;
    run.summary = summarize(run, await journal.partCounts(runId));
    run.finishedAt = new Date().toISOString();
    run.status = "finished";
    await journal.putRun(run);
    log(`${run.name}: run ${run.id} finished: ${JSON.stringify(run.summary)}`);
  }
  if (settings.webhookUrl && !run.notifiedAt) {
    await notify(run, settings.webhookUrl, fetchImpl);
    run.notifiedAt = new Date().toISOString();
    await journal.putRun(run);
  }
  return true;
}

/** kept, deleted, failed, protected (and, in a dry run, what would go), from each part's counts (journal.js partCounts). */
export function summarize(run, counts) {
  const summary = { repositories: run.items.length, tags: 0, kept: 0, protected: 0, planned: 0, deleted: 0, failed: 0 };
  const fields = Object.keys(summary).filter((field) => field !== "repositories");
  for (const part of counts) for (const field of fields) summary[field] += part[field] ?? 0;
  return summary;
}

/** POSTs the summary; `runId` lets a receiver drop a repeat (a retried finish may post again). */
async function notify(run, url, fetchImpl) {
  const body = {
    runId: run.id,
    name: run.name,
    registry: run.registry,
    mode: run.mode,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    ...run.summary,
  };
  const response = await fetchImpl(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`the retention webhook answered ${response.status}`);
}

export { Interrupted };
