/**
 * Retention runs (the edge proxy's journal): the list with each run's
 * summary, a form to start a policy now (as a dry run, with a pasted list of
 * what is deployed), and one run's page: what it kept and why, what it
 * deleted, what failed, what is not done, and undo.
 */
import { h, replace } from "../lib/dom.js";
import { formatCount, plural } from "../lib/format.js";
import { errorBox, emptyState, loading, pageHead, statusBadge } from "../ui/components.js";
import { openDialog } from "../ui/dialog.js";

/** Rows of a decision list shown at once; the rest are counted, and a filter narrows them. */
const ROW_LIMIT = 300;
/** How often a run's page is read again while its undo is going. */
const UNDO_REFRESH_MS = 2_000;
const SUMMARY_COLUMNS = [
  ["kept", "Kept"],
  ["protected", "In use"],
  ["planned", "Planned"],
  ["deleted", "Deleted"],
  ["failed", "Failed"],
];

/**
 * @param {HTMLElement} root
 * @param {{ client: import("../api/retention-runs.js").RunsClient, navigate: (runId: string | null) => void, runId: string | null }} options
 */
export function mountRuns(root, { client, navigate, runId }) {
  replace(root, loading(runId ? "Loading the run\u2026" : "Loading runs\u2026"));
  draw(root, { client, navigate, runId });
}

/** Draws the list or a run over what `root` shows; a failure shows where it happened, with a retry. */
function draw(root, { client, navigate, runId }) {
  const render = runId ? renderRun : renderList;
  render(root, client, navigate, runId).catch((error) => replace(root, errorBox(error, { onRetry: () => mountRuns(root, { client, navigate, runId }) })));
}

async function renderList(root, client, navigate) {
  const { runs, policies = [], policiesError } = await client.list();
  replace(
    root,
    pageHead({
      eyebrow: "Retention",
      title: "Runs",
      facts: [plural(runs.length, "run"), plural(policies.length, "policy", "policies")],
      actions: [h("button", { type: "button", class: "button", onclick: () => mountRuns(root, { client, navigate, runId: null }) }, "Refresh")],
    }),
    policiesError ? h("p", { class: "error-box", role: "alert" }, `RETENTION_POLICIES: ${policiesError}`) : null,
    startForm(client, policies, (id) => navigate(id)),
    h("h2", { class: "section-title" }, "Journal"),
    runs.length === 0
      ? emptyState("No runs yet", "Runs appear here when the cron trigger fires, or when you start one above.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "data-table runs-table" },
            h("caption", { class: "visually-hidden" }, "Retention runs, newest first"),
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Started"), h("th", { scope: "col" }, "Policy"), h("th", { scope: "col" }, "Status"), ...SUMMARY_COLUMNS.map(([, label]) => h("th", { scope: "col", class: ["num", label !== "Deleted" && "hide-narrow"] }, label)))),
            h(
              "tbody",
              {},
              runs.map((run) =>
                h(
                  "tr",
                  { dataset: { runId: run.id } },
                  h("td", {}, h("a", { href: `#/runs/${encodeURIComponent(run.id)}` }, when(run.startedAt))),
                  h("td", {}, h("strong", {}, run.name), h("span", { class: "muted" }, ` ${run.registry} \u00b7 ${run.mode}`)),
                  h("td", {}, statusBadge(run.status)),
                  ...SUMMARY_COLUMNS.map(([key, label]) => h("td", { class: ["num", label !== "Deleted" && "hide-narrow"] }, run.summary ? formatCount(run.summary[key]) : "\u2013")),
                ),
              ),
            ),
          ),
        ),
  );
}

