// Issue 15 item 1: a bulk delete of 300 tags completes by itself, with no "Try again" click,
// (a) against a registry throttling 20% and failing 30% of requests with 503, and
// (b) through the edge proxy at its default rate limit (it answers 429 Throttling.Proxy + Retry-After).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, startEdgeProxy, openDashboard, connect, submitProxyConnect, openRepository, counts, screenshot } from "./harness.mjs";

const BATCH = 300;
// 15 minor versions of 20 patches each: 300 tags of demo/big-app.
const PATTERN = "^1\\.([0-9]|1[0-4])\\.\\d+$";
const stops = [];
after(async () => {
  for (const stop of stops.reverse()) await stop();
});

/** Selects the 300 tags, confirms with the typed count, and waits for the report. */
async function deleteBatch(page, name, { duringRun = null } = {}) {
  await page.getByRole("checkbox", { name: /Regex/ }).check();
  await page.getByLabel("Filter tags").fill(PATTERN);
  const { shown, total } = await counts(page);
  assert.equal(shown, BATCH);
  await page.getByRole("button", { name: `Select all ${BATCH} shown` }).click();
  await page.getByRole("button", { name: `Delete ${BATCH} selected` }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByLabel(`Type ${BATCH} to delete ${BATCH} tags`).fill(String(BATCH));
  await dialog.locator('[data-confirm="delete"]').click();
  if (duringRun) await duringRun(dialog);
  await dialog.locator(".report").waitFor({ timeout: 600000 });
  await screenshot(page, name);
  const report = dialog.locator(".report");
  return { dialog, total, deleted: Number(await report.getAttribute("data-deleted")), failed: Number(await report.getAttribute("data-failed")), skipped: Number(await report.getAttribute("data-skipped")) };
}

async function assertAllDeleted(page, { dialog, total, deleted, failed, skipped }) {
  assert.deepEqual({ deleted, failed, skipped }, { deleted: BATCH, failed: 0, skipped: 0 });
  await dialog.getByRole("heading", { name: `Deleted all ${BATCH} tags` }).waitFor();
  assert.equal(await dialog.getByRole("button", { name: /again/ }).count(), 0, "nothing left to try again");
  assert.equal(await dialog.locator('.report-list[data-status="failed"] li').count(), 0);
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByLabel("Filter tags").fill("");
  assert.equal((await counts(page)).total, total - BATCH);
}

test("throttling 20% and failing 30% with 503: 300 tags all deleted without a retry click", { timeout: 900000 }, async () => {
  const emulator = await startEmulator(["--throttle-rate", "0.2", "--fail-rate", "0.3"]);
  stops.push(() => emulator.stop());
  const dashboard = await openDashboard(emulator);
  stops.push(() => dashboard.close());
  const { page } = dashboard;
  await connect(page, emulator);
  await openRepository(page, "demo", "big-app");
  const outcome = await deleteBatch(page, "60-bulk-delete-throttled-report", {
    // A refused request shows on its tag as "will retry", with the reason, while the run goes on.
    duringRun: async (dialog) => {
      await dialog.locator('li[data-status="retrying"]').first().waitFor();
      await screenshot(page, "59-bulk-delete-throttled-running");
    },
  });
  // Half the requests fail: the report says the retries took more requests than tags.
  assert.equal(await outcome.dialog.locator('[data-note="attempts"]').count(), 1);
  await assertAllDeleted(page, outcome);
});

test("through the edge proxy at its default rate limit: 300 tags all deleted without a retry click", { timeout: 900000 }, async () => {
  const emulator = await startEmulator();
  stops.push(() => emulator.stop());
  const proxy = await startEdgeProxy(emulator, { ALLOWED_ACTIONS: "Get*,List*,DeleteRepoTag" });
  stops.push(() => proxy.stop());
  const dashboard = await openDashboard(emulator);
  stops.push(() => dashboard.close());
  const { page } = dashboard;
  await submitProxyConnect(page, emulator, proxy);
  await page.getByRole("heading", { name: "Instances" }).waitFor();
  await openRepository(page, "demo", "big-app");
  await assertAllDeleted(page, await deleteBatch(page, "61-bulk-delete-proxy-report"));
});
