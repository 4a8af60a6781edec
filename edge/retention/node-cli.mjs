// serve.mjs's retention flags:
//   --once            run every policy of RETENTION_POLICIES now, to the end, and exit
//                     (status 0: all finished without a failed delete; 1 otherwise)
//   --dry-run         with --once or --cron: every policy in dry-run mode, whatever it says
//   --cron "M H D M W" run the policies on that schedule (UTC) while serving: five
//                     fields, read by croner as Workers reads a cron trigger
//   --journal DIR     the journal directory (default ./retention-journal)
// A progress line per repository is printed as each one is done.

import { Cron } from "croner";
import { RETENTION_BINDINGS } from "./settings.js";
import { nodeRetentionEnv } from "./node-runner.mjs";

export const RETENTION_OPTIONS = {
  once: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  cron: { type: "string" },
  journal: { type: "string", default: "retention-journal" },
};

/**
 * Sets the retention up for serve.mjs. With --once it runs and exits;
 * otherwise it returns the env the server must use (with JOURNAL, so that
 * /retention/runs reads the directory) and, with --cron, keeps a schedule.
 */
export async function startRetention(worker, proxyEnv, args, { exit = process.exit } = {}) {
  const env = { ...proxyEnv };
  for (const name of RETENTION_BINDINGS) if (process.env[name] !== undefined) env[name] = process.env[name];
  if (args["dry-run"] && env.RETENTION_POLICIES) env.RETENTION_POLICIES = asDryRun(env.RETENTION_POLICIES);
  const scheduled = args.once || args.cron;
  if (scheduled && !env.RETENTION_POLICIES) return exit(fail("--once and --cron need RETENTION_POLICIES"));
  // Without policies the server is the proxy alone: no journal directory is made.
  if (!env.RETENTION_POLICIES) return env;
  let schedule;
  if (args.cron) {
    try {
      schedule = cronSchedule(args.cron);
    } catch (error) {
      return exit(fail(error.message));
    }
  }
  const log = (line) => console.log(line);
  const { env: withBindings, queue } = await nodeRetentionEnv(worker, env, { journalDir: args.journal, log });
  const runNow = async (time) => {
    await worker.scheduled({ scheduledTime: time, cron: args.cron ?? "once" }, withBindings, { waitUntil() {} });
    await queue.idle();
  };
  if (args.once) {
    await runNow(Date.now());
    const runs = await (await worker.fetch(...journalRequest(withBindings), withBindings)).json();
    const latest = new Map();
    for (const run of runs.runs ?? []) if (!latest.has(run.name)) latest.set(run.name, run);
    let ok = true;
    for (const run of latest.values()) {
      console.log(`${run.name}: ${run.finishedAt ? "finished" : "NOT finished (run again to resume)"} ${JSON.stringify(run.summary ?? {})} (journal ${args.journal}, run ${run.id})`);
      ok &&= Boolean(run.finishedAt) && (run.summary?.failed ?? 0) === 0;
    }
    return exit(ok ? 0 : 1);
  }
  // croner does not start a tick while the previous one is still running
  // (protect); startDue would not start a second run of a policy anyway.
  schedule?.schedule(async () => {
    await runNow(Date.now()).catch((error) => console.error(`retention: ${error?.message ?? error}`));
  });
  return withBindings;
}

/** GET /retention/runs with the proxy's own token, answered by the worker in process. */
function journalRequest(env) {
  return [new Request("http://localhost/retention/runs", { headers: { Authorization: `Bearer ${env.PROXY_TOKEN}` } })];
}

function asDryRun(text) {
  try {
    return JSON.stringify(JSON.parse(text).map((policy) => ({ ...policy, mode: "dry-run" })));
  } catch {
    return text; // the worker reports the bad JSON, naming RETENTION_POLICIES
  }
}

/**
 * `--cron` as a croner job, not yet scheduled: exactly five fields (minute
 * hour day-of-month month day-of-week), in UTC, as Workers cron triggers are.
 * @throws {Error} naming --cron and what croner found wrong
 */
export function cronSchedule(expression) {
  try {
    return new Cron(expression, { timezone: "UTC", mode: "5-part", protect: true });
  } catch (error) {
    throw new Error(`--cron ${JSON.stringify(expression)}: ${error.message} (expected five fields: minute hour day-of-month month day-of-week, in UTC)`);
  }
}

function fail(message) {
  console.error(`tagdeck-edge: ${message}`);
  return 2;
}
