/**
 * Breadcrumbs of a place, whichever registry: Alibaba "Instances › instance ›
 * namespace › repository" (the instance's name filled in once known);
 * Scaleway "Namespaces › namespace › image"; SWR "Repositories › namespace ›
 * repository".
 */
import { crumbsFor, instanceLabel } from "./shared.js";

export function showCrumbs(app, params) {
  const { registry } = app.session;
  if (registry.instanceScoped) {
    app.setCrumbs(crumbsFor(app, params));
    instanceLabel(app, params.instanceId).then((label) => app.setCrumbs(crumbsFor(app, params, label)));
    return;
  }
  const { namespace, repository } = params;
  const items = [{ label: registry.homeLabel, route: registry.home }];
  if (namespace) items.push({ label: namespace, route: { name: "namespace", params: { namespace } } });
  if (repository) items.push({ label: repository });
  app.setCrumbs(items);
}
