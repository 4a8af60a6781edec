/**
 * The retention runs page (`#/runs`, `#/runs/<id>`): the edge proxy's
 * journal. It needs the proxy's URL and token: those the dashboard
 * remembered for a proxy connection, or typed here (kept in this tab's
 * memory only, for as long as the tab is open). app.js mounts it for these
 * routes, with or without a registry session.
 */
import { h, replace } from "../lib/dom.js";
import { loadPrefs, loadRemembered } from "../api/storage.js";
import { RunsClient } from "../api/retention-runs.js";
import { mountRuns } from "./runs.js";

const ROUTE = /^#\/runs(?:\/([^/?#]+))?\/?$/;
let client = null; // kept across mounts: the token is asked for once per tab

/** Whether `hash` is a runs page. */
export function isRunsRoute(hash) {
  return ROUTE.test(hash);
}

export function mountRunsPage(main) {
  const view = h("section", { class: "view" });
  replace(main, view);
  if (!document.querySelector('link[href="runs.css"]')) document.head.append(h("link", { rel: "stylesheet", href: "runs.css" }));
  const remembered = loadRemembered();
  if (!client && remembered?.mode === "proxy" && remembered.proxyUrl && remembered.proxyToken) client = new RunsClient(remembered);
  const runId = ROUTE.exec(location.hash)?.[1];
  const navigate = (id) => (location.hash = id ? `#/runs/${encodeURIComponent(id)}` : "#/runs");
  if (client) mountRuns(view, { client, navigate, runId: runId ? decodeURIComponent(runId) : null });
  else connectForm(view, () => mountRunsPage(main));
  return {};
}

function connectForm(view, opened) {
  const prefs = loadPrefs();
  const url = h("input", { id: "runs-proxy-url", type: "url", required: true, value: prefs.proxyUrl ?? "", placeholder: "https://edge.example.com" });
  const token = h("input", { id: "runs-proxy-token", type: "password", required: true, autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" });
  replace(
    view,
    h(
      "form",
      {
        class: ["connect-card", "connect-form", "runs-connect"],
        onsubmit: (event) => {
          event.preventDefault();
          try {
            client = new RunsClient({ proxyUrl: url.value, proxyToken: token.value });
            opened();
          } catch (failure) {
            replace(error, failure.message);
          }
        },
      },
      h("h1", {}, "Retention runs"),
      h("p", { class: "muted" }, "The journal is kept by the edge proxy. Give its URL and token (the token stays in this tab)."),
      h("div", { class: "field" }, h("label", { for: "runs-proxy-url" }, "Proxy URL"), url),
      h("div", { class: "field" }, h("label", { for: "runs-proxy-token" }, "Proxy token"), token),
      error,
      h("button", { type: "submit", class: "button primary wide" }, "Open the journal"),
    ),
  );
}
