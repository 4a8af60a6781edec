/**
 * The tag drawer: the registry's facts about the tag (only those it gives:
 * Scaleway's tag ID and status, SWR's path, times as the registry wrote
 * them), pull command, tags sharing the image, and where the tag source can
 * (`source.can`): the image (manifest facts and one list of its layers:
 * the build steps where the registry gives them, else the manifest's), a
 * security scan with its status and, once finished, its findings; then the
 * tag's actions.
 *
 * Alibaba's GetRepoTagManifest and GetRepoTagLayers are no longer in the
 * vendor's current SDK; where the service answers that an operation is
 * unknown, the drawer says what is not available and shows the rest.
 */
import { h, replace } from "../lib/dom.js";
import { formatBytes, exactBytes, absoluteTime, relativeTime, exactTime, shortDigest, plural } from "../lib/format.js";
import { isUnknownApi } from "../lib/errors.js";
import { openDialog } from "../ui/dialog.js";
import { copyButton, errorBox, fill, icon, statusBadge, emptyState } from "../ui/components.js";
import { sleep } from "../lib/pool.js";
import { renderFindings } from "./scan-findings.js";

const SCAN_FINAL = /COMPLETE|FINISH|SUCCESS|FAIL|ERROR/i;
const SCAN_POLL_MS = 2000;
const SCAN_POLL_LIMIT = 90;

