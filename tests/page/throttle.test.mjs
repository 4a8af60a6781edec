// A throttled registry (30% of requests refused with Throttling.User) still yields the complete listing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, openDashboard, connect, waitForTags, counts, screenshot } from "./harness.mjs";

let emulator;
before(async () => (emulator = await startEmulator(["--throttle-rate", "0.3"])));
after(async () => emulator?.stop());

test("throttled emulator: the 2,000+ tag listing completes", async () => {
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    await connect(page, emulator);
    await page.locator(".card").first().click();
    await page.getByRole("link", { name: "demo", exact: true }).click();
    const countCell = page.locator('tr:has(a:text-is("big-app")) td[data-tag-count]:not([data-tag-count=""])');
    await countCell.waitFor({ timeout: 60000 });
    const expected = Number(await countCell.getAttribute("data-tag-count"));
    assert.ok(expected >= 2000, `tag count read despite throttling (${expected})`);
    await page.getByRole("link", { name: "big-app", exact: true }).click();
    assert.equal(await waitForTags(page, 120000), expected);
    assert.equal((await counts(page)).total, expected);
    assert.equal(await page.locator(".load-status .warning-box").count(), 0, "no page was given up");
    await screenshot(page, "17-throttled-complete");
  } finally {
    await dashboard.close();
  }
});
