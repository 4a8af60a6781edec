// One work item: one repository of one run. Idempotent and checkpointed:
// the plan is journaled with the first delete's wave (a resumed item uses
// the same plan), each wave of deletes is journaled as `pending` before it is
// sent and as `results` after, and a resumed item looks up what was pending
// before touching it. Running an item again, or after a stop anywhere,
// deletes nothing twice and reports nothing twice. (Two messages working on
// one repository at the same moment, rare, still delete a tag once at most,
// but KV has no compare-and-swap: the journal may then call a tag this run
// deleted `already gone`; edge/README.md, "Scheduled retention".)
//
// One message makes at most `deletesPerMessage` deletes, then hands the
// repository on to a new message (handover.js): a Workers invocation has
// limits (KV operations, subrequests, 15 minutes), and a repository with
// 10,000 tags to delete outlives them.

import { deleteTag, Interrupted, mapBounded } from "./deleter.js";
import { afterLastWrite, turnFor } from "./handover.js";
import { protect, protectedDigests } from "./in-use.js";
import { deletesManifest, gatherTags, openRepository } from "./scope.js";

/**
 * How many deletes one journal write names as pending, per lane: a wave of
 * `concurrency × 8` deletes takes about a second or more at a registry's
 * pace, which is how often KV lets one key be written.
 */
const WAVE_PER_LANE = 8;

/**
 * @param {{ runId, index, registry, repository, locator, policy, mode, protect, now, step? }} item the queue message
 * @param {{ journal, clientOf, plan, gather, concurrency, deletesPerMessage?, sleep?, log? }} deps
 *   `plan(policy, tags, { now, deletesTagsOneByOne })` is the package's planRetention,
 *   `gather(tagRepository, name, { pageSize })` its retentionTags
 * @returns {Promise<{ part: object, next?: object }>} the item's journal part; `next`, the message
 *   to send when the repository is handed on (the part is then not done)
 * @throws {Interrupted} when it must stop and be resumed later (its part says where)
 */
export async function runItem(item, { journal, clientOf, plan, gather, concurrency, deletesPerMessage = Infinity, sleep, log = () => {} }) {
  let part = await journal.getPart(item.runId, item.index);
  if (part?.status === "done") return { part };
  const turn = await turnFor(item, part, journal);
  if (turn.resend !== undefined) return { part, next: { ...item, step: turn.resend } };
  if (turn.work === undefined) return { part };
  const step = turn.work;
  const tagRepository = openRepository(item.registry, item.locator, clientOf);
  // A new plan is journaled with the first wave's pending deletes (or with
  // the item's "done"): one write fewer, and KV takes one a second per key.
  // Until then nothing was done, so a stop before it just plans again.
  part ??= await planItem(item, tagRepository, plan, gather);
  // Written with this message's first write: the message before it need not send it again.
  part.startedStep = step;
  await afterLastWrite(part, journal.writeIntervalMs, sleep);
  if (item.mode === "apply") {
    const more = await deleteItem(item, part, tagRepository, { journal, concurrency, deletesPerMessage, sleep });
    if (more) {
      part.step = step + 1;
      await journal.putPart(item.runId, part);
      log(`${progressLine(item, part)}; ${more} to go, handed on to a new message`);
      return { part, next: { ...item, step: part.step } };
    }
  }
  part.status = "done";
  part.finishedAt = new Date().toISOString();
  await journal.putPart(item.runId, part);
  log(progressLine(item, part));
  return { part };
}

