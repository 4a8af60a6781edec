// Tag immutability on the repository (GetRepository's and UpdateRepository's TagImmutability): shown,
// switched on and off from the dashboard; while it is on the emulator refuses deletes of the
// repository's tags (TAG_IMMUTABLE, emulator/README.md), and the delete report says why in plain words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, connectedDashboard, withPackageClient, openRepository, screenshot } from "./harness.mjs";

// A private emulator: this file changes a repository and deletes a tag.
let page;
const shared = connectedDashboard({
  emulator: startEmulator,
  then: async (connected) => {
    page = connected;
    await openRepository(page, "demo", "api");
  },
});

/** demo/api's TagImmutability as the emulator answers GetRepository, read with the package in Node. */
async function storedImmutability() {
  return withPackageClient(shared.emulator, async (client) => {
    const repo = await client.getRepository({ instanceId: "cri-tagdeckdemo00001", repoNamespaceName: "demo", repoName: "api" });
    return repo.tagImmutability === true;
  });
}

const toggle = () => page.getByRole("switch", { name: /Immutable tags/ });

async function deleteOne(tag) {
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${tag}"]`).getByRole("button", { name: `Delete ${tag}` }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.locator('[data-confirm="delete"]').click();
  await dialog.locator(".report").waitFor();
  return dialog;
}

test("immutability is shown, switched on, and a delete while it is on is refused with a clear message", async () => {
  assert.equal(await toggle().getAttribute("aria-checked"), "false");
  assert.equal(await page.locator(".facts-line [data-immutable]").innerText(), "tags mutable");
  assert.equal(await storedImmutability(), false);

  await toggle().click();
  await page.locator('[role="switch"][aria-checked="true"]').waitFor();
  assert.equal(await page.locator(".facts-line [data-immutable]").innerText(), "tags immutable");
  assert.equal(await storedImmutability(), true, "UpdateRepository stored it");
  await screenshot(page, "74-immutability-on");

  const tag = await page.locator(".vt-canvas .vt-row:not([hidden])").nth(4).getAttribute("data-tag");
  assert.notEqual(tag, "latest");
  const dialog = await deleteOne(tag);
  assert.equal(await dialog.locator(".report").getAttribute("data-failed"), "1");
  const failed = dialog.locator('.report-list[data-status="failed"] li');
  assert.equal(await failed.getAttribute("data-tag"), tag);
  assert.match(await failed.innerText(), /The tag is immutable/);
  assert.match(await failed.innerText(), /TAG_IMMUTABLE/);
  assert.match(await dialog.locator('[data-note="immutable"]').innerText(), /1 tag was refused because this repository’s tags are immutable: switch “Immutable tags” off/);
  await screenshot(page, "75-immutability-delete-refused");
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.ok(await page.locator(`.vt-canvas .vt-row[data-tag="${tag}"]`).count(), "the refused tag is still listed");

  // The lifecycle preview knows no rule deletes an immutable repository's tags.
  await page.getByRole("button", { name: "Lifecycle rules" }).click();
  const rules = page.locator('dialog[data-dialog="lifecycle"]');
  await rules.getByRole("button", { name: "New rule" }).click();
  await rules.locator(".rule-preview", { hasText: "Would delete nothing: this repository’s tags are immutable" }).waitFor();
  await rules.getByRole("button", { name: "Close" }).last().click();
  await rules.waitFor({ state: "detached" });

  // Off again: the same delete goes through.
  await toggle().click();
  await page.locator('[role="switch"][aria-checked="false"]').waitFor();
  assert.equal(await storedImmutability(), false);
  const again = await deleteOne(tag);
  assert.equal(await again.locator(".report").getAttribute("data-deleted"), "1");
  await again.getByRole("button", { name: "Done" }).click();
});

test("390 px: the header is two rows (brand, runs link, session and region; then the crumbs), the switch on screen", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const boxes = await page.evaluate(() =>
    Object.fromEntries(
      [".app-header .brand", ".app-header .runs-link", "#session-box .region-switcher", "#session-box .button", ".app-header .crumbs"].map((selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return [selector, { top: box.top, bottom: box.bottom, right: box.right }];
      }),
    ),
  );
  const first = boxes[".app-header .brand"];
  for (const selector of [".app-header .runs-link", "#session-box .region-switcher", "#session-box .button"]) {
    const box = boxes[selector];
    assert.ok(box.top < first.bottom && box.bottom > first.top, `${selector} is on the brand's row: ${JSON.stringify(boxes)}`);
    assert.ok(box.right <= 390, `${selector} is on screen`);
  }
  assert.ok(boxes[".app-header .crumbs"].top >= first.bottom, "the crumbs take the second row");
  assert.equal(await page.locator(".app-header .runs-link").innerText(), "Runs");
  const box = await toggle().boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, "the switch is on screen");
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, "no sideways scroll");
  await screenshot(page, "76-immutability-390");
});
