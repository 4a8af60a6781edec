/** Tags that point at the same image (manifest digest). */

/** digest → tag names (only digests shared by two or more tags). */
export function sharedDigests(tags) {
  const byDigest = new Map();
  for (const tag of tags) {
    if (!tag.digest) continue;
    const names = byDigest.get(tag.digest);
    if (names) names.push(tag.tag);
    else byDigest.set(tag.digest, [tag.tag]);
  }
  for (const [digest, names] of byDigest) if (names.length < 2) byDigest.delete(digest);
  return byDigest;
}

/**
 * For a planned deletion: the tags being deleted whose image is also
 * referenced by tags that stay, as `[{ tag, digest, keptTags }]`.
 */
export function sharedWithKept(allTags, deleting) {
  const going = new Set(deleting.map((tag) => tag.tag));
  const shared = sharedDigests(allTags);
  const warnings = [];
  for (const tag of deleting) {
    const names = shared.get(tag.digest);
    if (!names) continue;
    const keptTags = names.filter((name) => !going.has(name));
    if (keptTags.length > 0) warnings.push({ tag: tag.tag, digest: tag.digest, keptTags });
  }
  return warnings;
}

/** A stable, subtle hue (0-359) for a digest, so a group is recognisable at a glance. */
export function digestHue(digest) {
  let hash = 0;
  for (let i = 0; i < digest.length; i++) hash = (hash * 31 + digest.charCodeAt(i)) >>> 0;
  return hash % 360;
}
