/**
 * The retention dialog: a policy — the quick form, tagdeck's own language,
 * or any vendor's rule pasted as is (ECR, GitLab, acr purge, Harbor, SWR,
 * Alibaba) — planned by the package's retention engine, with every tag's
 * verdict and reason, grouped by deciding rule, filterable, with totals and
 * the bytes freed. Nothing is deleted here: "Review deletion" hands the
 * planned tags to the delete flow, which confirms and reports.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount, formatBytes, absoluteTime, relativeTime, exactTime } from "../lib/format.js";
import { loadRetention, FORMATS, exampleText, formPolicy, pastedPolicy, engineTags, summarize, groupByRule } from "../lib/retention.js";
import { openDialog } from "../ui/dialog.js";
import { icon } from "../ui/components.js";
import { parseRoute } from "../lib/route.js";

/** The dialog's own styles, loaded with it (once). */
function ensureStyles() {
  if (document.querySelector("link[data-retention-styles]")) return;
  document.head.append(h("link", { rel: "stylesheet", href: new URL("./retention.css", import.meta.url).href, dataset: { retentionStyles: "" } }));
}

/** The dialects' names in the explanation's heading. */
const DIALECTS = { ecr: "ECR", gitlab: "GitLab", "acr-purge": "acr purge", harbor: "Harbor", swr: "SWR", alibaba: "Alibaba" };

/** Rows rendered per list: the plan covers every tag, the page shows this many. */
const PREVIEW_LIMIT = 500;

