// A finished scan shows its findings: the counts per severity (GetRepoTagScanSummary) and every
// vulnerability (ListRepoTagScanResult, all pages), most severe first. Through the edge proxy, whose
// answers for the scan operations are the service's (shapes as the vendor's API reference and SDK give them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { emulatorBehindProxy, submitProxyConnect, withDashboard, withPackageClient, connect, openRepository, screenshot } from "./harness.mjs";

const shared = emulatorBehindProxy();

const SEVERITIES = ["High", "Medium", "Low"];
/** 130 findings: more than one page of 100. */
const FINDINGS = Array.from({ length: 130 }, (_, i) => ({
  cveName: `CVE-2024-${String(10000 + i)}`,
  severity: SEVERITIES[i % 3],
  feature: i % 2 ? "openssl" : "zlib",
  version: i % 2 ? "3.0.2-0ubuntu1" : "1.2.11",
  versionFixed: i % 5 === 0 ? "" : i % 2 ? "3.0.2-0ubuntu1.10" : "1.2.13",
  cveLink: `https://security-tracker.debian.org/tracker/CVE-2024-${String(10000 + i)}`,
  cveLocation: "/usr/lib/x86_64-linux-gnu",
  scanType: "cve",
  fixCmd: "apt-get install --only-upgrade openssl",
  description: "description.",
}));
const COUNT = (severity) => FINDINGS.filter((finding) => finding.severity === severity).length;

/** The proxy answers the scan operations as the service would for a scanned tag; everything else goes through. */
async function answerScan(page, calls) {
  const { emulator, proxy } = shared;
  const cors = { "access-control-allow-origin": new URL(emulator.url).origin, "access-control-allow-headers": "authorization, content-type", "access-control-allow-methods": "POST, OPTIONS" };
  await page.route(
    (url) => url.origin === new URL(proxy.url).origin && /\/api\/(GetRepoTagScanStatus|GetRepoTagScanSummary|ListRepoTagScanResult)$/.test(url.pathname),
    async (route) => {
      const request = route.request();
      if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
      const action = new URL(request.url()).pathname.split("/").pop();
      const params = JSON.parse(request.postData() ?? "{}");
      calls.push({ action, params });
      let body;
      if (action === "GetRepoTagScanStatus") body = { requestId: "SCAN-STATUS", status: "COMPLETE", scanService: "ACR_SCAN_SERVICE", isSuccess: true, code: "success" };
      else if (action === "GetRepoTagScanSummary") {
        body = { requestId: "SCAN-SUMMARY", highSeverity: COUNT("High"), mediumSeverity: COUNT("Medium"), lowSeverity: COUNT("Low"), unknownSeverity: 0, totalSeverity: FINDINGS.length, isSuccess: true, code: "success" };
      } else {
        const start = (params.pageNo - 1) * params.pageSize;
        body = { requestId: `SCAN-RESULT-${params.pageNo}`, pageNo: params.pageNo, pageSize: params.pageSize, totalCount: FINDINGS.length, vulnerabilities: FINDINGS.slice(start, start + params.pageSize), isSuccess: true, code: "success" };
      }
      await route.fulfill({ status: 200, contentType: "application/json", headers: cors, body: JSON.stringify(body) });
    },
  );
}

