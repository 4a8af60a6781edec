/** Small building blocks shared by the views. */
import { h, replace } from "../lib/dom.js";
import { describeError } from "../lib/errors.js";
import { formatCount } from "../lib/format.js";

/** Polite announcements for screen readers (copy done, progress milestones). */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  requestAnimationFrame(() => (region.textContent = message));
}

/**
 * An error where it happened: plain-words title and advice, then the facts
 * (code, request id, HTTP status, the service's own message).
 */
export function errorBox(error, { context = {}, onRetry, retryLabel = "Try again", compact = false } = {}) {
  const info = describeError(error, context);
  return h(
    "div",
    { class: ["error-box", compact && "compact"], role: "alert", dataset: { errorKind: info.kind, errorCode: info.code } },
    h("p", { class: "error-title" }, info.title),
    h("p", { class: "error-text" }, info.text),
    errorFacts(info),
    onRetry ? h("button", { type: "button", class: "button", onclick: onRetry }, retryLabel) : null,
  );
}

/** Code, request id and message as a compact definition list. */
export function errorFacts(info) {
  return h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Code"),
    h("dd", {}, h("code", {}, info.code), info.httpStatus ? ` (HTTP ${info.httpStatus})` : ""),
    info.requestId ? [h("dt", {}, "Request ID"), h("dd", {}, h("code", { class: "request-id" }, info.requestId), " ", copyButton(() => info.requestId, "Copy request ID"))] : null,
    info.message ? [h("dt", {}, "Details"), h("dd", { class: "error-message" }, info.message)] : null,
    info.recommend ? [h("dt", {}, "See"), h("dd", {}, info.recommend)] : null,
  );
}

/** A one-line error summary for tables and reports: "Wrong AccessKey secret (Code, request id)". */
export function errorLine(error, context) {
  const info = describeError(error, context);
  return { info, text: `${info.title}: ${info.message || info.code}` };
}

/** A progress bar with a live label; a `total` of null (not known yet) makes it indeterminate. */
export function progressBar(label = "Loading\u2026") {
  const bar = h("progress", { max: 1, value: 0 });
  const text = h("span", { class: "progress-label" }, label);
  const element = h("div", { class: "progress", role: "status", "aria-live": "polite" }, text, bar);
  return {
    element,
    update(done, total, message) {
      if (total === null) {
        // A bar at a made-up fraction would be a second, wrong figure.
        bar.removeAttribute("value");
        bar.setAttribute("aria-valuetext", `${formatCount(done)} so far`);
      } else {
        bar.max = Math.max(1, total);
        bar.value = Math.min(done, bar.max);
        bar.setAttribute("aria-valuetext", `${formatCount(done)} of ${formatCount(total)}`);
      }
      if (message) text.textContent = message;
    },
    label(message) {
      text.textContent = message;
    },
  };
}

/** A button that copies `getText()` to the clipboard and says so. */
export function copyButton(getText, label = "Copy", { text = null, className = "icon-button" } = {}) {
  const button = h(
    "button",
    { type: "button", class: className, title: label, "aria-label": label },
    text ?? icon("copy"),
  );
  button.addEventListener("click", async (event) => {
    event.stopPropagation();
    const ok = await copyText(getText());
    button.classList.toggle("copied", ok);
    announce(ok ? "Copied to the clipboard" : "Could not copy; select the text and copy it by hand");
    setTimeout(() => button.classList.remove("copied"), 1200);
  });
  return button;
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, permissions): fall back.
    const area = h("textarea", { class: "visually-hidden", readOnly: true }, text);
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

const ICONS = {
  copy: "M9 9h10v10H9zM5 15V5h10",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 12h10l1-12M9 7V4h6v3",
  chevron: "M9 6l6 6-6 6",
  plus: "M12 5v14M5 12h14",
  refresh: "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7",
  close: "M6 6l12 12M18 6L6 18",
  info: "M12 8h.01M11 12h1v5h1",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  filter: "M4 5h16l-6 8v5l-4 2v-7z",
  broom: "M14 4l6 6M4 20l7-7M9 11l4 4M6 14l4 4-3 2-3-3z",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
  clock: "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  logout: "M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10",
  layers: "M12 4l8 4-8 4-8-4zM4 12l8 4 8-4M4 16l8 4 8-4",
};

/** An inline SVG icon (decorative; the surrounding control carries the label). */
export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name] ?? "");
  svg.append(path);
  return svg;
}

/** Placeholder content while something loads. */
export function loading(label) {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
}

export function emptyState(title, text, ...actions) {
  return h("div", { class: "empty" }, h("p", { class: "empty-title" }, title), text ? h("p", {}, text) : null, ...actions);
}

/** A labelled usage meter: "Repositories 12 of 300". */
export function meter(label, used, quota) {
  const hasQuota = Number.isFinite(quota) && quota > 0;
  const ratio = hasQuota ? Math.min(1, used / quota) : 0;
  return h(
    "div",
    { class: ["meter", ratio > 0.9 && "high"] },
    h("div", { class: "meter-head" }, h("span", {}, label), h("strong", {}, hasQuota ? `${formatCount(used)} of ${formatCount(quota)}` : formatCount(used))),
    hasQuota ? h("meter", { min: 0, max: quota, value: used, high: quota * 0.9, optimum: 0, "aria-label": `${label}: ${used} of ${quota}` }) : null,
  );
}

/** Sets a section's content to a loading state, then to what `load` builds, or to its error. */
export async function fill(section, label, load, context) {
  replace(section, loading(label));
  try {
    replace(section, await load());
  } catch (error) {
    if (error?.name === "AbortError") return;
    replace(section, errorBox(error, { context, onRetry: () => fill(section, label, load, context) }));
  }
}

/** The heading block of a page: small label, title, facts line, actions. */
export function pageHead({ eyebrow, title, facts = [], actions = [], subline = null }) {
  return h(
    "div",
    { class: "page-head" },
    h(
      "div",
      { class: "page-title" },
      eyebrow ? h("p", { class: "eyebrow" }, eyebrow) : null,
      h("h1", {}, title),
      facts.length ? h("p", { class: "facts-line" }, facts.filter(Boolean).map((fact) => h("span", {}, fact))) : null,
      subline,
    ),
    actions.length ? h("div", { class: "page-actions" }, actions) : null,
  );
}

/** The badge colour of a status word: good (RUNNING, NORMAL, ready, …), bad (failed, deleting, …) or neutral. */
export function statusTone(status) {
  const text = String(status ?? "").toUpperCase();
  return /RUNNING|NORMAL|READY|COMPLETE|SUCCESS|FINISH/.test(text) ? "good" : /FAIL|ERROR|DELET/.test(text) ? "bad" : "neutral";
}

/** A status word as a coloured badge (RUNNING, NORMAL, ready, …). */
export function statusBadge(status) {
  const text = String(status ?? "").toUpperCase();
  return text ? h("span", { class: ["badge", statusTone(text)] }, text.toLowerCase().replace(/_/g, " ")) : null;
}
