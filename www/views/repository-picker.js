/**
 * Where the registry's API cannot list namespaces or repositories (SWR's
 * tag API): a form to name the repository to open, and the ones recently
 * opened on this device. `#/n/{namespace}` fills the namespace in.
 */
import { h, replace } from "../lib/dom.js";
import { loadRecent } from "../api/storage.js";
import { pageHead, emptyState } from "../ui/components.js";
import { showCrumbs } from "./crumbs.js";

export function mountRepositoryPicker(container, app, route) {
  const inNamespace = route.params.namespace ?? "";
  app.setTitle(inNamespace || app.session.registry.homeLabel);
  showCrumbs(app, route.params);

  const recent = loadRecent(app.session.registry.id);
  const namespace = h("input", { id: "pick-namespace", type: "text", value: inNamespace || recent[0]?.namespace || "", autocomplete: "off", spellcheck: false, required: true, list: "pick-namespaces", "aria-describedby": "pick-error" });
  const repository = h("input", { id: "pick-repository", type: "text", autocomplete: "off", spellcheck: false, required: true, list: "pick-repositories", "aria-describedby": "pick-error" });
  const error = h("p", { class: "field-error", id: "pick-error", hidden: true });
  const form = h(
    "form",
    { class: "picker-form", novalidate: true, "aria-label": "Open by name" },
    h("div", { class: "field" }, h("label", { for: "pick-namespace" }, "Namespace"), namespace),
    h("div", { class: "field" }, h("label", { for: "pick-repository" }, "Repository"), repository),
    h("button", { type: "submit", class: "button primary" }, "Open"),
    h("datalist", { id: "pick-namespaces" }, [...new Set(recent.map((entry) => entry.namespace))].map((value) => h("option", { value }))),
    h("datalist", { id: "pick-repositories" }, [...new Set(recent.map((entry) => entry.repository))].map((value) => h("option", { value }))),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const names = { namespace: namespace.value.trim(), repository: repository.value.trim() };
    const missing = !names.namespace ? namespace : !names.repository ? repository : null;
    error.hidden = !missing;
    error.textContent = missing ? `${missing === namespace ? "Namespace" : "Repository"} is required.` : "";
    if (missing) return missing.focus();
    app.navigate({ name: "repository", params: names });
  });

  // This namespace's repositories first, then the others.
  const ordered = [...recent.filter((entry) => entry.namespace === inNamespace), ...recent.filter((entry) => entry.namespace !== inNamespace)];
  replace(
    container,
    h(
      "section",
      { class: "view" },
      pageHead({ eyebrow: app.session.label, title: inNamespace || "Open a repository" }),
      h("p", { class: "muted" }, "SWR\u2019s tag API cannot list namespaces or repositories: name the one to open, or pick one opened before on this device."),
      h("div", { class: "section" }, form),
      h("h2", { class: "section-title" }, "Recently opened"),
      ordered.length
        ? h(
            "ul",
            { class: "cards", role: "list", "aria-label": "Recently opened repositories" },
            ordered.map((entry) =>
              h(
                "li",
                {},
                h("a", { class: "card", href: app.href({ name: "repository", params: entry }) }, h("span", { class: "card-title" }, `${entry.namespace}/${entry.repository}`)),
              ),
            ),
          )
        : emptyState("Nothing opened yet", "Repositories you open are listed here (names only; nothing secret is kept)."),
    ),
  );
  (inNamespace ? repository : namespace).focus();
  return {};
}