export function openTagPanel({ app, source, tag, name, allTags, pullCommand, onClose, onOpenTag, onCreateFrom, onDelete, onScanned = () => {} }) {
  const closed = new AbortController();
  if (!tag) {
    const dialog = openDialog({
      title: name,
      kind: "drawer",
      label: "tag",
      body: emptyState("No such tag", `\u201c${name}\u201d is not in ${source.label} (any more).`),
      onClose,
    });
    return dialog;
  }

  const sameImage = allTags.filter((other) => other.digest && other.digest === tag.digest && other.tag !== tag.tag);
  const imageSection = h("div", { class: "panel-section-body" });
  const findingsSection = h("div", { class: "panel-section-body scan-findings" });
  const scanSection = h("div", { class: "panel-section-body" });
  const scanButton = h("button", { type: "button", class: "button", onclick: () => scan() }, icon("shield"), h("span", {}, "Scan for vulnerabilities"));

  const command = pullCommand(tag);
  const { can } = source;
  const size = tag.sizeExact ?? tag.size;
  const body = [
    h(
      "dl",
      { class: "facts-grid" },
      tag.id ? fact("Tag ID", [h("code", { class: "wrap" }, tag.id), " ", copyButton(() => tag.id, "Copy tag ID")]) : null,
      fact("Digest", tag.digest ? [h("code", { class: "wrap" }, tag.digest), " ", copyButton(() => tag.digest, "Copy digest")] : "\u2014"),
      fact("Image ID", tag.imageId ? h("code", { class: "wrap" }, tag.imageId) : "\u2014"),
      tag.path ? fact("Path", [h("code", { class: "wrap" }, tag.path), " ", copyButton(() => tag.path, "Copy path")]) : null,
      Number.isFinite(Number(size)) ? fact("Size", h("span", { title: exactBytes(size) }, formatBytes(size), h("small", { class: "muted" }, ` (${exactBytes(size)})`))) : null,
      fact("Created", timeFact(tag.created, tag.createdAt)),
      fact("Updated", timeFact(tag.updated, tag.updatedAt)),
      tag.status ? fact("Status", statusBadge(tag.status)) : null,
    ),
    h("div", { class: "pull" }, h("code", { class: "pull-command" }, command), copyButton(() => command, "Copy pull command", { text: "Copy", className: "button small" })),
    h(
      "section",
      { class: "panel-section" },
      h("h3", {}, "Same image"),
      sameImage.length
        ? h(
            "ul",
            { class: "chips" },
            sameImage.map((other) => h("li", {}, h("button", { type: "button", class: "chip-button", onclick: () => onOpenTag(other.tag) }, other.tag))),
          )
        : h("p", { class: "muted" }, "No other tag points at this image."),
    ),
    h("div", { class: "panel-actions" },
      h("button", { type: "button", class: "button", disabled: !can.create, title: can.create ? null : can.createNote, onclick: () => { dialog.close(); onCreateFrom(tag.tag); } }, icon("plus"), h("span", {}, "New tag from this")),
      can.scan ? scanButton : null,
      h("button", { type: "button", class: "button danger", onclick: () => { dialog.close(); onDelete(tag); } }, icon("trash"), h("span", {}, "Delete")),
    ),
    can.create ? null : h("p", { class: "hint" }, can.createNote),
    can.scan ? h("section", { class: "panel-section", "aria-label": "Security scan" }, h("h3", {}, "Security scan"), scanSection, findingsSection) : null,
    can.manifest || can.layers ? h("section", { class: "panel-section", "aria-label": "Image" }, h("h3", {}, "Image"), imageSection) : null,
  ];

  const dialog = openDialog({
    title: tag.tag,
    description: `${source.label}${sameImage.length ? ` \u00b7 same image as ${plural(sameImage.length, "other tag")}` : ""}`,
    kind: "drawer",
    label: "tag",
    body,
    onClose: (result) => {
      closed.abort();
      onClose(result);
    },
  });

  const context = app.session.errorContext;
  if (can.manifest || can.layers) fill(imageSection, "Loading the manifest and layers\u2026", () => loadImage(source, tag.tag, context), context);

  const scanSupported = Boolean(can.scanStatus);
  if (can.scan && scanSupported) followScan({ initial: true });
  else if (can.scan) replace(scanSection, h("p", { class: "muted" }, "This connection cannot read scan results; the registry console shows them."));

  async function scan() {
    scanButton.disabled = true;
    replace(findingsSection);
    replace(scanSection, h("p", { class: "muted" }, "Starting a scan\u2026"));
    let started;
    try {
      started = await source.startScan(tag.tag);
    } catch (error) {
      scanButton.disabled = false;
      replace(scanSection, errorBox(error, { context, onRetry: scan, retryLabel: "Start the scan again" }));
      return;
    }
    const startedLine = h("p", { class: "muted" }, "Scan started", started?.requestId ? [" (request ", h("code", {}, started.requestId), ")"] : "", ".");
    if (!scanSupported) {
      // Without a status operation the registry itself is the status: starting again
      // while a scan runs is refused with its reason (SCAN_TASK_IN_PROGRESS).
      replace(scanSection, startedLine, h("p", { class: "muted" }, "This connection cannot read scan results; the registry console shows them."));
      scanButton.disabled = false;
      return;
    }
    followScan({ lead: startedLine });
  }

  /** Shows the newest scan's status, polling while it runs (the button waits meanwhile). */
  async function followScan({ initial = false, lead = null } = {}) {
    const statusLine = h("p", { class: "scan-status", role: "status" }, initial ? "Checking for a previous scan\u2026" : "Waiting for status\u2026");
    replace(scanSection, lead, statusLine);
    for (let attempt = 0; attempt < SCAN_POLL_LIMIT && !closed.signal.aborted; attempt++) {
      let status;
      try {
        const answer = await source.scanStatus(tag.tag);
        status = String(answer.status ?? "UNKNOWN");
        replace(statusLine, "Status: ", statusBadge(status), answer.scanService ? ` \u00b7 ${answer.scanService}` : "");
        statusLine.dataset.scanStatus = status;
      } catch (error) {
        if (error?.code === "SCAN_TASK_NOT_EXIST") {
          replace(statusLine, "Not scanned yet.");
          statusLine.dataset.scanStatus = "NONE";
        } else {
          replace(statusLine, errorBox(error, { context, compact: true }));
        }
        break;
      }
      if (SCAN_FINAL.test(status)) {
        if (/COMPLETE|FINISH|SUCCESS/i.test(status) && can.scanFindings) showFindings();
        // A scan started here has new counts for the table's Vulns column.
        if (!initial) onScanned(tag.tag);
        break;
      }
      replace(findingsSection);
      scanButton.disabled = true;
      try {
        await sleep(SCAN_POLL_MS, closed.signal);
      } catch {
        return;
      }
    }
    scanButton.disabled = false;
  }

  /** A finished scan's findings: the counts per severity and the vulnerabilities. */
  function showFindings() {
    fill(findingsSection, "Loading the findings\u2026", async () => renderFindings(await source.scanFindings(tag.tag), context), context);
  }

  return dialog;
}

function fact(label, value) {
  return [h("dt", {}, label), h("dd", {}, value)];
}

