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
//   undo:<id>           the undo of run <id>: { runId, attempt, startedAt, finishedAt, items }
//   undo-part:<id>:<attempt>:<n>  one repository's undo results
//   sent:<id>:<kind>:<attempt>:<n>:<step>  the message of that step was sent
//                       (handover.js): written once, never rewritten
// A run's record as the API shows it, { name, mode, startedAt, finishedAt,
// decisions, results, ... }, is the run joined with its parts: items run in
// parallel, and KV has no transactions, so each item writes only its own key.

const PART_DIGITS = 6;

/** KV takes at most one write a second to the same key (Cloudflare's KV limits). */
export const KV_WRITE_INTERVAL_MS = 1_000;

/**
 * A Workers KV namespace as a store. Writes to one key are spaced at least
 * `writeIntervalMs` apart (the later one waits): KV answers a faster second
 * write with 429. A namespace that has no such limit (the Node adapter's
 * directory) says so with its own `writeIntervalMs`. `now` and `sleep` are for tests.
 */
export function kvStore(namespace, { now = Date.now, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } = {}) {
  const writeIntervalMs = namespace.writeIntervalMs ?? KV_WRITE_INTERVAL_MS;
  const lastWrite = new Map();
  return {
    writeIntervalMs,
    get: (key) => namespace.get(key),
    async put(key, text, metadata) {
      const wait = (lastWrite.get(key) ?? -Infinity) + writeIntervalMs - now();
      if (wait > 0) await sleep(wait);
      // Taken before the write: the gap is between the starts of two writes.
      lastWrite.set(key, now());
      await namespace.put(key, text, metadata ? { metadata } : undefined);
    },
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
  // Metadata too (a run's head rides there: runMetadata), text by text.
  const scrub = (value) =>
    typeof value === "string" ? redact(value) : Array.isArray(value) ? value.map(scrub) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)])) : value;
  return { ...store, put: (key, text, metadata) => store.put(key, redact(text), metadata && scrub(metadata)) };
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

  /** The least time between two writes of one key (KV: a second; stores without the limit: 0). */
  get writeIntervalMs() {
    return this.store.writeIntervalMs ?? 0;
  }

  async #read(key) {
    const text = await this.store.get(key);
    return text === null || text === undefined ? undefined : JSON.parse(text);
  }

  getRun(id) {
    return this.#read(`run:${id}`);
  }

  putRun(run) {
    return this.store.put(`run:${run.id}`, JSON.stringify(run), runMetadata(run));
  }

  getPart(id, index) {
    return this.#read(partKey(id, index));
  }

  putPart(id, part) {
    part.writtenAt = new Date().toISOString();
    return this.store.put(partKey(id, part.index), JSON.stringify(part), { status: part.status, counts: partCounts(part) });
  }

  /**
   * `field` of the metadata of every key under `prefix`: from one listing
   * when the store keeps metadata (KV) and every key has the field, else
   * made from each record by `fromRecord` (the directory store, or keys
   * written before the field was). A run of 1,000 repositories is thus one
   * listing rather than 1,000 reads (an invocation may make 1,000 KV operations).
   */
  async #metadataField(prefix, field, fromRecord) {
    const keys = await this.store.list(prefix);
    if (keys.every((key) => key.metadata?.[field] !== undefined)) return keys.map((key) => key.metadata[field]);
    const records = await Promise.all(keys.map(({ name }) => this.#read(name)));
    return records.filter(Boolean).map(fromRecord);
  }

  /** How many of a run's items are done. */
  async doneCount(id) {
    return countDone(await this.#metadataField(`part:${id}:`, "status", (part) => part.status));
  }

  /** Each part's counts (see partCounts). */
  partCounts(id) {
    return this.#metadataField(`part:${id}:`, "counts", partCounts);
  }

  /** The runs, newest first, without their parts (the list shows each run's head: no items, scope lists or policy). */
  async runs() {
    const keys = await this.store.list("run:");
    // A run's head rides in its key's metadata when it fits; only the others are read.
    const runs = await Promise.all(keys.map(({ name, metadata }) => (metadata?.head ? metadata.head : this.#read(name).then((run) => run && runHead(run)))));
    return runs.filter(Boolean).sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  /**
   * Records that the message handing repository `index` on to `step` was
   * sent. Its own key, written once: the part itself may be being written
   * by that next message already.
   */
  markHandedOn({ runId, kind, attempt, index }, step) {
    return this.store.put(sentKey(runId, kind, attempt, index, step), "1");
  }

  /** Whether the hand-over of repository `index` to `step` was sent (see markHandedOn). */
  async handedOn({ runId, kind, attempt, index }, step) {
    const marker = await this.store.get(sentKey(runId, kind, attempt, index, step));
    return marker !== null && marker !== undefined;
  }

  getUndo(id) {
    return this.#read(`undo:${id}`);
  }

  putUndo(id, undo) {
    return this.store.put(`undo:${id}`, JSON.stringify(undo));
  }

  getUndoPart(id, attempt, index) {
    return this.#read(undoPartKey(id, attempt, index));
  }

  putUndoPart(id, attempt, part) {
    part.writtenAt = new Date().toISOString();
    return this.store.put(undoPartKey(id, attempt, part.index), JSON.stringify(part), { status: part.status, writtenAt: part.writtenAt, ...(part.finishedAt ? { finishedAt: part.finishedAt } : {}) });
  }

  /** When any repository of an undo attempt was last written (ms since the epoch; 0 for none). */
  async undoWrittenAt(id, attempt) {
    const times = await this.#metadataField(undoPartKey(id, attempt, ""), "writtenAt", (part) => part.writtenAt);
    return Math.max(0, ...times.filter(Boolean).map(Date.parse));
  }

  /** How many repositories of an undo attempt are done. */
  async undoDoneCount(id, attempt) {
    return countDone(await this.#metadataField(undoPartKey(id, attempt, ""), "status", (part) => part.status));
  }

  /**
   * The undo's head with the results of the repositories in `window`
   * (those done so far while it runs); `finishedAt` from every repository's status.
   */
  async undoRecord(id, window = EVERY_REPOSITORY) {
    const undo = await this.getUndo(id);
    if (!undo) return undefined;
    // An undo journaled before undos ran on the queue kept its results in its head.
    if (undo.attempt === undefined) return undo;
    const { parts, statuses } = await this.#window(undoPartKey(id, undo.attempt, ""), window);
    const record = { ...undo, results: parts.flatMap((part) => part.results) };
    // Every repository done, but no message saw it (KV's listing lags): it is finished all the same.
    if (!record.finishedAt && undo.items.length > 0 && undo.items.every((index) => statuses.get(index)?.status === "done")) {
      record.finishedAt = [...statuses.values()].map((part) => part.finishedAt).filter(Boolean).sort().at(-1) ?? undo.startedAt;
    }
    return record;
  }

  /**
   * A page of the run's record: the run, the status of every repository,
   * and for the repositories `from` to `from + limit` (by item index) every
   * decision and result, what is in flight and what is not done, and the
   * undo's results. `page.next` is where the next page starts (null on the
   * last). A page reads two keys a repository (its part and its undo), so
   * RECORD_PAGE keeps it well within an invocation's 1,000 KV operations.
   */
  async record(id, { from = 0, limit = RECORD_PAGE } = {}) {
    const run = await this.getRun(id);
    if (!run) return undefined;
    const { items, ...head } = run;
    const total = items?.length ?? 0;
    const window = { from, to: Math.min(total, from + limit) };
    const { parts, statuses } = await this.#window(`part:${id}:`, window);
    const byIndex = new Map(parts.map((part) => [part.index, part]));
    return {
      ...head,
      items: (items ?? []).map(({ index, repository }) => {
        const part = byIndex.get(index);
        return { index, repository, status: part?.status ?? statuses.get(index)?.status ?? "waiting", ...(part?.stoppedBy ? { stoppedBy: part.stoppedBy } : {}) };
      }),
      page: { from: window.from, to: window.to, repositories: total, next: window.to < total ? window.to : null },
      decisions: parts.flatMap((part) => part.decisions),
      results: parts.flatMap((part) => part.results),
      // Sent, or about to be, when the item stopped: outcome unknown until the item resumes and checks.
      pending: parts.flatMap((part) => part.pending),
      // Planned deletes with no result yet (items not even planned are in `items`).
      notDone: run.mode === "apply" ? parts.flatMap(notDone) : [],
      // In-use references by a tag the repository does not have: they protected nothing.
      unresolvedInUse: parts.flatMap((part) => part.unresolvedInUse ?? []),
      undo: (await this.undoRecord(id, window)) ?? null,
    };
  }

  /**
   * The parts under `prefix` whose index is in `window` ({ from, to }), read
   * whole, in index order; and every part's `{ status, finishedAt }` by
   * index, from the keys' metadata where the store keeps it (KV), else from
   * the parts themselves (the directory store has no metadata, and no limit
   * on reads).
   */
  async #window(prefix, { from, to }) {
    const keys = (await this.store.list(prefix)).map((key) => ({ ...key, index: Number(key.name.slice(prefix.length)) }));
    const fromMetadata = keys.every((key) => key.metadata?.status !== undefined);
    const wanted = fromMetadata ? keys.filter(({ index }) => index >= from && index < to) : keys;
    const read = (await Promise.all(wanted.map(({ name }) => this.#read(name)))).filter(Boolean).sort((a, b) => a.index - b.index);
    const statuses = new Map(
      fromMetadata ? keys.map(({ index, metadata }) => [index, { status: metadata.status, finishedAt: metadata.finishedAt }]) : read.map((part) => [part.index, { status: part.status, finishedAt: part.finishedAt }]),
    );
    return { parts: read.filter((part) => part.index >= from && part.index < to), statuses };
  }
}

/** Repositories per page of a run's record (GET /retention/runs/<id>?from=N). */
export const RECORD_PAGE = 250;

const EVERY_REPOSITORY = { from: 0, to: Infinity };

const countDone = (statuses) => statuses.filter((status) => status === "done").length;

/** KV metadata is at most 1,024 bytes a key. */
const METADATA_BYTES = 1_024;

/** A run without what only its items need: what the list of runs shows. */
export function runHead({ items: _items, protect: _protect, policy: _policy, pastedInUse: _pasted, ...head }) {
  return head;
}

function runMetadata(run) {
  const head = runHead(run);
  const full = { name: run.name, status: run.status, head };
  return new TextEncoder().encode(JSON.stringify(full)).length <= METADATA_BYTES ? full : { name: run.name, status: run.status };
}

/** What a run's summary adds up, per part (and which part: undo starts from those that deleted). */
export function partCounts(part) {
  const counts = { index: part.index, tags: part.decisions.length, kept: 0, protected: part.protectedCount ?? 0, planned: 0, deleted: 0, failed: 0 };
  for (const decision of part.decisions) {
    if (decision.action === "keep") counts.kept++;
    else counts.planned++;
  }
  for (const result of part.results) {
    if (result.ok) counts.deleted++;
    else counts.failed++;
  }
  return counts;
}

/** `index` "" gives the prefix of all of an undo attempt's parts. */
function undoPartKey(id, attempt, index) {
  return `undo-part:${id}:${String(attempt).padStart(3, "0")}:${index === "" ? "" : String(index).padStart(PART_DIGITS, "0")}`;
}

function sentKey(id, kind, attempt, index, step) {
  return `sent:${id}:${kind}:${attempt ?? 0}:${String(index).padStart(PART_DIGITS, "0")}:${step}`;
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
