// SWR's image retention policy of a repository (ListRetentions, CreateRetention, UpdateRetention,
// DeleteRetention): the demo's policy shown beside tagdeck's preview of it (the retention engine's
// "swr" dialect, labelled as tagdeck's reading); edited, its preview following the form; saved, SWR
// (the emulator) applies it at once and deletes exactly the tags the preview named; deleted; created.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, withDashboard, submitTokenConnect, waitForTags, screenshot } from "./harness.mjs";

const REGION = "eu-de";
const REPO = "/v2/manage/namespaces/demo/repos/api";

/** SWR's own API, as a script beside the dashboard would call it. */
async function swr(emulator, path, method = "GET") {
  const response = await fetch(`${emulator.url}${REPO}${path}`, { method, headers: { "X-Auth-Token": emulator.authToken } });
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}

/** The repository's tag names as SWR holds them now. */
async function tagNames(emulator) {
  return (await swr(emulator, "/tags")).map((tag) => tag.Tag).sort();
}

/** The names of the tags a preview lists (its list opened). */
async function previewed(preview) {
  const details = preview.locator("details");
  if ((await details.getAttribute("open")) === null) await preview.locator("summary").click();
  return (await preview.locator("li[data-tag]").evaluateAll((items) => items.map((item) => item.dataset.tag))).sort();
}