test("a finished scan lists its findings: counts per severity, every vulnerability most severe first, fix versions and links", async () => {
  const { emulator, proxy } = shared;
  await withDashboard(emulator, async (page) => {
    const calls = [];
    await answerScan(page, calls);
    await submitProxyConnect(page, emulator, proxy);
    await page.getByRole("heading", { name: "Instances" }).waitFor();
    await openRepository(page, "demo", "web");
    await page.getByLabel("Filter tags").fill("1.0.0");
    await page.locator('.vt-canvas .vt-row:not([hidden])[data-tag="1.0.0"] button.tag-name').click();
    const drawer = page.locator('dialog[data-dialog="tag"]');
    await drawer.locator('.scan-status[data-scan-status="COMPLETE"]').waitFor();

    const summary = drawer.locator(".findings-summary");
    await summary.waitFor();
    assert.equal(await summary.getAttribute("data-total"), "130");
    assert.match(await summary.innerText(), new RegExp(`130 vulnerabilities:\\s*${COUNT("High")} high\\s*${COUNT("Medium")} medium\\s*${COUNT("Low")} low`));
    const items = drawer.getByRole("list", { name: "Vulnerabilities" }).locator("li");
    assert.equal(await items.count(), 130, "both pages of findings are listed");
    const severities = await items.evaluateAll((list) => list.map((item) => item.dataset.severity));
    assert.deepEqual(severities, [...Array(COUNT("High")).fill("high"), ...Array(COUNT("Medium")).fill("medium"), ...Array(COUNT("Low")).fill("low")], "most severe first");
    const first = items.first();
    assert.match(await first.innerText(), /high\s+CVE-2024-\d+\s+(openssl|zlib) \S+ (→ fixed in \S+|· no fix yet)/);
    assert.match(await first.getByRole("link").getAttribute("href"), /^https:\/\/security-tracker\.debian\.org\/tracker\/CVE-2024-\d+$/);
    assert.equal(await first.getByRole("link").getAttribute("rel"), "noopener noreferrer");

    const pages = calls.filter((call) => call.action === "ListRepoTagScanResult").map((call) => call.params.pageNo).sort();
    assert.deepEqual(pages, [1, 2]);
    // The table's Vulns column asks for the rows it draws too; the drawer's summary is the one for 1.0.0.
    const asked = calls.find((call) => call.action === "GetRepoTagScanSummary" && call.params.tag === "1.0.0")?.params;
    assert.ok(asked, "the drawer asked for 1.0.0's summary");
    assert.ok(asked.instanceId && asked.repoId, "the tag is named by instance, repository and tag");
    await screenshot(page, "55-scan-findings");
  });
});

/** demo/web `tag`'s scan summary and every vulnerability as the emulator answers them, read with the package in Node. */
async function emulatorFindings(tag) {
  return withPackageClient(shared.emulator, async (client) => {
    const instanceId = "cri-tagdeckdemo00001";
    const { repoId } = await client.getRepository({ instanceId, repoNamespaceName: "demo", repoName: "web" });
    const summary = await client.getRepoTagScanSummary({ instanceId, repoId, tag });
    const list = await client.listRepoTagScanResult({ instanceId, repoId, tag, pageNo: 1, pageSize: 100 });
    assert.ok(Number(list.totalCount) <= 100, "one page holds them");
    return { total: Number(summary.totalSeverity), high: Number(summary.highSeverity), names: list.vulnerabilities.map((finding) => finding.cveName) };
  });
}

test("direct mode against the emulator: a scanned tag's findings are the service's (GetRepoTagScanSummary, ListRepoTagScanResult through the package)", async () => {
  const { emulator } = shared;
  const expected = await emulatorFindings("latest");
  assert.ok(expected.total > 0 && expected.names.length === expected.total, "the demo's latest has findings");
  await withDashboard(emulator, async (page) => {
    await connect(page, emulator);
    await openRepository(page, "demo", "web");
    await page.locator('.vt-canvas .vt-row:not([hidden])[data-tag="latest"] button.tag-name').click();
    const drawer = page.locator('dialog[data-dialog="tag"]');
    await drawer.locator('.scan-status[data-scan-status="COMPLETE"]').waitFor();
    const summary = drawer.locator(".findings-summary");
    await summary.waitFor();
    assert.equal(Number(await summary.getAttribute("data-total")), expected.total);
    assert.match(await summary.innerText(), new RegExp(`${expected.total} vulnerabilit(y|ies):\\s*${expected.high} high`));
    const items = drawer.getByRole("list", { name: "Vulnerabilities" }).locator("li");
    const names = await items.evaluateAll((list) => list.map((item) => item.dataset.cve));
    assert.deepEqual(names.slice().sort(), expected.names.slice().sort(), "every finding the emulator lists");
    const links = await items.getByRole("link").evaluateAll((list) => list.map((link) => link.href));
    assert.ok(links.length > 0 && links.every((href) => /^https:\/\//.test(href)), "advisories link out");
    await screenshot(page, "56-scan-findings-direct");
  });
});
