/**
 * A repository's lifecycle (retention) rules, Alibaba CR: the instance's
 * rules whose scope takes the repository in, each with whether it deletes
 * (EnableDeleteTag), runs by itself (Auto) and how often (ScheduleTime),
 * its next run, and a preview of what it would delete among the tags
 * loaded, under tagdeck's reading (lib/lifecycle-preview.js). Rules are
 * created, edited and deleted here; the service runs them.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount, exactTime, relativeTime, absoluteTime, isoTime } from "../lib/format.js";
import { listLifecycleRules, createLifecycleRule, updateLifecycleRule, deleteLifecycleRule, ruleCovers, SCHEDULES } from "../api/lifecycle.js";
import { loadRetention } from "../lib/retention.js";
import { previewRule, READING_LABEL } from "../lib/lifecycle-preview.js";
import { openDialog } from "../ui/dialog.js";
import { previewPanel, previewRefused, confirmRemoval } from "../ui/rule-preview.js";
import { icon, errorBox, loading, emptyState } from "../ui/components.js";

const SCHEDULE_WORDS = { DAY: "every day", WEEK: "every week", MONTH: "every month" };

export function openLifecycleRules({ app, source, namespace, repository, tags }) {
  const { session } = app;
  const { instanceId } = source.target;
  const repositoryName = `${namespace}/${repository}`;
  const context = session.errorContext;
  const newRule = h("button", { type: "button", class: "button", onclick: () => showForm(null) }, icon("plus"), h("span", {}, "New rule"));
  const close = h("button", { type: "button", class: "button" }, "Close");
  const dialog = openDialog({
    title: "Lifecycle rules",
    description: `The instance\u2019s rules that apply to ${repositoryName}. Each preview is ${READING_LABEL} of the rule over the ${plural(tags.length, "tag")} loaded: the service documents no evaluation order, and runs the rule itself.`,
    label: "lifecycle",
    size: "large",
    actions: [newRule, close],
  });
  close.addEventListener("click", () => dialog.close("close"));
  let planRetention = null;
  showList();

  async function showList() {
    newRule.hidden = false;
    dialog.setBody(loading("Loading the lifecycle rules\u2026"));
    let rules;
    try {
      [rules, planRetention] = await Promise.all([listLifecycleRules(session, instanceId), planRetention ?? loadRetention().then((engine) => engine.planRetention)]);
    } catch (error) {
      dialog.setBody(errorBox(error, { context, onRetry: showList }));
      return;
    }
    const mine = rules.filter((rule) => ruleCovers(rule, namespace, repository));
    if (mine.length === 0) {
      dialog.setBody(emptyState("No lifecycle rule applies to this repository", "A rule keeps the tags its TagRegexp names and the newest others, and deletes the rest when it runs."));
      return;
    }
    dialog.setBody(h("ul", { class: "rule-list", "aria-label": "Lifecycle rules" }, mine.map(ruleCard)));
  }

  function scopeWords(rule) {
    if (rule.scope === "INSTANCE") return "Every repository of the instance";
    if (rule.scope === "NAMESPACE") return `Every repository of namespace ${rule.namespaceName}`;
    return "This repository";
  }

  function ruleCard(rule) {
    const confirmSlot = h("div", { class: "rule-confirm" });
    return h(
      "li",
      { class: "rule-card", dataset: { ruleId: rule.ruleId } },
      h(
        "div",
        { class: "rule-head" },
        h("div", {}, h("h3", {}, scopeWords(rule)), h("p", { class: "muted rule-id" }, h("code", {}, rule.ruleId))),
        h(
          "div",
          { class: "rule-actions" },
          h("button", { type: "button", class: "button small", onclick: () => showForm(rule) }, "Edit"),
          h("button", { type: "button", class: "button small danger", onclick: () => confirmDelete(rule, confirmSlot) }, icon("trash"), h("span", {}, "Delete")),
        ),
      ),
      h(
        "dl",
        { class: "rule-facts" },
        fact("Keeps", keepWords(rule)),
        fact("Deletes tags", rule.enableDeleteTag ? "yes" : "no (EnableDeleteTag is off: a run deletes nothing)", "enabled"),
        fact("Runs", rule.auto ? `automatically, ${SCHEDULE_WORDS[rule.scheduleTime] ?? rule.scheduleTime}` : "only when run by hand (Auto is off)", "auto"),
        fact("Next run", Number.isFinite(rule.nextTime) ? h("time", { title: exactTime(rule.nextTime), dateTime: isoTime(rule.nextTime) }, `${absoluteTime(rule.nextTime)} (${relativeTime(rule.nextTime)})`) : "\u2014", "next"),
      ),
      confirmSlot,
      previewBlock(rule),
    );
  }

  function fact(term, value, key = null) {
    return [h("dt", {}, term), h("dd", { dataset: key ? { fact: key } : {} }, value)];
  }

  function keepWords(rule) {
    const count = Number.isFinite(rule.retentionTagCount) ? rule.retentionTagCount : 0;
    const named = rule.tagRegexp ? ["tags matching ", h("code", {}, rule.tagRegexp), ", and "] : [];
    return [named, `the ${formatCount(count)} newest ${rule.tagRegexp ? "others" : "tags"}`];
  }

  /** What the rule would delete among the tags loaded, labelled as tagdeck's reading. */
  function previewBlock(rule) {
    const preview = previewRule(planRetention, rule, tags, { repository: repositoryName, immutable: source.immutable });
    const label = `Preview, ${READING_LABEL}: nothing is deleted here.`;
    if (preview.error) return previewRefused({ label, error: preview.error, context });
    const count = preview.deleted.length;
    const summary = preview.immutable
      ? "Would delete nothing: this repository\u2019s tags are immutable, and no rule deletes them."
      : count
        ? [h("strong", {}, `Would delete ${plural(count, "tag")}`), ` of ${formatCount(tags.length)}, keep ${formatCount(preview.kept)}.`]
        : `Would delete nothing of the ${plural(tags.length, "tag")}.`;
    return previewPanel({ preview, label, summary, what: "rule" });
  }

  function confirmDelete(rule, slot) {
    confirmRemoval(slot, { what: "rule", question: `Delete rule ${rule.ruleId}? Tags are not touched; the rule stops running.`, remove: () => deleteLifecycleRule(session, instanceId, rule.ruleId), done: showList, context });
  }

  /** The create or edit form, with the preview following what is typed. */
  async function showForm(rule) {
    newRule.hidden = true;
    try {
      planRetention ??= (await loadRetention()).planRetention;
    } catch (error) {
      dialog.setBody(errorBox(error, { context, onRetry: () => showForm(rule) }));
      return;
    }
    const initial = rule ?? { scope: "REPO", tagRegexp: "latest|stable", retentionTagCount: 10, enableDeleteTag: true, auto: false, scheduleTime: "WEEK" };
    const scope = h(
      "select",
      { id: "rule-scope" },
      [
        ["REPO", "This repository"],
        ["NAMESPACE", `Namespace ${namespace}`],
        ["INSTANCE", "Every repository of the instance"],
      ].map(([value, text]) => h("option", { value, selected: value === initial.scope }, text)),
    );
    const regexp = h("input", { id: "rule-regexp", type: "text", value: initial.tagRegexp, spellcheck: false, autocomplete: "off", "aria-describedby": "rule-regexp-hint" });
    const count = h("input", { id: "rule-count", type: "number", min: "0", step: "1", value: String(Number.isFinite(initial.retentionTagCount) ? initial.retentionTagCount : 0), inputMode: "numeric" });
    const enabled = h("input", { id: "rule-enabled", type: "checkbox", checked: initial.enableDeleteTag });
    const auto = h("input", { id: "rule-auto", type: "checkbox", checked: initial.auto });
    const schedule = h("select", { id: "rule-schedule" }, SCHEDULES.map((value) => h("option", { value, selected: value === (initial.scheduleTime || "WEEK") }, SCHEDULE_WORDS[value])));
    const preview = h("div", { "aria-live": "polite" });
    const failure = h("div");
    const field = (id, label, control, hint = null) => h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
    const check = (id, control, label) => h("label", { class: "check", for: id }, control, h("span", {}, label));
    const fields = () => {
      const value = count.value.trim() === "" ? 0 : Number(count.value);
      return { scope: scope.value, namespaceName: namespace, repoName: repository, tagRegexp: regexp.value.trim(), retentionTagCount: value, enableDeleteTag: enabled.checked, auto: auto.checked, scheduleTime: schedule.value };
    };
    const form = h(
      "form",
      { class: "rule-form", novalidate: true },
      h(
        "div",
        { class: "grid-2" },
        field("rule-scope", "Applies to", scope),
        field("rule-regexp", "Always keep tags matching (TagRegexp)", regexp, "A regular expression over the whole tag name; empty: none by name."),
        field("rule-count", "And keep the newest others (RetentionTagCount)", count),
        field("rule-schedule", "Schedule (ScheduleTime)", schedule),
      ),
      h("div", { class: "checks" }, check("rule-enabled", enabled, "Delete tags (EnableDeleteTag)"), check("rule-auto", auto, "Run automatically on the schedule (Auto)")),
    );
    const renderPreview = () => replace(preview, previewBlock(fields()));
    form.addEventListener("input", renderPreview);
    form.addEventListener("change", renderPreview);
    const save = h("button", { type: "submit", class: "button primary" }, rule ? "Save changes" : "Create rule");
    const back = h("button", { type: "button", class: "button", onclick: () => showList() }, "Back to the rules");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      replace(failure);
      try {
        if (rule) await updateLifecycleRule(session, instanceId, rule.ruleId, fields());
        else await createLifecycleRule(session, instanceId, fields());
      } catch (error) {
        save.disabled = false;
        replace(failure, errorBox(error, { context, compact: true }));
        return;
      }
      showList();
    });
    form.append(h("div", { class: "inline-actions" }, save, back));
    dialog.setBody(h("h3", {}, rule ? `Edit rule ${rule.ruleId}` : "New rule"), form, failure, preview);
    renderPreview();
    regexp.focus();
  }
}
