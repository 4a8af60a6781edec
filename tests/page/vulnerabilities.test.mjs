// Per-tag vulnerability counts in the tags table (GetRepoTagScanSummary, direct mode against the
// emulator, whose demo data has finished scans of demo/web's latest, stable and three newest other
// tags): the figures are the service's, the column sorts by them, and they are fetched politely: only
// for the rows drawn, a few at a time, each tag once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { actionOf, connectedDashboard, withPackageClient, openRepository, visibleTagNames, screenshot } from "./harness.mjs";

const INSTANCE = "cri-tagdeckdemo00001";
/** What the dashboard lets run at once (lib/scan-counts.js). */
const CONCURRENCY = 4;

let page;
const shared = connectedDashboard({ then: async (connected) => (page = connected) });

/** Watches the GetRepoTagScanSummary requests: how many, for which tags, and the most in flight at once. */
function watchSummaries() {
  const seen = { count: 0, inFlight: 0, maxInFlight: 0 };
  const mine = (request) => actionOf(request) === "GetRepoTagScanSummary";
  const done = (request) => mine(request) && (seen.inFlight -= 1);
  page.on("request", (request) => {
    if (!mine(request)) return;
    seen.count += 1;
    seen.inFlight += 1;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
  });
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return seen;
}

/** Waits until no count is being asked for and none has been for 500 ms. */
async function settled(seen) {
  let last = -1;
  let quietSince = Date.now();
  while (seen.inFlight > 0 || Date.now() - quietSince < 500) {
    if (seen.count !== last || seen.inFlight > 0) {
      last = seen.count;
      quietSince = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The totals the emulator answers for `tags` of demo/web (null: no finished scan), read with the package in Node. */
async function serviceTotals(tags) {
  return withPackageClient(shared.emulator, async (client) => {
    const { repoId } = await client.getRepository({ instanceId: INSTANCE, repoNamespaceName: "demo", repoName: "web" });
    const totals = {};
    for (const tag of tags) {
      try {
        totals[tag] = Number((await client.getRepoTagScanSummary({ instanceId: INSTANCE, repoId, tag })).totalSeverity);
      } catch (error) {
        assert.equal(error.code, "SCAN_TASK_NOT_EXIST", `${tag}: ${error.message}`);
        totals[tag] = null;
      }
    }
    return totals;
  });
}

/** Tag -> the Vulns cell's text, for the rows drawn. */
async function shownCounts() {
  return page.locator(".vt-canvas .vt-row:not([hidden])").evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.dataset.tag, { text: row.querySelector(".vulns").textContent, state: row.querySelector(".vulns").dataset.state }])),
  );
}

test("big-app (2,400 tags): counts are asked for the rows drawn only, at most four at a time, each once", async () => {
  const seen = watchSummaries();
  await openRepository(page, "demo", "big-app");
  const drawn = (await visibleTagNames(page)).length;
  await page.waitForFunction(() => [...document.querySelectorAll(".vt-canvas .vt-row:not([hidden]) .vulns")].every((cell) => !["queued", "loading"].includes(cell.dataset.state)));
  assert.ok(seen.count > 0, "counts were asked for");
  assert.ok(seen.count <= drawn + 20, `${seen.count} requests for ${drawn} rows on screen (and the overscan), not one per tag of 2,400`);
  assert.ok(seen.maxInFlight <= CONCURRENCY, `at most ${CONCURRENCY} at once, saw ${seen.maxInFlight}`);
  // Scrolling back to rows already drawn asks nothing again.
  // Each position is drawn (two frames: the scroll's redraw, and the asks it
  // makes) and its counts settled before the next: a scroll there and back
  // within one frame would draw nothing at 600, and whether it did would
  // depend on the machine's load.
  const drawAt = async (top) => {
    await page.locator(".vt").evaluate((element, to) => (element.scrollTop = to), top);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  };
  const asked = seen.count;
  await drawAt(600);
  await settled(seen);
  await drawAt(0);
  await settled(seen);
  const again = seen.count - asked;
  assert.ok(again <= 40, `only the rows newly drawn are asked for (${again})`);
  const before = seen.count;
  await drawAt(600);
  await drawAt(0);
  assert.equal(seen.count, before, "cached: rows drawn before are not asked for again");
});

