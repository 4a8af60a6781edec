/** Alibaba CR's tag source (see tag-source.js), over the operations in cr.js: direct or via the proxy. */
import { listTags, getTag, deleteTag, createTag, getManifest, getLayers, startScan, getScanStatus, getScanFindings, getScanCounts, setTagImmutability, SCAN_STATUS_ACTION } from "./cr.js";
import { repositoryRecord, imageReference } from "../views/shared.js";

export async function alibabaTagSource(app, { instanceId, namespace, repository }) {
  const { session } = app;
  const repo = await repositoryRecord(app, instanceId, namespace, repository);
  const target = { instanceId, namespace, repoName: repository, repoId: repo.repoId };
  const source = {
    label: `${namespace}/${repository}`,
    facts: [repo.repoType ? repo.repoType.toLowerCase() : null, repo.summary || null],
    can: { create: true, manifest: true, layers: true, scan: true, scanStatus: session.supports(SCAN_STATUS_ACTION), scanFindings: true, scanCounts: true, lifecycle: true, immutability: true },
    target,
    /** Whether the repository's tags are immutable (GetRepository's TagImmutability). */
    immutable: repo.tagImmutability === true,
    async setImmutable(value) {
      await setTagImmutability(session, { ...target, repoType: repo.repoType, summary: repo.summary }, value);
      source.immutable = value;
      // The cached record is the one every view of this repository opens with.
      app.cache.set(`repo:${instanceId}/${namespace}/${repository}`, Promise.resolve({ ...repo, tagImmutability: value }));
    },
    imageRef: () => imageReference(app, instanceId, namespace, repository),
    list: (options) => listTags(session, target, options),
    get: (name) => getTag(session, target, name),
    async remove(record) {
      const answer = await deleteTag(session, target, record.tag);
      return { requestId: answer?.requestId ?? "" };
    },
    async create(fromTag, toTag) {
      const answer = await createTag(session, target, fromTag, toTag);
      let record = null;
      try {
        record = await getTag(session, target, toTag);
      } catch {
        // Created, but not readable yet: the dialog shows it with the source's image.
      }
      return { record, requestId: answer?.requestId ?? "" };
    },
    manifest: (name) => getManifest(session, target, name),
    layers: (name) => getLayers(session, target, name),
    startScan: (name) => startScan(session, target, name),
    scanStatus: (name) => getScanStatus(session, target, name),
    scanFindings: (name) => getScanFindings(session, target, name),
    scanCounts: (name) => getScanCounts(session, target, name),
  };
  return source;
}
