/**
 * Deleting tags, in three steps in one dialog:
 * 1. confirm: every tag that will go, and a warning for tags whose image is
 *    shared with tags that stay; where the registry refuses to delete such
 *    a tag unless forced (Scaleway), a "force" box, off by default; above
 *    TYPE_COUNT_ABOVE tags, the count must be typed before the button works
 *    (one click must not empty a repository);
 * 2. run: the package's paced bulk delete (`repository.deleteTags`, or
 *    `deleteTagsWith` over the source's one-request delete, as through the
 *    proxy): bounded concurrency that halves on throttling and waits as the
 *    answer asks (Retry-After), failures that may pass later (throttling,
 *    5xx, timeouts) tried again by itself, each tag's own progress; "Stop"
 *    stops starting new deletions (running ones finish);
 * 3. report: what was deleted (a tag found already gone on a retry says
 *    so: an earlier attempt was applied), what failed and why (with request
 *    IDs) once retrying could not fix it, what was not attempted. Failures
 *    are listed first and never folded away.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount, shortDigest, absoluteTime, relativeTime, exactTime } from "../lib/format.js";
import { sharedWithKept, sharedDigests } from "../lib/digests.js";
import { describeError } from "../lib/errors.js";
import { loadPackage } from "../api/session.js";
import { openDialog } from "../ui/dialog.js";
import { progressBar, copyButton, icon } from "../ui/components.js";

const DELETE_CONCURRENCY = 4;
/** Deleting more tags than this asks for their number to be typed, not just a click. */
const TYPE_COUNT_ABOVE = 100;
/** Statuses drawn like another: a retry waits like a deletion runs; gone is done. */
const DOT_LOOK = { retrying: "running", gone: "deleted" };
const STATUS_TEXT = { pending: "waiting", running: "deleting\u2026", retrying: "will retry", deleted: "deleted", gone: "already gone", failed: "failed", skipped: "not attempted" };

export function openDeleteFlow({ app, source, allTags, tags, onFinished }) {
  const repoLabel = source.label;
  const context = app.session.errorContext;
  const single = tags.length === 1;
  const warnings = sharedWithKept(allTags, tags);
  const keptByTag = new Map(warnings.map((warning) => [warning.tag, warning.keptTags]));
  const items = new Map(tags.map((tag) => [tag.tag, statusItem(tag, keptByTag.get(tag.tag), context)]));
  const forceBox = source.can.forceShared ? forceOption(allTags, tags) : null;
  const list = h("ul", { class: "item-list", "aria-label": "Tags to delete" }, [...items.values()].map((item) => item.element));

  const cancel = h("button", { type: "button", class: "button", autofocus: true }, "Cancel");
  const confirm = h("button", { type: "button", class: "button danger", dataset: { confirm: "delete" } }, icon("trash"), h("span", {}, single ? `Delete ${tags[0].tag}` : `Delete ${plural(tags.length, "tag")}`));
  const typedCount = tags.length > TYPE_COUNT_ABOVE ? countToType(tags.length, confirm) : null;
  const dialog = openDialog({
    title: single ? `Delete tag ${tags[0].tag}?` : `Delete ${plural(tags.length, "tag")}?`,
    description: `From ${repoLabel}. Deleting a tag cannot be undone.`,
    label: "delete",
    body: [
      warnings.length ? sharedWarning(warnings) : null,
      tags.some((tag) => tag.tag === "latest") ? h("div", { class: "warning-box" }, h("p", {}, h("strong", {}, "latest"), " is in this list. Clients that pull without a tag will break.")) : null,
      forceBox?.element,
      typedCount?.element,
      list,
    ],
    actions: [cancel, confirm],
    size: "large",
  });
  cancel.addEventListener("click", () => dialog.close("cancel"));
  cancel.focus();
  confirm.addEventListener("click", () => {
    if (typedCount && !typedCount.matches()) return;
    run(tags, forceBox?.checked() ?? false);
  });

  async function run(batch, force) {
    const controller = new AbortController();
    const progress = progressBar(`Deleting\u2026 0 of ${formatCount(batch.length)}`);
    const stop = h("button", { type: "button", class: "button", onclick: () => { controller.abort(); stop.disabled = true; stop.textContent = "Stopping\u2026"; } }, "Stop");
    dialog.lock(true);
    dialog.setTitle(`Deleting ${plural(batch.length, "tag")}\u2026`);
    for (const tag of batch) items.get(tag.tag).set("pending");
    dialog.setBody(progress.element, list);
    dialog.setActions(stop);
    const onProgress = ({ index, state, done, total, error, result }) => {
      const item = items.get(batch[index].tag);
      if (state === "deleting") item.set("running");
      else if (state === "waiting") item.set("retrying", { error });
      else if (result.ok) item.set(result.alreadyGone ? "gone" : "deleted");
      else item.set(result.attempts === 0 ? "skipped" : "failed", { error: result.attempts === 0 ? null : result.error });
      if (state === "done") progress.update(done, total, `Deleting\u2026 ${formatCount(done)} of ${formatCount(total)}`);
    };
    const options = { concurrency: DELETE_CONCURRENCY, signal: controller.signal, onProgress };
    let outcome;
    try {
      outcome = await pacedDelete(source, batch, force, options);
    } catch (error) {
      // Refused before any request (bad input): every tag is reported as not attempted, with why.
      outcome = { results: batch.map((tag) => ({ tag: tag.tag, ok: false, attempts: 0, error })), summary: { stopped: false } };
    }
    const report = buildReport(repoLabel, batch, outcome, context);
    dialog.lock(false);
    onFinished(report);
    showReportIn(dialog, report, {
      onRetry: (failed) => run(failed, force),
      // Refused because the image is shared, and not forced: forcing is the user's call, offered here.
      onForce: source.can.forceShared && !force ? (refused) => run(refused, true) : null,
    });
  }
}

