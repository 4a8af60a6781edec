/**
 * "New tag": point a new tag at the image of an existing one (the tag
 * source's `create`: Alibaba's CreateRepoTag, SWR's POST …/tags). The new
 * name is checked before anything is sent: the Docker tag grammar, and that
 * it does not already exist (a registry may silently move it).
 */
import { h, replace } from "../lib/dom.js";
import { openDialog } from "../ui/dialog.js";
import { errorBox, icon } from "../ui/components.js";

/** Docker's tag grammar: up to 128 characters, no leading '.' or '-'. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function openCreateTag({ app, source, tags, fromTag = "", onCreated }) {
  const names = new Set(tags.map((tag) => tag.tag));
  const from = h("input", { id: "create-from", type: "text", value: fromTag, list: "create-from-options", autocomplete: "off", spellcheck: false, required: true, "aria-describedby": "create-from-error" });
  const to = h("input", { id: "create-to", type: "text", autocomplete: "off", spellcheck: false, required: true, "aria-describedby": "create-to-hint create-to-error" });
  const fromError = h("p", { class: "field-error", id: "create-from-error", hidden: true });
  const toError = h("p", { class: "field-error", id: "create-to-error", hidden: true });
  const errorArea = h("div", { "aria-live": "assertive" });
  // Suggestions: the newest 500 tags is plenty for a datalist; any existing name is accepted.
  const suggestions = tags.slice().sort((a, b) => (b.updated || 0) - (a.updated || 0)).slice(0, 500);
  const submit = h("button", { type: "submit", class: "button primary", form: "create-tag-form" }, icon("plus"), h("span", {}, "Create tag"));
  const cancel = h("button", { type: "button", class: "button" }, "Cancel");

  const form = h(
    "form",
    { id: "create-tag-form", class: "stack", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "create-from" }, "From existing tag"), from, fromError),
    h("datalist", { id: "create-from-options" }, suggestions.map((tag) => h("option", { value: tag.tag }))),
    h(
      "div",
      { class: "field" },
      h("label", { for: "create-to" }, "New tag"),
      to,
      h("p", { class: "hint", id: "create-to-hint" }, "Letters, digits, _ . and -, up to 128 characters; it may not start with . or -."),
      toError,
    ),
    errorArea,
  );
  const dialog = openDialog({
    title: "New tag",
    description: `In ${source.label}. The new tag points at the same image as the existing one.`,
    label: "create-tag",
    body: form,
    actions: [cancel, submit],
    size: "small",
  });
  cancel.addEventListener("click", () => dialog.close("cancel"));
  (fromTag ? to : from).focus();

  const setError = (input, element, message) => {
    input.toggleAttribute("aria-invalid", Boolean(message));
    element.hidden = !message;
    element.textContent = message ?? "";
    return !message;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fromName = from.value.trim();
    const toName = to.value.trim();
    const fromOk = setError(from, fromError, !fromName ? "Choose the tag to copy." : names.has(fromName) ? null : `There is no tag named \u201c${fromName}\u201d in this repository.`);
    const toOk = setError(
      to,
      toError,
      !toName
        ? "Enter a name for the new tag."
        : !TAG_PATTERN.test(toName)
          ? "Not a valid tag name: use letters, digits, _ . and - (up to 128), not starting with . or -."
          : names.has(toName)
            ? `\u201c${toName}\u201d already exists. Pick another name, or delete it first.`
            : null,
    );
    if (!fromOk || !toOk) {
      (fromOk ? to : from).focus();
      return;
    }
    submit.disabled = true;
    dialog.lock(true);
    replace(errorArea);
    try {
      const created = await source.create(fromName, toName);
      // Created, but not readable yet: show it with the source tag's image until the next reload.
      const from = tags.find((tag) => tag.tag === fromName);
      const record = created.record ?? { ...from, tag: toName, id: "", path: "", created: Date.now(), updated: Date.now() };
      dialog.lock(false);
      dialog.close("created");
      onCreated(record);
      app.toast(`Created ${toName} from ${fromName}`, { requestId: created.requestId });
    } catch (error) {
      dialog.lock(false);
      submit.disabled = false;
      replace(errorArea, errorBox(error, { context: app.session.errorContext }));
    }
  });
}
