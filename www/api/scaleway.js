/**
 * Scaleway Container Registry data for the views: namespaces and images of
 * the session's region (every page), the ids behind the names in the URL,
 * and the tag source of an image over the package's common interface.
 */
import { fetchAllPages } from "../lib/paging.js";
import { apiError } from "./proxy-client.js";
import { commonTagSource } from "./common-source.js";

const PAGE_SIZE = 100; // the API's maximum

async function listAll(list, params, field, signal) {
  const result = await fetchAllPages({
    pageSize: PAGE_SIZE,
    keyOf: (item) => item.id,
    signal,
    fetchPage: async (page, pageSize) => {
      const answer = await list({ ...params, page, pageSize });
      return { items: answer[field] ?? [], totalCount: answer.totalCount };
    },
  });
  // Navigation lists must be whole: a missing page is an error, not a shorter list.
  if (result.failedPages.length) throw result.failedPages[0].error;
  return result.items;
}

export function listNamespaces(app) {
  const { client } = app.session;
  return app.cached("scw:namespaces", () => listAll((params) => client.listNamespaces(params), { orderBy: "name_asc" }, "namespaces"));
}

/** The namespace called `name` in this region (names are unique per region). */
export async function findNamespace(app, name) {
  const namespaces = await listNamespaces(app);
  const found = namespaces.find((namespace) => namespace.name === name);
  if (!found) throw apiError({ code: "not_found", message: `There is no namespace \u201c${name}\u201d in ${app.session.region}.`, httpStatus: 404 });
  return found;
}

export function listImages(app, namespaceId) {
  const { client } = app.session;
  return app.cached(`scw:images:${namespaceId}`, () => listAll((params) => client.listImages(params), { namespaceId, orderBy: "name_asc" }, "images"));
}

export async function findImage(app, namespace, name) {
  const images = await listImages(app, namespace.id);
  const found = images.find((image) => image.name === name);
  if (!found) throw apiError({ code: "not_found", message: `There is no image \u201c${name}\u201d in the namespace ${namespace.name}.`, httpStatus: 404 });
  return found;
}

/** The tag source of `namespace/image` (names from the URL). */
export async function scalewayTagSource(app, { namespace, repository }) {
  const ns = await findNamespace(app, namespace);
  const image = await findImage(app, ns, repository);
  return commonTagSource({
    repository: app.session.client.repository({ imageId: image.id }),
    registry: app.session.registry,
    label: `${namespace}/${repository}`,
    facts: [image.visibility ? `visibility: ${image.visibility}` : null, image.status && image.status !== "ready" ? image.status : null],
    // The namespace's endpoint is its registry address: rg.fr-par.scw.cloud/{namespace}.
    imageRef: `${ns.endpoint || `rg.${app.session.region}.scw.cloud/${namespace}`}/${image.name}`,
    onListed: () => app.cache.delete(`scw:images:${ns.id}`), // tag counts and sizes change with deletions
  });
}