/**
 * The package's paced bulk delete: the source's own `deleteTags` where it
 * has one (the package's repository object), else `deleteTagsWith` over
 * its one-request delete (Alibaba through the session's `call`, direct or
 * via the proxy, whose errors carry `retryable` and `retryAfterMs`).
 */
async function pacedDelete(source, batch, force, options) {
  if (source.deleteTags) return source.deleteTags(batch, { ...options, force });
  const { deleteTagsWith } = await loadPackage();
  return deleteTagsWith((record) => source.remove(record, { force }), batch, options);
}

/**
 * The "force" box for registries that refuse to delete a tag whose image
 * another tag shares (Scaleway), shown when such a tag is in the list.
 */
function forceOption(allTags, tags) {
  const shared = sharedDigests(allTags);
  const count = tags.filter((tag) => tag.digest && shared.has(tag.digest)).length;
  if (count === 0) return null;
  const box = h("input", { type: "checkbox", id: "delete-force", dataset: { option: "force" } });
  const element = h(
    "div",
    { class: ["warning-box", "check"], dataset: { warning: "force" } },
    box,
    h(
      "label",
      { for: "delete-force" },
      `Force the deletion of ${plural(count, "tag")} whose image other tags share`,
      h("small", { class: "hint" }, "Scaleway refuses to delete such a tag unless forced. The tags sharing its image stay in this list; reload afterwards to see what the registry kept."),
    ),
  );
  return { element, checked: () => box.checked };
}

/**
 * "Type 1,149 to confirm": the delete button stays disabled until the
 * number typed is the number of tags (digit grouping is ignored); Enter in
 * the field then confirms.
 */
function countToType(count, confirm) {
  const field = h("input", { type: "text", id: "delete-count", inputmode: "numeric", autocomplete: "off", spellcheck: false, "aria-describedby": "delete-count-hint", dataset: { confirmCount: String(count) } });
  const matches = () => field.value.replace(/[\s,.'\u00a0\u202f_]/g, "") === String(count);
  const sync = () => {
    confirm.disabled = !matches();
  };
  field.addEventListener("input", sync);
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && matches()) confirm.click();
  });
  sync();
  const element = h(
    "div",
    { class: ["field", "type-to-confirm"] },
    h("label", { for: "delete-count" }, `Type ${formatCount(count)} to delete ${plural(count, "tag")}`),
    field,
    h("p", { class: "hint", id: "delete-count-hint" }, `More than ${formatCount(TYPE_COUNT_ABOVE)} tags at once: typing the number makes sure this is the list you mean.`),
  );
  return { element, matches };
}

/** The read-only report again, from the banner under the toolbar. */
export function showReport(app, report) {
  const dialog = openDialog({ title: "", label: "report", size: "large" });
  showReportIn(dialog, report, {});
}

