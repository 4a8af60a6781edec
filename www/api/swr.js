/**
 * Open Telekom Cloud SWR for the views: the tag source of a repository over
 * the package's common interface. SWR's tag API cannot list namespaces or
 * repositories, so the names come from the URL (the picker remembers the
 * ones opened on this device).
 */
import { rememberRecent } from "./storage.js";
import { commonTagSource } from "./common-source.js";

export async function swrTagSource(app, { namespace, repository }) {
  const { client, registry, region } = app.session;
  const source = commonTagSource({
    repository: client.repository({ namespace, repository }),
    registry,
    label: `${namespace}/${repository}`,
    // Each tag's own `path` is its pull address; this is the reference before any is listed.
    imageRef: `swr.${region}.otc.t-systems.com/${namespace}/${repository}`,
    // The tag's answer carries its manifest (a JSON text).
    manifest: async (name) => {
      const tag = await client.showRepoTag({ namespace, repository, tag: name });
      return tag.manifest ? JSON.parse(tag.manifest) : {};
    },
    onListed: () => rememberRecent(registry.id, namespace, repository),
  });
  // The repository's image retention policy (views/swr-retention.js).
  source.can.swrRetention = true;
  return source;
}
