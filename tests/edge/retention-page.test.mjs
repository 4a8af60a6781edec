// The dashboard's retention runs page (#/runs, www/views/runs*.js) in headless Chromium,
// reading the journal of edge/worker.js's retention runs in workerd: the
// list with its summary, one run's page, a run started from the page with a
// pasted in-use list, and undo from the page.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { PROXY_TOKEN } from "./harness.mjs";
import { INSTANCE_ID, directClient, startRegistry, startRetentionWorker } from "./retention-harness.mjs";
import { launchBrowser, screenshot } from "../page/browser.mjs";

let emulator;
let worker;
let direct;
let browser;

before(async () => {
  emulator = await startRegistry();
  direct = await directClient(emulator.url);
  worker = await startRetentionWorker(emulator.url, {
    // The page is served by the emulator, so its origin is the emulator's.
    ALLOWED_ORIGINS: new URL(emulator.url).origin,
    RETENTION_POLICIES: JSON.stringify([
      { name: "platform-sha", registry: "alibaba", scope: { instanceId: INSTANCE_ID, namespace: "platform" }, policy: { rules: [{ id: "commits", tags: { include: "sha-*" }, keep: { newest: 2 } }] }, mode: "apply" },
    ]),
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await worker?.mf.dispose();
  await emulator?.stop();
});

async function openRunsPage() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${emulator.url}/`);
  await page.getByRole("link", { name: "Retention runs" }).click();
  await screenshot(page, "retention-connect");
  // The worker in workerd answers on miniflare's own socket.
  await page.getByLabel("Proxy URL").fill((await worker.mf.ready).toString().replace(/\/$/, ""));
  await page.getByLabel("Proxy token").fill(PROXY_TOKEN);
  await page.getByRole("button", { name: "Open the journal" }).click();
  await page.getByRole("heading", { name: "Runs", exact: true }).waitFor();
  return { page, errors };
}

test("the runs page lists a finished run with its summary, shows its deletes, and undoes it", async () => {
  const before = await direct.tagsOf("platform");
  await worker.trigger();
  const record = await worker.waitForRun();
  const { page, errors } = await openRunsPage();
  const row = page.locator(`tr[data-run-id="${record.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`platform-sha[\\s\\S]*finished[\\s\\S]*${record.summary.deleted}`));
  await screenshot(page, "retention-runs");

  await row.getByRole("link").click();
  await page.getByRole("heading", { name: `Deleted (${record.summary.deleted})` }).waitFor();
  assert.equal(await page.locator(".run-summary dd").first().innerText(), String(record.summary.kept));
  await screenshot(page, "retention-run");

  await page.getByRole("button", { name: "Undo this run…" }).click();
  await page.getByRole("button", { name: `Re-create ${record.summary.deleted} tags` }).click();
  const undoHeading = page.getByRole("heading", { name: `Undo, finished (${record.summary.deleted})` });
  await undoHeading.waitFor({ timeout: 60_000 });
  assert.deepEqual(await direct.tagsOf("platform"), before, "every deleted tag is back");
  assert.match(await page.locator(".page-head").innerText(), /undone \d{4}-\d\d-\d\d/);
  await undoHeading.scrollIntoViewIfNeeded();
  await screenshot(page, "retention-run-undone");
  // On a phone: the page fits its width (tables scroll inside their frame).
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scroll at 390 px");
  await screenshot(page, "retention-run-narrow");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a dry run started from the page keeps what the pasted list says is deployed", async () => {
  const nginx = (await direct.tagsOf("platform")).get("platform/nginx");
  const oldSha = [...nginx.keys()].filter((tag) => tag.startsWith("sha-")).at(-1);
  const { page, errors } = await openRunsPage();
  await page.getByLabel("Also in use for this run (optional)").fill(`cr.example.com/platform/nginx:${oldSha} deploy/web in prod`);
  await page.getByRole("button", { name: "Start run" }).click();
  await page.getByRole("heading", { name: "platform-sha" }).waitFor();
  // The run goes on in the queue; refresh its page until it has finished.
  for (let i = 0; i < 100 && !(await page.getByRole("heading", { name: /^Kept because in use/ }).count()); i++) {
    await page.waitForTimeout(300);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByRole("heading", { name: "platform-sha" }).waitFor();
  }
  const kept = page.locator(".runs-section", { has: page.getByRole("heading", { name: /^Kept because in use/ }) });
  assert.match(await kept.innerText(), new RegExp(`${oldSha}[\\s\\S]*in use: deploy/web in prod`));
  assert.match(await page.locator(".page-head").innerText(), /dry-run/i);
  await screenshot(page, "retention-run-dry");
  assert.deepEqual(errors, []);
  await page.close();
});
