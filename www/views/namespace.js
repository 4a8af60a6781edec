/** One namespace: its repositories, with tag counts filled in as they arrive. */
import { h, replace } from "../lib/dom.js";
import { formatCount, plural, relativeTime, exactTime } from "../lib/format.js";
import { listRepositories, countTags } from "../api/cr.js";
import { fill, pageHead, emptyState, errorLine } from "../ui/components.js";
import { crumbsFor, instanceLabel } from "./shared.js";

export function mountNamespace(container, app, route) {
  const { instanceId, namespace } = route.params;
  const body = h("div", { class: "section" });
  const head = h("div", {}, pageHead({ eyebrow: "Namespace", title: namespace }));
  replace(container, h("section", { class: "view" }, head, body));
  const renderHead = (repoCount, tagTotal, countsPending) =>
    replace(
      head,
      pageHead({
        eyebrow: "Namespace",
        title: namespace,
        facts: [plural(repoCount, "repository", "repositories"), countsPending ? "counting tags\u2026" : plural(tagTotal, "tag")],
      }),
    );
  app.setTitle(namespace);
  app.setCrumbs(crumbsFor(app, route.params));
  instanceLabel(app, instanceId).then((label) => app.setCrumbs(crumbsFor(app, route.params, label)));
  let active = true;

  fill(
    body,
    "Loading repositories\u2026",
    async () => {
      const repos = await listRepositories(app.session, instanceId, namespace);
      if (repos.length === 0) return emptyState("No repositories in this namespace", "Push an image to create one.");
      const countCells = new Map();
      let tagTotal = 0;
      let pending = repos.length;
      renderHead(repos.length, 0, true);
      const rows = repos.map((repo) => {
        const count = h("td", { class: "num", dataset: { tagCount: "" } }, h("span", { class: "muted" }, "\u2026"));
        countCells.set(repo.repoId, count);
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, h("a", { href: app.href({ name: "repository", params: { instanceId, namespace, repository: repo.repoName } }) }, repo.repoName)),
          count,
          h("td", { class: "hide-narrow" }, (repo.repoType ?? "").toLowerCase() || "\u2014"),
          h("td", { class: "hide-narrow summary-cell" }, repo.summary || ""),
          h("td", { class: "hide-narrow", title: exactTime(repo.modifiedTime) }, relativeTime(repo.modifiedTime)),
        );
      });
      countTags(app.session, instanceId, repos.map((repo) => repo.repoId), (repoId, count, error) => {
        if (!active) return;
        const cell = countCells.get(repoId);
        pending -= 1;
        tagTotal += count ?? 0;
        renderHead(repos.length, tagTotal, pending > 0);
        if (error) {
          const { info, text } = errorLine(error, app.session.errorContext);
          replace(cell, h("span", { class: "warn", title: `${text}${info.requestId ? ` (request ${info.requestId})` : ""}` }, "unknown"));
        } else {
          cell.dataset.tagCount = String(count);
          replace(cell, formatCount(count));
        }
      });
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "data-table" },
          h("caption", { class: "visually-hidden" }, `Repositories in ${namespace}`),
          h(
            "thead",
            {},
            h("tr", {}, h("th", { scope: "col" }, "Repository"), h("th", { scope: "col", class: "num" }, "Tags"), h("th", { scope: "col", class: "hide-narrow" }, "Type"), h("th", { scope: "col", class: "hide-narrow" }, "Summary"), h("th", { scope: "col", class: "hide-narrow" }, "Modified")),
          ),
          h("tbody", {}, rows),
        ),
        h("p", { class: "muted" }, plural(repos.length, "repository", "repositories")),
      );
    },
    app.session.errorContext,
  );
  return {
    destroy() {
      active = false;
    },
  };
}
