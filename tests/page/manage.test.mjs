// Managing tags: create from an existing tag, bulk delete with confirmation and report, retention dry run then apply.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDashboard, stopDashboard, createTagInDialog, openRepository, waitForTags, visibleTagNames, counts, screenshot, assertNoSecret } from "./harness.mjs";

let emulator, dashboard, page;
before(async () => ({ emulator, dashboard, page } = await startDashboard({ connected: true })));
after(() => stopDashboard({ emulator, dashboard }));

/** Reloads the listing from the registry and returns its size. */
async function reloadListing() {
  await page.getByRole("button", { name: "Reload tags" }).click();
  return waitForTags(page);
}

/** Deletes a tag behind the dashboard's back, as a colleague would (a second tab). */
async function deleteOutOfBand(namespace, repoName, tag) {
  const other = await dashboard.browser.context.newPage();
  try {
    await other.goto(emulator.url + "/pkg/tagdeck.js");
    await other.evaluate(
      async ({ accessKeyId, accessKeySecret, regionId, endpoint, namespace, repoName, tag }) => {
        const pkg = await import("/pkg/tagdeck.js");
        await pkg.default();
        const client = new pkg.Client({ accessKeyId, accessKeySecret, regionId, endpoint });
        const { instances } = await client.listInstance({ pageNo: 1, pageSize: 10 });
        const instanceId = instances[0].instanceId;
        const repo = await client.getRepository({ instanceId, repoNamespaceName: namespace, repoName });
        await client.deleteRepoTag({ instanceId, repoId: repo.repoId, tag });
      },
      { accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, regionId: emulator.regionId, endpoint: emulator.url, namespace, repoName, tag },
    );
  } finally {
    await other.close();
  }
}

test("create a tag from an existing one; bad and taken names are refused before sending", async () => {
  await openRepository(page, "demo", "web");
  const before = (await counts(page)).total;
  const source = await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0']").getAttribute("data-tag");
  const name = `e2e-${Date.now()}`;
  await createTagInDialog(page, {
    from: source,
    name,
    refused: [
      ["-bad", "Not a valid tag name"],
      [source, "already exists"],
    ],
    shot: "12-create-tag",
  });
  assert.equal((await counts(page)).total, before + 1);
  assert.equal(await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${name}"]`).count(), 1, "the new tag is in the table");
  // The registry agrees, and the new tag shares the source's image.
  assert.equal(await reloadListing(), before + 1);
  await page.getByLabel("Filter tags").fill(name);
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${name}"] button.shared`).click();
  const group = await visibleTagNames(page);
  assert.ok(group.includes(name) && group.includes(source), `same image: ${group}`);
  await page.getByLabel("Filter tags").fill("");
});

test("bulk delete: shift-click range, confirmation with shared-image warning, per-item report with the failure kept", async () => {
  await page.getByLabel("Filter tags").fill("sha-");
  const shown = await visibleTagNames(page);
  assert.ok(shown.length >= 5);
  const chosen = shown.slice(0, 5);
  const before = (await counts(page)).total;

  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${chosen[0]}"] input[type=checkbox]`).click();
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${chosen[4]}"] input[type=checkbox]`).click({ modifiers: ["Shift"] });
  assert.equal((await counts(page)).selected, 5);

  // A colleague deletes one of them meanwhile: that one must fail, visibly, without hiding the others.
  await deleteOutOfBand("demo", "web", chosen[2]);

  await page.getByRole("button", { name: "Delete 5 selected" }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: "Delete 5 tags?" }).waitFor();
  assert.deepEqual(await dialog.locator(".item-list li .item-name").allInnerTexts(), chosen, "the confirmation lists exactly what will go");
  await dialog.locator('[data-warning="shared-digest"]').waitFor();
  assert.match(await dialog.locator('[data-warning="shared-digest"]').innerText(), /same image as/);
  await screenshot(page, "13-bulk-confirm");

  await dialog.locator('[data-confirm="delete"]').click();
  await dialog.locator(".report").waitFor();
  const report = dialog.locator(".report");
  assert.equal(await report.getAttribute("data-deleted"), "4");
  assert.equal(await report.getAttribute("data-failed"), "1");
  await dialog.getByRole("heading", { name: "Deleted 4 of 5 tags" }).waitFor();
  const failed = dialog.locator('.report-list[data-status="failed"] li');
  assert.equal(await failed.count(), 1);
  assert.equal(await failed.getAttribute("data-tag"), chosen[2]);
  assert.match(await failed.innerText(), /TAG_NOT_EXIST/);
  assert.match(await failed.locator(".item-request").innerText(), /request \S+/);
  assert.equal(await dialog.locator('.report-list[data-status="deleted"] li').count(), 4);
  await dialog.getByRole("button", { name: /Try the 1 remaining tag again/ }).waitFor();
  await screenshot(page, "14-bulk-report");
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.locator(".report-banner", { hasText: "4 deleted, 1 failed" }).waitFor();
  assert.equal((await counts(page)).total, before - 4, "deleted tags left the table; the failed one stays");
  assert.equal((await counts(page)).selected, 1, "the failed tag is still selected");
  assert.equal(await reloadListing(), before - 5, "the registry has lost all five (one by the colleague)");
  await page.getByLabel("Filter tags").fill("");
});

