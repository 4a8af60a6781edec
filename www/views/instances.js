/** The list of registry instances reachable with this connection. */
import { h, replace } from "../lib/dom.js";
import { relativeTime, exactTime, plural } from "../lib/format.js";
import { listInstances } from "../api/cr.js";
import { fill, pageHead, statusBadge, emptyState } from "../ui/components.js";

export function mountInstances(container, app) {
  app.setTitle("Instances");
  app.setCrumbs([{ label: "Instances" }]);
  const list = h("div", { class: "section" });
  replace(container, h("section", { class: "view" }, pageHead({ eyebrow: app.session.label, title: "Instances" }), list));

  fill(
    list,
    "Loading instances\u2026",
    async () => {
      const instances = await app.cached("instances", () => listInstances(app.session));
      if (instances.length === 0) {
        const where = app.session.inRegion ? "Pick another region in the header." : "Check the region.";
        return emptyState("No instances in this region", `No Container Registry Enterprise Edition instance exists in ${app.session.region}. ${where}`);
      }
      return h(
        "div",
        {},
        h("p", { class: "muted" }, plural(instances.length, "instance")),
        h(
          "ul",
          { class: "cards", role: "list" },
          instances.map((instance) =>
            h(
              "li",
              {},
              h(
                "a",
                { class: "card", href: app.href({ name: "instance", params: { instanceId: instance.instanceId } }) },
                h("span", { class: "card-title" }, instance.instanceName || instance.instanceId),
                h("span", { class: "card-meta" }, h("code", {}, instance.instanceId)),
                h(
                  "span",
                  { class: "card-meta" },
                  statusBadge(instance.instanceStatus),
                  " ",
                  instance.instanceSpecification ?? "",
                  instance.regionId ? ` \u00b7 ${instance.regionId}` : "",
                ),
                instance.createTime ? h("span", { class: "card-meta", title: exactTime(instance.createTime) }, `created ${relativeTime(instance.createTime)}`) : null,
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
