// The region switcher: another region's instances without disconnecting (the same keys), and back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { actionOf, useEmulator, withDashboard, connect, submitTokenConnect, assertNoSecret, screenshot } from "./harness.mjs";

let emulator;
before(async () => (emulator = await useEmulator()));
after(async () => emulator?.stop());

async function instanceNames(page) {
  return page.locator(".card .card-title").allInnerTexts();
}

test("switching region lists that region's instances, opens them, and comes back, without asking for the keys", async () => {
  await withDashboard(emulator, async (page, dashboard) => {
    await connect(page, emulator);
    assert.equal(emulator.regionId, "cn-hangzhou");
    assert.deepEqual(await instanceNames(page), ["demo-hangzhou"]);
    const region = page.getByRole("combobox", { name: "Region" });
    assert.equal(await region.inputValue(), "cn-hangzhou");

    await region.selectOption("cn-shanghai");
    await page.locator(".card .card-title", { hasText: "demo-shanghai" }).waitFor();
    assert.deepEqual(await instanceNames(page), ["demo-shanghai"], "only the other region's instance");
    assert.equal(await page.getByRole("heading", { name: "Connect to a registry" }).count(), 0, "no disconnect, no form");
    assert.equal(await region.inputValue(), "cn-shanghai");
    assert.match(await page.locator(".eyebrow").first().textContent(), /cn-shanghai/);
    await screenshot(page, "58-region-switched");

    // The other region's instance opens like any other.
    await page.locator(".card").first().click();
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    await page.locator(".meter").first().waitFor();
    assert.equal(await page.locator(".error-box").count(), 0);

    // A region without instances says so; and back to the first one.
    await region.selectOption("eu-central-1");
    await page.getByText("No instances in this region").waitFor();
    assert.match(await page.locator(".empty").innerText(), /eu-central-1/);
    await region.selectOption("cn-hangzhou");
    await page.locator(".card .card-title", { hasText: "demo-hangzhou" }).waitFor();
    assert.deepEqual(await instanceNames(page), ["demo-hangzhou"]);
    await assertNoSecret(dashboard, emulator.accessKeySecret);

    // The region chosen last is the one the form offers next time.
    await region.selectOption("cn-shanghai");
    await page.locator(".card .card-title", { hasText: "demo-shanghai" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Connect to a registry" }).waitFor();
    assert.equal(await page.getByLabel("Region").inputValue(), "cn-shanghai");
  });
});

test("a region switch that fails keeps the session where it was and says why", async () => {
  await withDashboard(emulator, async (page) => {
    await connect(page, emulator);
    // The other region's first answer is a refusal (as for keys not allowed there). ListInstance names no
    // RegionId (the endpoint is the region), so every ListInstance from here on is the switch's.
    await page.route("**/*", (route) => {
      const request = route.request();
      const action = actionOf(request);
      if (action !== "ListInstance") return route.continue();
      return route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ RequestId: "REGION-REFUSED", Code: "Forbidden.RAM", Message: "Not allowed in this region." }) });
    });
    const region = page.getByRole("combobox", { name: "Region" });
    await region.selectOption("cn-shanghai");
    const toast = page.locator(".toast.error");
    await toast.waitFor();
    assert.match(await toast.innerText(), /Still in cn-hangzhou: switching to cn-shanghai failed \(Not allowed\)/);
    assert.match(await toast.innerText(), /REGION-REFUSED/);
    assert.equal(await region.inputValue(), "cn-hangzhou", "the switcher shows where the session still is");
    assert.deepEqual(await instanceNames(page), ["demo-hangzhou"]);
    await screenshot(page, "59-region-switch-refused");
  });
});

test("Scaleway: the switcher shows another region's namespaces with the same secret key", async () => {
  await withDashboard(emulator, async (page, dashboard) => {
    await submitTokenConnect(page, emulator, { registry: "scaleway", region: "fr-par" });
    await page.getByRole("heading", { name: "Namespaces" }).waitFor();
    const names = () => page.locator(".data-table tbody th a").allInnerTexts();
    await page.getByRole("link", { name: "demo", exact: true }).waitFor();
    assert.ok(!(await names()).includes("ml"), "ml lives in nl-ams");
    await page.getByRole("combobox", { name: "Region" }).selectOption("nl-ams");
    await page.getByRole("link", { name: "ml", exact: true }).waitFor();
    assert.deepEqual(await names(), ["ml"]);
    await assertNoSecret(dashboard, emulator.authToken);
  });
});
