/**
 * A repository's tags for the views, the same shape for every registry (a
 * "tag source"), so one table, one delete flow and one create dialog serve
 * them all:
 *
 *   label            "namespace/repository"
 *   facts            short header facts (type, visibility, summary)
 *   can              { create, createNote, forceShared, manifest, layers, scan, scanStatus, scanFindings }
 *   imageRef()       Promise of the pull reference without the tag
 *   list({ signal, onProgress })  every tag, page by page (lib/paging.js)
 *   get(name)        one tag record
 *   remove(record, { force })     → { requestId }
 *   create(from, to) → { record (null when not readable yet), requestId }
 *   manifest(name), layers(name), startScan(name), scanStatus(name),
 *   scanFindings(name) → { summary, list }, each { value } or { error }   where `can` says
 *
 * Records: { tag, digest, imageId, status, sizeExact, size, created,
 * updated (ms), and where the registry has them id, path, createdAt,
 * updatedAt (the registry's own text) }.
 */
import { alibabaTagSource } from "./cr-source.js";
import { scalewayTagSource } from "./scaleway.js";
import { swrTagSource } from "./swr.js";

const SOURCES = { "alibaba-cr": alibabaTagSource, scaleway: scalewayTagSource, swr: swrTagSource };

/** The tag source of the repository the route names (`instanceId`, `namespace`, `repository`). */
export function openTagSource(app, params) {
  return SOURCES[app.session.registry.id](app, params);
}
