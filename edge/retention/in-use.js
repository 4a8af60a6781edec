// What is deployed, so that it is never deleted.
//
// The list comes as text (the IN_USE binding, the body fetched from
// IN_USE_URL, or pasted in the dashboard) in one of two forms:
// - image references, one a line: `host/namespace/name:tag` or
//   `host/namespace/name@sha256:<hex>`, optionally followed by where it runs
//   (`registry.example.com/shop/api:v3 deploy/api in prod`); `#` starts a comment;
// - a `kubectl get pods -A -o json` document: every container's image, and the
//   digest it actually runs (`status.containerStatuses[].imageID`).
// A reference names the repository `namespace/name` whatever the host, so one
// list serves all three registries. References by tag are resolved to the
// tag's digest in the repository when the repository is planned; every tag on
// a protected digest is then kept.

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses the text into references `{ repository, tag?, digest?, where }`.
 * @throws {Error} naming the line or the field at fault
 */
export function parseInUse(text, source = "IN_USE") {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return fromKubectl(trimmed, source);
  const refs = [];
  trimmed.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) return;
    const [image, ...where] = line.split(/\s+/);
    const ref = parseReference(image);
    if (!ref) throw new Error(`${source} line ${index + 1}: ${JSON.stringify(image)} is not an image reference (host/namespace/name:tag or …@sha256:…)`);
    refs.push({ ...ref, where: where.join(" ") || image });
  });
  return refs;
}

/**
 * `host/namespace/name:tag`, `…@sha256:…` (or both) → `{ repository, tag?, digest? }`.
 * The repository is the last two path segments; a reference with one segment
 * (`nginx`) names no namespace and cannot be one of ours.
 */
export function parseReference(image) {
  const match = /^(?<path>[^@\s]+?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/.exec(image);
  if (!match) return undefined;
  const segments = match.groups.path.split("/");
  if (segments.length < 2 || segments.some((s) => s === "")) return undefined;
  const repository = segments.slice(-2).join("/");
  const { tag, digest } = match.groups;
  if (!tag && !digest) return { repository, tag: "latest" };
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function fromKubectl(text, source) {
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} starts with "{" but is not JSON: ${error.message}`);
  }
  if (!Array.isArray(document.items)) throw new Error(`${source}: a kubectl document needs "items" (kubectl get pods -A -o json)`);
  const refs = [];
  for (const pod of document.items) {
    const where = `${workloadOf(pod)} in ${pod.metadata?.namespace ?? "default"}`;
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const container of containers) {
      const ref = container.image && parseReference(container.image);
      if (ref) refs.push({ ...ref, where });
    }
    // What the node actually pulled: a tag may have moved since.
    for (const status of statuses) {
      const id = String(status.imageID ?? "").replace(/^[a-z-]+:\/\//, "");
      const ref = parseReference(id);
      if (ref?.digest) refs.push({ repository: ref.repository, digest: ref.digest, where });
    }
  }
  return refs;
}

/** `deploy/api` for a pod of a Deployment's ReplicaSet, `sts/db`, `pod/x` for a bare pod. */
function workloadOf(pod) {
  const owner = pod.metadata?.ownerReferences?.[0];
  if (!owner) return `pod/${pod.metadata?.name ?? "?"}`;
  const hash = pod.metadata?.labels?.["pod-template-hash"];
  if (owner.kind === "ReplicaSet" && hash && owner.name.endsWith(`-${hash}`)) return `deploy/${owner.name.slice(0, -hash.length - 1)}`;
  const short = { ReplicaSet: "rs", StatefulSet: "sts", DaemonSet: "ds", Job: "job", CronJob: "cronjob" }[owner.kind] ?? owner.kind.toLowerCase();
  return `${short}/${owner.name}`;
}

/** The references that name `repository` (a work item carries only its own). */
export function referencesFor(refs, repository) {
  return refs.filter((ref) => ref.repository === repository);
}

/**
 * Protected digests of one repository: digest references as given, tag
 * references resolved through the repository's current tags.
 * @returns {Map<string, string>} digest → where it runs
 */
export function protectedDigests(refs, tags) {
  const digestOfTag = new Map(tags.map((t) => [t.tag, t.digest]));
  const digests = new Map();
  for (const ref of refs) {
    const digest = ref.digest ?? digestOfTag.get(ref.tag);
    if (digest && DIGEST.test(digest) && !digests.has(digest)) digests.set(digest, ref.where);
  }
  return digests;
}

/**
 * The plan with every tag on a protected digest kept, saying where it runs.
 * @returns {{ decisions: object[], protectedCount: number }}
 */
export function protect(decisions, digests) {
  let protectedCount = 0;
  const out = decisions.map((decision) => {
    const where = digests.get(decision.digest);
    if (!where) return decision;
    protectedCount++;
    return { ...decision, action: "keep", rule: "in-use", reason: `in use: ${where}`, ...(decision.action === "delete" ? { overrides: decision.reason } : {}) };
  });
  return { decisions: out, protectedCount };
}

/** The in-use text for a run: the IN_USE binding and the body at IN_USE_URL. */
export async function loadInUse({ inUseText, inUseUrl }, fetchImpl = fetch) {
  const refs = inUseText ? parseInUse(inUseText, "IN_USE") : [];
  if (inUseUrl) {
    const response = await fetchImpl(inUseUrl, { headers: { Accept: "application/json, text/plain" } });
    // A run must not go on without the list it was told to honour.
    if (!response.ok) throw new Error(`IN_USE_URL answered ${response.status}; the run does not start without its protection list`);
    refs.push(...parseInUse(await response.text(), "IN_USE_URL"));
  }
  return refs;
}
