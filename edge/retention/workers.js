// The retention runner in a Workers runtime: `scheduled` (cron triggers)
// starts a run per policy of RETENTION_POLICIES, `queue` consumes the run's
// messages from RETENTION_QUEUE, the journal is the KV namespace JOURNAL, and
// the /retention/runs routes read it. worker.js wires these in.

import { bearerChecker } from "../auth.js";
import { ConfigError, readConfig } from "../config.js";
import { Interrupted, redelivery } from "./deleter.js";
import { Journal, kvStore, redactingStore } from "./journal.js";
import { redactor } from "../redact.js";
import { finishIfDone, handleMessage, startRun } from "./run.js";
import { isRetentionRoute, serveRetention } from "./routes.js";
import { registryClients } from "./scope.js";
import { readPolicies, readRetentionSettings } from "./settings.js";
import { startUndo } from "./undo.js";
import { parseInUse } from "./in-use.js";

/** Bindings whose values must never reach the journal (the proxy's redactor also takes the key id). */
const SECRET_BINDINGS = ["ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SECURITY_TOKEN", "PROXY_TOKEN", "SCALEWAY_SECRET_KEY", "SWR_AUTH_TOKEN"];

/** A run of a policy that has not finished after this long is taken as stopped, and resumed. */
export const STALE_RUN_MS = 6 * 60 * 60 * 1000;

const log = (entry) => console.log(JSON.stringify({ retention: true, ...entry }));

/**
 * @param {object} tagdeck the initialized package, its retention engine too (Client, ScalewayRegistry, SwrRegistry, planRetention, operations)
 */
export function createRetention(tagdeck) {
  const states = new WeakMap();
  function depsFor(env) {
    if (!states.has(env)) states.set(env, buildDeps(tagdeck, env));
    return states.get(env);
  }

  async function scheduled(event, env, ctx) {
    const work = startDue(depsFor(env), readPolicies(env), event.scheduledTime ?? Date.now());
    ctx?.waitUntil?.(work);
    await work;
  }

  async function queue(batch, env) {
    const deps = depsFor(env);
    const touched = new Set();
    // Every message of the batch at once: the consumer's max_batch_size is
    // what bounds how many repositories (and subrequests) one invocation handles.
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          await handleMessage(message.body, deps);
          message.ack();
          touched.add(message.body.runId);
        } catch (error) {
          // The journal says where the item stopped; the queue delivers it again.
          log({ level: error instanceof Interrupted ? "warn" : "error", runId: message.body.runId, item: message.body.index ?? message.body.kind, message: String(error?.message ?? error) });
          // A throttled stop comes back when the registry said it may (Queues' delaySeconds).
          message.retry(redelivery(error));
        }
      }),
    );
    for (const runId of touched) {
      try {
        await finishIfDone(runId, deps);
      } catch (error) {
        log({ level: "error", runId, message: `finishing: ${error?.message ?? error}` });
        await deps.send([{ kind: "finish", runId }]).catch(() => {});
      }
    }
  }

  async function fetch(request, env) {
    let config;
    let deps;
    try {
      config = readConfig(env, tagdeck.operations());
      deps = depsFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The message names the binding, never a value.
      return Response.json({ code: "Proxy.Misconfigured", message: error.message }, { status: 500 });
    }
    deps.isAuthorized ??= bearerChecker(config.proxyToken);
    return serveRetention(request, {
      journal: deps.journal,
      undo: (id) => startUndo(id, deps),
      start: (body) => startNow(deps, env, body),
      policies: () => {
        try {
          return { policies: readPolicies(env).map(({ name, registry, mode, scope }) => ({ name, registry, mode, scope })) };
        } catch (error) {
          return { policiesError: error.message };
        }
      },
      allowedOrigins: config.allowedOrigins,
      isAuthorized: deps.isAuthorized,
    });
  }

  return { isRetentionRoute, fetch, scheduled, queue };
}

/**
 * The Workers module: the proxy's `fetch` with the /retention/ routes in
 * front of it, and the `scheduled` and `queue` handlers.
 */
export function withRetention(proxy, tagdeck) {
  const retention = createRetention(tagdeck);
  return {
    fetch: (request, env, ctx) => (isRetentionRoute(request) ? retention.fetch(request, env, ctx) : proxy.fetch(request, env, ctx)),
    scheduled: retention.scheduled,
    queue: retention.queue,
  };
}

function buildDeps(tagdeck, env) {
  if (!env.JOURNAL) throw new ConfigError("binding JOURNAL (a KV namespace) is not set");
  const settings = readRetentionSettings(env);
  return {
    journal: new Journal(redactingStore(kvStore(env.JOURNAL), redactor(SECRET_BINDINGS.map((name) => env[name]?.trim?.())))),
    clientOf: registryClients(tagdeck, env),
    plan: tagdeck.planRetention,
    gather: tagdeck.retentionTags,
    settings,
    concurrency: settings.concurrency,
    deletesPerMessage: settings.deletesPerMessage,
    send: async (messages) => {
      if (!env.RETENTION_QUEUE) throw new ConfigError("binding RETENTION_QUEUE (a Queue) is not set");
      await env.RETENTION_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" })));
    },
    log: (line) => log({ message: line }),
  };
}

/**
 * A run of one policy started from the dashboard: as a dry run if asked, with
 * pasted in-use references added to the bindings' list.
 */
async function startNow(deps, env, { policy: name, dryRun = false, inUse }) {
  const refuse = (status, code, message) => ({ refusal: { status, code, message } });
  let policy;
  let pasted = [];
  try {
    policy = readPolicies(env).find((candidate) => candidate.name === name);
    if (inUse !== undefined && inUse !== "") {
      if (typeof inUse !== "string") throw new Error("inUse must be text: image references one a line, or kubectl pods JSON");
      pasted = parseInUse(inUse, "the pasted in-use list");
    }
  } catch (error) {
    return refuse(400, error instanceof ConfigError ? "Proxy.Misconfigured" : "InvalidParameter", error.message);
  }
  if (!policy) return refuse(404, "Retention.PolicyNotFound", `RETENTION_POLICIES has no policy named ${JSON.stringify(name)}`);
  const latest = (await deps.journal.runs()).find((run) => run.name === name);
  if (latest && !latest.finishedAt) return refuse(409, "Retention.RunGoing", `run ${latest.id} of ${name} is still going`);
  const runId = await startRun({ ...policy, mode: dryRun ? "dry-run" : policy.mode }, { ...deps, pastedInUse: pasted });
  return { runId };
}

/**
 * Starts a run of each policy, unless one is still going; a run that has
 * not finished for STALE_RUN_MS is resumed instead (its messages were lost).
 * Shared with the Node adapter.
 */
export async function startDue(deps, policies, now) {
  const runs = await deps.journal.runs();
  const started = [];
  for (const policy of policies) {
    const latest = runs.find((run) => run.name === policy.name);
    if (latest && !latest.finishedAt) {
      if (now - Date.parse(latest.startedAt) < STALE_RUN_MS) {
        deps.log?.(`${policy.name}: run ${latest.id} is still going; not starting another`);
        continue;
      }
      await deps.send([{ kind: "scope", runId: latest.id }]);
      started.push(latest.id);
      continue;
    }
    started.push(await startRun(policy, { ...deps, now }));
  }
  return started;
}
