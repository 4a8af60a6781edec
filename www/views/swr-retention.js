/**
 * A repository's image retention policy, Open Telekom Cloud SWR: the policy
 * as SWR stores it beside tagdeck's preview of it over the tags loaded (the
 * retention engine's "swr" dialect, lib/swr-retention-preview.js): which
 * tags it would delete, and why. SWR keeps one policy per repository and
 * applies it as soon as it is saved, so the form's preview is what saving
 * deletes. Policies are created, edited and deleted here (api/swr-retention.js).
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount } from "../lib/format.js";
import { listRetentions, saveRetention, deleteRetention, TEMPLATES } from "../api/swr-retention.js";
import { loadRetention } from "../lib/retention.js";
import { READING_LABEL } from "../lib/lifecycle-preview.js";
import { previewPolicy, swrDocument } from "../lib/swr-retention-preview.js";
import { openDialog } from "../ui/dialog.js";
import { previewPanel, previewRefused, confirmRemoval } from "../ui/rule-preview.js";
import { icon, errorBox, loading, emptyState } from "../ui/components.js";

const TEMPLATE_WORDS = { tag_rule: "Number of tags (tag_rule)", date_rule: "Number of days (date_rule)" };

/**
 * `tags`: the repository's tags as loaded; `reload()`: lists them again
 * (after a save, SWR has deleted some) and gives the new list.
 */
