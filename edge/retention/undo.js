// Undo of a run: the tags it deleted are created again where the registry
// can, each from a tag that still points at the same digest (Alibaba
// CreateRepoTag takes FromTag; SWR's create takes a sourceTag). Where it
// cannot, the result says why: Scaleway has no API that creates a tag, and
// when no tag points at the digest any more there is nothing to copy from.
// The undo is journaled (undo:<id>) before it starts and after each repository.

import { describe } from "./deleter.js";
import { gatherTags, openRepository } from "./scope.js";

/**
 * @returns {Promise<object>} the undo record `{ runId, startedAt, finishedAt, results }`
 */
export async function undoRun(runId, { journal, clientOf, gather }) {
  const run = await journal.getRun(runId);
  if (!run) return undefined;
  const parts = await journal.parts(runId);
  const undo = { runId, startedAt: new Date().toISOString(), finishedAt: null, results: [] };
  await journal.putUndo(runId, undo);
  for (const part of parts) {
    const deleted = part.results.filter((result) => result.ok);
    if (deleted.length === 0) continue;
    const locator = run.items.find((item) => item.index === part.index).locator;
    undo.results.push(...(await restoreRepository(run.registry, locator, part.repository, deleted, { clientOf, gather })));
    await journal.putUndo(runId, undo);
  }
  undo.finishedAt = new Date().toISOString();
  await journal.putUndo(runId, undo);
  return undo;
}

async function restoreRepository(registry, locator, repository, deleted, { clientOf, gather }) {
  const result = (entry, outcome) => ({ registry, repository, tag: entry.tag, digest: entry.digest, ...outcome });
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
