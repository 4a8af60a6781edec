/** Lookups several views share (cached for the session). */
import { listInstances, findRepository, registryHost } from "../api/cr.js";

/** The instance's name for headings and breadcrumbs (its id when unknown). */
export async function instanceLabel(app, instanceId) {
  try {
    const instances = await app.cached("instances", () => listInstances(app.session));
    return instances.find((instance) => instance.instanceId === instanceId)?.instanceName || instanceId;
  } catch {
    return instanceId;
  }
}

export async function instanceRecord(app, instanceId) {
  try {
    const instances = await app.cached("instances", () => listInstances(app.session));
    return instances.find((instance) => instance.instanceId === instanceId) ?? { instanceId };
  } catch {
    return { instanceId };
  }
}

/** The repository record (RepoId etc.) for names in the URL. */
export function repositoryRecord(app, instanceId, namespace, repoName) {
  return app.cached(`repo:${instanceId}/${namespace}/${repoName}`, () => findRepository(app.session, instanceId, namespace, repoName));
}

/** `host/namespace/repo`, the image reference prefix for pull commands. */
export async function imageReference(app, instanceId, namespace, repoName) {
  const host = await app.cached(`host:${instanceId}`, async () => registryHost(app.session, await instanceRecord(app, instanceId)));
  return `${host}/${namespace}/${repoName}`;
}

export function crumbsFor(app, { instanceId, namespace, repository }, instanceName) {
  const items = [{ label: "Instances", route: { name: "instances" } }];
  items.push({ label: instanceName ?? instanceId, route: { name: "instance", params: { instanceId } } });
  if (namespace) items.push({ label: namespace, route: { name: "namespace", params: { instanceId, namespace } } });
  if (repository) items.push({ label: repository });
  return items; // the last one is shown as the current page, link or not
}