export function openSwrRetention({ app, namespace, repository, tags, reload }) {
  const { session } = app;
  const where = { namespace, repository };
  const repositoryName = `${namespace}/${repository}`;
  const context = session.errorContext;
  const newPolicy = h("button", { type: "button", class: "button", onclick: () => showForm(null) }, icon("plus"), h("span", {}, "New policy"));
  const close = h("button", { type: "button", class: "button" }, "Close");
  const describe = () => `SWR\u2019s image retention policy of ${repositoryName}, beside ${READING_LABEL} of it over the ${plural(tags.length, "tag")} loaded. SWR applies a policy as soon as it is saved.`;
  const dialog = openDialog({
    title: "Retention policy",
    description: describe(),
    label: "swr-retention",
    size: "large",
    actions: [newPolicy, close],
  });
  close.addEventListener("click", () => dialog.close("close"));
  let planRetention = null;
  let policies = [];
  showList();

  async function showList() {
    newPolicy.hidden = true;
    dialog.setBody(loading("Loading the retention policy\u2026"));
    try {
      [policies, planRetention] = await Promise.all([listRetentions(session, where), planRetention ?? loadRetention().then((engine) => engine.planRetention)]);
    } catch (error) {
      dialog.setBody(errorBox(error, { context, onRetry: showList }));
      return;
    }
    // SWR holds one policy per repository: a new one only where there is none.
    newPolicy.hidden = policies.length > 0;
    if (policies.length === 0) {
      dialog.setBody(emptyState("This repository has no retention policy", "A policy keeps the most recent tags, or those pushed within some days, and deletes the rest; the tags it sets aside are never counted or deleted."));
      return;
    }
    dialog.setBody(h("ul", { class: "rule-list", "aria-label": "Retention policies" }, policies.map(policyCard)));
  }

  function policyCard(policy) {
    const confirmSlot = h("div", { class: "rule-confirm" });
    return h(
      "li",
      { class: "rule-card", dataset: { policyId: String(policy.id) } },
      h(
        "div",
        { class: "rule-head" },
        h("div", {}, h("h3", {}, "Image retention policy"), h("p", { class: "muted rule-id" }, "id ", h("code", {}, String(policy.id)))),
        h(
          "div",
          { class: "rule-actions" },
          h("button", { type: "button", class: "button small", onclick: () => showForm(policy) }, "Edit"),
          h("button", { type: "button", class: "button small danger", onclick: () => confirmDelete(policy, confirmSlot) }, icon("trash"), h("span", {}, "Delete")),
        ),
      ),
      confirmSlot,
      h("div", { class: "rule-sides" }, policyBlock(policy), previewBlock(policy)),
    );
  }

  /** The policy as SWR stores it: each rule in words, and its JSON. */
  function policyBlock(policy) {
    return h(
      "div",
      { class: "policy-side" },
      h("p", { class: "side-label" }, "The policy (SWR)"),
      policy.rules.map((rule, i) =>
        h(
          "dl",
          { class: "rule-facts", dataset: { rule: String(i) } },
          fact(policy.rules.length > 1 ? `rules[${i}]` : "Rule", [h("code", {}, rule.template), ` ${TEMPLATES[rule.template]?.param ?? "?"} = ${rule.count}`], "template"),
          fact("Keeps", keepWords(rule), "keeps"),
          fact("Sets aside", setAsideWords(rule), "set-aside"),
        ),
      ),
      h("details", { class: "policy-json" }, h("summary", {}, "As SWR stores it"), h("pre", {}, JSON.stringify(swrDocument(policy), null, 2))),
    );
  }

  function fact(term, value, key = null) {
    return [h("dt", {}, term), h("dd", { dataset: key ? { fact: key } : {} }, value)];
  }

  function keepWords(rule) {
    if (rule.template === "tag_rule") return `the ${formatCount(Number(rule.count))} most recent tags not set aside; deletes the others`;
    if (rule.template === "date_rule") return `the tags not set aside pushed within ${plural(Number(rule.count), "day")}; deletes the others`;
    return "\u2014";
  }

  function setAsideWords(rule) {
    const items = [...rule.labels.map((pattern) => ["tag", pattern]), ...rule.regexps.map((pattern) => ["tags matching", pattern])];
    if (!items.length) return "nothing: every tag counts";
    return items.flatMap(([words, pattern], i) => [i ? ", " : "", `${words} `, h("code", {}, pattern)]);
  }

  /** What the policy would delete among the tags loaded, labelled as tagdeck's reading. */
  function previewBlock(policy, { saving = false } = {}) {
    const preview = previewPolicy(planRetention, policy, tags, { repository: repositoryName });
    const label = saving ? `Preview, ${READING_LABEL}: saving applies the policy at once.` : `Preview, ${READING_LABEL}: nothing is deleted here.`;
    if (preview.error) return previewRefused({ label, error: preview.error, context });
    const count = preview.deleted.length;
    const verb = saving ? "Saving would delete" : "Would delete";
    const summary = count
      ? [h("strong", {}, `${verb} ${plural(count, "tag")}`), ` of ${formatCount(tags.length)}, keep ${formatCount(preview.kept)} (${formatCount(preview.setAside)} set aside).`]
      : `${verb} nothing of the ${plural(tags.length, "tag")}.`;
    return previewPanel({ preview, label, summary, what: "policy" });
  }

  function confirmDelete(policy, slot) {
    confirmRemoval(slot, { what: "policy", question: `Delete retention policy ${policy.id}? Tags are not touched; the policy stops running.`, remove: () => deleteRetention(session, where, policy.id), done: showList, context });
  }

  /** The create or edit form (one rule), with the preview following what is typed. */
  async function showForm(policy) {
    newPolicy.hidden = true;
    try {
      planRetention ??= (await loadRetention()).planRetention;
    } catch (error) {
      dialog.setBody(errorBox(error, { context, onRetry: () => showForm(policy) }));
      return;
    }
    const [first, ...others] = policy?.rules ?? [{ template: "tag_rule", count: "10", labels: ["latest"], regexps: [] }];
    const template = h(
      "select",
      { id: "swr-template" },
      Object.keys(TEMPLATES).map((value) => h("option", { value, selected: value === first.template }, TEMPLATE_WORDS[value])),
    );
    const count = h("input", { id: "swr-count", type: "number", min: "1", step: "1", value: first.count, inputMode: "numeric", "aria-describedby": "swr-count-hint" });
    const countHint = h("p", { class: "hint", id: "swr-count-hint" });
    const labels = h("textarea", { id: "swr-labels", rows: 2, spellcheck: false, "aria-describedby": "swr-labels-hint" }, first.labels.join("\n"));
    const regexps = h("textarea", { id: "swr-regexps", rows: 2, spellcheck: false, "aria-describedby": "swr-regexps-hint" }, first.regexps.join("\n"));
    const preview = h("div", { "aria-live": "polite" });
    const failure = h("div");
    const lines = (text) => text.split(/[\n,]/).map((line) => line.trim()).filter(Boolean);
    const field = (id, label, control, hint) => h("div", { class: "field" }, h("label", { for: id }, label), control, hint);
    const policyOfForm = () => ({ rules: [{ template: template.value, count: count.value.trim(), labels: lines(labels.value), regexps: regexps.value.split("\n").map((line) => line.trim()).filter(Boolean) }, ...others] });
    const describeCount = () => {
      const { param, min, max } = TEMPLATES[template.value];
      countHint.textContent = template.value === "tag_rule" ? `How many of the most recent tags stay (${param}, ${min} to ${max}).` : `Tags pushed within this many days stay (${param}, ${min} to ${max}).`;
    };
    const form = h(
      "form",
      { class: "rule-form", novalidate: true },
      h(
        "div",
        { class: "grid-2" },
        field("swr-template", "Keep by", template, null),
        field("swr-count", "How many (num or days)", count, countHint),
        field("swr-labels", "Set aside these tags (label)", labels, h("p", { class: "hint", id: "swr-labels-hint" }, "Exact tag names, one per line or comma-separated: never counted, never deleted.")),
        field("swr-regexps", "Set aside tags matching (regexp)", regexps, h("p", { class: "hint", id: "swr-regexps-hint" }, "Regular expressions, one per line; a tag matches when the expression is found in its name.")),
      ),
      others.length ? h("p", { class: "hint" }, `This policy has ${plural(others.length + 1, "rule")}: the form edits the first; the others are kept as they are.`) : null,
    );
    const renderPreview = () => {
      describeCount();
      replace(preview, previewBlock(policyOfForm(), { saving: true }));
    };
    form.addEventListener("input", renderPreview);
    form.addEventListener("change", renderPreview);
    const save = h("button", { type: "submit", class: "button primary" }, policy ? "Save and apply" : "Create and apply");
    const back = h("button", { type: "button", class: "button", onclick: () => showList() }, "Back to the policy");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      replace(failure);
      try {
        await saveRetention(session, where, policyOfForm(), policy ? policy.id : null);
      } catch (error) {
        save.disabled = false;
        replace(failure, errorBox(error, { context, compact: true }));
        return;
      }
      // SWR has applied it: the tags are listed again, and the previews read the new list.
      dialog.setBody(loading("SWR applied the policy; listing the tags again\u2026"));
      tags = await reload();
      dialog.setDescription(describe());
      showList();
    });
    // The preview before the button: saving applies what it shows.
    form.append(preview, failure, h("div", { class: "inline-actions" }, save, back));
    dialog.setBody(h("h3", {}, policy ? `Edit policy ${policy.id}` : "New retention policy"), form);
    renderPreview();
    count.focus();
  }
}
