// "Via edge proxy" mode: the dashboard against edge/serve.mjs in front of the emulator; no AccessKey in the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emulatorBehindProxy, submitProxyConnect, openDashboard, openRepository, counts, assertNoSecret, screenshot } from "./harness.mjs";

const shared = emulatorBehindProxy();

test("via the edge proxy: wrong token explained, then the big listing with no key in the page, and writes refused visibly", async () => {
  const { emulator, proxy } = shared;
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    await submitProxyConnect(page, emulator, proxy, "not-the-token-at-all");
    await page.locator('.error-box[data-error-kind="proxy-token"]').waitFor();
    await page.getByText("The proxy refused the token").waitFor();

    await page.getByLabel("Proxy token").fill(proxy.token);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByRole("heading", { name: "Instances" }).waitFor();
    assert.match(await page.locator(".session-pill").innerText(), /via proxy/);
    await openRepository(page, "demo", "big-app");
    assert.ok((await counts(page)).total >= 2000);

    // The proxy's default allow-list is read-only: a delete is refused and reported as such.
    const name = await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0']").getAttribute("data-tag");
    await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0'] button[data-action='delete']").click();
    const dialog = page.locator('dialog[data-dialog="delete"]');
    await dialog.locator('[data-confirm="delete"]').click();
    const failed = dialog.locator('.report-list[data-status="failed"] li');
    await failed.waitFor();
    assert.equal(await failed.getAttribute("data-tag"), name);
    assert.match(await failed.innerText(), /The proxy does not allow this operation/);
    assert.match(await failed.innerText(), /Proxy\.ActionNotAllowed/);
    await screenshot(page, "18-proxy-write-refused");
    await dialog.getByRole("button", { name: "Done" }).click();
    assert.equal((await counts(page)).total >= 2000, true, "nothing was removed from the table");

    await assertNoSecret(dashboard, emulator.accessKeySecret);
    await assertNoSecret(dashboard, proxy.token);
  } finally {
    await dashboard.close();
  }
});
