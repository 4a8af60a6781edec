/**
 * The retention helper: a policy form with a live dry run. Nothing is
 * deleted here; "Review deletion" hands the planned tags to the delete
 * flow, which asks for confirmation and reports every result.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount, relativeTime, exactTime } from "../lib/format.js";
import { planRetention, countReasons } from "../lib/retention.js";
import { sharedWithKept } from "../lib/digests.js";
import { openDialog } from "../ui/dialog.js";
import { icon } from "../ui/components.js";

const PREVIEW_LIMIT = 1000;

export function openRetention({ app, tags, onApply }) {
  let timer = 0; // debounces the preview while typing
  const errors = new Map(); // policy field -> its error line
  const field = (id, label, control, hint, policyField = null) => {
    const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
    if (policyField) errors.set(policyField, { error, control });
    return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, error);
  };
  const keepNewest = h("input", { id: "retention-keep", type: "number", min: "0", step: "1", value: "10", inputMode: "numeric", "aria-describedby": "retention-keep-hint retention-keep-error" });
  const olderThan = h("input", { id: "retention-age", type: "number", min: "0", step: "1", value: "30", inputMode: "numeric", "aria-describedby": "retention-age-hint retention-age-error" });
  const timeField = h("select", { id: "retention-time" }, h("option", { value: "updated" }, "last updated (pushed)"), h("option", { value: "created" }, "created"));
  const pattern = h("input", { id: "retention-pattern", type: "text", placeholder: "e.g. ^pr-\\d+$", spellcheck: false, autocomplete: "off", "aria-describedby": "retention-pattern-hint retention-pattern-error" });
  const protectedTags = h("input", { id: "retention-protected", type: "text", value: "latest", spellcheck: false, autocomplete: "off", "aria-describedby": "retention-protected-hint" });
  const preview = h("div", { class: "retention-preview", "aria-live": "polite" });

  const form = h(
    "form",
    { class: "retention-form", novalidate: true },
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

  let plan = null;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply.addEventListener("click", () => {
    if (!plan || plan.remove.length === 0) return;
    const doomed = plan.remove.map((entry) => entry.tag);
    dialog.close("apply");
    onApply(doomed);
  });
  update();
  keepNewest.focus();

  function update() {
    plan = planRetention(tags, {
      keepNewest: keepNewest.value,
      olderThanDays: olderThan.value,
      timeField: timeField.value,
      pattern: pattern.value.trim(),
      protectedTags: protectedTags.value,
    });
    for (const [policyField, { error, control }] of errors) {
      const problem = plan.errors.find((entry) => entry.field === policyField);
      error.hidden = !problem;
      error.textContent = problem?.message ?? "";
      control.toggleAttribute("aria-invalid", Boolean(problem));
    }
    apply.disabled = plan.errors.length > 0 || plan.remove.length === 0;
    apply.lastChild.textContent = plan.remove.length ? `Review deletion of ${plural(plan.remove.length, "tag")}` : "Review deletion";
    if (plan.errors.length) {
      replace(preview, h("p", { class: "muted" }, "Fix the policy above to see what it would do."));
      return;
    }
    const shared = sharedWithKept(
      tags,
      plan.remove.map((entry) => entry.tag),
    );
    const reasons = countReasons(plan.keep);
    const newestBy = timeField.value === "created" ? "created" : "updated";
    const removeList = plan.remove.slice().sort((a, b) => (b.tag[newestBy] || 0) - (a.tag[newestBy] || 0));
    replace(
      preview,
      h(
        "p",
        { class: "preview-summary", dataset: { remove: String(plan.remove.length), keep: String(plan.keep.length) } },
        h("strong", {}, `Would delete ${plural(plan.remove.length, "tag")}`),
        ` of ${formatCount(tags.length)} and keep ${formatCount(plan.keep.length)}`,
        reasons.length ? ` (${reasons.map(([reason, count]) => `${formatCount(count)} ${reason}`).join(", ")})` : "",
        ".",
      ),
      shared.length
        ? h("p", { class: "warning-inline" }, `${plural(shared.length, "tag")} to delete share${shared.length === 1 ? "s" : ""} an image with tags that stay; the confirmation lists them.`)
        : null,
      plan.remove.length
        ? h(
            "ul",
            { class: "item-list compact", "aria-label": "Tags the policy would delete" },
            removeList.slice(0, PREVIEW_LIMIT).map((entry) =>
              h(
                "li",
                { dataset: { tag: entry.tag.tag } },
                h("span", { class: "item-name" }, entry.tag.tag),
                h("span", { class: "item-time", title: exactTime(entry.tag[newestBy]) }, relativeTime(entry.tag[newestBy])),
                h("span", { class: "item-detail" }, entry.reason),
              ),
            ),
            removeList.length > PREVIEW_LIMIT ? h("li", { class: "muted" }, `\u2026and ${formatCount(removeList.length - PREVIEW_LIMIT)} more, all listed in the confirmation`) : null,
          )
        : h("p", { class: "muted" }, "Nothing to delete with this policy."),
    );
  }
}