test("web: the counts are the service's, sortable, most vulnerable first", async () => {
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("link", { name: "web", exact: true }).click();
  await page.locator('.vt[data-state="loaded"]').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll(".vt-canvas .vt-row:not([hidden]) .vulns")].every((cell) => !["queued", "loading"].includes(cell.dataset.state)));
  const shown = await shownCounts();
  const totals = await serviceTotals(Object.keys(shown));
  const scanned = Object.keys(totals).filter((tag) => totals[tag] !== null);
  assert.ok(scanned.includes("latest") && scanned.includes("stable"), "the demo's scanned tags are on screen");
  for (const [tag, total] of Object.entries(totals)) {
    if (total === null) assert.deepEqual(shown[tag], { text: "\u2014", state: "none" }, `${tag}: not scanned`);
    else assert.equal(shown[tag].text, total.toLocaleString("en"), `${tag}: the service's total`);
  }

  await page.getByRole("button", { name: "Vulns" }).click();
  await page.waitForFunction(() => !/vulnerability counts read for/.test(document.querySelector(".counts").textContent));
  await page.locator(".vt").evaluate((element) => (element.scrollTop = 0));
  const order = await page.locator(".vt-canvas .vt-row:not([hidden])").evaluateAll((rows) =>
    rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((row) => row.querySelector(".vulns").textContent),
  );
  const figures = order.map((text) => (/^\d/.test(text) ? Number(text.replace(/,/g, "")) : -1));
  assert.deepEqual(figures, figures.slice().sort((a, b) => b - a), "most vulnerable first, unscanned last");
  assert.ok(figures[0] > 0);
  assert.equal((await page.locator('[role="columnheader"][data-column="vulns"]').getAttribute("aria-sort")), "descending");
  await screenshot(page, "73-vulnerability-column");
});

test("scan-counts (lib): four at a time, the most recently asked first, each tag once; states by the service's codes; an unknown operation stops the asking", async () => {
  const { createScanCounts, sortValue } = await import("../../www/lib/scan-counts.js");
  const pending = new Map(); // tag -> { resolve, reject }
  const started = [];
  const changes = [];
  const counts = createScanCounts({
    fetchCounts: (tag) => new Promise((resolve, reject) => (started.push(tag), pending.set(tag, { resolve, reject }))),
    onChange: (tag, entry) => changes.push([tag, entry.state]),
  });
  counts.want(["a", "b", "c", "d", "e", "f"]);
  assert.deepEqual(started, ["f", "e", "d", "c"], "four in flight, the last asked first");
  counts.want(["a", "f", "g"]);
  assert.equal(started.length, 4, "nothing more while four are in flight; f is not asked twice");
  const settle = async (tag, how) => {
    how(pending.get(tag));
    await new Promise((resolve) => setImmediate(resolve));
  };
  await settle("f", ({ resolve }) => resolve({ total: 3, high: 1, medium: 2, low: 0, unknown: 0 }));
  assert.equal(started[4], "g", "then the newest asked");
  await settle("e", ({ resolve }) => resolve({ total: 0 }));
  await settle("d", ({ reject }) => reject(Object.assign(new Error("no scan"), { code: "SCAN_TASK_NOT_EXIST" })));
  await settle("c", ({ reject }) => reject(Object.assign(new Error("running"), { code: "SCAN_TASK_NOT_COMPLETE" })));
  await settle("g", ({ reject }) => reject(Object.assign(new Error("throttled"), { code: "Throttling.User" })));
  assert.deepEqual(changes, [["f", "counts"], ["e", "clean"], ["d", "none"], ["c", "scanning"], ["g", "error"]]);
  assert.deepEqual(["f", "e", "d"].map((tag) => sortValue(counts.get(tag))), [3, 0, -Infinity]);
  assert.equal(counts.answered(["f", "e", "d", "c", "g", "a"]), 5);

  const next = started.length;
  await settle(started[next - 1], ({ reject }) => reject(Object.assign(new Error("unknown"), { code: "InvalidApi.NotFound" })));
  assert.equal(counts.unsupported, true);
  const after = started.length;
  counts.want(["x", "y"]);
  assert.equal(started.length, after, "no more asking once the operation is unknown");
});
