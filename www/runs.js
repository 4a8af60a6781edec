/**
 * The retention runs page (runs.html): the edge proxy's journal. It needs
 * the proxy's URL and token: those the dashboard remembered for a proxy
 * connection, or typed here (kept in this tab's memory only). `#run=<id>`
 * opens one run.
 */
import { h, replace } from "./lib/dom.js";
import { loadPrefs, loadRemembered } from "./api/storage.js";
import { RunsClient } from "./api/retention-runs.js";
import { mountRuns } from "./views/runs.js";

const main = document.getElementById("main");
const view = h("section", { class: "view" });
main.replaceChildren(view);
const sessionBox = document.getElementById("session-box");
let client = null;

const runIdOf = () => new URLSearchParams(location.hash.replace(/^#/, "")).get("run");
const navigate = (runId) => (location.hash = runId ? `run=${encodeURIComponent(runId)}` : "");

function show() {
  if (!client) return connectForm();
  mountRuns(view, { client, navigate, runId: runIdOf() });
}

function connectForm(message = "") {
  const prefs = loadPrefs();
  const url = h("input", { id: "runs-proxy-url", type: "url", required: true, value: prefs.proxyUrl ?? "", placeholder: "https://edge.example.com" });
  const token = h("input", { id: "runs-proxy-token", type: "password", required: true, autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" }, message);
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
            replace(sessionBox, h("span", { class: "session-pill" }, h("span", { class: "dot", "aria-hidden": "true" }), new URL(url.value).host));
            show();
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

const remembered = loadRemembered();
if (remembered?.mode === "proxy" && remembered.proxyUrl && remembered.proxyToken) {
  client = new RunsClient(remembered);
  replace(sessionBox, h("span", { class: "session-pill" }, h("span", { class: "dot", "aria-hidden": "true" }), new URL(remembered.proxyUrl).host));
}
window.addEventListener("hashchange", show);
show();
