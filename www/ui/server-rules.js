/**
 * The parts the views of a registry's own retention rules share (Alibaba's
 * lifecycle rules, www/views/lifecycle.js; SWR's retention policy,
 * www/views/swr-retention.js): tagdeck's preview of a rule beside it, and
 * the inline confirmation before a rule is deleted.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount } from "../lib/format.js";
import { errorBox } from "./components.js";

/** How many tags a preview lists; the rest are counted. */
const PREVIEW_LIMIT = 200;

/**
 * A preview block: `label` (what the preview is), `summary` (its first
 * line), the preview's warnings and the list of the tags it would delete
 * with each reason. `preview` is `{ error } | { deleted: [{ tag, reason }],
 * kept, warnings }`; `noun` names the rule in the list's label.
 */
export function rulePreview({ label, summary, preview, noun, context }) {
  const labelLine = h("p", { class: "reading-label" }, label);
  if (preview.error) return h("div", { class: "rule-preview" }, labelLine, errorBox(preview.error, { context, compact: true }));
  const count = preview.deleted.length;
  return h(
    "div",
    { class: "rule-preview", dataset: { delete: String(count), keep: String(preview.kept) } },
    labelLine,
    h("p", { class: "preview-summary" }, summary),
    preview.warnings.map((warning) => h("p", { class: "warning-inline" }, warning)),
    count
      ? h(
          "details",
          {},
          h("summary", {}, `The ${plural(count, "tag")} it would delete`),
          h(
            "ul",
            { class: "item-list compact", "aria-label": `Tags the ${noun} would delete` },
            preview.deleted.slice(0, PREVIEW_LIMIT).map((entry) => h("li", { dataset: { tag: entry.tag } }, h("span", { class: "item-name" }, entry.tag), h("span", { class: "item-detail" }, entry.reason))),
            count > PREVIEW_LIMIT ? h("li", { class: "muted" }, `\u2026and ${formatCount(count - PREVIEW_LIMIT)} more`) : null,
          ),
        )
      : null,
  );
}

/**
 * Asks in `slot` whether to delete a rule (`question`, the button's
 * `action`); on yes runs `remove()`, then `done()`, or shows its error there.
 */
export function confirmRuleDeletion(slot, { question, action, remove, done, context }) {
  const yes = h("button", { type: "button", class: "button danger small" }, action);
  const no = h("button", { type: "button", class: "button small", onclick: () => replace(slot) }, "Keep it");
  replace(slot, h("div", { class: "warning-box", role: "alert" }, h("p", {}, question), h("div", { class: "inline-actions" }, yes, no)));
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    try {
      await remove();
    } catch (error) {
      replace(slot, errorBox(error, { context, compact: true }));
      return;
    }
    done();
  });
}
