// The dashboard (www/, served by the emulator) in "via edge proxy" mode,
// in headless Chromium, talking to edge/worker.js running in workerd: the
// browser holds no AccessKey, every API call goes through the proxy, and the
// proxy's refusals reach the user as words.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CREDENTIALS, PROXY_TOKEN, auditLines, bindingsFor, loadPackage, startWorker, useEmulator } from "./harness.mjs";
import { openDashboard, assertNoSecret, openRepository, waitForTags, screenshot } from "../page/harness.mjs";

let emulator;
let proxy;
let bigAppTags; // the registry's own count, asked directly

before(async () => {
  emulator = await useEmulator();
  // The dashboard's origin is the emulator's (it serves www/).
  proxy = await startWorker(bindingsFor(emulator.url, { ALLOWED_ORIGINS: new URL(emulator.url).origin }));
  const tagdeck = await loadPackage();
  const direct = new tagdeck.Client({ ...CREDENTIALS, regionId: "cn-hangzhou", endpoint: emulator.url });
  const { instances } = await direct.listInstance({});
  const repo = await direct.getRepository({ instanceId: instances[0].instanceId, repoNamespaceName: "demo", repoName: "big-app" });
  bigAppTags = (await direct.listRepoTag({ instanceId: instances[0].instanceId, repoId: repo.repoId, pageSize: 1 })).totalCount;
});
after(async () => {
  await proxy?.mf.dispose();
  await emulator?.stop();
});

/** Opens the dashboard and records every request the page makes. */
async function openRecorded() {
  const dashboard = await openDashboard(emulator);
  const requests = [];
  dashboard.page.on("request", (request) => requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? "" }));
  return { dashboard, requests };
}

async function connectViaProxy(page, token = PROXY_TOKEN) {
  await page.getByLabel("Via edge proxy").check();
  await page.getByLabel("Region").fill("cn-hangzhou");
  await page.getByLabel("Proxy URL").fill(proxy.url);
  await page.getByLabel("Proxy token").fill(token);
  await page.getByRole("button", { name: "Connect" }).click();
}

test("via proxy: the 2,000-tag listing arrives, and no key or signature is ever in the browser", async () => {
  const { dashboard, requests } = await openRecorded();
  const { page } = dashboard;
  try {
    await connectViaProxy(page);
    await page.getByRole("heading", { name: "Instances" }).waitFor();
    await openRepository(page, "demo", "big-app");
    assert.equal(await waitForTags(page), bigAppTags, "every tag, through the proxy");
    await screenshot(page, "edge-proxy-tags");

    const api = requests.filter((r) => r.url.startsWith(`${proxy.url}/`));
    assert.ok(api.length >= Math.ceil(bigAppTags / 100), `the listing went through the proxy (${api.length} requests)`);
    for (const request of api) {
      assert.match(new URL(request.url).pathname, /^\/api\/[A-Z][A-Za-z]+$/);
      assert.ok(request.method === "POST" || request.method === "OPTIONS", `${request.method} ${request.url}`);
    }
    // Nothing else the page fetched was an API call, signed or not.
    for (const request of requests) {
      const text = `${request.url} ${request.body}`;
      for (const marker of ["Signature=", "AccessKeyId", "SignatureNonce", CREDENTIALS.accessKeyId, CREDENTIALS.accessKeySecret]) {
        assert.ok(!text.includes(marker), `${marker} in ${request.method} ${request.url}`);
      }
      if (!request.url.startsWith(`${proxy.url}/`)) assert.equal(request.method, "GET", `only static files besides the proxy: ${request.url}`);
    }
    await assertNoSecret(dashboard, CREDENTIALS.accessKeySecret);
    await assertNoSecret(dashboard, CREDENTIALS.accessKeyId);
    // The proxy token was typed in; it stays in memory, not in the page.
    await assertNoSecret(dashboard, PROXY_TOKEN);
  } finally {
    await dashboard.close();
  }
});

test("via proxy: a wrong proxy token is explained as such", async () => {
  const { dashboard } = await openRecorded();
  const { page } = dashboard;
  try {
    await connectViaProxy(page, `${PROXY_TOKEN}-wrong`);
    const alert = page.locator(".error-box");
    await alert.waitFor();
    assert.equal(await alert.getAttribute("data-error-code"), "Proxy.Unauthorized");
    assert.equal(await alert.getAttribute("data-error-kind"), "proxy-token");
    await screenshot(page, "edge-proxy-wrong-token");
  } finally {
    await dashboard.close();
  }
});

test("via proxy: a write outside the proxy's allow-list is refused and shown, and audited", async () => {
  const { dashboard } = await openRecorded();
  const { page } = dashboard;
  try {
    await connectViaProxy(page);
    await page.getByRole("heading", { name: "Instances" }).waitFor();
    await openRepository(page, "demo", "web");
    const source = await page.locator(".vt-row[data-index='0']").getAttribute("data-tag");
    await page.getByRole("button", { name: "New tag" }).click();
    const dialog = page.locator('dialog[data-dialog="create-tag"]');
    await dialog.getByLabel("From existing tag").fill(source);
    await dialog.getByLabel("New tag", { exact: true }).fill(`edge-${Date.now()}`);
    await dialog.getByRole("button", { name: "Create tag" }).click();
    const alert = dialog.locator(".error-box");
    await alert.waitFor();
    assert.equal(await alert.getAttribute("data-error-code"), "Proxy.ActionNotAllowed");
    assert.equal(await alert.getAttribute("data-error-kind"), "proxy-action");
    await screenshot(page, "edge-proxy-refused-write");

    const started = Date.now();
    while (!auditLines(proxy.logs).some((line) => line.action === "CreateRepoTag") && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const line = auditLines(proxy.logs).find((entry) => entry.action === "CreateRepoTag");
    assert.ok(line, "the refused write has its audit line");
    assert.equal(line.status, 403);
    assert.equal(line.result, "Proxy.ActionNotAllowed");
  } finally {
    await dashboard.close();
  }
});
