// Reloading while the registry is down: the failure is shown at the first attempt that gets no answer
// (not after every retry), the rows still shown are marked stale, and the session pill stops being green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connectedDashboard, openRepository, routeActions, waitForTags, counts, screenshot } from "./harness.mjs";

const shared = connectedDashboard({ then: (page) => openRepository(page, "demo", "web") });

/**
 * Takes the registry "down" for this page: the first API request is refused
 * at the connection, every later one waits unanswered until `release()`
 * (then it is refused too). So whatever the page shows before `release()`
 * it shows after one failed attempt, with the retries still waiting.
 */
async function registryDown(page) {
  const seen = { refused: 0, waiting: 0 };
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await routeActions(
    page,
    () => true,
    async (route) => {
      if (seen.refused === 0) {
        seen.refused += 1;
        return route.abort("connectionrefused");
      }
      seen.waiting += 1;
      await released;
      await route.abort("connectionrefused").catch(() => {}); // the package may have given up on it already
    },
  );
  return { seen, release };
}

test("reload with the registry down: failure shown at once, stale rows marked, the pill honest; back when it answers", async () => {
  const { page } = shared;
  const pill = page.locator(".session-pill");
  assert.equal(await pill.getAttribute("data-health"), "ok");
  const shownBefore = (await counts(page)).total;
  const down = await registryDown(page);

  await page.getByRole("button", { name: "Reload tags" }).click();
  const trouble = page.locator(".load-status .warning-box[data-trouble]");
  await trouble.waitFor();
  assert.equal(down.seen.refused, 1, "one attempt failed");
  assert.equal(await page.getByRole("button", { name: "Try again" }).count(), 0, "shown while the retries still wait, not after them");
  assert.match(await trouble.innerText(), /Could not reach the registry\. Still trying/);
  assert.match(await trouble.innerText(), new RegExp(`The ${shownBefore.toLocaleString("en")} tags below are the list loaded at .+; they may be out of date`));
  // The pill says so at the same moment: not green.
  await page.locator('.session-pill[data-health="unreachable"]').waitFor();
  assert.match(await pill.innerText(), /not answering/);
  const dot = await pill.locator(".dot").evaluate((element) => getComputedStyle(element).backgroundColor);
  const green = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--good").trim());
  assert.notEqual(dot, green, "the dot is not the 'connected' green");
  // The old rows stay, marked as stale.
  assert.equal(await page.locator(".vt").getAttribute("data-stale"), "true");
  assert.match(await page.locator(".counts").innerText(), new RegExp(`^${shownBefore.toLocaleString("en")} tags as of .+ \\(stale\\)`));
  assert.equal(await page.locator(".vt-canvas .vt-row:not([hidden])").count() > 0, true);
  await screenshot(page, "56-reload-registry-down");

  // Giving up on the retries leaves the error, and the rows still marked.
  await trouble.getByRole("button", { name: "Stop trying" }).click();
  const failure = page.locator(".load-status .load-failure");
  await failure.waitFor();
  assert.match(await failure.innerText(), /Could not reach the registry/);
  assert.match(await failure.innerText(), /may be out of date/);
  assert.equal(await page.locator(".vt").getAttribute("data-stale"), "true");
  assert.ok(await page.getByRole("button", { name: "New tag" }).isDisabled(), "no writes from a stale list");
  await screenshot(page, "57-reload-stopped");

  // The registry is back: loading again replaces the stale rows and the pill turns green again.
  await page.unrouteAll({ behavior: "ignoreErrors" });
  down.release();
  await page.getByRole("button", { name: "Try again" }).click();
  assert.equal(await waitForTags(page), shownBefore);
  assert.equal(await page.locator(".vt").getAttribute("data-stale"), null);
  await page.locator('.session-pill[data-health="ok"]').waitFor();
  assert.doesNotMatch(await pill.innerText(), /not answering/);
  assert.equal(await page.locator(".load-status .warning-box, .load-status .error-box").count(), 0);
});
