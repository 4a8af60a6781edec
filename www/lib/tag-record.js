/**
 * The record a tags table row is made of (see api/tag-source.js), whatever
 * the registry calls the fields: numbers to sort by, the exact size kept for
 * display, text where the answer left a field out.
 */
import { toNumber } from "./format.js";

/** `size`, `created` and `updated` as the answer gives them (numbers, BigInt or text; ms for times). */
export function tagRecord({ tag, digest, imageId, status, size, created, updated }) {
  return {
    tag: String(tag),
    digest: digest ? String(digest) : "",
    imageId: imageId ? String(imageId) : "",
    status: status ? String(status) : "",
    sizeExact: size ?? null,
    size: toNumber(size),
    created: toNumber(created),
    updated: toNumber(updated),
  };
}
