// Connecting: success without leaking the secret, each failure explained, navigation, remembered keys.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useEmulator, openDashboard, submitConnect, connect, assertNoSecret, screenshot } from "./harness.mjs";

let emulator;
before(async () => (emulator = await useEmulator()));
after(async () => emulator?.stop());

test("connect, then navigate instance → namespace → repository with usage and counts", async () => {
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
    await screenshot(page, "01-connect");
    await connect(page, emulator);
    await assertNoSecret(dashboard, emulator.accessKeySecret);
    await screenshot(page, "02-instances");

    await page.locator(".card").first().click();
    assert.match(page.url(), /#\/i\/cri-/);
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    await page.locator(".meter").first().waitFor();
    const meters = await page.locator(".meter").allInnerTexts();
    assert.ok(meters.some((text) => /Namespaces\s+\d+ of \d+/.test(text)), `namespace usage shown: ${meters}`);
    assert.ok(meters.some((text) => /Repositories\s+\d+ of \d+/.test(text)), `repository usage shown: ${meters}`);
    const demoRow = page.locator("tr", { has: page.getByRole("link", { name: "demo", exact: true }) });
    assert.ok(Number(await demoRow.locator("td.num").innerText()) >= 2, "repository count per namespace");
    await screenshot(page, "03-instance");

    await page.getByRole("link", { name: "demo", exact: true }).click();
    assert.match(page.url(), /#\/i\/cri-[^/]+\/n\/demo$/);
    const bigAppCount = page.locator('tr:has(a:text-is("big-app")) td[data-tag-count]:not([data-tag-count=""])');
    await bigAppCount.waitFor();
    assert.ok(Number(await bigAppCount.getAttribute("data-tag-count")) >= 2000, "big-app has at least 2,000 tags");
    await screenshot(page, "04-namespace");

    await page.getByRole("link", { name: "big-app", exact: true }).click();
    await page.getByRole("heading", { name: "demo/big-app" }).waitFor();
    assert.match(page.url(), /\/n\/demo\/r\/big-app/);
    // The breadcrumb leads back.
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "demo", exact: true }).click();
    await page.getByRole("heading", { name: "demo", exact: true }).waitFor();
    await assertNoSecret(dashboard, emulator.accessKeySecret);
  } finally {
    await dashboard.close();
  }
});

test("a wrong secret is explained as a wrong secret, with the request id", async () => {
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    const wrong = "not-the-secret-" + Date.now();
    await submitConnect(page, emulator, { accessKeySecret: wrong });
    const alert = page.locator(".error-box");
    await alert.waitFor();
    assert.equal(await alert.getAttribute("data-error-code"), "SignatureDoesNotMatch");
    assert.equal(await alert.getAttribute("data-error-kind"), "wrong-secret");
    await page.getByText("Wrong AccessKey secret").waitFor();
    assert.match(await alert.locator(".request-id").innerText(), /\S{8,}/, "the request id is shown");
    await assertNoSecret(dashboard, wrong);
    await screenshot(page, "05-wrong-secret");
  } finally {
    await dashboard.close();
  }
});

test("an unknown AccessKey ID and an unreachable endpoint get their own explanations", async () => {
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    await submitConnect(page, emulator, { accessKeyId: "LTAI-nobody-knows-this" });
    await page.locator('.error-box[data-error-kind="unknown-key"]').waitFor();
    await page.getByText("Unknown AccessKey ID").waitFor();

    // A closed port: the browser cannot connect at all.
    await page.getByLabel("Endpoint").fill("http://127.0.0.1:9");
    await page.getByLabel("AccessKey ID").fill(emulator.accessKeyId);
    await page.getByLabel("AccessKey secret").fill(emulator.accessKeySecret);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator('.error-box[data-error-kind="network"]').waitFor({ timeout: 60000 });
    await page.getByText("Could not reach the registry").waitFor();
  } finally {
    await dashboard.close();
  }
});

test("keys stay in memory unless remembered; a remembered session survives a reload at the same place", async () => {
  const dashboard = await openDashboard(emulator);
  const { page } = dashboard;
  try {
    await connect(page, emulator);
    await page.locator(".card").first().click();
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    const place = page.url();
    await page.reload();
    // Not remembered: the form comes back, the place is still in the URL.
    await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
    assert.equal(page.url(), place);
    assert.equal(await page.evaluate(() => localStorage.getItem("tagdeck.remembered")), null);

    // After connecting, the view in the URL (the instance) is shown.
    await submitConnect(page, emulator, { remember: true });
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    assert.equal(page.url(), place, "reload keeps the place");
    await assertNoSecret(dashboard, emulator.accessKeySecret, { allowStorage: true });

    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("tagdeck.remembered")), null, "disconnect forgets the keys");
  } finally {
    await dashboard.close();
  }
});