function showReportIn(dialog, report, { onRetry, onForce = null }) {
  const { deleted, failed, skipped } = report.counts;
  const total = report.results.length;
  dialog.setTitle(
    deleted === 0
      ? `Nothing deleted: ${plural(failed, "failure")}${skipped ? `, ${formatCount(skipped)} not attempted` : ""}`
      : failed || skipped
        ? `Deleted ${formatCount(deleted)} of ${plural(total, "tag")}`
        : deleted === 1
          ? `Deleted ${report.results[0].tag}`
          : `Deleted all ${plural(total, "tag")}`,
  );
  dialog.setDescription(`${report.repository}, finished ${new Date(report.finishedAt).toLocaleTimeString()}.`);
  const byStatus = (status) => report.results.filter((result) => result.status === status);
  const section = (status, title, open) => {
    const entries = byStatus(status);
    if (!entries.length) return null;
    const list = h("ul", { class: "item-list report-list", dataset: { status } }, entries.map(reportItem));
    return open
      ? h("section", { class: ["report-section", status] }, h("h3", {}, title(entries.length)), list)
      : h("details", { class: ["report-section", status], open: entries.length <= 20 }, h("summary", {}, title(entries.length)), list);
  };
  const failedEntries = byStatus("failed");
  const immutable = failedEntries.filter((entry) => entry.info.kind === "immutable").length;
  dialog.setBody(
    h(
      "div",
      { class: "report", dataset: { deleted: String(deleted), failed: String(failed), skipped: String(skipped) } },
      h(
        "p",
        { class: "report-summary", role: "status" },
        h("span", { class: "chip good" }, `${formatCount(deleted)} deleted`),
  report.counts.alreadyGone ? h("span", { class: "chip neutral", dataset: { chip: "already-gone" } }, `${formatCount(report.counts.alreadyGone)} of them already gone on a retry`) : null,
        h("span", { class: ["chip", failed ? "bad" : "neutral"] }, `${formatCount(failed)} failed`),
        skipped ? h("span", { class: "chip neutral" }, `${formatCount(skipped)} not attempted`) : null,
      ),
      report.counts.attempts > total - skipped
        ? h("p", { class: "muted", dataset: { note: "attempts" } }, `${formatCount(report.counts.attempts)} requests for ${plural(total - skipped, "tag")}: throttling, server errors and timeouts were tried again without asking you.`)
        : null,
      report.stopped
        ? h("p", { class: "muted", dataset: { note: "stopped" } }, `Stopped: ${formatCount(deleted)} deleted, ${formatCount(failed)} failed, ${formatCount(skipped)} never sent and still in the repository.`)
        : null,
      failed ? h("p", { class: "muted" }, "Throttling, server errors and timeouts were already tried again. Each failure below says why; try them again only when the reason is fixed.") : null,
      immutable
        ? h("p", { class: "warning-inline", dataset: { note: "immutable" } }, `${plural(immutable, "tag was", "tags were")} refused because this repository’s tags are immutable: switch “Immutable tags” off on the repository first if the deletion is intended.`)
        : null,
      section("failed", (count) => `Failed (${formatCount(count)})`, true),
      section("skipped", (count) => `Not attempted, because you stopped (${formatCount(count)})`, true),
      section("deleted", (count) => `Deleted (${formatCount(count)})`, false),
    ),
  );
  const close = h("button", { type: "button", class: "button primary", onclick: () => dialog.close("done") }, "Done");
  const refusedShared = onForce ? failedEntries.filter((entry) => entry.info.kind === "shared-digest").map((entry) => entry.record) : [];
  const force = refusedShared.length
    ? h("button", { type: "button", class: "button danger", dataset: { action: "force" }, onclick: () => onForce(refusedShared) }, `Force the deletion of ${plural(refusedShared.length, "tag")}`)
    : null;
  // Trying a refused tag again without force would only be refused again: those are the force button's.
  const again = report.results.filter((result) => result.status !== "deleted" && !refusedShared.includes(result.record)).map((result) => result.record);
  const retry = onRetry && again.length ? h("button", { type: "button", class: "button", onclick: () => onRetry(again) }, `Try the ${plural(again.length, "remaining tag")} again`) : null;
  dialog.setActions(copyButton(() => reportText(report), "Copy report", { text: "Copy report", className: "button subtle" }), force, retry, close);
  close.focus();
}

/**
 * The dialog's report from the package's: `deleted` (with `alreadyGone`
 * where a retry found the tag gone), `failed` (the last error, after the
 * retries that could help), `skipped` (stopped before its first request).
 */
function buildReport(repoLabel, batch, { results, summary }, errorContext) {
  const entries = batch.map((tag, index) => {
    const result = results[index];
    const base = { tag: tag.tag, record: tag, attempts: result.attempts, requestId: result.error?.requestId ?? "" };
    if (result.ok) return { ...base, status: "deleted", alreadyGone: result.alreadyGone === true, requestId: "" };
    if (result.attempts === 0) return { ...base, status: "skipped", requestId: "" };
    const info = describeError(result.error, errorContext);
    return { ...base, status: "failed", requestId: info.requestId, info };
  });
  const count = (status) => entries.filter((entry) => entry.status === status).length;
  return {
    repository: repoLabel,
    finishedAt: new Date().toISOString(),
    stopped: summary?.stopped === true,
    results: entries,
    counts: {
      deleted: count("deleted"),
      alreadyGone: entries.filter((entry) => entry.alreadyGone).length,
      failed: count("failed"),
      skipped: count("skipped"),
      attempts: entries.reduce((sum, entry) => sum + entry.attempts, 0),
    },
  };
}