test("select all filtered selects exactly the shown tags", async () => {
  await page.getByRole("button", { name: "Clear selection" }).click();
  await page.getByLabel("Filter tags").fill("1.0.");
  const { shown } = await counts(page);
  await page.getByRole("checkbox", { name: /Select all \d+ shown tags/ }).check();
  assert.equal((await counts(page)).selected, shown);
  await page.getByRole("button", { name: "Clear selection" }).click();
  await page.getByLabel("Filter tags").fill("");
});

test("retention: dry run first (nothing deleted), then apply through the confirmation", async () => {
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").nth(1).click();
  await openRepositoryFromInstance("platform", "postgres");
  const total = (await counts(page)).total;
  await page.getByRole("checkbox", { name: /Regex/ }).check();
  await page.getByLabel("Filter tags").fill("^(latest|stable)$");
  const protectedCount = (await counts(page)).shown;
  await page.getByLabel("Filter tags").fill("");
  await page.getByRole("checkbox", { name: /Regex/ }).uncheck();
  assert.ok(total > 10);

  await page.getByRole("button", { name: "Retention" }).click();
  const dialog = page.locator('dialog[data-dialog="retention"]');
  await dialog.getByLabel("Keep the newest").fill("5");
  await dialog.getByLabel("Delete only if older than (days)").fill("");
  await dialog.getByLabel("Protected tags").fill("latest, stable");
  const summary = dialog.locator(".preview-summary");
  const expected = total - protectedCount - 5;
  await dialog.locator(`.preview-summary[data-remove="${expected}"]`).waitFor();
  assert.match(await summary.innerText(), new RegExp(`Would delete ${expected} tags of ${total}`));
  assert.equal(await dialog.locator(".retention-preview .item-list li").count(), expected);
  const listed = await dialog.locator(".retention-preview .item-list li").evaluateAll((items) => items.map((item) => item.dataset.tag));
  assert.ok(!listed.includes("latest") && !listed.includes("stable"), "protected tags are never planned");
  await screenshot(page, "15-retention-preview");

  // A bad pattern is explained and blocks the plan.
  await dialog.getByLabel("Only tags matching (regular expression)").fill("(");
  await dialog.getByText("not a valid regular expression").waitFor();
  assert.ok(await dialog.locator('[data-action="review"]').isDisabled());
  await dialog.getByLabel("Only tags matching (regular expression)").fill("");
  await dialog.locator(`.preview-summary[data-remove="${expected}"]`).waitFor();

  // The dry run deleted nothing.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await reloadListing(), total);

  await page.getByRole("button", { name: "Retention" }).click();
  await dialog.getByLabel("Keep the newest").fill("5");
  await dialog.getByLabel("Delete only if older than (days)").fill("");
  await dialog.getByLabel("Protected tags").fill("latest, stable");
  await dialog.locator(`.preview-summary[data-remove="${expected}"]`).waitFor();
  await dialog.locator('[data-action="review"]').click();
  const confirm = page.locator('dialog[data-dialog="delete"]');
  await confirm.getByRole("heading", { name: `Delete ${expected} tags?` }).waitFor();
  assert.deepEqual((await confirm.locator(".item-list li .item-name").allInnerTexts()).sort(), listed.sort());
  await confirm.locator('[data-confirm="delete"]').click();
  await confirm.getByRole("heading", { name: `Deleted all ${expected} tags` }).waitFor();
  await screenshot(page, "16-retention-report");
  await confirm.getByRole("button", { name: "Done" }).click();

  assert.equal((await counts(page)).total, total - expected);
  assert.equal(await reloadListing(), total - expected);
  const left = await page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) => rows.map((row) => row.dataset.tag));
  assert.equal(left.filter((name) => name === "latest" || name === "stable").length, protectedCount, "protected tags kept");
  await assertNoSecret(dashboard, emulator.accessKeySecret);
});

async function openRepositoryFromInstance(namespace, repository) {
  await page.getByRole("link", { name: namespace, exact: true }).click();
  await page.getByRole("heading", { name: namespace, exact: true }).waitFor();
  await page.getByRole("link", { name: repository, exact: true }).click();
  await waitForTags(page);
}
