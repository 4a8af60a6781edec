/** One instance: its quota usage and its namespaces with repository counts. */
import { h, replace } from "../lib/dom.js";
import { plural, formatCount } from "../lib/format.js";
import { getUsage, listNamespaces, listRepositories } from "../api/cr.js";
import { fill, pageHead, meter, emptyState, statusBadge } from "../ui/components.js";
import { instanceLabel } from "./shared.js";

export function mountInstance(container, app, route) {
  const { instanceId } = route.params;
  const usage = h("div", { class: "section usage", "aria-label": "Usage" });
  const namespaces = h("div", { class: "section" });
  const head = h("div");
  replace(container, h("section", { class: "view" }, head, usage, h("h2", { class: "section-title" }, "Namespaces"), namespaces));

  app.setTitle(instanceId);
  app.setCrumbs([{ label: "Instances", route: { name: "instances" } }, { label: instanceId }]);
  instanceLabel(app, instanceId).then((label) => {
    app.setTitle(label);
    app.setCrumbs([{ label: "Instances", route: { name: "instances" } }, { label }]);
    replace(head, pageHead({ eyebrow: "Instance", title: label, facts: [h("code", {}, instanceId)] }));
  });
  replace(head, pageHead({ eyebrow: "Instance", title: instanceId }));

  fill(
    usage,
    "Loading usage\u2026",
    async () => {
      const value = await getUsage(app.session, instanceId);
      return h(
        "div",
        { class: "meters" },
        meter("Namespaces", value.namespaceUsage, value.namespaceQuota),
        meter("Repositories", value.repoUsage, value.repoQuota),
      );
    },
    app.session.errorContext,
  );

  fill(
    namespaces,
    "Loading namespaces\u2026",
    async () => {
      const [list, repositories] = await Promise.all([
        listNamespaces(app.session, instanceId),
        app.cached(`repos:${instanceId}`, () => listRepositories(app.session, instanceId)),
      ]);
      if (list.length === 0) return emptyState("No namespaces yet", "Create a namespace in the registry console, then reload.");
      const counts = new Map();
      for (const repo of repositories) counts.set(repo.repoNamespaceName, (counts.get(repo.repoNamespaceName) ?? 0) + 1);
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "data-table" },
          h("caption", { class: "visually-hidden" }, `Namespaces of ${instanceId}`),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Namespace"), h("th", { scope: "col", class: "num" }, "Repositories"), h("th", { scope: "col", class: "hide-narrow" }, "Default type"), h("th", { scope: "col", class: "hide-narrow" }, "Status"))),
          h(
            "tbody",
            {},
            list.map((namespace) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, h("a", { href: app.href({ name: "namespace", params: { instanceId, namespace: namespace.namespaceName } }) }, namespace.namespaceName)),
                h("td", { class: "num" }, formatCount(counts.get(namespace.namespaceName) ?? 0)),
                h("td", { class: "hide-narrow" }, (namespace.defaultRepoType ?? "").toLowerCase() || "\u2014"),
                h("td", { class: "hide-narrow" }, statusBadge(namespace.namespaceStatus)),
              ),
            ),
          ),
        ),
        h("p", { class: "muted" }, `${plural(list.length, "namespace")} \u00b7 ${plural(repositories.length, "repository", "repositories")}`),
      );
    },
    app.session.errorContext,
  );
  return {};
}
