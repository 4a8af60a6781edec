// The journal of retention runs, over any key-value store with
// `get(key)`, `put(key, text, metadata)` and `list(prefix)`: a Workers KV
// namespace (kvStore) or a directory of JSON files (directoryStore in
// journal-directory.mjs, for Node).
//
// Keys (all record text is JSON; nothing secret is ever written):
//   run:<id>            the run: { id, name, registry, mode, scope, policy,
//                       startedAt, finishedAt, status, items, protect, summary }
//   part:<id>:<n>       work item n (one repository): its decisions, the
//                       deletes in flight (`pending`) and their `results`
//   undo:<id>           the undo of run <id> and its results
// A run's record as the API shows it, { name, mode, startedAt, finishedAt,
// decisions, results, ... }, is the run joined with its parts: items run in
// parallel, and KV has no transactions, so each item writes only its own key.

const PART_DIGITS = 6;

/** A Workers KV namespace as a store. */
export function kvStore(namespace) {
  return {
    get: (key) => namespace.get(key),
    put: (key, text, metadata) => namespace.put(key, text, metadata ? { metadata } : undefined),
    async list(prefix) {
      const keys = [];
      let cursor;
      do {
        const page = await namespace.list({ prefix, cursor });
        keys.push(...page.keys.map(({ name, metadata }) => ({ name, metadata })));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return keys;
    },
  };
}

/**
 * `store` with every text it writes passed through `redact` first: results
 * quote the registries' error messages, and some quote what was signed.
 */
export function redactingStore(store, redact) {
  return { ...store, put: (key, text, metadata) => store.put(key, redact(text), metadata) };
}

/** A new run id: its start time first, so ids sort by time. */
export function newRunId(now) {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, "");
  const random = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${stamp}-${random}`;
}

export const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

export class Journal {
  constructor(store) {
    this.store = store;
  }

  async #read(key) {
    const text = await this.store.get(key);
    return text === null || text === undefined ? undefined : JSON.parse(text);
  }

  getRun(id) {
    return this.#read(`run:${id}`);
  }

  putRun(run) {
    return this.store.put(`run:${run.id}`, JSON.stringify(run), { name: run.name, status: run.status });
  }

  getPart(id, index) {
    return this.#read(partKey(id, index));
  }

  putPart(id, part) {
    return this.store.put(partKey(id, part.index), JSON.stringify(part), { status: part.status });
  }

  /** Every part of a run, in item order. */
  async parts(id) {
    const keys = await this.store.list(`part:${id}:`);
    const parts = await Promise.all(keys.map(({ name }) => this.#read(name)));
    return parts.filter(Boolean).sort((a, b) => a.index - b.index);
  }

  /** How many of a run's items are done (metadata when the store keeps it, else the records). */
  async doneCount(id) {
    const keys = await this.store.list(`part:${id}:`);
    if (keys.every((key) => key.metadata?.status)) return keys.filter((key) => key.metadata.status === "done").length;
    return (await this.parts(id)).filter((part) => part.status === "done").length;
  }

  /** The runs, newest first, without their parts. */
  async runs() {
    const keys = await this.store.list("run:");
    const runs = await Promise.all(keys.map(({ name }) => this.#read(name)));
    return runs.filter(Boolean).sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  getUndo(id) {
    return this.#read(`undo:${id}`);
  }

  putUndo(id, undo) {
    return this.store.put(`undo:${id}`, JSON.stringify(undo));
  }

  /** The run's whole record: the run, every decision and result, what is in flight and what is not done. */
  async record(id) {
    const run = await this.getRun(id);
    if (!run) return undefined;
    const parts = await this.parts(id);
    const { items, ...head } = run;
    const byIndex = new Map(parts.map((part) => [part.index, part]));
    return {
      ...head,
      items: (items ?? []).map(({ index, repository }) => {
        const part = byIndex.get(index);
        return { index, repository, status: part?.status ?? "waiting", ...(part?.stoppedBy ? { stoppedBy: part.stoppedBy } : {}) };
      }),
      decisions: parts.flatMap((part) => part.decisions),
      results: parts.flatMap((part) => part.results),
      // Sent, or about to be, when the item stopped: outcome unknown until the item resumes and checks.
      pending: parts.flatMap((part) => part.pending),
      // Planned deletes with no result yet (items not even planned are in `items`).
      notDone: run.mode === "apply" ? parts.flatMap(notDone) : [],
      // In-use references by a tag the repository does not have: they protected nothing.
      unresolvedInUse: parts.flatMap((part) => part.unresolvedInUse ?? []),
      undo: (await this.getUndo(id)) ?? null,
    };
  }
}

function partKey(id, index) {
  return `part:${id}:${String(index).padStart(PART_DIGITS, "0")}`;
}

/** The delete decisions of a part that have no result. */
export function notDone(part) {
  const done = new Set(part.results.map((result) => result.tag));
  return part.decisions
    .filter((decision) => decision.action === "delete" && !done.has(decision.tag))
    .map(({ repository, tag, digest }) => ({ repository, tag, digest }));
}
