// The journal over HTTP, behind the proxy's token and origin list:
//   GET  /retention/runs             the runs, newest first (no decisions), and the policies
//   POST /retention/runs             start a run of a policy now: { policy, dryRun?, inUse? }
//   GET  /retention/runs/<id>        one run's record, a page of its repositories at a time:
//                                    ?from=N&limit=M (limit at most RECORD_PAGE, the default);
//                                    `page.next` is the next page's `from`, null on the last
//   POST /retention/runs/<id>/undo   re-create what the run deleted, on the queue; answers 202 and the
//                                    undo's head (the one going, if any); the run's record shows its results

import { corsFor, preflightHeaders } from "../cors.js";
import { RECORD_PAGE, RUN_ID } from "./journal.js";

const ROUTE = /^\/retention\/runs(?:\/([^/]+)(\/undo)?)?\/?$/;
/** A pasted kubectl document can be large; anything beyond this is refused. */
const MAX_START_BODY = 4 * 1024 * 1024;

/** Whether `request` is one of these routes (else it is the proxy's). */
export function isRetentionRoute(request) {
  return new URL(request.url).pathname.startsWith("/retention/");
}

/**
 * @param {Request} request
 * @param {{ journal, undo: (id) => Promise<object>, start: (request) => Promise<object>, allowedOrigins: Set<string>, isAuthorized: (request) => Promise<boolean> }} deps
 *   `start(body)` answers `{ runId }` or `{ refusal: { status, code, message } }`;
 *   `policies()` answers `{ policies: [{ name, registry, mode, scope }] }` or `{ policiesError }`
 */
export async function serveRetention(request, { journal, undo, start, policies, allowedOrigins, isAuthorized }) {
  const cors = corsFor(request.headers.get("Origin"), allowedOrigins);
  const reply = (status, body, headers = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Vary: "Origin", ...(cors.headers ?? {}), ...headers },
    });
  const refuse = (status, code, message, headers) => reply(status, { code, message }, headers);
  if (!cors.allowed) return refuse(403, "Proxy.OriginNotAllowed", "this origin is not in the proxy's ALLOWED_ORIGINS");
  const route = ROUTE.exec(new URL(request.url).pathname);
  if (!route) return refuse(404, "Proxy.NotFound", "the retention routes are /retention/runs, /retention/runs/<id> and /retention/runs/<id>/undo");
  if (request.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: { ...preflightHeaders(cors.headers), "Access-Control-Allow-Methods": "GET, POST, OPTIONS", Vary: "Origin" } });
  }
  const [, id, isUndo] = route;
  const methods = isUndo ? ["POST"] : id === undefined ? ["GET", "POST"] : ["GET"];
  if (!methods.includes(request.method)) return refuse(405, "Proxy.MethodNotAllowed", `use ${methods.join(" or ")} here`, { Allow: `${methods.join(", ")}, OPTIONS` });
  if (!(await isAuthorized(request))) {
    return refuse(401, "Proxy.Unauthorized", "missing or wrong Authorization: Bearer token", { "WWW-Authenticate": 'Bearer realm="tagdeck"' });
  }
  if (id === undefined && request.method === "POST") {
    const text = await request.text();
    let body;
    try {
      if (text.length > MAX_START_BODY) throw new Error(`larger than ${MAX_START_BODY} bytes`);
      body = JSON.parse(text);
      if (body === null || typeof body !== "object" || typeof body.policy !== "string") throw new Error('expected { "policy": "<name>", "dryRun"?: true, "inUse"?: "<text>" }');
    } catch (error) {
      return refuse(400, "InvalidParameter", `the body: ${error.message}`);
    }
    const started = await start(body);
    return started.refusal ? refuse(started.refusal.status, started.refusal.code, started.refusal.message) : reply(202, started);
  }
  if (id === undefined) {
    const runs = await journal.runs();
    return reply(200, { runs, ...policies() });
  }
  if (!RUN_ID.test(id)) return refuse(400, "InvalidParameter", "the run id is not one this journal gives (e.g. 20250101T000000000Z-0123abcd)");
  if (!isUndo) {
    const query = new URL(request.url).searchParams;
    const from = wholeNumber(query.get("from"), 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber(query.get("limit"), 1, RECORD_PAGE);
    if (from === undefined) return refuse(400, "InvalidParameter", "the parameter from is invalid: a whole number from 0 (the first repository of the page)");
    if (limit === undefined) return refuse(400, "InvalidParameter", `the parameter limit is invalid: a whole number from 1 to ${RECORD_PAGE} (repositories per page)`);
    const record = await journal.record(id, { from: from ?? 0, limit: limit ?? RECORD_PAGE });
    return record ? reply(200, record) : refuse(404, "Retention.RunNotFound", `no run ${id} in the journal`);
  }
  const run = await journal.getRun(id);
  if (!run) return refuse(404, "Retention.RunNotFound", `no run ${id} in the journal`);
  if (run.mode !== "apply") return refuse(409, "Retention.NothingToUndo", "a dry run deletes nothing, so there is nothing to undo");
  if (!run.finishedAt) return refuse(409, "Retention.RunNotFinished", "the run is still going; undo it once it has finished");
  return reply(202, await undo(id));
}

/** A query parameter as a whole number in [min, max]: null when absent, undefined when invalid. */
function wholeNumber(text, min, max) {
  if (text === null) return null;
  if (!/^\d{1,16}$/.test(text)) return undefined;
  const number = Number(text);
  return number >= min && number <= max ? number : undefined;
}
