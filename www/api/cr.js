/**
 * Alibaba Cloud Container Registry (Enterprise Edition) data for the views:
 * which operations to call and how their answers become the records the
 * dashboard shows. Answers arrive camelCased from the package (64-bit
 * fields as BigInt), or as JSON from the proxy.
 */
import { fetchAllPages } from "../lib/paging.js";
import { runPool } from "../lib/pool.js";
import { toNumber } from "../lib/format.js";
import { tagRecord } from "../lib/tag-record.js";
import { apiError } from "./proxy-client.js";

const PAGE_SIZE = 100; // the service refuses more
export const LIST_CONCURRENCY = 4;

/** Every item of a paged List* operation, each mapped by `toItem` as its page arrives. */
async function listAll(session, action, params, itemsField, keyOf, options = {}) {
  const toItem = options.toItem ?? ((item) => item);
  return fetchAllPages({
    pageSize: PAGE_SIZE,
    concurrency: LIST_CONCURRENCY,
    keyOf,
    signal: options.signal,
    onProgress: options.onProgress,
    fetchPage: async (pageNo, pageSize) => {
      const answer = await session.call(action, { ...params, pageNo, pageSize });
      return { items: (answer[itemsField] ?? []).map(toItem), totalCount: answer.totalCount };
    },
  });
}

/** Fails loudly when a listing is incomplete, for lists that must be whole. */
function whole(result) {
  if (result.failedPages.length) throw result.failedPages[0].error;
  return result.items;
}

/**
 * The instances of the session's region. ListInstance takes no RegionId (the
 * endpoint, cr.{region}.aliyuncs.com, is the region); an endpoint that
 * answers for several regions (the emulator) lists them all, so the
 * instance's own RegionId picks the session's.
 */
export async function listInstances(session) {
  const items = whole(await listAll(session, "ListInstance", {}, "instances", (item) => item.instanceId));
  return items.filter((instance) => !instance.regionId || instance.regionId === session.region);
}

export async function getInstance(session, instanceId) {
  return session.call("GetInstance", { instanceId });
}

export async function getUsage(session, instanceId) {
  const usage = await session.call("GetInstanceUsage", { instanceId });
  return {
    namespaceQuota: toNumber(usage.namespaceQuota),
    namespaceUsage: toNumber(usage.namespaceUsage),
    repoQuota: toNumber(usage.repoQuota),
    repoUsage: toNumber(usage.repoUsage),
  };
}

export async function listNamespaces(session, instanceId) {
  return whole(await listAll(session, "ListNamespace", { instanceId }, "namespaces", (item) => item.namespaceName));
}

/** Repositories of an instance, optionally of one namespace. */
export async function listRepositories(session, instanceId, namespace) {
  const params = namespace ? { instanceId, repoNamespaceName: namespace } : { instanceId };
  const items = whole(await listAll(session, "ListRepository", params, "repositories", (item) => item.repoId));
  return namespace ? items.filter((repo) => repo.repoNamespaceName === namespace) : items;
}

/** The repository record (with its RepoId) for a namespace and name. */
export async function findRepository(session, instanceId, namespace, repoName) {
  return session.call("GetRepository", { instanceId, repoNamespaceName: namespace, repoName });
}

/** Number of tags per repository (one small request each, bounded concurrency). */
export async function countTags(session, instanceId, repoIds, onCount) {
  await runPool(repoIds, LIST_CONCURRENCY, async (repoId) => {
    try {
      const answer = await session.call("ListRepoTag", { instanceId, repoId, pageNo: 1, pageSize: 1 });
      onCount(repoId, toNumber(answer.totalCount), null);
    } catch (error) {
      onCount(repoId, null, error);
    }
  });
}

/** A tag of ListRepoTag or GetRepoTag as the table's record. */
export function toTagRecord(image) {
  return tagRecord({ ...image, size: image.imageSize, created: image.imageCreate, updated: image.imageUpdate });
}

/** Every tag of a repository, page by page; see `fetchAllPages` for progress and failures. */
export async function listTags(session, { instanceId, repoId }, { signal, onProgress } = {}) {
  return listAll(session, "ListRepoTag", { instanceId, repoId }, "images", (tag) => tag.tag, { signal, onProgress, toItem: toTagRecord });
}

export async function getTag(session, { instanceId, repoId }, tag) {
  return toTagRecord(await session.call("GetRepoTag", { instanceId, repoId, tag }));
}

export async function createTag(session, { instanceId, namespace, repoName }, fromTag, toTag) {
  return session.call("CreateRepoTag", { instanceId, namespaceName: namespace, repoName, fromTag, toTag });
}

export async function deleteTag(session, { instanceId, repoId }, tag) {
  return session.call("DeleteRepoTag", { instanceId, repoId, tag });
}