function reportItem(entry) {
  return h(
    "li",
    { dataset: { tag: entry.tag, status: entry.status } },
    h("span", { class: ["status-dot", entry.status], "aria-hidden": "true" }),
    h("span", { class: "item-name" }, entry.tag),
    entry.alreadyGone ? h("span", { class: "item-detail", dataset: { note: "already-gone" } }, "already gone: an earlier attempt was applied, its answer was lost") : null,
    entry.info
      ? h("span", { class: "item-detail" }, h("strong", {}, entry.info.title), ` \u2014 ${entry.info.message || entry.info.code} `, h("code", {}, entry.info.code), entry.attempts > 1 ? ` (${plural(entry.attempts, "attempt")})` : "")
      : null,
    entry.requestId ? h("span", { class: "item-request" }, "request ", h("code", {}, entry.requestId)) : null,
  );
}

function reportText(report) {
  const lines = [
    `tagdeck deletion report: ${report.repository}, ${report.finishedAt}`,
    `deleted ${report.counts.deleted} (${report.counts.alreadyGone} already gone), failed ${report.counts.failed}, not attempted ${report.counts.skipped}${report.stopped ? " (stopped)" : ""}; ${report.counts.attempts} requests`,
  ];
  for (const entry of report.results) {
    const detail = entry.info ? ` ${entry.info.code}: ${entry.info.message} (${plural(entry.attempts, "attempt")})` : entry.alreadyGone ? " already gone (an earlier attempt was applied)" : "";
    lines.push(`${entry.status.toUpperCase().padEnd(9)} ${entry.tag}${detail}${entry.requestId ? ` (request ${entry.requestId})` : ""}`);
  }
  return lines.join("\n");
}

/** One line of the confirmation list, updated in place while deleting. */
function statusItem(tag, keptTags, context) {
  const state = h("span", { class: "item-state" });
  const detail = h("span", { class: "item-detail" });
  const element = h(
    "li",
    { dataset: { tag: tag.tag, status: "listed" } },
    h("span", { class: "status-dot", "aria-hidden": "true" }),
    h("span", { class: "item-name" }, tag.tag),
    keptTags
      ? h("span", { class: "shared-note", title: `Same image as ${keptTags.slice(0, 8).join(", ")}${keptTags.length > 8 ? "\u2026" : ""} (kept)` }, icon("layers"), h("span", { class: "visually-hidden" }, "shares its image with kept tags"))
      : null,
    h("code", { class: "item-digest", title: tag.digest }, shortDigest(tag.digest)),
    h("span", { class: "item-time", title: `${relativeTime(tag.updated)} \u00b7 ${exactTime(tag.updated)}` }, absoluteTime(tag.updated)),
    state,
    detail,
  );
  return {
    element,
    set(status, { error, requestId } = {}) {
      element.dataset.status = status;
      element.firstChild.className = `status-dot ${DOT_LOOK[status] ?? status}`;
      state.textContent = STATUS_TEXT[status] ?? "";
      if (error) {
        const info = describeError(error, context);
        replace(detail, `${info.title}${info.requestId ? ` (request ${info.requestId})` : ""}`);
      } else replace(detail, requestId ? h("code", { title: "Request ID" }, requestId) : "");
    },
  };
}

function sharedWarning(warnings) {
  return h(
    "div",
    { class: "warning-box", role: "note", dataset: { warning: "shared-digest" } },
    h("p", { class: "error-title" }, `${plural(warnings.length, "tag")} share${warnings.length === 1 ? "s" : ""} an image with tags you are keeping`),
    h(
      "ul",
      { class: "plain-list" },
      warnings.slice(0, 8).map((warning) =>
        h(
          "li",
          {},
          h("strong", {}, warning.tag),
          " \u2192 same image as ",
          warning.keptTags.slice(0, 4).join(", "),
          warning.keptTags.length > 4 ? ` and ${formatCount(warning.keptTags.length - 4)} more` : "",
          " ",
          h("code", { title: warning.digest }, shortDigest(warning.digest)),
        ),
      ),
      warnings.length > 8 ? h("li", {}, `\u2026and ${formatCount(warnings.length - 8)} more, marked in the list below`) : null,
    ),
    h("p", { class: "muted" }, "Deleting these names leaves the image in place for the tags you keep. Make sure you are removing the names you mean: a tag that shares an image is often an alias such as a release or environment name."),
  );
}