function startForm(client, policies, opened) {
  if (policies.length === 0) return null;
  const policy = h("select", { id: "run-policy" }, policies.map((p) => h("option", { value: p.name }, `${p.name} (${p.registry}, ${p.mode})`)));
  const dryRun = h("input", { id: "run-dry", type: "checkbox", checked: true });
  const inUse = h("textarea", { id: "run-in-use", rows: 3, spellcheck: false, placeholder: "registry.example.com/shop/api:v3 deploy/api in prod\n\u2026or the output of kubectl get pods -A -o json" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", class: "button primary" }, "Start run");
  return h(
    "form",
    {
      class: "runs-start",
      onsubmit: async (event) => {
        event.preventDefault();
        button.disabled = true;
        replace(error);
        try {
          const { runId } = await client.start({ policy: policy.value, dryRun: dryRun.checked, inUse: inUse.value });
          opened(runId);
        } catch (failure) {
          replace(error, failure.message);
        } finally {
          button.disabled = false;
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: "run-policy" }, "Policy"), policy),
    h("div", { class: "field" }, h("label", { for: "run-in-use" }, "Also in use for this run (optional)"), inUse),
    h("label", { class: "checkbox" }, dryRun, " Dry run: plan and journal, delete nothing"),
    error,
    h("div", {}, button),
  );
}

async function renderRun(root, client, navigate, runId) {
  const run = await client.get(runId);
  const deleted = run.results.filter((r) => r.ok);
  const failed = run.results.filter((r) => !r.ok);
  const inUse = run.decisions.filter((d) => d.rule === "in-use");
  const undoGoing = Boolean(run.undo && !run.undo.finishedAt);
  const undoButton =
    run.mode === "apply" && run.finishedAt && deleted.length > 0 && !undoGoing
      ? h("button", { type: "button", class: "button danger", onclick: () => confirmUndo(client, run, () => mountRuns(root, { client, navigate, runId })) }, "Undo this run\u2026")
      : null;
  replace(
    root,
    h("p", {}, h("a", { href: "#/runs" }, "\u2190 All runs")),
    pageHead({
      eyebrow: `${run.registry} \u00b7 ${run.mode}`,
      title: run.name,
      facts: [
        h("code", {}, run.id),
        `started ${when(run.startedAt)}`,
        run.finishedAt ? `finished ${when(run.finishedAt)}` : "not finished",
        run.undo ? (run.undo.finishedAt ? `undone ${when(run.undo.finishedAt)}` : "undo going\u2026") : null,
      ].filter(Boolean),
      actions: [statusBadge(run.status), h("button", { type: "button", class: "button", onclick: () => mountRuns(root, { client, navigate, runId }) }, "Refresh"), undoButton].filter(Boolean),
    }),
    run.summary
      ? h("dl", { class: "run-summary" }, SUMMARY_COLUMNS.map(([key, label]) => h("div", {}, h("dt", {}, label), h("dd", {}, formatCount(run.summary[key])))))
      : null,
    section("Repositories", run.items, ["repository", "status", "stoppedBy"], { stoppedBy: "Stopped by" }),
    run.pending.length ? section("In flight when it stopped (checked before anything is sent again)", run.pending, ["repository", "tag", "digest"]) : null,
    run.notDone.length ? section("Planned, not done yet", run.notDone, ["repository", "tag", "digest"]) : null,
    failed.length ? section("Failed", failed, ["repository", "tag", "error"]) : null,
    section(run.mode === "apply" ? "Deleted" : "Would be deleted", run.mode === "apply" ? deleted : run.decisions.filter((d) => d.action === "delete"), ["repository", "tag", run.mode === "apply" ? "note" : "reason"]),
    inUse.length ? section("Kept because in use", inUse, ["repository", "tag", "reason"]) : null,
    run.unresolvedInUse?.length ? section("In use by a tag the repository does not have (protected nothing)", run.unresolvedInUse, ["repository", "tag", "where"]) : null,
    run.undo ? section(run.undo.finishedAt ? "Undo, finished" : "Undo, going \u2014 refreshed every few seconds", run.undo.results, ["repository", "tag", "ok", "from", "note", "error"]) : null,
    section("Every decision", run.decisions, ["repository", "tag", "action", "reason"]),
  );
  // An undo runs on the edge's queue: the page follows it until it finishes, while it is still shown.
  if (undoGoing) {
    const shown = root.firstElementChild;
    setTimeout(() => {
      // Drawn over in place (no "Loading" in between); gone if the user moved on.
      if (root.firstElementChild === shown && shown.isConnected) draw(root, { client, navigate, runId });
    }, UNDO_REFRESH_MS);
  }
}

/** A titled table of `rows` with a filter once they are many. */
function section(title, rows, columns, labels = {}) {
  const body = h("tbody");
  const more = h("p", { class: "muted" });
  const show = (needle) => {
    const matching = needle ? rows.filter((row) => columns.some((c) => String(row[c] ?? "").toLowerCase().includes(needle))) : rows;
    replace(body, matching.slice(0, ROW_LIMIT).map((row) => h("tr", {}, columns.map((c) => h("td", { class: c === "digest" ? "mono hide-narrow" : null }, cell(row[c]))))));
    more.textContent = matching.length > ROW_LIMIT ? `${formatCount(ROW_LIMIT)} of ${formatCount(matching.length)} shown; filter to narrow.` : "";
  };
  show("");
  const filter = rows.length > 20 ? h("input", { type: "search", class: "runs-filter", placeholder: "Filter", "aria-label": `Filter ${title}`, oninput: (event) => show(event.target.value.trim().toLowerCase()) }) : null;
  return h(
    "section",
    { class: "runs-section" },
    h("div", { class: "runs-section-head" }, h("h2", { class: "section-title" }, `${title} (${formatCount(rows.length)})`), filter),
    rows.length === 0
      ? h("p", { class: "muted" }, "None.")
      : h("div", { class: "table-wrap" }, h("table", { class: "data-table" }, h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c === "digest" ? "hide-narrow" : null }, labels[c] ?? c)))), body), more),
  );
}

/** `2025-01-01T03:00:00.123Z` → `2025-01-01 03:00:00 UTC`: runs are scheduled in UTC. */
function when(text) {
  return String(text).replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
}

function cell(value) {
  if (value === undefined || value === null || value === "") return "";
  if (value === true) return "yes";
  if (value === false) return "no";
  return String(value);
}

function confirmUndo(client, run, done) {
  const deleted = run.results.filter((r) => r.ok).length;
  const status = h("p", { role: "status" });
  const go = h("button", { type: "button", class: "button danger" }, `Re-create ${plural(deleted, "tag")}`);
  const dialog = openDialog({
    title: `Undo ${run.name}?`,
    description: `Each deleted tag is created again from a tag that still points at its digest (Alibaba, SWR). Scaleway cannot create tags, and a digest no tag points at any more cannot be tagged again: the result says so for each.`,
    body: [status],
    actions: [h("button", { type: "button", class: "button", onclick: () => dialog.close("cancel") }, "Cancel"), go],
    label: "undo-run",
  });
  go.addEventListener("click", async () => {
    go.disabled = true;
    dialog.lock(true);
    status.textContent = "Starting the undo\u2026";
    try {
      await client.undo(run.id);
      dialog.lock(false);
      dialog.close("done");
      done();
    } catch (error) {
      dialog.lock(false);
      replace(status, errorBox(error, { compact: true }));
      go.disabled = false;
    }
  });
}
