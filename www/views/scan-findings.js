/**
 * A finished security scan's findings in the tag drawer: the counts per
 * severity (Alibaba's GetRepoTagScanSummary) and the vulnerabilities
 * (ListRepoTagScanResult), most severe first, each with its package, the
 * version that fixes it and the advisory's link. Either part can be
 * missing: an operation the service (or this version of tagdeck) does not
 * have is said to be not available; another failure is shown as an error.
 */
import { h } from "../lib/dom.js";
import { formatCount, plural } from "../lib/format.js";
import { isUnknownApi } from "../lib/errors.js";
import { errorBox } from "../ui/components.js";

/** Severity words as the service writes them, most severe first. */
const SEVERITIES = ["critical", "high", "medium", "low", "unknown"];
/** Enough to read in a drawer; the rest is counted, not dropped silently. */
const SHOWN_FINDINGS = 200;

function rank(severity) {
  const index = SEVERITIES.indexOf(String(severity).toLowerCase());
  return index < 0 ? SEVERITIES.length : index;
}

export function renderFindings({ summary, list }, context) {
  const bothUnknown = isUnknownApi(summary.error) && isUnknownApi(list.error);
  if (bothUnknown) {
    return h(
      "p",
      { class: "hint not-available", role: "note", dataset: { unavailable: "findings" } },
      "The findings are not available from this connection (it has no GetRepoTagScanSummary or ListRepoTagScanResult); the registry console shows them.",
    );
  }
  return h(
    "div",
    { class: "findings" },
    summary.value ? summaryLine(summary.value, list.value) : summary.error && !isUnknownApi(summary.error) ? errorBox(summary.error, { context, compact: true }) : null,
    list.value ? findingList(list.value) : isUnknownApi(list.error) ? h("p", { class: "hint" }, "The list of vulnerabilities is not available from this connection (no ListRepoTagScanResult).") : errorBox(list.error, { context, compact: true }),
  );
}

/** "196 vulnerabilities: 22 high · 81 medium · 89 low · 4 unknown", or a clear "none found". */
function summaryLine(counts, findings) {
  const total = Number.isFinite(counts.total) ? counts.total : (findings?.length ?? 0);
  if (total === 0) return h("p", { class: "findings-summary clean", dataset: { total: "0" } }, "No vulnerabilities found.");
  const parts = [
    ["high", counts.high],
    ["medium", counts.medium],
    ["low", counts.low],
    ["unknown", counts.unknown],
  ].filter(([, count]) => Number.isFinite(count) && count > 0);
  return h(
    "p",
    { class: "findings-summary", dataset: { total: String(total) } },
    h("strong", {}, `${plural(total, "vulnerability", "vulnerabilities")}:`),
    parts.map(([severity, count]) => h("span", { class: ["severity", severity], dataset: { severity } }, `${formatCount(count)} ${severity}`)),
  );
}

function findingList(findings) {
  if (findings.length === 0) return null;
  const ordered = findings.slice().sort((a, b) => rank(a.severity) - rank(b.severity) || a.name.localeCompare(b.name));
  const shown = ordered.slice(0, SHOWN_FINDINGS);
  return h(
    "div",
    {},
    h(
      "ul",
      { class: "finding-list", "aria-label": "Vulnerabilities" },
      shown.map((finding) =>
        h(
          "li",
          { dataset: { severity: finding.severity.toLowerCase(), cve: finding.name } },
          h("span", { class: ["severity", finding.severity.toLowerCase()] }, finding.severity.toLowerCase()),
          finding.link && /^https?:\/\//i.test(finding.link)
            ? h("a", { href: finding.link, target: "_blank", rel: "noopener noreferrer", class: "finding-name" }, finding.name || "advisory")
            : h("span", { class: "finding-name" }, finding.name || "unnamed"),
          h(
            "span",
            { class: "finding-package", title: [finding.feature, finding.version, finding.fixedIn && `fixed in ${finding.fixedIn}`, finding.location && `at ${finding.location}`].filter(Boolean).join(" ") || null },
            finding.feature ? h("code", {}, `${finding.feature}${finding.version ? ` ${finding.version}` : ""}`) : null,
            finding.fixedIn ? ` \u2192 fixed in ${finding.fixedIn}` : " \u00b7 no fix yet",
          ),
        ),
      ),
    ),
    ordered.length > shown.length ? h("p", { class: "muted" }, `${formatCount(ordered.length - shown.length)} more, less severe, are not listed here; the registry console lists them all.`) : null,
  );
}