test("SWR retention policy: shown beside tagdeck's preview; saving applies it and deletes exactly what the preview named", async () => {
  // Its own emulator: saving a policy deletes tags of demo/api.
  const emulator = await startEmulator();
  try {
    const before = await tagNames(emulator);
    assert.equal(before.length, 36);
    await withDashboard(emulator, async (page) => {
      await submitTokenConnect(page, emulator, { registry: "swr", region: REGION, namespace: "demo", repository: "api" });
      await page.getByRole("heading", { name: "demo/api" }).waitFor();
      assert.equal(await waitForTags(page), 36);
      await page.getByRole("button", { name: "Retention policy" }).click();
      const dialog = page.locator('dialog[data-dialog="swr-retention"]');

      // The seeded policy: tag_rule keeping 10, latest, stable and x.y.0 releases set aside.
      const card = dialog.locator(".rule-card");
      await card.waitFor();
      const policyId = await card.getAttribute("data-policy-id");
      const [stored] = await swr(emulator, "/retentions");
      assert.equal(policyId, String(stored.id));
      assert.equal(await card.locator('[data-fact="template"]').innerText(), "tag_rule num = 10");
      assert.match(await card.locator('[data-fact="keeps"]').innerText(), /^the 10 most recent tags not set aside/);
      assert.match(await card.locator('[data-fact="set-aside"]').innerText(), /tag latest, tag stable, tags matching \^\\d\+\\\.\\d\+\\\.0\$/);
      const preview = card.locator(".rule-preview");
      assert.match(await preview.locator(".reading-label").innerText(), /tagdeck’s reading: nothing is deleted here/);
      // 36 tags: latest, stable and 1.0.0 set aside, the 10 most recent of the other 33 kept.
      assert.equal(Number(await preview.getAttribute("data-delete")), 23);
      assert.match(await preview.locator(".preview-summary").innerText(), /Would delete 23 tags of 36, keep 13 \(3 set aside\)/);
      const seededPreview = await previewed(preview);
      assert.equal(seededPreview.length, 23);
      assert.ok(!seededPreview.some((tag) => ["latest", "stable", "1.0.0"].includes(tag)), "set-aside tags are never deleted");
      assert.match(await preview.locator("li[data-tag]").first().innerText(), /tag_rule keeps only the 10 most recent/);
      // Side by side: the policy and the preview share the card's row.
      const [left, right] = await Promise.all([card.locator(".policy-side").boundingBox(), preview.boundingBox()]);
      assert.ok(right.x > left.x + left.width - 1 && Math.abs(right.y - left.y) < 4, "the preview sits beside the policy");
      assert.deepEqual(await tagNames(emulator), before, "showing a policy runs nothing");
      await screenshot(page, "77-swr-retention-policy");

      // Edit: keep 5, set aside `stable` only; the form's preview is what saving would delete.
      await card.getByRole("button", { name: "Edit" }).click();
      await dialog.getByLabel("How many (num or days)").fill("5");
      await dialog.getByLabel("Set aside these tags (label)").fill("stable");
      await dialog.getByLabel("Set aside tags matching (regexp)").fill("^1\\.0\\.1");
      const formPreview = dialog.locator(".rule-preview");
      await formPreview.locator(".reading-label", { hasText: "saving applies the policy at once" }).waitFor();
      // stable and 1.0.1, 1.0.10 … 1.0.16 set aside (9 tags); 5 of the other 27 kept.
      await dialog.locator('.rule-preview[data-delete="22"]').waitFor();
      const planned = await previewed(formPreview);
      assert.ok(planned.includes("1.0.0") && !planned.includes("stable") && !planned.includes("1.0.12"), "the old release goes; set-aside tags stay");
      // A count the engine refuses is named before anything is sent.
      await dialog.getByLabel("How many (num or days)").fill("0");
      await dialog.locator('.rule-preview [role="alert"]').waitFor();
      assert.match(await dialog.locator(".rule-preview").innerText(), /num/);
      await dialog.getByLabel("How many (num or days)").fill("5");
      await dialog.locator('.rule-preview[data-delete="22"]').waitFor();
      await screenshot(page, "78-swr-retention-edit");
      await dialog.getByRole("button", { name: "Save and apply" }).click();

      // SWR applied it: exactly the previewed tags are gone, and the page lists the rest.
      await dialog.locator(".rule-card .rule-preview[data-delete='0']").waitFor();
      const after = await tagNames(emulator);
      assert.deepEqual(before.filter((tag) => !after.includes(tag)), planned, "SWR deleted exactly the tags the preview named");
      assert.equal(after.length, 14);
      await page.locator(`.vt[data-count="14"]`).waitFor();
      assert.match(await dialog.locator('.rule-card [data-fact="keeps"]').innerText(), /^the 5 most recent tags/);

      // Delete the policy (tags untouched), then create one from the form.
      await dialog.getByRole("button", { name: "Delete", exact: true }).click();
      await dialog.getByRole("button", { name: "Delete the policy" }).click();
      await dialog.getByText("This repository has no retention policy").waitFor();
      assert.deepEqual(await swr(emulator, "/retentions"), []);
      assert.deepEqual(await tagNames(emulator), after);
      await dialog.getByRole("button", { name: "New policy" }).click();
      await dialog.getByLabel("Keep by").selectOption("tag_rule");
      await dialog.getByLabel("How many (num or days)").fill("3");
      await dialog.getByLabel("Set aside these tags (label)").fill("latest, stable");
      await dialog.getByLabel("Set aside tags matching (regexp)").fill("");
      await dialog.locator('.rule-preview[data-delete="9"]').waitFor();
      const second = await previewed(dialog.locator(".rule-preview"));
      await dialog.getByRole("button", { name: "Create and apply" }).click();
      await dialog.locator(".rule-card").waitFor();
      const last = await tagNames(emulator);
      assert.deepEqual(after.filter((tag) => !last.includes(tag)), second, "the created policy deleted exactly its preview");
      assert.equal(last.length, 5);
      const [created] = await swr(emulator, "/retentions");
      assert.deepEqual(created.rules, [{ template: "tag_rule", params: { num: "3" }, tag_selectors: [{ kind: "label", pattern: "latest" }, { kind: "label", pattern: "stable" }] }]);

      await dialog.locator(".dialog-description", { hasText: "over the 5 tags loaded" }).waitFor();
      // 390 px: policy and preview stack, nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.equal(await dialog.evaluate((element) => element.querySelector(".dialog-body").scrollWidth <= element.querySelector(".dialog-body").clientWidth), true);
      await screenshot(page, "79-swr-retention-390");
    });
  } finally {
    await emulator.stop();
  }
});
