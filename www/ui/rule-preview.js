/**
 * What the dialogs of server-side rules share (Alibaba's lifecycle rules,
 * views/lifecycle.js; SWR's retention policy, views/swr-retention.js): a
 * rule's preview (whose reading it is, a summary, the engine's warnings, and
 * the tags it would delete, each with the engine's reason), and the inline
 * confirmation of a rule's deletion.
 */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount } from "../lib/format.js";
import { errorBox } from "./components.js";

/** Tags named in one preview; the count says the rest. */
const PREVIEW_LIMIT = 200;

/**
 * `preview`: `{ deleted: [{ tag, reason }], kept, warnings }`; `label`: the
 * reading label's text; `summary`: the line under it; `what`: "rule" or
 * "policy", for the list's name.
 */
export function previewPanel({ preview, label, summary, what }) {
  const count = preview.deleted.length;
  return h(
    "div",
    { class: "rule-preview", dataset: { delete: String(count), keep: String(preview.kept) } },
    h("p", { class: "reading-label" }, label),
    h("p", { class: "preview-summary" }, summary),
    preview.warnings.map((warning) => h("p", { class: "warning-inline" }, warning)),
    count
      ? h(
          "details",
          {},
          h("summary", {}, `The ${plural(count, "tag")} it would delete`),
          h(
            "ul",
            { class: "item-list compact", "aria-label": `Tags the ${what} would delete` },
            preview.deleted.slice(0, PREVIEW_LIMIT).map((entry) => h("li", { dataset: { tag: entry.tag } }, h("span", { class: "item-name" }, entry.tag), h("span", { class: "item-detail" }, entry.reason))),
            count > PREVIEW_LIMIT ? h("li", { class: "muted" }, `\u2026and ${formatCount(count - PREVIEW_LIMIT)} more`) : null,
          ),
        )
      : null,
  );
}

/** The preview of a rule the engine refused: the label and the error (naming the field). */
export function previewRefused({ label, error, context }) {
  return h("div", { class: "rule-preview" }, h("p", { class: "reading-label" }, label), errorBox(error, { context, compact: true }));
}

/**
 * Asks in `slot` before deleting a rule: `question`, then `remove()` on
 * "Delete the {what}"; its failure is shown in the slot, its success calls
 * `done()`.
 */
export function confirmRemoval(slot, { what, question, remove, done, context }) {
  const yes = h("button", { type: "button", class: "button danger small" }, `Delete the ${what}`);
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
