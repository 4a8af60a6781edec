// edge/worker.js as the retention tests run it: the same proxy, routes,
// `scheduled` and `queue` (withRetention), with a small planner of the
// `planRetention(policy, tags, { now })` contract in place of the engine's,
// so that these tests pin the runner (queue, journal, deletes, protection,
// undo) whatever the engine decides. Its one policy form:
//   { test: { deletePattern: "<regex over the tag>", keepNewest: N } }
// deletes the tags matching deletePattern except the N most recently pushed.

import * as tagdeck from "../../../pkg/index.js";
import wasmModule from "../../../pkg/tagdeck_bg.wasm";
import { createProxy } from "../../../edge/handler.js";
import { withRetention } from "../../../edge/retention/workers.js";

tagdeck.initSync({ module: wasmModule });

export function planNewestPerPattern(policy, tags) {
  const { deletePattern, keepNewest } = policy.test;
  const pattern = new RegExp(deletePattern);
  const matching = tags.filter((tag) => pattern.test(tag.tag)).sort((a, b) => Number(b.pushedAt) - Number(a.pushedAt) || (a.tag < b.tag ? -1 : 1));
  const rank = new Map(matching.map((tag, i) => [tag.tag, i]));
  return {
    decisions: tags.map((tag) => {
      const at = rank.get(tag.tag);
      const action = at === undefined || at < keepNewest ? "keep" : "delete";
      const reason = at === undefined ? "not matched" : `#${at + 1} of the tags matching ${deletePattern}`;
      return { repository: tag.repository, tag: tag.tag, digest: tag.digest, action, rule: 0, reason };
    }),
  };
}

export default withRetention(createProxy({ Client: tagdeck.Client, operations: tagdeck.operations }), { ...tagdeck, planRetention: planNewestPerPattern });
