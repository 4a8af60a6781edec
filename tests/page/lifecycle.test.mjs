// A repository's lifecycle rules (the *ArtifactLifecycleRule operations): listed with whether they
// delete, run by themselves and when next; created, edited and deleted; each with a preview of what it
// would delete, labelled as tagdeck's reading. The preview agrees with what the emulator's own run of the
// rule deletes (emulator/README.md, "Lifecycle (retention) rules: tagdeck's reading").
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, withDashboard, withPackageClient, connect, openRepository, screenshot } from "./harness.mjs";

const DAY_MS = 86_400_000;
const INSTANCE = "cri-tagdeckdemo00001";

/** The demo/api tags as the emulator has them now, read with the package's Client (Node). */
async function tagsOfApi(emulator) {
  return withPackageClient(emulator, async (client) => {
    const { repoId } = await client.getRepository({ instanceId: INSTANCE, repoNamespaceName: "demo", repoName: "api" });
    const names = [];
    for (let pageNo = 1; ; pageNo++) {
      const answer = await client.listRepoTag({ instanceId: INSTANCE, repoId, pageNo, pageSize: 100 });
      names.push(...answer.images.map((image) => image.tag));
      if (names.length >= Number(answer.totalCount) || answer.images.length === 0) return names;
    }
  });
}

/** Moves rule `ruleId`'s last change back in the emulator's state file, so that its schedule is due. */
function makeDue(stateFile, ruleId, now) {
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  let found = 0;
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== "object") return;
    if (value.id === ruleId && value.fields) {
      value.fields.ModifiedTime = now - 2 * DAY_MS;
      value.fields.CreateTime = now - 2 * DAY_MS;
      found += 1;
      return;
    }
    Object.values(value).forEach(visit);
  };
  visit(state);
  assert.equal(found, 1, `the state file holds rule ${ruleId} once`);
  writeFileSync(stateFile, JSON.stringify(state));
}

test("lifecycle rules: create, preview (tagdeck's reading), edit, delete; the emulator's run deletes exactly what the preview said", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tagdeck-lifecycle-"));
  const stateFile = path.join(dir, "state.json");
  let emulator = await startEmulator(["--state", stateFile]);
  let previewed;
  let ruleId;
  let before;
  try {
    const beforeNames = await tagsOfApi(emulator);
    await withDashboard(emulator, async (page) => {
      await connect(page, emulator);
      await openRepository(page, "demo", "api");
      before = await page.locator(".vt").getAttribute("data-count").then(Number);
      assert.equal(before, beforeNames.length);
      await page.getByRole("button", { name: "Lifecycle rules" }).click();
      const dialog = page.locator('dialog[data-dialog="lifecycle"]');
      await dialog.getByText("No lifecycle rule applies to this repository").waitFor();

      // Create: the form's preview follows what is typed.
      await dialog.getByRole("button", { name: "New rule" }).click();
      await dialog.getByLabel("Always keep tags matching (TagRegexp)").fill("latest|stable");
      await dialog.getByLabel("And keep the newest others (RetentionTagCount)").fill("3");
      const formPreview = dialog.locator(".rule-preview");
      await formPreview.waitFor();
      assert.match(await formPreview.innerText(), /tagdeck’s reading/);
      assert.equal(Number(await formPreview.getAttribute("data-delete")), before - 5, "two retained by name, three newest others");
      await dialog.getByLabel("And keep the newest others (RetentionTagCount)").fill("");
      await dialog.getByLabel("Always keep tags matching (TagRegexp)").fill("(unclosed");
      await dialog.locator('.rule-preview [role="alert"]').waitFor();
      assert.match(await dialog.locator(".rule-preview").innerText(), /tagRegexp/i, "a bad TagRegexp is named");
      await dialog.getByLabel("Always keep tags matching (TagRegexp)").fill("latest|stable");
      await dialog.getByLabel("And keep the newest others (RetentionTagCount)").fill("3");
      await screenshot(page, "70-lifecycle-new-rule");
      await dialog.getByRole("button", { name: "Create rule" }).click();

      const card = dialog.locator(".rule-card");
      await card.waitFor();
      ruleId = await card.getAttribute("data-rule-id");
      assert.match(ruleId, /^cralr-/);
      assert.match(await card.locator('[data-fact="enabled"]').innerText(), /^yes/);
      assert.match(await card.locator('[data-fact="auto"]').innerText(), /only when run by hand/);
      assert.equal(await card.locator('[data-fact="next"]').innerText(), "\u2014");

      // Edit: automatic, every day; the next run is a day after the change.
      await card.getByRole("button", { name: "Edit" }).click();
      await dialog.getByLabel("Run automatically on the schedule (Auto)").check();
      await dialog.getByLabel("Schedule (ScheduleTime)").selectOption("DAY");
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.locator('.rule-card [data-fact="auto"]', { hasText: "automatically, every day" }).waitFor();
      const next = await dialog.locator('.rule-card [data-fact="next"] time').getAttribute("title");
      assert.ok(next && next !== "\u2014", "an automatic rule shows its next run");

      // The preview of the stored rule: what it would delete, by name.
      const preview = dialog.locator(".rule-card .rule-preview");
      assert.equal(Number(await preview.getAttribute("data-delete")), before - 5);
      assert.match(await preview.locator(".reading-label").innerText(), /tagdeck’s reading/);
      await preview.locator("summary").click();
      previewed = await preview.locator("li[data-tag]").evaluateAll((items) => items.map((item) => item.dataset.tag));
      assert.equal(previewed.length, before - 5);
      assert.ok(!previewed.includes("latest") && !previewed.includes("stable"), "TagRegexp retains");
      await screenshot(page, "71-lifecycle-rules");

      // A second rule, for the namespace, deleted again: only the first stays.
      await dialog.getByRole("button", { name: "New rule" }).click();
      await dialog.getByLabel("Applies to").selectOption("NAMESPACE");
      await dialog.getByRole("button", { name: "Create rule" }).click();
      await dialog.locator(".rule-card").nth(1).waitFor();
      const second = dialog.locator(".rule-card", { hasText: "Every repository of namespace demo" });
      await second.getByRole("button", { name: "Delete" }).click();
      await second.getByRole("button", { name: "Delete the rule" }).click();
      await dialog.locator(".rule-card").nth(1).waitFor({ state: "detached" });
      assert.equal(await dialog.locator(".rule-card").getAttribute("data-rule-id"), ruleId);

      // 390 px: the rule card and its preview fit without sideways scrolling.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.equal(await dialog.evaluate((element) => element.querySelector(".dialog-body").scrollWidth <= element.querySelector(".dialog-body").clientWidth), true);
      await screenshot(page, "72-lifecycle-rules-390");
    });

    // The emulator runs the rule: its schedule made due (the state file), the first request after a restart sees the run.
    await emulator.stop();
    makeDue(stateFile, ruleId, Date.now());
    emulator = await startEmulator(["--state", stateFile]);
    const after = await tagsOfApi(emulator);
    const deleted = beforeNames.filter((name) => !after.includes(name));
    assert.equal(after.length, 5, "the rule ran: two retained by name, three newest others");
    assert.deepEqual(deleted.sort(), previewed.slice().sort(), "the emulator deleted exactly the tags the preview named");
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

