// Scaleway: connect with a secret key, namespaces → images → tags (every page), sort, delete one and many
// (Scaleway refuses a tag whose image another tag shares unless forced), a wrong token explained.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDashboard, stopDashboard, submitTokenConnect, waitForTags, visibleTagNames, counts, screenshot, assertNoSecret, assertNarrowTagsTable } from "./harness.mjs";
import { compareVersions } from "../../www/lib/version-sort.js";

const REGION = "fr-par";
let emulator, dashboard, page;
before(async () => ({ emulator, dashboard, page } = await startDashboard()));
after(() => stopDashboard({ emulator, dashboard }));

/** Scaleway's own API, as a colleague's script would call it. */
async function scaleway(path, method = "GET") {
  const response = await fetch(`${emulator.url}/registry/v1/regions/${REGION}${path}`, { method, headers: { "X-Auth-Token": emulator.authToken } });
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

/** The registry's own count of an image's tags. */
async function tagCount(imageName) {
  const { images } = await scaleway(`/images?name=${imageName}`);
  return (await scaleway(`/images/${images[0].id}/tags?page_size=1`)).total_count;
}

/** Deletes a tag behind the dashboard's back (forced, as a script would). */
async function deleteOutOfBand(imageName, tagName) {
  const { images } = await scaleway(`/images?name=${imageName}`);
  const { tags } = await scaleway(`/images/${images[0].id}/tags?name=${encodeURIComponent(tagName)}`);
  await scaleway(`/tags/${tags[0].id}?force=true`, "DELETE");
}

const row = (name) => page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${name}"]`);

test("a wrong secret key is explained as a refused token, and cleared", async () => {
  await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
  const wrong = "00000000-0000-4000-8000-000000000000";
  await submitTokenConnect(page, emulator, { registry: "scaleway", region: REGION, authToken: wrong });
  const alert = page.locator(".error-box");
  await alert.waitFor();
  assert.equal(await alert.getAttribute("data-error-kind"), "token");
  assert.equal(await alert.getAttribute("data-error-code"), "denied_authentication");
  await page.getByText("The registry refused the token").waitFor();
  assert.match(await alert.innerText(), /HTTP 401/);
  assert.equal(await page.getByLabel("Secret key").inputValue(), "", "the refused key is cleared");
  // Alibaba's fields and the proxy mode are not Scaleway's.
  assert.equal(await page.getByLabel("AccessKey ID").isVisible(), false);
  assert.equal(await page.getByText("How to connect").isVisible(), false);
  await assertNoSecret(dashboard, wrong);
  await screenshot(page, "30-scaleway-wrong-token");
});

test("connect, then namespaces → images (with tag counts) → every tag of a 2,400-tag image", async () => {
  await submitTokenConnect(page, emulator, { registry: "scaleway", region: REGION });
  await page.getByRole("heading", { name: "Namespaces" }).waitFor();
  assert.match(page.url(), /#\/namespaces$/);
  await assertNoSecret(dashboard, emulator.authToken);
  const demoImages = page.locator('tr:has(a:text-is("demo")) td[data-image-count]');
  assert.ok(Number(await demoImages.getAttribute("data-image-count")) >= 4);
  await screenshot(page, "31-scaleway-namespaces");

  await page.getByRole("link", { name: "demo", exact: true }).click();
  assert.match(page.url(), /#\/n\/demo$/);
  const bigAppTags = page.locator('tr:has(a:text-is("big-app")) td[data-tag-count]');
  await bigAppTags.waitFor();
  assert.equal(Number(await bigAppTags.getAttribute("data-tag-count")), 2400);
  await screenshot(page, "32-scaleway-images");

  await page.getByRole("link", { name: "big-app", exact: true }).click();
  assert.match(page.url(), /#\/n\/demo\/r\/big-app$/);
  // 24 pages of 100, the API's largest.
  assert.equal(await waitForTags(page), 2400);
  await page.getByText("2,400 tags").first().waitFor();
  assert.equal(await page.locator(".load-status .warning-box").count(), 0, "the listing is complete");
  await page.getByText("rg.fr-par.scw.cloud/demo/big-app").waitFor();
  await screenshot(page, "33-scaleway-tags");
});

test("Scaleway's columns: status, no size; sort by name (version-aware) and by time; no tag creation, with the reason", async () => {
  const headers = await page.locator(".vt-head [role=columnheader]").evaluateAll((cells) => cells.map((cell) => cell.dataset.column));
  assert.deepEqual(headers, ["select", "name", "status", "digest", "created", "updated", "actions"]);
  // Newest first until asked otherwise.
  assert.equal(await page.locator('[role="columnheader"][aria-sort="descending"]').getAttribute("data-column"), "updated");
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  assert.equal(await row("1.0.0").locator(".c-status .badge").innerText(), "ready");

  const first = await visibleTagNames(page);
  assert.deepEqual(first, first.slice().sort(compareVersions), "ascending by version");
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  const descending = await visibleTagNames(page);
  assert.deepEqual(descending, descending.slice().sort(compareVersions).reverse(), "descending by version");
  assert.match(page.url(), /sort=name(?!&dir)/, "descending is the default direction, left out of the URL");
  await page.getByRole("button", { name: "Created" }).click();
  const created = await page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) =>
    rows.sort((a, b) => a.dataset.index - b.dataset.index).map((r) => Date.parse(r.querySelector(".c-created time").dateTime)),
  );
  assert.ok(created.every((time, i) => i === 0 || created[i - 1] >= time), "newest created first");
  await page.getByRole("button", { name: "Tag", exact: true }).click();

  const newTag = page.getByRole("button", { name: "New tag" });
  assert.ok(await newTag.isDisabled(), "Scaleway cannot create tags");
  await page.getByText("Scaleway has no API to create a tag").waitFor();

  // The drawer shows Scaleway's own fields: the tag's ID and status.
  await row("1.0.0").locator("button.tag-name").click();
  const drawer = page.locator('dialog[data-dialog="tag"]');
  await drawer.getByRole("heading", { name: "1.0.0" }).waitFor();
  const facts = await drawer.locator(".facts-grid").innerText();
  assert.match(facts, /Tag ID\s+[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  assert.match(facts, /Status\s+ready/);
  assert.match(facts, /Digest\s+sha256:[0-9a-f]{64}/);
  assert.match(await drawer.locator(".pull-command").innerText(), /^docker pull rg\.fr-par\.scw\.cloud\/demo\/big-app:1\.0\.0$/);
  assert.equal(await drawer.getByRole("heading", { name: "Layers" }).count(), 0, "no layer API on Scaleway");
  await screenshot(page, "34-scaleway-tag-drawer");
  await drawer.getByRole("button", { name: "Close" }).click();
});

test("delete one tag: refused while its image is shared, then forced; the registry agrees", async () => {
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("link", { name: "web", exact: true }).click();
  const before = await waitForTags(page);
  assert.equal(before, await tagCount("web"));

  // The first tag whose image another tag shares (marked in the table).
  const name = await page.locator(".vt-canvas .vt-row:not([hidden]):has(button.shared:not([hidden]))").first().getAttribute("data-tag");
  await row(name).locator("button[data-action='delete']").click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: `Delete tag ${name}?` }).waitFor();
  await dialog.locator('[data-warning="force"]').waitFor();
  assert.equal(await dialog.getByLabel(/Force the deletion of 1 tag/).isChecked(), false, "never forced unless asked");
  await dialog.locator('[data-confirm="delete"]').click();

  await dialog.getByRole("heading", { name: "Nothing deleted: 1 failure" }).waitFor();
  const failed = dialog.locator('.report-list[data-status="failed"] li');
  assert.equal(await failed.getAttribute("data-tag"), name);
  assert.match(await failed.innerText(), /Another tag points at the same image/);
  assert.match(await failed.innerText(), /precondition_failed/);
  await screenshot(page, "35-scaleway-delete-refused");

  await dialog.getByRole("button", { name: "Force the deletion of 1 tag" }).click();
  await dialog.getByRole("heading", { name: `Deleted ${name}` }).waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.equal((await counts(page)).total, before - 1);
  assert.equal(await row(name).count(), 0, "gone from the table");
  assert.equal(await tagCount("web"), before - 1, "and from the registry");
});

test("bulk delete with force: the confirmation lists the tags, the report keeps the one that failed", async () => {
  await page.getByLabel("Filter tags").fill("sha-");
  const chosen = (await visibleTagNames(page)).slice(0, 4);
  const before = (await counts(page)).total;
  await row(chosen[0]).locator("input[type=checkbox]").click();
  await row(chosen[3]).locator("input[type=checkbox]").click({ modifiers: ["Shift"] });
  assert.equal((await counts(page)).selected, 4);

  // A colleague deletes one of them meanwhile: it must fail visibly, the others still go.
  await deleteOutOfBand("web", chosen[1]);

  await page.getByRole("button", { name: "Delete 4 selected" }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: "Delete 4 tags?" }).waitFor();
  assert.deepEqual(await dialog.locator(".item-list li .item-name").allInnerTexts(), chosen);
  await dialog.getByLabel(/Force the deletion of \d+ tags? whose image other tags share/).check();
  await screenshot(page, "36-scaleway-bulk-confirm");
  await dialog.locator('[data-confirm="delete"]').click();

  const report = dialog.locator(".report");
  await report.waitFor();
  assert.equal(await report.getAttribute("data-deleted"), "3");
  assert.equal(await report.getAttribute("data-failed"), "1");
  await dialog.getByRole("heading", { name: "Deleted 3 of 4 tags" }).waitFor();
  const failed = dialog.locator('.report-list[data-status="failed"] li');
  assert.equal(await failed.getAttribute("data-tag"), chosen[1]);
  assert.match(await failed.innerText(), /Not found/);
  await dialog.getByRole("button", { name: /Try the 1 remaining tag again/ }).waitFor();
  await screenshot(page, "37-scaleway-bulk-report");
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.locator(".report-banner", { hasText: "3 deleted, 1 failed" }).waitFor();
  assert.equal((await counts(page)).total, before - 3);
  assert.equal(await tagCount("web"), before - 4, "the registry lost the three and the colleague's one");
  await page.getByRole("button", { name: "Reload tags" }).click();
  assert.equal(await waitForTags(page), before - 4);
  await page.getByLabel("Filter tags").fill("");
});

test("usable at 390 px: the tags table keeps name, status and time", async () => {
  await assertNarrowTagsTable(page, ["select", "name", "status", "updated"], "38-scaleway-tags-390");
});
