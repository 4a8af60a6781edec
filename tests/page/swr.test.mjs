// Open Telekom Cloud SWR: connect with an IAM token and the repository to open (the API lists none),
// every tag through Content-Range paging, sort, create a tag from another, delete one and many,
// the repository picker, a remembered token, a wrong token explained.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDashboard, stopDashboard, createTagInDialog, submitTokenConnect, waitForTags, visibleTagNames, counts, screenshot, assertNoSecret, assertNarrowTagsTable } from "./harness.mjs";
import { compareVersions } from "../../www/lib/version-sort.js";

const REGION = "eu-de";
let emulator, dashboard, page;
before(async () => ({ emulator, dashboard, page } = await startDashboard()));
after(() => stopDashboard({ emulator, dashboard }));

/** SWR's own API, as a colleague's script would call it. */
async function swr(repository, path = "", method = "GET") {
  const response = await fetch(`${emulator.url}/v2/manage/namespaces/demo/repos/${repository}/tags${path}`, { method, headers: { "X-Auth-Token": emulator.authToken } });
  assert.ok(response.ok, `${method} ${repository}${path}: HTTP ${response.status}`);
  return response;
}

/** The registry's own count, from Content-Range (`0-1/48`). */
async function tagCount(repository) {
  const range = (await swr(repository, "?offset=0&limit=1")).headers.get("content-range");
  return Number(range.split("/")[1]);
}

const row = (name) => page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${name}"]`);

test("a wrong IAM token is explained as a refused token, and cleared", async () => {
  await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
  const wrong = "MIIwrong-iam-token-" + Date.now();
  await submitTokenConnect(page, emulator, { registry: "swr", region: REGION, authToken: wrong, namespace: "demo", repository: "big-app" });
  const alert = page.locator(".error-box");
  await alert.waitFor();
  assert.equal(await alert.getAttribute("data-error-kind"), "token");
  assert.equal(await alert.getAttribute("data-error-code"), "SVCSTG.SWR.4010001");
  await page.getByText("The registry refused the token").waitFor();
  await page.getByText(/IAM tokens expire after 24 hours/).waitFor();
  assert.equal(await page.getByLabel("IAM token").inputValue(), "", "the refused token is cleared");
  await assertNoSecret(dashboard, wrong);
  await screenshot(page, "40-swr-wrong-token");

  // A repository that does not exist is not a token problem.
  await page.getByLabel("IAM token").fill(emulator.authToken);
  await page.getByLabel("Repository").fill("no-such-repo");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator('.error-box[data-error-kind="not-found"]').waitFor();
  await page.getByText("Repository demo/no-such-repo not found").waitFor();
});

test("connect straight into the repository; every tag of 2,400 through Content-Range paging", async () => {
  await page.getByLabel("IAM token").fill(emulator.authToken);
  await page.getByLabel("Repository").fill("big-app");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.getByRole("heading", { name: "demo/big-app" }).waitFor();
  assert.match(page.url(), /#\/n\/demo\/r\/big-app$/);
  assert.equal(await waitForTags(page), 2400);
  await page.getByText("2,400 tags").first().waitFor();
  assert.equal(await page.locator(".load-status .warning-box").count(), 0, "the listing is complete");
  await assertNoSecret(dashboard, emulator.authToken);
  await screenshot(page, "41-swr-tags");
});

test("SWR's columns and fields; sort by name (version-aware), size and update time", async () => {
  const headers = await page.locator(".vt-head [role=columnheader]").evaluateAll((cells) => cells.map((cell) => cell.dataset.column));
  assert.deepEqual(headers, ["select", "name", "digest", "size", "created", "updated", "actions"]);

  assert.equal(await page.locator('[role="columnheader"][aria-sort="descending"]').getAttribute("data-column"), "updated", "newest first until asked otherwise");
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  const ascending = await visibleTagNames(page);
  assert.deepEqual(ascending, ascending.slice().sort(compareVersions));
  await page.getByRole("button", { name: "Size" }).click();
  const sizes = await page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) =>
    rows.sort((a, b) => a.dataset.index - b.dataset.index).map((r) => Number(r.querySelector(".c-size span").title.replace(/[^0-9]/g, ""))),
  );
  assert.ok(sizes.every((size, i) => i === 0 || sizes[i - 1] >= size), "largest first");
  assert.ok(sizes[0] > 0, "SWR gives sizes");
  await page.getByRole("button", { name: "Updated" }).click();
  const updated = await page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) =>
    rows.sort((a, b) => a.dataset.index - b.dataset.index).map((r) => Date.parse(r.querySelector(".c-updated time").dateTime)),
  );
  assert.ok(updated.every((time, i) => i === 0 || updated[i - 1] >= time), "newest first");
  assert.doesNotMatch(page.url(), /sort=/, "newest first is the default, left out of the URL");
  await page.getByRole("button", { name: "Tag", exact: true }).click();

  // The drawer: SWR's path, the times as SWR wrote them, the manifest from the tag's answer.
  await row("1.0.0").locator("button.tag-name").click();
  const drawer = page.locator('dialog[data-dialog="tag"]');
  await drawer.getByRole("heading", { name: "1.0.0" }).waitFor();
  const facts = await drawer.locator(".facts-grid").first().innerText();
  assert.match(facts, /Path\s+swr\.eu-de\.otc\.t-systems\.com\/demo\/big-app:1\.0\.0/);
  assert.match(facts, /Created\s+.*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  assert.match(facts, /Size\s+[\d.]+ [kMG]B/);
  assert.match(await drawer.locator(".pull-command").innerText(), /^docker pull swr\.eu-de\.otc\.t-systems\.com\/demo\/big-app:1\.0\.0$/);
  await drawer.getByText("Media type").waitFor();
  await screenshot(page, "42-swr-tag-drawer");
  await drawer.getByRole("button", { name: "Close" }).click();
});