/** "2023-12-28 03:10 · 3 months ago · 2023-12-28T02:10:05Z": the date as the table shows it, its age, then the registry's own text (else the exact time). */
function timeFact(ms, given) {
  return h("span", { title: exactTime(ms) }, absoluteTime(ms), h("small", { class: "muted" }, ` \u00b7 ${relativeTime(ms)} \u00b7 ${given || exactTime(ms)}`));
}

/**
 * The image section: the manifest's facts and one list of layers. Manifest
 * and layers are asked for together; an operation the service does not know
 * any more is "not available" (said once, plainly), another failure is an
 * error with a retry.
 */
async function loadImage(source, name, context) {
  const { can } = source;
  const [manifest, layers] = await Promise.allSettled([
    can.manifest ? source.manifest(name) : Promise.resolve(null),
    can.layers ? source.layers(name) : Promise.resolve(null),
  ]);
  const unavailable = [manifest, layers].filter((part) => part.status === "rejected" && isUnknownApi(part.reason));
  const failed = [manifest, layers].find((part) => part.status === "rejected" && !isUnknownApi(part.reason));
  if (failed) throw failed.reason;
  const manifestValue = manifest.status === "fulfilled" ? manifest.value : null;
  const layersValue = layers.status === "fulfilled" ? layers.value : null;
  // The registry's build steps where it gives them, else the manifest's own list: never both.
  const list = layersValue?.length ? renderLayers(layersValue) : manifestValue?.layers?.length ? renderManifestLayers(manifestValue.layers) : null;
  return h(
    "div",
    { class: "image-details" },
    manifestValue ? renderManifest(manifestValue) : null,
    list,
    unavailable.length ? notAvailable(manifest, layers, Boolean(list)) : null,
    !list && !unavailable.length ? h("p", { class: "muted" }, "No layer information.") : null,
  );
}

/** What the service no longer offers, said once, with what still tells the image apart. */
function notAvailable(manifest, layers, hasList) {
  const gone = (part) => part.status === "rejected" && isUnknownApi(part.reason);
  const text =
    gone(manifest) && gone(layers)
      ? ["The manifest and the layers are not available: this registry\u2019s API no longer has GetRepoTagManifest or GetRepoTagLayers. The digest above identifies the image; ", h("code", {}, "docker manifest inspect"), " shows its layers."]
      : gone(layers)
        ? `The build steps of the layers are not available: this registry\u2019s API no longer has GetRepoTagLayers.${hasList ? " The layers are listed from the manifest." : ""}`
        : "The manifest is not available: this registry\u2019s API no longer has GetRepoTagManifest.";
  return h("p", { class: "hint not-available", role: "note", dataset: { unavailable: [gone(manifest) && "manifest", gone(layers) && "layers"].filter(Boolean).join(" ") } }, text);
}

function renderManifest(manifest) {
  const layers = manifest.layers ?? [];
  const config = manifest.config;
  return h(
    "dl",
    { class: "facts-grid" },
    fact("Schema", String(manifest.schemaVersion ?? "\u2014")),
    fact("Media type", manifest.mediaType ? h("code", { class: "wrap" }, manifest.mediaType) : "\u2014"),
    config ? fact("Config", [h("code", { title: config.digest }, shortDigest(config.digest)), ` \u00b7 ${formatBytes(config.size)}`]) : null,
    fact("Layers", `${layers.length} \u00b7 ${formatBytes(layers.reduce((sum, layer) => sum + Number(layer.size ?? 0), 0))} compressed`),
  );
}

function renderManifestLayers(layers) {
  return h(
    "ol",
    { class: "layer-list", "aria-label": "Layers" },
    layers.map((layer) => h("li", {}, h("code", { title: layer.digest }, shortDigest(layer.digest)), h("span", { title: exactBytes(layer.size) }, formatBytes(layer.size)))),
  );
}

function renderLayers(layers) {
  const ordered = layers.slice().sort((a, b) => Number(a.layerIndex ?? 0) - Number(b.layerIndex ?? 0));
  return h(
    "ol",
    { class: "layer-list detailed", "aria-label": "Layers" },
    ordered.map((layer) => {
      const command = layer.layerCMD ?? layer.layerCmd ?? "";
      return h(
        "li",
        {},
        h("span", { class: "layer-instruction" }, layer.layerInstruction || "LAYER"),
        h("code", { class: "layer-command", title: command }, command || shortDigest(layer.blobDigest)),
        h("span", { class: "layer-size", title: exactBytes(layer.blobSize) }, formatBytes(layer.blobSize)),
      );
    }),
  );
}
