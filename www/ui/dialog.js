/**
 * Modal dialogs and the side drawer, on the native <dialog> element: it
 * traps focus, closes on Escape and returns focus to where it was.
 * While `locked` (an operation in flight) Escape and the close button are
 * refused, so a dialog never disappears with work half done.
 */
import { h, replace, uid } from "../lib/dom.js";
import { icon } from "./components.js";

export function openDialog({ title, description = null, body = [], actions = [], kind = "modal", size = "medium", onClose = () => {}, label = null }) {
  const titleId = uid("dialog-title");
  const heading = h("h2", { id: titleId }, title);
  const descriptionElement = h("p", { class: "dialog-description", hidden: !description }, description ?? "");
  const closeButton = h("button", { type: "button", class: "icon-button", "aria-label": "Close", title: "Close" }, icon("close"));
  const bodyElement = h("div", { class: "dialog-body" }, body);
  const actionsElement = h("div", { class: "dialog-actions" }, actions);
  const dialog = h(
    "dialog",
    { class: ["dialog", `dialog-${kind}`, `size-${size}`], "aria-labelledby": titleId, dataset: { dialog: label ?? "" } },
    h("div", { class: "dialog-header" }, h("div", {}, heading, descriptionElement), closeButton),
    bodyElement,
    actionsElement,
  );
  const returnFocus = document.activeElement;
  let locked = false;
  let closed = false;

  const close = (result) => {
    if (closed) return;
    closed = true;
    dialog.close();
    dialog.remove();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
    onClose(result);
  };
  closeButton.addEventListener("click", () => !locked && close("dismiss"));
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!locked) close("dismiss");
  });
  // A click on the backdrop (the dialog element itself, outside its box) closes a drawer.
  dialog.addEventListener("mousedown", (event) => {
    if (event.target === dialog && kind === "drawer" && !locked) close("dismiss");
  });

  document.body.append(dialog);
  dialog.showModal();
  return {
    dialog,
    body: bodyElement,
    actions: actionsElement,
    close,
    get closed() {
      return closed;
    },
    setTitle(text) {
      heading.textContent = text;
    },
    setDescription(text) {
      descriptionElement.textContent = text ?? "";
      descriptionElement.hidden = !text;
    },
    setBody(...children) {
      replace(bodyElement, ...children);
    },
    setActions(...children) {
      replace(actionsElement, ...children);
    },
    lock(value) {
      locked = value;
      closeButton.disabled = value;
    },
  };
}
