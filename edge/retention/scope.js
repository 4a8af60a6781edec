// What a policy covers: the registry clients built from the bindings, the
// repositories of a policy's scope (one work item each), and one
// repository's tags through the package's common tag interface.

import { ConfigError, readConfig } from "../config.js";

/** Retries of reads (listing, checking a tag) unless UPSTREAM_MAX_RETRIES says: a run must outlast throttling. */
const READ_RETRIES = 8;
/** Largest page the listing operations take. */
const ALIBABA_PAGE = 100;
const SCALEWAY_PAGE = 100;
const SWR_PAGE = 100;

/**
 * Whether deleting a tag deletes its manifest, and so every tag on the same
 * digest: Scaleway's DeleteTag does (it refuses, unless forced, when another
 * tag shares the digest); Alibaba's DeleteRepoTag and SWR's tag delete remove
 * the one tag. The engine's shared-digest safety rule (docs/retention.md)
 * applies only where it does, as in the dashboard (www/views/retention.js).
 */
export const deletesManifest = (registry) => registry === "scaleway";

/**
 * The registry clients a run needs, built lazily from the bindings.
 * @param {object} tagdeck the initialized package: { Client, ScalewayRegistry, SwrRegistry }
 * @param {object} env the bindings
 * @param {{ fetch?: Function }} [options] the fetch every client uses
 */
export function registryClients(tagdeck, env, { fetch } = {}) {
  const retries = env.UPSTREAM_MAX_RETRIES?.trim?.();
  const transport = { maxRetries: retries ? Number(retries) : READ_RETRIES, ...(fetch ? { fetch } : {}) };
  const built = new Map();
  const need = (name) => {
    const value = env[name]?.trim?.();
    if (!value) throw new ConfigError(`binding ${name} is not set`);
    return value;
  };
  const make = {
    // The proxy's own credentials and upstream, checked as the proxy checks them.
    alibaba: () => {
      const { credentials, upstream, regionId, timeoutMs } = readConfig(env, tagdeck.operations());
      return new tagdeck.Client({
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
        regionId,
        endpoint: upstream,
        format: "JSON",
        timeoutMs,
        ...transport,
      });
    },
    scaleway: (region) =>
      new tagdeck.ScalewayRegistry({
        authToken: need("SCALEWAY_SECRET_KEY"),
        region,
        ...(env.SCALEWAY_ENDPOINT?.trim() ? { endpoint: env.SCALEWAY_ENDPOINT.trim() } : {}),
        ...transport,
      }),
    swr: () =>
      new tagdeck.SwrRegistry({
        authToken: need("SWR_AUTH_TOKEN"),
        ...(env.SWR_REGION?.trim() ? { region: env.SWR_REGION.trim() } : {}),
        ...(env.SWR_ENDPOINT?.trim() ? { endpoint: env.SWR_ENDPOINT.trim() } : {}),
        ...transport,
      }),
  };
  /** The client of `registry` (Scaleway: per region). */
  return (registry, region) => {
    const key = `${registry}:${region ?? ""}`;
    if (!built.has(key)) built.set(key, make[registry](region));
    return built.get(key);
  };
}

/**
 * A glob over `namespace/name`: `*` any run within a path segment, `**` any
 * run across segments, `?` one character; the whole name must match.
 */
export function globMatcher(glob) {
  if (glob === undefined) return () => true;
  const source = glob.replace(/\*\*|\*|\?|[.+^${}()|[\]\\]/g, (part) =>
    part === "**" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : `\\${part}`,
  );
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}

/**
 * The repositories a policy covers, in a stable order: `[{ repository, locator }]`,
 * `repository` being `namespace/name` and `locator` what `openRepository` needs.
 */
export async function listScope(policy, clientOf) {
  const { registry, scope } = policy;
  if (registry === "alibaba") return listAlibaba(clientOf("alibaba"), scope);
  if (registry === "scaleway") return listScaleway(clientOf("scaleway", scope.region), scope);
  return listSwr(clientOf("swr"), scope);
}

async function listAlibaba(client, { instanceId, namespace, repository }) {
  const matches = globMatcher(repository);
  const found = [];
  for (let pageNo = 1; ; pageNo++) {
    const page = await client.listRepository({
      instanceId,
      repoStatus: "NORMAL",
      pageNo,
      pageSize: ALIBABA_PAGE,
      ...(namespace ? { repoNamespaceName: namespace } : {}),
    });
    for (const repo of page.repositories) {
      const name = `${repo.repoNamespaceName}/${repo.repoName}`;
      if (matches(name)) {
        found.push({ repository: name, locator: { instanceId, repoId: repo.repoId, namespaceName: repo.repoNamespaceName, repoName: repo.repoName } });
      }
    }
    if (page.repositories.length < ALIBABA_PAGE || pageNo * ALIBABA_PAGE >= Number(page.totalCount ?? 0)) break;
  }
  return found.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
}

async function listScaleway(client, { region, namespaceId, image }) {
  const matches = globMatcher(image);
  const namespaces = [];
  for await (const namespace of pages((page) => client.listNamespaces({ region, page, pageSize: SCALEWAY_PAGE }), "namespaces")) {
    if (!namespaceId || namespace.id === namespaceId) namespaces.push(namespace);
  }
  const found = [];
  for (const namespace of namespaces) {
    for await (const item of pages((page) => client.listImages({ region, namespaceId: namespace.id, page, pageSize: SCALEWAY_PAGE }), "images")) {
      const name = `${namespace.name}/${item.name}`;
      if (matches(name)) found.push({ repository: name, locator: { region, imageId: item.id } });
    }
  }
  return found.sort((a, b) => (a.repository < b.repository ? -1 : 1));
}

// SWR's ListRepositories (the SDK's ListReposDetails) lists the whole
// account, or one namespace, paged by offset and Content-Range.
async function listSwr(client, { namespace, repository }) {
  const matches = globMatcher(repository);
  const found = [];
  for (let offset = 0; offset !== null; ) {
    const page = await client.listRepositories({ ...(namespace ? { namespace } : {}), offset, limit: SWR_PAGE });
    for (const repo of page.repos) {
      const name = `${repo.namespace}/${repo.name}`;
      if (matches(name)) found.push({ repository: name, locator: { namespace: repo.namespace, repository: repo.name } });
    }
    offset = page.repos.length === 0 ? null : page.nextOffset;
  }
  return found.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
}

async function* pages(fetchPage, field) {
  for (let page = 1; ; page++) {
    const answer = await fetchPage(page);
    yield* answer[field];
    if (answer[field].length < SCALEWAY_PAGE || page * SCALEWAY_PAGE >= Number(answer.totalCount ?? 0)) return;
  }
}

/** The common tag interface (`TagRepository`) of one work item's repository. */
export function openRepository(registry, locator, clientOf) {
  if (registry === "scaleway") return clientOf("scaleway", locator.region).repository({ imageId: locator.imageId });
  return clientOf(registry).repository(locator);
}

/**
 * Every tag of a repository as planRetention takes them, with the id deletes
 * need where the registry has one: `gather` is the package's retentionTags,
 * asked for the largest pages the registry gives.
 */
export function gatherTags(gather, tagRepository, repository) {
  return gather(tagRepository, repository, { pageSize: tagRepository.capabilities.maxPageSize });
}
