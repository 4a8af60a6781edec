// The tag drawer: layers listed once; a registry that no longer has GetRepoTagManifest/GetRepoTagLayers
// (the vendor's current SDK removed them) gets a drawer that says what is not available and shows the rest;
// a finished scan's findings, or a plain "not available" where the connection cannot read them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useEmulator, withDashboard, connect, openRepository, routeActions, screenshot } from "./harness.mjs";

let emulator;
before(async () => (emulator = await useEmulator()));
after(async () => emulator?.stop());

/**
 * Answers every request for these Actions as the service answers an
 * operation it does not have: HTTP 404, `InvalidApi.NotFound`. Returns the
 * Actions that were refused, in order.
 */
async function refuseActions(page, actions) {
  const refused = [];
  await routeActions(
    page,
    (action) => actions.includes(action),
    async (route, action) => {
      refused.push(action);
      await route.fulfill({
        status: 404,
        contentType: "application/json",
        body: JSON.stringify({
          RequestId: `UNKNOWN-API-${refused.length}`,
          HostId: "cr.cn-hangzhou.aliyuncs.com",
          Code: "InvalidApi.NotFound",
          Message: `Specified api is not found, please check your url and method: ${action}.`,
        }),
      });
    },
  );
  return refused;
}

async function openDrawer(page, tag) {
  await page.getByLabel("Filter tags").fill(tag);
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${tag}"] button.tag-name`).click();
  const drawer = page.locator('dialog[data-dialog="tag"]');
  await drawer.getByRole("heading", { name: tag }).waitFor();
  return drawer;
}

test("the drawer lists the layers once: the build steps, not the manifest's list again", async () => {
  await withDashboard(emulator, async (page) => {
    await connect(page, emulator);
    await openRepository(page, "demo", "web");
    const drawer = await openDrawer(page, "1.0.0");
    const image = drawer.getByRole("region", { name: "Image" });
    await image.locator(".layer-list.detailed li").first().waitFor();
    assert.equal(await drawer.locator(".layer-list").count(), 1, "one list of layers in the whole drawer");
    assert.equal(await drawer.getByRole("list", { name: "Layers" }).count(), 1);
    await image.getByText("Media type").waitFor();
    const steps = await image.locator(".layer-list li").count();
    assert.ok(steps >= 1);
    assert.equal(await image.locator(".not-available").count(), 0, "everything is available from the emulator");
    await screenshot(page, "51-drawer-layers-once");
  });
});

test("a registry without GetRepoTagManifest and GetRepoTagLayers: the drawer says so and shows the rest", async () => {
  await withDashboard(emulator, async (page) => {
    const refused = await refuseActions(page, ["GetRepoTagManifest", "GetRepoTagLayers"]);
    await connect(page, emulator);
    await openRepository(page, "demo", "web");
    const drawer = await openDrawer(page, "1.0.0");
    const note = drawer.locator('.not-available[data-unavailable="manifest layers"]');
    await note.waitFor();
    assert.match(await note.innerText(), /not available: this registry\u2019s API no longer has GetRepoTagManifest or GetRepoTagLayers/);
    assert.deepEqual(refused.slice().sort(), ["GetRepoTagLayers", "GetRepoTagManifest"], "each was asked once, not retried");
    assert.equal(await drawer.locator(".error-box").count(), 0, "not shown as a failure");
    assert.equal(await drawer.locator(".layer-list").count(), 0);
    // The rest of the drawer is all there.
    assert.match(await drawer.locator(".facts-grid").first().innerText(), /Digest\s+\S{12,}/);
    assert.match(await drawer.locator(".pull-command").innerText(), /^docker pull \S+\/demo\/web:1\.0\.0$/);
    await drawer.locator('.scan-status[data-scan-status]').waitFor();
    assert.ok(await drawer.getByRole("button", { name: "Delete" }).isEnabled());
    await screenshot(page, "52-drawer-without-deprecated-apis");
  });
});

test("only GetRepoTagLayers gone: the layers come from the manifest, once, and the build steps are said to be unavailable", async () => {
  await withDashboard(emulator, async (page) => {
    await refuseActions(page, ["GetRepoTagLayers"]);
    await connect(page, emulator);
    await openRepository(page, "demo", "web");
    const drawer = await openDrawer(page, "1.0.0");
    await drawer.locator('.not-available[data-unavailable="layers"]').waitFor();
    assert.match(await drawer.locator(".not-available").innerText(), /The layers are listed from the manifest/);
    assert.equal(await drawer.locator(".layer-list").count(), 1);
    assert.equal(await drawer.locator(".layer-list.detailed").count(), 0, "the manifest's list, not the build steps");
    const counted = Number((await drawer.locator(".facts-grid dt:text-is('Layers') + dd").innerText()).match(/^\d+/)[0]);
    assert.equal(await drawer.locator(".layer-list li").count(), counted, "the list has the manifest's layers");
    await screenshot(page, "53-drawer-layers-from-manifest");
  });
});

test("a finished scan where the findings cannot be read says so instead of showing nothing", async () => {
  await withDashboard(emulator, async (page) => {
    // Today's package may not send these at all; either way the answer is "unknown API".
    await refuseActions(page, ["GetRepoTagScanSummary", "ListRepoTagScanResult"]);
    await connect(page, emulator);
    await openRepository(page, "demo", "worker");
    const tag = await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0']").getAttribute("data-tag");
    const drawer = await openDrawer(page, tag);
    await drawer.locator('.scan-status[data-scan-status="NONE"]').waitFor();
    await drawer.getByRole("button", { name: "Scan for vulnerabilities" }).click();
    await drawer.locator('.scan-status[data-scan-status="COMPLETE"]').waitFor({ timeout: 60000 });
    const note = drawer.locator('.not-available[data-unavailable="findings"]');
    await note.waitFor();
    assert.match(await note.innerText(), /findings are not available/);
    await screenshot(page, "54-scan-findings-unavailable");
  });
});