export function openRetention({ app, tags, onApply }) {
  ensureStyles();
  let timer = 0; // debounces the preview while typing
  let plan = null;
  let summary = null;
  let explanation = null; // what the pasted vendor rule means in tagdeck's language
  let explanationOpen = false;
  const repository = currentRepository();
  // Registries that delete the manifest (Scaleway: a shared digest needs force)
  // keep the engine's shared-digest safety; the others delete tag by tag.
  const deletesTagsOneByOne = !app.session?.registry?.sharedDigestNeedsForce;
  const errors = new Map(); // form field -> its error line
  const field = (id, label, control, hint, policyField = null) => {
    const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
    if (policyField) errors.set(policyField, { error, control });
    return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, error);
  };
  const format = h("select", { id: "retention-format" }, FORMATS.map((entry) => h("option", { value: entry.id }, entry.label)));
  const keepNewest = h("input", { id: "retention-keep", type: "number", min: "0", step: "1", value: "10", inputMode: "numeric", "aria-describedby": "retention-keep-hint retention-keep-error" });
  const olderThan = h("input", { id: "retention-age", type: "number", min: "0", step: "1", value: "30", inputMode: "numeric", "aria-describedby": "retention-age-hint retention-age-error" });
  const timeField = h("select", { id: "retention-time" }, h("option", { value: "updated" }, "last updated (pushed)"), h("option", { value: "created" }, "created"));
  const pattern = h("input", { id: "retention-pattern", type: "text", placeholder: "e.g. ^pr-\\d+$", spellcheck: false, autocomplete: "off", "aria-describedby": "retention-pattern-hint retention-pattern-error" });
  const protectedTags = h("input", { id: "retention-protected", type: "text", value: "latest", spellcheck: false, autocomplete: "off", "aria-describedby": "retention-protected-hint" });
  const policyText = h("textarea", { id: "retention-policy", rows: 7, spellcheck: false, autocomplete: "off", class: "code-input", "aria-describedby": "retention-policy-error" });
  const policyError = h("p", { class: "field-error", id: "retention-policy-error", hidden: true });
  const filter = h("input", { id: "retention-filter", type: "search", placeholder: "tag or reason", spellcheck: false, autocomplete: "off" });
  const show = h("select", { id: "retention-show" }, h("option", { value: "all" }, "every verdict"), h("option", { value: "delete" }, "deletions"), h("option", { value: "keep" }, "kept tags"));
  // The preview: its head (totals, warnings, explanation) and the verdicts
  // are redrawn; the filter row between them stays, so typing keeps focus.
  const head = h("div", { class: "retention-head", "aria-live": "polite" });
  const results = h("div", { class: "retention-results" });
  const toolbar = h("div", { class: "grid-2 retention-view", hidden: true }, field("retention-filter", "Filter verdicts", filter), field("retention-show", "Show", show));
  const preview = h("div", { class: "retention-preview" }, head, toolbar, results);

  const quickForm = h(
    "div",
    { class: "retention-quick" },
    h(
      "div",
      { class: "grid-2" },
      field("retention-keep", "Keep the newest", keepNewest, "Tags kept regardless of age.", "keepNewest"),
      field("retention-age", "Delete only if older than (days)", olderThan, "Leave empty to ignore age.", "olderThanDays"),
      field("retention-time", "Age and \u201cnewest\u201d by", timeField),
      field("retention-pattern", "Only tags matching (regular expression)", pattern, "Empty: all tags. \u201cNewest\u201d counts among the matching tags.", "pattern"),
    ),
    field("retention-protected", "Protected tags", protectedTags, "Never deleted. Separate with commas; * is a wildcard (release-*)."),
  );
  const pasted = h(
    "div",
    { class: "retention-pasted", hidden: true },
    h("div", { class: "field" }, h("label", { for: "retention-policy" }, "Policy"), policyText, policyError),
    h("button", { type: "button", class: "button small", onclick: () => ((policyText.value = exampleText(format.value)), schedule()) }, "Insert the example"),
  );
  // Alibaba: the instance's own lifecycle rules, each previewed by the engine
  // beside the rule as the registry stores it.
  const instanceId = parseRoute(location.hash)?.params?.instanceId;
  let serverRule = null; // the registry's rule being previewed, as listed
  const serverRules = h("div", { class: "retention-server", hidden: !(instanceId && app.session?.call && app.session.registry?.id === "alibaba-cr") });
  replace(serverRules, h("button", { type: "button", class: "button small", onclick: loadServerRules }, icon("broom"), h("span", {}, "Preview this instance\u2019s lifecycle rules")));
  const form = h(
    "form",
    { class: "retention-form", novalidate: true },
    serverRules,
    field("retention-format", "Policy language", format),
    quickForm,
    pasted,
  );

  const cancel = h("button", { type: "button", class: "button" }, "Cancel");
  const apply = h("button", { type: "button", class: "button danger", disabled: true, dataset: { action: "review" } }, icon("trash"), h("span", {}, "Review deletion"));
  const dialog = openDialog({
    title: "Retention",
    description: "Dry run: nothing is deleted until you review and confirm.",
    label: "retention",
    body: [form, preview],
    actions: [cancel, apply],
    size: "large",
    onClose: () => clearTimeout(timer),
  });
  cancel.addEventListener("click", () => dialog.close("cancel"));
  form.addEventListener("input", (event) => {
    if (event.target === policyText) serverRule = null; // edited: no longer the registry's rule
    schedule();
  });
  toolbar.addEventListener("input", () => render());
  toolbar.addEventListener("change", () => render());
  form.addEventListener("change", (event) => {
    if (event.target === format) {
      const quick = format.value === "form";
      quickForm.hidden = !quick;
      pasted.hidden = quick;
      if (!quick && !policyText.value.trim()) policyText.value = exampleText(format.value);
    }
    schedule();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  apply.addEventListener("click", () => {
    if (!summary || summary.remove.length === 0) return;
    dialog.close("apply");
    onApply(summary.remove.map((entry) => entry.tag));
  });
  replace(head, h("p", { class: "muted" }, "Loading the retention engine\u2026"));
  update();
  keepNewest.focus();

  async function loadServerRules() {
    replace(serverRules, h("p", { class: "muted" }, "Loading the lifecycle rules\u2026"));
    let rules;
    try {
      const answer = await app.session.call("ListArtifactLifecycleRule", { instanceId, pageNo: 1, pageSize: 100 });
      rules = answer.rules ?? [];
    } catch (error) {
      replace(serverRules, h("p", { class: "field-error" }, `The lifecycle rules could not be listed: ${error.message}`));
      return;
    }
    replace(
      serverRules,
      h("h3", {}, `Lifecycle rules of this instance (${formatCount(rules.length)})`),
      rules.length === 0
        ? h("p", { class: "muted" }, "This instance has no lifecycle rule.")
        : h(
            "ul",
            { class: "verdict-list compact", "aria-label": "Lifecycle rules" },
            rules.map((rule) =>
              h(
                "li",
                { dataset: { ruleId: rule.ruleId ?? "" } },
                h("span", { class: "item-name" }, rule.ruleId ?? "rule"),
                h("span", { class: "item-detail" }, ruleFacts(rule)),
                h("button", { type: "button", class: "button small", onclick: () => previewServerRule(rule) }, "Preview with tagdeck"),
              ),
            ),
          ),
    );
  }

  function ruleFacts(rule) {
    const scope = rule.scope === "REPO" ? `${rule.namespaceName}/${rule.repoName}` : rule.scope === "NAMESPACE" ? `${rule.namespaceName}/*` : "every repository";
    const retain = rule.tagRegexp ? `, retains \u201c${rule.tagRegexp}\u201d` : "";
    const schedule = rule.auto ? `runs every ${String(rule.scheduleTime ?? "").toLowerCase()}` : "runs when asked";
    return `${scope}: keeps the ${rule.retentionTagCount ?? 0} newest${retain}; ${rule.enableDeleteTag === false ? "deletes no tag" : "deletes the rest"}; ${schedule}`;
  }

  function previewServerRule(rule) {
    format.value = "alibaba";
    quickForm.hidden = true;
    pasted.hidden = false;
    // Bigints (the answer's exact integers) as numbers: the rule's counts are small.
    policyText.value = JSON.stringify(rule, (key, value) => (typeof value === "bigint" ? Number(value) : value), 2);
    serverRule = rule;
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  }

  /** The repository's name, for the engine's input (namespace/repository). */
  function currentRepository() {
    const { namespace, repository: name } = parseRoute(location.hash)?.params ?? {};
    return namespace && name ? `${namespace}/${name}` : name || "repository";
  }

  function showFormErrors(list) {
    for (const [policyField, { error, control }] of errors) {
      const problem = list.find((entry) => entry.field === policyField);
      error.hidden = !problem;
      error.textContent = problem?.message ?? "";
      control.toggleAttribute("aria-invalid", Boolean(problem));
    }
  }

  async function update() {
    let engine;
    try {
      engine = await loadRetention();
    } catch (error) {
      replace(head, h("p", { class: "field-error" }, `The retention engine could not be loaded: ${error.message}`));
      return;
    }
    // User Timing marks (DevTools' Performance panel, bench/retention-page.mjs):
    // planning, summing up and drawing the preview, the engine already loaded.
    performance.mark("tagdeck:retention-preview");
    const quick = format.value === "form";
    const made = quick ? formPolicy({ keepNewest: keepNewest.value, olderThanDays: olderThan.value, pattern: pattern.value.trim(), protectedTags: protectedTags.value }) : pastedPolicy(format.value, policyText.value);
    showFormErrors(made.errors ?? []);
    policyError.hidden = true;
    plan = null;
    summary = null;
    let problem = made.errors?.[0]?.message ?? made.error ?? null;
    if (!problem) {
      try {
        plan = engine.planRetention(made.policy, engineTags(tags, repository, quick ? timeField.value : "updated"), { now: Date.now(), deletesTagsOneByOne });
        summary = summarize(plan, tags);
      } catch (error) {
        problem = error.message;
        // The quick form's one free-text field the engine reads: its pattern.
        if (quick && /^rules\[0\]\.tags/.test(problem)) {
          showFormErrors([{ field: "pattern", message: `The pattern is not a valid regular expression: ${problem.replace(/^[^:]*: /, "")}` }]);
        }
      }
    }
    if (problem && !quick) {
      policyError.hidden = false;
      policyError.textContent = problem;
    }
    policyText.toggleAttribute("aria-invalid", Boolean(problem && !quick));
    apply.disabled = !summary || summary.remove.length === 0;
    apply.lastChild.textContent = summary?.remove.length ? `Review deletion of ${plural(summary.remove.length, "tag")}` : "Review deletion";
    toolbar.hidden = !summary;
    if (!summary) {
      replace(head, h("p", { class: "muted" }, "Fix the policy above to see what it would do."));
      replace(results);
      return;
    }
    // A vendor's rule is explained in tagdeck's terms; tagdeck's own needs no translation.
    explanation = quick || format.value === "tagdeck" ? null : safeExplain(engine, made.policy);
    renderHead();
    render();
    performance.measure("tagdeck:retention-preview", "tagdeck:retention-preview");
  }

  function safeExplain(engine, policy) {
    try {
      return engine.explainRetention(policy);
    } catch {
      return null;
    }
  }

  function renderHead() {
    const totals = totalsBlock();
    if (serverRule && format.value === "alibaba") {
      replace(
        head,
        h(
          "div",
          { class: "grid-2 retention-side-by-side" },
          h("div", { class: "retention-rule-card" }, h("h3", {}, `The registry\u2019s rule ${serverRule.ruleId ?? ""}`), h("p", {}, ruleFacts(serverRule)), h("p", { class: "hint" }, "As the registry stores it; it runs on the registry, which offers no dry run.")),
          h("div", { class: "retention-rule-card" }, h("h3", {}, "tagdeck\u2019s preview of it"), ...totals, h("p", { class: "hint" }, "tagdeck\u2019s stated reading of the rule (docs/retention.md): the vendor documents no evaluation order.")),
        ),
      );
      return;
    }
    replace(head, ...totals);
  }

  function totalsBlock() {
    const stillReferenced = summary.bytes === 0 && summary.remove.length > 0 ? " (every image stays referenced by a kept tag)" : "";
    const freed = summary.sizesKnown ? ` \u00b7 frees ${formatBytes(summary.bytes)}${stillReferenced}` : "";
    return [
      h(
        "p",
        { class: "preview-summary", dataset: { remove: String(summary.remove.length), keep: String(summary.keep.length) } },
        h("strong", {}, `Would delete ${plural(summary.remove.length, "tag")}`),
        ` of ${formatCount(tags.length)} and keep ${formatCount(summary.keep.length)}${freed}.`,
      ),
      h("p", { class: "hint retention-scope" }, `The plan covers all ${plural(tags.length, "tag")} of this repository; the table\u2019s filter does not apply.`),
      plan.warnings.length ? h("ul", { class: "warning-inline retention-warnings" }, plan.warnings.map((warning) => h("li", {}, warning))) : null,
      explanation ? explanationBlock(explanation) : null,
    ];
  }

  function render() {
    if (!summary) return;
    const needle = filter.value.trim().toLowerCase();
    const matches = ({ tag, decision }) => !needle || tag.tag.toLowerCase().includes(needle) || decision.reason.toLowerCase().includes(needle);
    const removeShown = show.value === "keep" ? [] : summary.remove.filter(matches);
    const keepShown = show.value === "delete" ? [] : summary.keep.filter(matches);
    replace(
      results,
      needle ? h("p", { class: "muted" }, `${formatCount(removeShown.length + keepShown.length)} verdicts match \u201c${filter.value.trim()}\u201d.`) : null,
      section("delete", "Tags the policy would delete", removeShown),
      section("keep", "Tags the policy keeps", keepShown),
    );
  }

  function explanationBlock({ format: dialect, equivalent, note }) {
    const details = h(
      "details",
      { class: "retention-explain", open: explanationOpen },
      h("summary", {}, equivalent ? `The same ${DIALECTS[dialect] ?? dialect} rule in tagdeck\u2019s language` : `How tagdeck runs this ${DIALECTS[dialect] ?? dialect} rule`),
      h("p", { class: "hint" }, note),
      equivalent ? h("pre", { class: "code-block" }, JSON.stringify(equivalent, null, 2)) : null,
    );
    // Open stays open while the policy is edited.
    details.addEventListener("toggle", () => (explanationOpen = details.open));
    return details;
  }

  function section(action, label, entries) {
    if (entries.length === 0) {
      if (action !== "delete" || show.value === "keep") return null;
      return h("p", { class: "muted" }, summary.remove.length ? "No deletion matches the filter." : "Nothing to delete with this policy.");
    }
    let budget = PREVIEW_LIMIT;
    const groups = groupByRule(entries).map(([rule, members]) => {
      const rows = members.slice(0, Math.max(0, budget));
      budget -= rows.length;
      return h(
        "section",
        { class: `retention-group ${action}`, dataset: { rule, action } },
        h("h4", {}, h("span", { class: "group-rule" }, rule), ` \u2014 ${plural(members.length, "tag")} ${action === "delete" ? "deleted" : "kept"}`),
        rows.length
          ? h(
              "ul",
              { class: action === "delete" ? "item-list compact" : "verdict-list compact", "aria-label": `${label}, ${rule}` },
              rows.map(({ tag, decision }) =>
                h(
                  "li",
                  { dataset: { tag: tag.tag, action } },
                  h("span", { class: "item-name" }, tag.tag),
                  h("span", { class: "item-time", title: `${relativeTime(tag.updated || tag.created)} \u00b7 ${exactTime(tag.updated || tag.created)}` }, absoluteTime(tag.updated || tag.created)),
                  h("span", { class: "item-detail" }, decision.reason),
                ),
              ),
            )
          : null,
        rows.length < members.length ? h("p", { class: "muted" }, `\u2026and ${formatCount(members.length - rows.length)} more${action === "delete" ? ", all listed in the confirmation" : ""}`) : null,
      );
    });
    return h("div", { class: `retention-section ${action}`, "aria-label": label }, h("h3", {}, `${label} (${formatCount(entries.length)})`), groups);
  }
}
