#!/usr/bin/env node
/**
 * Measures, in headless Chromium, the time from clicking the big repository
 * (demo/big-app, 2,000+ tags) to the full table: every page fetched, sorted,
 * rendered and painted. Also the time to the first rows, and how smooth a
 * fast scroll through the whole table is (frame times while the viewport
 * jumps half a screen per frame). Each run uses a fresh browser profile
 * (cold wasm and HTTP caches).
 *
 *   node tests/page/measure.mjs [--runs 7] [--repository demo/big-app] [--tags 10000]
 *
 * `--tags N` answers the listing with N synthetic tags (request
 * interception, see harness.mjs) to measure a repository larger than the
 * demo data; the other requests still go to the emulator.
 *
 * Uses the emulator named by TAGDECK_URL (and TAGDECK_ACCESS_KEY_ID/SECRET),
 * or starts its own (target/debug/tagdeck-emulator, see harness.mjs).
 */
import { parseArgs } from "node:util";
import { useEmulator, openDashboard, connect, syntheticTagListing } from "./harness.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, repository: { type: "string", default: "demo/big-app" }, tags: { type: "string" } },
});
const synthetic = values.tags === undefined ? null : Number(values.tags);
const runs = Number(values.runs);
const [namespace, repository] = values.repository.split("/");
if (!Number.isInteger(runs) || runs < 1 || !namespace || !repository) {
  console.error("usage: node tests/page/measure.mjs [--runs N] [--repository NAMESPACE/REPO]");
  process.exit(2);
}

const emulator = await useEmulator();
const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    const dashboard = await openDashboard(emulator);
    const { page } = dashboard;
    try {
      if (synthetic) await syntheticTagListing(page, synthetic);
      await connect(page, emulator);
      await page.locator(".card").first().click();
      await page.getByRole("link", { name: namespace, exact: true }).click();
      // Let the namespace page settle (its tag counts) so it does not compete.
      await page.locator(`tr:has(a:text-is("${repository}")) td[data-tag-count]:not([data-tag-count=""])`).waitFor();
      await page.evaluate((name) => {
        const marks = (window.__measure = {});
        document.addEventListener(
          "click",
          (event) => {
            if (event.target.closest("a")?.textContent === name) marks.click = performance.now();
          },
          true,
        );
        new MutationObserver(() => {
          if (!marks.firstRows && document.querySelector(".vt-canvas .vt-row:not([hidden])")) marks.firstRows = performance.now();
          if (!marks.loaded && document.querySelector('.vt[data-state="loaded"]')) {
            marks.loaded = performance.now();
            // The frame that shows the full table.
            requestAnimationFrame(() => setTimeout(() => (marks.painted = performance.now())));
          }
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "hidden"] });
      }, repository);
      await page.getByRole("link", { name: repository, exact: true }).click();
      await page.waitForFunction(() => window.__measure.painted, null, { timeout: 120000 });
      const marks = await page.evaluate(() => window.__measure);
      const tags = Number(await page.locator(".vt").getAttribute("data-count"));
      const frames = await page.locator(".vt").evaluate(
        (viewport) =>
          new Promise((resolve) => {
            const deltas = [];
            let last = performance.now();
            const step = () => {
              const now = performance.now();
              deltas.push(now - last);
              last = now;
              if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1 || deltas.length > 600) return resolve(deltas.slice(1));
              viewport.scrollTop += viewport.clientHeight / 2;
              requestAnimationFrame(step);
            };
            requestAnimationFrame(step);
          }),
      );
      const sortedFrames = frames.slice().sort((a, b) => a - b);
      const result = {
        run,
        tags,
        fullTableMs: Math.round(marks.painted - marks.click),
        firstRowsMs: Math.round(marks.firstRows - marks.click),
        scrollFrames: frames.length,
        frameP95Ms: Math.round(sortedFrames[Math.floor(frames.length * 0.95)] ?? 0),
        frameMaxMs: Math.round(sortedFrames.at(-1) ?? 0),
      };
      results.push(result);
      console.log(
        `run ${run}: ${result.tags} tags, full table ${result.fullTableMs} ms, first rows ${result.firstRowsMs} ms; ` +
          `scroll: ${result.scrollFrames} frames, p95 ${result.frameP95Ms} ms, max ${result.frameMaxMs} ms`,
      );
    } finally {
      await dashboard.close();
    }
  }
} finally {
  await emulator.stop();
}

const median = (list) => {
  const sorted = list.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
};
const full = results.map((result) => result.fullTableMs);
const first = results.map((result) => result.firstRowsMs);
const p95 = results.map((result) => result.frameP95Ms);
console.log(
  `\n${namespace}/${repository}${synthetic ? " (synthetic listing)" : ""}, ${results[0].tags} tags, ${runs} runs, headless Chromium: ` +
    `full table median ${median(full)} ms (min ${Math.min(...full)}, max ${Math.max(...full)}); ` +
    `first rows median ${median(first)} ms; fast-scroll frame time p95 median ${median(p95)} ms`,
);