async function planItem(item, tagRepository, plan, gather) {
  const tags = await gatherTags(gather, tagRepository, item.repository);
  const planned = plan(item.policy, tags.map(({ id: _id, ...tag }) => tag), { now: item.now, deletesTagsOneByOne: !deletesManifest(item.registry) });
  const decided = new Map((planned?.decisions ?? []).map((decision) => [decision.tag, decision]));
  if (decided.size !== tags.length) {
    throw new Error(`the planner gave ${decided.size} decisions for ${tags.length} tags of ${item.repository}`);
  }
  const decisions = tags.map((tag) => {
    const { action, rule, reason } = decided.get(tag.tag);
    return { repository: item.repository, tag: tag.tag, digest: tag.digest, action, rule: rule ?? null, reason, ...(tag.id ? { id: tag.id } : {}) };
  });
  const guarded = protect(decisions, protectedDigests(item.protect ?? [], tags));
  // A deployed reference by a tag this repository no longer has protects nothing: said, not hidden.
  const names = new Set(tags.map((tag) => tag.tag));
  const unresolvedInUse = (item.protect ?? []).filter((ref) => !ref.digest && !names.has(ref.tag));
  return {
    index: item.index,
    registry: item.registry,
    repository: item.repository,
    status: "planned",
    plannedAt: new Date().toISOString(),
    protectedCount: guarded.protectedCount,
    unresolvedInUse,
    decisions: guarded.decisions,
    pending: [],
    results: [],
  };
}

/** Deletes what the plan says, up to `deletesPerMessage`; resolves to how many are left for the next message. */
async function deleteItem(item, part, tagRepository, { journal, concurrency, deletesPerMessage, sleep }) {
  const byTag = new Map(part.decisions.map((decision) => [decision.tag, decision]));
  const done = new Set(part.results.map((result) => result.tag));
  // Tags left pending by a stop: the delete may have been applied, so each is looked up first.
  const uncertain = new Set(part.pending.map((pending) => pending.tag));
  const todo = part.decisions.filter((decision) => decision.action === "delete" && !done.has(decision.tag));
  const thisMessage = todo.slice(0, deletesPerMessage);
  // Scaleway refuses to delete a tag whose digest another tag of the image
  // shares, unless forced; the plan deletes such a tag only with all the
  // others on its digest (the engine's shared-digest safety rule).
  const sharing = countBy(part.decisions, (decision) => decision.digest);
  // Each wave's pending list goes out in the same write as the previous
  // wave's results: every delete is still preceded by a write that names it
  // and followed by one that records its outcome, with one write per wave.
  const waveSize = concurrency * WAVE_PER_LANE;
  for (let start = 0; start < thisMessage.length; start += waveSize) {
    const wave = thisMessage.slice(start, start + waveSize);
    part.pending = wave.map(({ tag, digest }) => ({ repository: item.repository, tag, digest }));
    await journal.putPart(item.runId, part);
    const outcomes = await mapBounded(wave, concurrency, async (decision) => {
      try {
        const force = deletesManifest(item.registry) && sharing.get(decision.digest) > 1;
        return await deleteTag(tagRepository, byTag.get(decision.tag), { force, sleep, uncertain: uncertain.has(decision.tag) });
      } catch (error) {
        if (error instanceof Interrupted) return { interrupted: error };
        throw error;
      }
    });
    const interrupted = [];
    wave.forEach((decision, i) => {
      const outcome = outcomes[i];
      if (outcome.interrupted) return interrupted.push(outcome.interrupted);
      const { ok, error, note } = outcome;
      part.results.push({ registry: item.registry, repository: item.repository, tag: decision.tag, digest: decision.digest, ok, ...(error ? { error } : {}), ...(note ? { note } : {}) });
    });
    // What is still pending is exactly what could not be settled.
    const settled = new Set(part.results.map((result) => result.tag));
    part.pending = part.pending.filter((pending) => !settled.has(pending.tag));
    if (interrupted.length > 0) {
      part.stoppedBy = interrupted[0].message;
      await journal.putPart(item.runId, part);
      throw interrupted[0];
    }
    delete part.stoppedBy;
  }
  // The last wave's results are written with the item's "done" or its hand-over (runItem).
  return todo.length - thisMessage.length;
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** One line per repository: what the Node adapter prints. */
export function progressLine(item, part) {
  const count = (predicate) => part.decisions.filter(predicate).length;
  const deleted = part.results.filter((result) => result.ok).length;
  const failed = part.results.filter((result) => !result.ok).length;
  const planned = count((decision) => decision.action === "delete");
  const kept = count((decision) => decision.action === "keep");
  return item.mode === "apply"
    ? `${item.registry} ${item.repository}: ${kept} kept (${part.protectedCount} in use), ${deleted} deleted, ${failed} failed`
    : `${item.registry} ${item.repository}: ${kept} kept (${part.protectedCount} in use), ${planned} would be deleted (dry run)`;
}
