// Undo of a run: the tags it deleted are created again where the registry
// can, each from a tag that still points at the same digest (Alibaba
// CreateRepoTag takes FromTag; SWR's create takes a sourceTag). Where it
// cannot, the result says why: Scaleway has no API that creates a tag, and
// when no tag points at the digest any more there is nothing to copy from.
//
// An undo runs on the queue like the run itself, one `undo` message per
// repository that lost tags, each handing its repository on after
// `deletesPerMessage` tags (an undo of 20,000 deletes outlives one
// invocation as the run did). Each message lists the repository first, so a
// tag an interrupted message did re-create is reported "already present",
// never created twice. Journal: `undo:<id>` (the undo's head: when it
// started, which repositories, its attempt) and `undo-part:<id>:<attempt>:<n>`
// (one repository's results); a later undo of the same run is a new attempt.

import { describe } from "./deleter.js";
import { afterLastWrite, turnFor } from "./handover.js";
import { gatherTags, openRepository } from "./scope.js";

/**
 * An undo that has written nothing for this long is taken as stopped (a
 * message lost after its last delivery): asking again starts a new attempt.
 * A live message writes at least every 15 minutes, a queue consumer's
 * longest invocation.
 */
export const STALE_UNDO_MS = 20 * 60 * 1000;

/**
 * Starts the undo of run `runId`, or answers the one still going.
 * @returns {Promise<object | undefined>} the undo's head `{ runId, attempt, startedAt, finishedAt, items }`; undefined without such a run
 */
export async function startUndo(runId, { journal, send, now = Date.now() }) {
  const run = await journal.getRun(runId);
  if (!run) return undefined;
  const previous = await finishUndoIfDone(runId, { journal });
  if (previous && !previous.finishedAt) {
    const lastWrite = Math.max(Date.parse(previous.startedAt), await journal.undoWrittenAt(runId, previous.attempt));
    if (now - lastWrite < STALE_UNDO_MS) return previous;
  }
  const counts = await journal.partCounts(runId);
  const items = counts.filter((part) => part.deleted > 0).map((part) => part.index);
  const undo = { runId, attempt: (previous?.attempt ?? 0) + 1, startedAt: new Date(now).toISOString(), finishedAt: null, items };
  await journal.putUndo(runId, undo);
  const byIndex = new Map(run.items.map((item) => [item.index, item]));
  const messages = items.map((index) => ({ kind: "undo", runId, attempt: undo.attempt, index, step: 0, registry: run.registry, repository: byIndex.get(index).repository, locator: byIndex.get(index).locator }));
  try {
    for (let start = 0; start < messages.length; start += 100) await send(messages.slice(start, start + 100));
  } catch (error) {
    // Not all of it is on the queue: this attempt is over, said as such, and the next request starts a new one.
    undo.finishedAt = new Date().toISOString();
    undo.error = `could not queue the undo: ${describe(error)}; ask for the undo again`;
    await journal.putUndo(runId, undo);
    throw error;
  }
  if (items.length === 0) return finishUndoIfDone(runId, { journal });
  return undo;
}

/**
 * One `undo` message: re-creates up to `deletesPerMessage` of the tags its
 * repository lost in the run, then hands on (handover.js) or marks the
 * repository done.
 * @returns {Promise<{ next?: object }>}
 */
export async function undoItem(message, { journal, clientOf, gather, deletesPerMessage = Infinity, sleep }) {
  const { runId, attempt, index, registry, repository, locator } = message;
  const head = await journal.getUndo(runId);
  // A message of an earlier attempt (one taken as stopped) does nothing.
  if (head?.attempt !== attempt) return {};
  let part = await journal.getUndoPart(runId, attempt, index);
  if (part?.status === "done") {
    // Delivered again after its repository was done: the finishing may be what failed.
    await finishUndoIfDone(runId, { journal });
    return {};
  }
  const turn = await turnFor(message, part, journal);
  if (turn.resend !== undefined) return { next: { ...message, step: turn.resend } };
  if (turn.work === undefined) return {};
  const step = turn.work;
  const runPart = await journal.getPart(runId, index);
  part ??= { index, repository, status: "running", step: 0, results: [] };
  part.startedStep = step;
  const settled = new Set(part.results.map((result) => result.tag));
  const todo = runPart.results.filter((result) => result.ok && !settled.has(result.tag));
  const thisMessage = todo.slice(0, deletesPerMessage);
  part.results.push(...(await restoreRepository(registry, locator, repository, thisMessage, { clientOf, gather })));
  await afterLastWrite(part, journal.writeIntervalMs, sleep);
  if (todo.length > thisMessage.length) {
    part.step = step + 1;
    await journal.putUndoPart(runId, attempt, part);
    return { next: { ...message, step: part.step } };
  }
  part.status = "done";
  part.finishedAt = new Date().toISOString();
  await journal.putUndoPart(runId, attempt, part);
  await finishUndoIfDone(runId, { journal });
  return {};
}

/**
 * Marks the undo finished once every repository of it is done; answers its
 * head. Called by each repository's last message, by a message delivered
 * again, and by a new request for the undo: KV's listing may miss a part
 * written a moment ago elsewhere, so more than one chance is given.
 */
export async function finishUndoIfDone(runId, { journal }) {
  const undo = await journal.getUndo(runId);
  if (!undo || undo.finishedAt || undo.attempt === undefined) return undo;
  if ((await journal.undoDoneCount(runId, undo.attempt)) < undo.items.length) return undo;
  undo.finishedAt = new Date().toISOString();
  await journal.putUndo(runId, undo);
  return undo;
}

async function restoreRepository(registry, locator, repository, deleted, { clientOf, gather }) {
  const result = (entry, outcome) => ({ registry, repository, tag: entry.tag, digest: entry.digest, ...outcome });
  if (deleted.length === 0) return [];
  const tagRepository = openRepository(registry, locator, clientOf);
  if (!tagRepository.capabilities.create) {
    return deleted.map((entry) =>
      result(entry, { ok: false, error: `${registry} has no API to create a tag: push ${repository}@${entry.digest} again as ${entry.tag}` }),
    );
  }
  let present;
  try {
    present = await gatherTags(gather, tagRepository, repository);
  } catch (error) {
    return deleted.map((entry) => result(entry, { ok: false, error: `cannot list ${repository}: ${describe(error)}` }));
  }
  const names = new Set(present.map((tag) => tag.tag));
  const sourceOf = new Map();
  for (const tag of present) if (!sourceOf.has(tag.digest)) sourceOf.set(tag.digest, tag.tag);
  const results = [];
  for (const entry of deleted) {
    if (entry.note === "already gone") {
      results.push(result(entry, { ok: false, error: "the run did not delete it: it was already gone" }));
      continue;
    }
    if (names.has(entry.tag)) {
      results.push(result(entry, { ok: true, note: "already present" }));
      continue;
    }
    const source = sourceOf.get(entry.digest);
    if (!source) {
      results.push(result(entry, { ok: false, error: `no tag of ${repository} points at ${entry.digest} any more, and the registry creates a tag only from another tag` }));
      continue;
    }
    try {
      await tagRepository.createTag(source, entry.tag);
      names.add(entry.tag);
      results.push(result(entry, { ok: true, from: source }));
    } catch (error) {
      results.push(result(entry, { ok: false, error: describe(error) }));
    }
  }
  return results;
}