test("the picker opens another repository; it is remembered as recent, by name only", async () => {
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Repositories" }).click();
  await page.getByRole("heading", { name: "Open a repository" }).waitFor();
  await page.getByRole("list", { name: "Recently opened repositories" }).getByRole("link", { name: "demo/big-app" }).waitFor();
  await page.getByLabel("Namespace").fill("demo");
  await page.getByLabel("Repository").fill("web");
  await screenshot(page, "43-swr-picker");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByRole("heading", { name: "demo/web" }).waitFor();
  assert.equal(await waitForTags(page), await tagCount("web"));
});

test("create a tag from another: checked before sending, then in the table and in the registry", async () => {
  const before = (await counts(page)).total;
  const name = `e2e-${Date.now()}`;
  await createTagInDialog(page, { from: "stable", name, refused: [["latest", "already exists"]], shot: "44-swr-create-tag" });
  assert.equal((await counts(page)).total, before + 1);
  assert.equal(await row(name).count(), 1, "the new tag is in the table");
  assert.equal(await tagCount("web"), before + 1, "and in the registry");
  const created = await (await swr("web", `/${name}`)).json();
  const source = await (await swr("web", "/stable")).json();
  assert.equal(created.digest, source.digest, "same image as the source");
  await page.getByRole("button", { name: "Reload tags" }).click();
  assert.equal(await waitForTags(page), before + 1);
});

test("delete one tag: confirmed, reported, gone from the table and the registry", async () => {
  const before = (await counts(page)).total;
  const name = (await visibleTagNames(page)).find((tag) => tag.startsWith("e2e-"));
  assert.ok(name, "the tag created before is listed");
  await row(name).locator("button[data-action='delete']").click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: `Delete tag ${name}?` }).waitFor();
  assert.equal(await dialog.locator('[data-warning="force"]').count(), 0, "SWR needs no force");
  await dialog.locator('[data-confirm="delete"]').click();
  await dialog.getByRole("heading", { name: `Deleted ${name}` }).waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.equal((await counts(page)).total, before - 1);
  assert.equal(await tagCount("web"), before - 1);
});

test("bulk delete: the report keeps the failure beside the successes", async () => {
  await page.getByLabel("Filter tags").fill("sha-");
  const chosen = (await visibleTagNames(page)).slice(0, 5);
  const before = (await counts(page)).total;
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${chosen[0]}"] input[type=checkbox]`).click();
  await page.locator(`.vt-canvas .vt-row:not([hidden])[data-tag="${chosen[4]}"] input[type=checkbox]`).click({ modifiers: ["Shift"] });
  assert.equal((await counts(page)).selected, 5);
  await swr("web", `/${chosen[2]}`, "DELETE"); // a colleague, meanwhile

  await page.getByRole("button", { name: "Delete 5 selected" }).click();
  const dialog = page.locator('dialog[data-dialog="delete"]');
  await dialog.getByRole("heading", { name: "Delete 5 tags?" }).waitFor();
  assert.deepEqual(await dialog.locator(".item-list li .item-name").allInnerTexts(), chosen);
  await dialog.locator('[data-warning="shared-digest"]').waitFor();
  await dialog.locator('[data-confirm="delete"]').click();
  const report = dialog.locator(".report");
  await report.waitFor();
  assert.equal(await report.getAttribute("data-deleted"), "4");
  assert.equal(await report.getAttribute("data-failed"), "1");
  const failed = dialog.locator('.report-list[data-status="failed"] li');
  assert.equal(await failed.getAttribute("data-tag"), chosen[2]);
  assert.match(await failed.innerText(), /Not found/);
  assert.match(await failed.innerText(), /SVCSTG\.SWR\.4040003/);
  await dialog.getByRole("button", { name: /Try the 1 remaining tag again/ }).waitFor();
  await screenshot(page, "45-swr-bulk-report");
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.locator(".report-banner", { hasText: "4 deleted, 1 failed" }).waitFor();
  assert.equal((await counts(page)).total, before - 4);
  assert.equal(await tagCount("web"), before - 5);
  await page.getByLabel("Filter tags").fill("");
});

test("usable at 390 px; a remembered token survives a reload at the same place, Disconnect forgets it", async () => {
  await assertNarrowTagsTable(page, ["select", "name", "size", "updated"], "46-swr-tags-390");

  await page.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
  assert.equal(await page.getByLabel("Registry", { exact: true }).inputValue(), "swr", "the registry is preferred next time");
  assert.equal(await page.getByLabel("Repository").inputValue(), "web", "the repository in the URL");
  await submitTokenConnect(page, emulator, { registry: "swr", region: REGION, namespace: "demo", repository: "web", remember: true });
  await page.getByRole("heading", { name: "demo/web" }).waitFor();
  const place = page.url();
  await page.reload();
  await page.getByRole("heading", { name: "demo/web" }).waitFor();
  assert.equal(page.url(), place, "reload keeps the place");
  await assertNoSecret(dashboard, emulator.authToken, { allowStorage: true });
  await page.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("tagdeck.remembered")), null, "disconnect forgets the token");
});