/**
 * `session.call`, refused the way the service refuses an operation it does
 * not have (`InvalidApi.NotFound`) when this connection cannot send it at
 * all (the package's catalogue lacks it): callers handle both alike.
 */
async function callKnown(session, action, params) {
  if (!session.supports(action)) {
    throw apiError({ code: "InvalidApi.NotFound", message: `${action} is not an operation this version of tagdeck can send.` });
  }
  return session.call(action, params);
}

// GetRepoTagManifest and GetRepoTagLayers are gone from the vendor's current
// SDK (cr 2018-12-01, SDK 3.x): the drawer treats "unknown API" from either
// as "not available" (views/tag-panel.js), never as a failure.
export async function getManifest(session, { instanceId, repoId }, tag) {
  const answer = await callKnown(session, "GetRepoTagManifest", { instanceId, repoId, tag, schemaVersion: 2 });
  return answer.manifest ?? {};
}

export async function getLayers(session, { instanceId, repoId }, tag) {
  const answer = await callKnown(session, "GetRepoTagLayers", { instanceId, repoId, tag });
  return answer.layers ?? [];
}

export const SCAN_STATUS_ACTION = "GetRepoTagScanStatus";

/** A vulnerability of ListRepoTagScanResult as the drawer shows it. */
function toFinding(item) {
  return {
    name: String(item.cveName ?? ""),
    severity: String(item.severity ?? "Unknown"),
    feature: String(item.feature ?? ""),
    version: String(item.version ?? ""),
    fixedIn: String(item.versionFixed ?? ""),
    link: String(item.cveLink ?? ""),
    fixCommand: String(item.fixCmd ?? ""),
    location: String(item.cveLocation ?? ""),
  };
}

/** A finished scan's counts per severity (GetRepoTagScanSummary). */
export async function getScanCounts(session, { instanceId, repoId }, tag) {
  const answer = await callKnown(session, "GetRepoTagScanSummary", { instanceId, repoId, tag });
  return {
    high: toNumber(answer.highSeverity),
    medium: toNumber(answer.mediumSeverity),
    low: toNumber(answer.lowSeverity),
    unknown: toNumber(answer.unknownSeverity),
    total: toNumber(answer.totalSeverity),
  };
}

/**
 * A finished scan's findings: the counts per severity (GetRepoTagScanSummary)
 * and every vulnerability (ListRepoTagScanResult, page by page), each part
 * fetched on its own so one refusal does not hide the other. Each is
 * `{ value }` or `{ error }`.
 */
export async function getScanFindings(session, target, tag) {
  const { instanceId, repoId } = target;
  const [summary, list] = await Promise.allSettled([
    getScanCounts(session, target, tag),
    fetchAllPages({
      pageSize: PAGE_SIZE,
      concurrency: LIST_CONCURRENCY,
      keyOf: (finding) => `${finding.name}\u0000${finding.feature}\u0000${finding.version}\u0000${finding.location}`,
      fetchPage: async (pageNo, pageSize) => {
        const answer = await callKnown(session, "ListRepoTagScanResult", { instanceId, repoId, tag, pageNo, pageSize });
        return { items: (answer.vulnerabilities ?? []).map(toFinding), totalCount: answer.totalCount };
      },
    }).then(whole),
  ]);
  const part = (settled) => (settled.status === "fulfilled" ? { value: settled.value } : { error: settled.reason });
  return { summary: part(summary), list: part(list) };
}

export async function startScan(session, { instanceId, repoId }, tag) {
  return session.call("CreateRepoTagScanTask", { instanceId, repoId, tag });
}

export async function getScanStatus(session, { instanceId, repoId }, tag) {
  return session.call(SCAN_STATUS_ACTION, { instanceId, repoId, tag });
}

/**
 * Switches the repository's tag immutability (UpdateRepository's
 * TagImmutability). The operation requires RepoType and Summary, so the
 * repository's own are sent back unchanged.
 */
export async function setTagImmutability(session, { instanceId, repoId, repoType, summary }, immutable) {
  return session.call("UpdateRepository", { instanceId, repoId, repoType, summary: summary ?? "", tagImmutability: immutable });
}

/**
 * The registry host for `docker pull`: the instance's internet domain from
 * ListInstanceEndpoint, else the documented default name.
 */
export async function registryHost(session, instance) {
  try {
    const answer = await session.call("ListInstanceEndpoint", { instanceId: instance.instanceId });
    for (const endpoint of answer.endpoints ?? []) {
      if (String(endpoint.endpointType).toLowerCase() !== "internet") continue;
      const domain = (endpoint.domains ?? []).find((entry) => entry.domain)?.domain;
      if (domain) return String(domain);
    }
  } catch {
    // Endpoints unavailable (permissions, older emulator): use the default name.
  }
  return `${instance.instanceName || instance.instanceId}-registry.${session.region}.cr.aliyuncs.com`;
}
