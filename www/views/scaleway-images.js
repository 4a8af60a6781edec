/** Scaleway: one namespace's images, with their tag counts, sizes and visibility. */
import { h, replace } from "../lib/dom.js";
import { formatBytes, exactBytes, formatCount, plural, relativeTime, exactTime } from "../lib/format.js";
import { findNamespace, listImages } from "../api/scaleway.js";
import { fill, pageHead, emptyState, statusBadge } from "../ui/components.js";
import { showCrumbs } from "./crumbs.js";

export function mountScalewayImages(container, app, route) {
  const { namespace } = route.params;
  app.setTitle(namespace);
  showCrumbs(app, route.params);
  const head = h("div", {}, pageHead({ eyebrow: "Namespace", title: namespace }));
  const body = h("div", { class: "section" });
  replace(container, h("section", { class: "view" }, head, body));

  fill(
    body,
    "Loading images\u2026",
    async () => {
      const ns = await findNamespace(app, namespace);
      const images = await listImages(app, ns.id);
      const tagCount = images.reduce((sum, image) => sum + (image.tags?.length ?? 0), 0);
      replace(
        head,
        pageHead({
          eyebrow: "Namespace",
          title: namespace,
          facts: [plural(images.length, "image"), plural(tagCount, "tag"), formatBytes(ns.size), ns.isPublic ? "public" : "private"],
          subline: ns.endpoint ? h("p", { class: "image-ref" }, h("code", { title: "Registry address" }, ns.endpoint)) : null,
        }),
      );
      if (images.length === 0) return emptyState("No images in this namespace", `Push an image to ${ns.endpoint || namespace} to create one.`);
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "data-table" },
          h("caption", { class: "visually-hidden" }, `Images in ${namespace}`),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Image"),
              h("th", { scope: "col", class: "num" }, "Tags"),
              h("th", { scope: "col", class: "num" }, "Size"),
              h("th", { scope: "col", class: "hide-narrow" }, "Visibility"),
              h("th", { scope: "col", class: "hide-narrow" }, "Status"),
              h("th", { scope: "col", class: "hide-narrow" }, "Updated"),
            ),
          ),
          h(
            "tbody",
            {},
            images.map((image) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, h("a", { href: app.href({ name: "repository", params: { namespace, repository: image.name } }) }, image.name)),
                h("td", { class: "num", dataset: { tagCount: String(image.tags?.length ?? 0) } }, formatCount(image.tags?.length ?? 0)),
                h("td", { class: "num", title: exactBytes(image.size) }, formatBytes(image.size)),
                h("td", { class: "hide-narrow" }, image.visibility || "\u2014"),
                h("td", { class: "hide-narrow" }, statusBadge(image.status)),
                h("td", { class: "hide-narrow", title: exactTime(Date.parse(image.updatedAt)) }, relativeTime(Date.parse(image.updatedAt))),
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
