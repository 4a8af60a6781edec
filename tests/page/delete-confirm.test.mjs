// Deleting more than 100 tags asks for their number to be typed; 100 or fewer need only the button.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, connectedDashboard, openRepository, counts, screenshot } from "./harness.mjs";

// A private emulator: this file really deletes 120 tags of big-app.
let page;
connectedDashboard({
  emulator: startEmulator,
  then: async (connected) => {
    page = connected;
    await openRepository(page, "demo", "big-app");
    await page.getByRole("checkbox", { name: /Regex/ }).check();
  },
});

async function clearSelection() {
  const button = page.getByRole("button", { name: "Clear selection" });
  if (await button.isVisible()) await button.click();
}

async function selectAllMatching(pattern) {
  await clearSelection();
  await page.getByLabel("Filter tags").fill(pattern);
  const { shown } = await counts(page);
  await page.getByRole("button", { name: `Select all ${shown.toLocaleString("en")} shown` }).click();
  return shown;
}

test("100 tags: the delete button works at once, nothing to type", async () => {
  assert.equal(await selectAllMatching("^1\\.[0-4]\\.\\d+$"), 100);
  await page.getByRole("button", { name: "Delete 100 selected" }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: "Delete 100 tags?" }).waitFor();
  assert.equal(await dialog.locator("#delete-count").count(), 0, "no count to type");
  assert.ok(await dialog.locator('[data-confirm="delete"]').isEnabled());
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
});

test("120 tags: the button stays disabled until the count is typed, then deletes them all", async () => {
  const before = (await counts(page)).total;
  assert.equal(await selectAllMatching("^1\\.[0-5]\\.\\d+$"), 120);
  await page.getByRole("button", { name: "Delete 120 selected" }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: "Delete 120 tags?" }).waitFor();
  const confirm = dialog.locator('[data-confirm="delete"]');
  const typed = dialog.getByLabel("Type 120 to delete 120 tags");
  assert.ok(await confirm.isDisabled(), "one click is not enough");
  // Clicking the disabled button, or Enter with a wrong number, deletes nothing.
  await confirm.click({ force: true });
  await typed.fill("100");
  await typed.press("Enter");
  assert.ok(await confirm.isDisabled(), "a wrong number keeps it disabled");
  assert.equal(await dialog.locator(".report").count(), 0, "nothing ran");
  await typed.fill("12");
  assert.ok(await confirm.isDisabled(), "a prefix of the number is not the number");
  await screenshot(page, "50-type-count-to-confirm");
  await typed.fill("120");
  assert.ok(await confirm.isEnabled(), "the right number enables the button");
  await confirm.click();
  await dialog.getByRole("heading", { name: "Deleted all 120 tags" }).waitFor({ timeout: 60000 });
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.equal((await counts(page)).total, before - 120);
});

test("a grouped number (1,149 style) is accepted, and cancelling deletes nothing", async () => {
  const before = (await counts(page)).total;
  await clearSelection();
  await page.getByLabel("Filter tags").fill("");
  await page.getByRole("button", { name: /^Select all [\d,]+ shown$/ }).click();
  const selected = (await counts(page)).selected;
  assert.ok(selected > 1000);
  const grouped = selected.toLocaleString("en");
  await page.getByRole("button", { name: `Delete ${grouped} selected` }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  const typed = dialog.getByLabel(`Type ${grouped} to delete ${grouped} tags`);
  await typed.fill(grouped);
  assert.ok(await dialog.locator('[data-confirm="delete"]').isEnabled(), `${grouped} with its comma counts`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal((await counts(page)).total, before, "nothing deleted");
});
