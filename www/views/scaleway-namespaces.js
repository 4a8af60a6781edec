/** Scaleway: the namespaces of the session's region, with their image counts and sizes. */
import { h, replace } from "../lib/dom.js";
import { formatBytes, exactBytes, formatCount, plural, toNumber } from "../lib/format.js";
import { listNamespaces } from "../api/scaleway.js";
import { fill, pageHead, emptyState, statusBadge } from "../ui/components.js";
import { showCrumbs } from "./crumbs.js";

export function mountScalewayNamespaces(container, app) {
  app.setTitle("Namespaces");
  showCrumbs(app, {});
  const head = h("div", {}, pageHead({ eyebrow: app.session.label, title: "Namespaces" }));
  const body = h("div", { class: "section" });
  replace(container, h("section", { class: "view" }, head, body));

  fill(
    body,
    "Loading namespaces\u2026",
    async () => {
      const namespaces = await listNamespaces(app);
      if (namespaces.length === 0) return emptyState("No namespaces in this region", `No Container Registry namespace exists in ${app.session.region}. Check the region.`);
      const images = namespaces.reduce((sum, namespace) => sum + (toNumber(namespace.imageCount) || 0), 0);
      replace(head, pageHead({ eyebrow: app.session.label, title: "Namespaces", facts: [plural(namespaces.length, "namespace"), plural(images, "image")] }));
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "data-table" },
          h("caption", { class: "visually-hidden" }, `Namespaces in ${app.session.region}`),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Namespace"),
              h("th", { scope: "col", class: "num" }, "Images"),
              h("th", { scope: "col", class: "num" }, "Size"),
              h("th", { scope: "col", class: "hide-narrow" }, "Registry address"),
              h("th", { scope: "col", class: "hide-narrow" }, "Visibility"),
              h("th", { scope: "col", class: "hide-narrow" }, "Status"),
            ),
          ),
          h(
            "tbody",
            {},
            namespaces.map((namespace) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, h("a", { href: app.href({ name: "namespace", params: { namespace: namespace.name } }) }, namespace.name)),
                h("td", { class: "num", dataset: { imageCount: String(namespace.imageCount ?? "") } }, formatCount(namespace.imageCount ?? 0)),
                h("td", { class: "num", title: exactBytes(namespace.size) }, formatBytes(namespace.size)),
                h("td", { class: "hide-narrow" }, namespace.endpoint ? h("code", {}, namespace.endpoint) : "\u2014"),
                h("td", { class: "hide-narrow" }, namespace.isPublic ? "public" : "private"),
                h("td", { class: "hide-narrow" }, statusBadge(namespace.status)),
              ),
            ),
          ),
        ),
      );
    },
    app.session.errorContext,
  );
  return {};
}
