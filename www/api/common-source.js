/**
 * A tag source (see tag-source.js) over the package's common tag interface
 * (`registry.repository(locator)`: listTags, getTag, deleteTag, createTag,
 * capabilities), for the registries the dashboard reaches only through the
 * package (Scaleway, SWR). Pages are fetched with bounded concurrency.
 */
import { fetchAllPages } from "../lib/paging.js";
import { tagRecord } from "../lib/tag-record.js";

const LIST_CONCURRENCY = 4;
/** Fewer, larger pages are faster; SWR allows 1,000 but answers each tag with its manifest. */
const PAGE_SIZE_LIMIT = 500;

/** A common `Tag` as the table's record, with the registry's own text kept. */
export function recordFromTag(tag) {
  return {
    ...tagRecord({ ...tag, tag: tag.name, created: tag.createdMs, updated: tag.updatedMs }),
    createdAt: tag.createdAt ?? "",
    updatedAt: tag.updatedAt ?? "",
    id: tag.id ?? "",
    path: tag.path ?? "",
  };
}

/**
 * `repository`: the package's TagRepository; `registry`: its entry in
 * registries.js; the rest describes it for the views (see tag-source.js).
 */
export function commonTagSource({ repository, registry, label, facts = [], imageRef, manifest = null, onListed = () => {} }) {
  const capabilities = repository.capabilities;
  const pageSize = Math.min(capabilities.maxPageSize, PAGE_SIZE_LIMIT);
  return {
    label,
    facts,
    can: {
      create: capabilities.create,
      createNote: capabilities.create ? "" : registry.createUnavailable,
      forceShared: Boolean(registry.sharedDigestNeedsForce),
      manifest: Boolean(manifest),
    },
    imageRef: async () => imageRef,
    async list({ signal, onProgress } = {}) {
      const result = await fetchAllPages({
        pageSize,
        concurrency: LIST_CONCURRENCY,
        keyOf: (record) => record.tag,
        signal,
        onProgress,
        fetchPage: async (page, size) => {
          const answer = await repository.listTags({ page, pageSize: size });
          return { items: answer.tags.map(recordFromTag), totalCount: answer.total, hasMore: Boolean(answer.next) };
        },
      });
      onListed(result);
      return result;
    },
    get: async (name) => recordFromTag(await repository.getTag(name)),
    async remove(record, { force = false } = {}) {
      // The registry's id (Scaleway's UUID) saves looking the name up again.
      await repository.deleteTag(record.id ? { name: record.tag, id: record.id } : record.tag, force ? { force: true } : undefined);
      return { requestId: "" };
    },
    /** The package's paced bulk delete (see www/views/delete-flow.js). */
    deleteTags: (records, options) => repository.deleteTags(records.map((record) => (record.id ? { name: record.tag, id: record.id } : record.tag)), options),
    async create(fromTag, toTag) {
      return { record: recordFromTag(await repository.createTag(fromTag, toTag)), requestId: "" };
    },
    manifest,
  };
}
