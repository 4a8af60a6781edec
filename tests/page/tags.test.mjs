// The tags table on the 2,000+ tag repository: listing, virtualization, sort, filter, digests, details, URL state, small screens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDashboard, stopDashboard, openDashboard, connect, submitConnect, openRepository, waitForTags, visibleTagNames, counts, screenshot, assertNoSecret, syntheticTagListing, routeActions } from "./harness.mjs";

let emulator, dashboard, page;
before(async () => ({ emulator, dashboard, page } = await startDashboard({ connected: true })));
after(() => stopDashboard({ emulator, dashboard }));

const versions = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

async function setFilter(text, { regex = false } = {}) {
  const box = page.getByRole("checkbox", { name: /Regex/ });
  if ((await box.isChecked()) !== regex) await box.click();
  await page.getByLabel("Filter tags").fill(text);
}

test("lists every tag of the big repository, with progress, in a virtualized table", async () => {
  await page.locator(".card").first().click();
  await page.getByRole("link", { name: "demo", exact: true }).click();
  const countCell = page.locator('tr:has(a:text-is("big-app")) td[data-tag-count]:not([data-tag-count=""])');
  await countCell.waitFor();
  const expected = Number(await countCell.getAttribute("data-tag-count"));
  assert.ok(expected >= 2000);

  // Record the progress bar, its label and the counts line as they change (it may be gone again before a poll would see it).
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector(".progress progress");
      const label = document.querySelector(".progress .progress-label")?.textContent ?? "";
      const countsLine = document.querySelector(".counts")?.textContent ?? "";
      if (bar) window.__progress.push([Number(bar.value), Number(bar.max), label, countsLine]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.getByRole("link", { name: "big-app", exact: true }).click();
  const loaded = await waitForTags(page);
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.length > 0, "a progress bar was shown");
  assert.ok(progress.some(([value, max]) => max === expected && value > 0 && value < expected), `it counted up to the total: ${JSON.stringify(progress.slice(-3))}`);
  // One figure: whenever the bar shows a count, its label and the counts line say the same numbers.
  const figure = (text) => text.match(/([\d,]+) of ([\d,]+)/)?.slice(1).map((n) => Number(n.replace(/,/g, "")));
  const counted = progress.filter(([, , label]) => figure(label));
  assert.ok(counted.length > 1, `the label counted: ${JSON.stringify(progress.slice(0, 3))}`);
  for (const [value, max, label, countsLine] of counted) {
    assert.deepEqual(figure(label), [value, max], `the label says what the bar shows: ${label} vs ${value}/${max}`);
    assert.deepEqual(figure(countsLine), [value, max], `the counts line agrees with the bar: \u201c${countsLine}\u201d vs ${value}/${max}`);
  }
  assert.equal(loaded, expected, "every tag is in the table");
  assert.equal((await counts(page)).total, expected);
  await page.getByText(`${expected.toLocaleString("en")} tags`).first().waitFor();
  assert.equal(await page.locator(".load-status .warning-box").count(), 0, "the listing is complete");
  const rendered = await page.locator(".vt-canvas .vt-row").count();
  assert.ok(rendered < 120, `only the rows in view exist in the DOM (${rendered})`);
  await screenshot(page, "06-big-repository");

  // Scrolling to the end shows the last tag of the sorted list.
  await page.locator(".vt").evaluate((viewport) => (viewport.scrollTop = viewport.scrollHeight));
  await page.waitForTimeout(100);
  const last = await visibleTagNames(page);
  assert.equal(await page.locator(`.vt-canvas .vt-row:not([hidden])[data-index="${expected - 1}"]`).count(), 1, "the last row is rendered");
  assert.ok(last.length > 0);
  await page.locator(".vt").evaluate((viewport) => (viewport.scrollTop = 0));
  await assertNoSecret(dashboard, emulator.accessKeySecret);
});

test("newest first by default, with absolute dates (the age and exact time on hover)", async () => {
  assert.doesNotMatch(page.url(), /sort=|dir=/, "no sort asked for");
  assert.equal(await page.locator('[role="columnheader"][aria-sort="descending"]').getAttribute("data-column"), "updated");
  const rows = await page.$$eval(".vt-canvas .vt-row:not([hidden])", (elements) =>
    elements
      .sort((a, b) => a.dataset.index - b.dataset.index)
      .map((row) => ({ tag: row.dataset.tag, time: Date.parse(row.querySelector(".c-updated time").dateTime), text: row.querySelector(".c-updated time").innerText, title: row.querySelector(".c-updated time").title })),
  );
  assert.ok(rows.length > 5);
  assert.ok(rows.every((row, i) => i === 0 || rows[i - 1].time >= row.time), `most recently updated first: ${rows.slice(0, 4).map((row) => row.tag)}`);
  assert.equal(rows[0].tag, "latest", "latest was moved last");
  for (const row of rows) {
    assert.match(row.text, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, "an absolute date and time, not \u201c3 years ago\u201d");
    assert.match(row.title, /ago|yesterday|today|now/, "the age on hover");
    assert.match(row.title, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, "and the exact time");
  }
  // Two builds a day apart read differently (relative times all said "3 years ago").
  assert.ok(new Set(rows.map((row) => row.text)).size > rows.length / 2, "dates tell the rows apart");
  await screenshot(page, "06b-newest-first");
});

test("version-aware name sort, both directions", async () => {
  await setFilter("1.0.");
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  assert.deepEqual(await visibleTagNames(page), versions("1.0.", 20), "1.0.9 comes before 1.0.10");
  assert.match(page.url(), /sort=name&dir=asc/);
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  assert.deepEqual(await visibleTagNames(page), versions("1.0.", 20).reverse());
  assert.equal(await page.locator('[role="columnheader"][aria-sort="descending"]').getAttribute("data-column"), "name");
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  assert.match(page.url(), /q=1\.0\./);
});

test("regex filter, and a broken regex is reported instead of showing everything", async () => {
  await setFilter("^1\\.0\\.1\\d$", { regex: true });
  assert.deepEqual(await visibleTagNames(page), versions("1.0.1", 10));
  assert.equal((await counts(page)).shown, 10);
  await setFilter("^1\\.0\\.(", { regex: true });
  await page.getByText("Not a valid regular expression").waitFor();
  assert.equal((await counts(page)).shown, 0);
  await setFilter("");
  assert.equal((await counts(page)).shown, (await counts(page)).total);
});

test("a filter that matches nothing shows an empty state with \u201cClear filter\u201d, not a blank table", async () => {
  await setFilter("no-such-tag-anywhere");
  const empty = page.locator(".no-match");
  await empty.waitFor();
  assert.match(await empty.innerText(), /No tag matches the filter/);
  assert.match(await empty.innerText(), /None of the [\d,]+ tags matches \u201cno-such-tag-anywhere\u201d/);
  assert.equal(await page.locator(".vt").isVisible(), false, "no blank table under it");
  await screenshot(page, "06c-filter-no-match");
  await empty.getByRole("button", { name: "Clear filter" }).click();
  await empty.waitFor({ state: "hidden" });
  assert.equal(await page.getByLabel("Filter tags").inputValue(), "");
  const { total, shown } = await counts(page);
  assert.equal(shown, total, "every tag is back");
  assert.doesNotMatch(page.url(), /q=/);
  assert.ok(await page.locator(".vt").isVisible());

  // A broken regular expression shows nothing either: the same way out.
  await setFilter("^1\\.(", { regex: true });
  await empty.waitFor();
  await empty.getByRole("button", { name: "Clear filter" }).click();
  assert.equal(await page.getByRole("checkbox", { name: /Regex/ }).isChecked(), false, "the regex mode is cleared too");
  assert.equal((await counts(page)).shown, total);
});

test("sort by size, created and updated time", async () => {
  const sizes = async () =>
    page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) =>
      rows.sort((a, b) => a.dataset.index - b.dataset.index).map((row) => Number(row.querySelector(".c-size span").title.replace(/[^0-9]/g, ""))),
    );
  const times = async (column) =>
    page.$$eval(`.vt-canvas .vt-row:not([hidden])`, (rows, col) => rows.sort((a, b) => a.dataset.index - b.dataset.index).map((row) => Date.parse(row.querySelector(`.${col} time`).dateTime)), column);
  const nonIncreasing = (list) => list.every((value, i) => i === 0 || list[i - 1] >= value);
  const nonDecreasing = (list) => list.every((value, i) => i === 0 || list[i - 1] <= value);

  await page.getByRole("button", { name: "Size" }).click();
  const bySize = await sizes();
  assert.ok(bySize.length > 5 && nonIncreasing(bySize), `largest first: ${bySize.slice(0, 8)}`);
  assert.match(page.url(), /sort=size(?!&dir)/, "descending is the default direction, left out of the URL");
  await page.getByRole("button", { name: "Size" }).click();
  assert.ok(nonDecreasing(await sizes()), "then smallest first");

  await page.getByRole("button", { name: "Created" }).click();
  assert.ok(nonIncreasing(await times("c-created")), "newest created first");
  await page.getByRole("button", { name: "Updated" }).click();
  const updated = await times("c-updated");
  assert.ok(nonIncreasing(updated), "most recently updated first");
  await page.getByRole("button", { name: "Updated" }).click();
  assert.ok(nonDecreasing(await times("c-updated")), "then oldest first");
  assert.match(page.url(), /dir=asc/, "a second click on the default sort turns it round");
  await page.getByRole("button", { name: "Updated" }).click();
  assert.ok(nonIncreasing(await times("c-updated")), "and back");
  await screenshot(page, "07-sorted-by-updated");
});

test("tags sharing an image are marked, and the marker shows the whole group", async () => {
  await page.getByRole("button", { name: "Tag", exact: true }).click();
  await setFilter("latest");
  const latest = page.locator('.vt-canvas .vt-row:not([hidden])[data-tag="latest"]');
  const marker = latest.locator("button.shared");
  await marker.waitFor();
  assert.match(await marker.getAttribute("aria-label"), /shares its image with \d+ other tag/);
  await marker.click();
  const { shown } = await counts(page);
  assert.ok(shown >= 2, "the group has latest and the build's own tags");
  const digests = await page.$$eval(".vt-canvas .vt-row:not([hidden]) .c-digest code", (codes) => codes.map((code) => code.title));
  assert.equal(new Set(digests).size, 1, "every tag shown has the same digest");
  assert.match(await page.getByLabel("Filter tags").inputValue(), /^sha256:[0-9a-f]{64}$/);
  await screenshot(page, "08-digest-group");
});

test("tag details: manifest, layers, pull command, scan; the URL keeps the open tag", async () => {
  await setFilter("");
  const row = page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0']");
  const name = await row.getAttribute("data-tag");
  await row.locator("button.tag-name").click();
  const drawer = page.locator('dialog[data-dialog="tag"]');
  try {
    await drawer.getByRole("heading", { name }).waitFor();
    assert.match(page.url(), new RegExp(`tag=${encodeURIComponent(name).replace(/\./g, "\\.")}`));
    await drawer.locator(".layer-list.detailed li").first().waitFor();
    assert.ok((await drawer.locator(".layer-list.detailed li").count()) >= 1, "layers listed");
    await drawer.getByText("Media type").waitFor();
    assert.match(await drawer.locator(".pull-command").innerText(), new RegExp(`^docker pull \\S+/demo/big-app:${name.replace(/\./g, "\\.")}$`));
    await screenshot(page, "09-tag-details");

    // A security scan: none yet; started, followed while it runs, then complete.
    const scanStatus = drawer.locator(".scan-status");
    await drawer.locator('.scan-status[data-scan-status="NONE"]').waitFor();
    await drawer.getByRole("button", { name: "Scan for vulnerabilities" }).click();
    await drawer.getByText("Scan started").waitFor();
    await drawer.locator('.scan-status[data-scan-status="SCANNING"]').waitFor();
    assert.ok(await drawer.getByRole("button", { name: "Scan for vulnerabilities" }).isDisabled(), "no second scan while one runs");
    await screenshot(page, "09b-scan-running");
    await drawer.locator('.scan-status[data-scan-status="COMPLETE"]').waitFor({ timeout: 60000 });
    assert.match(await scanStatus.innerText(), /complete/);
    assert.ok(await drawer.getByRole("button", { name: "Scan for vulnerabilities" }).isEnabled());
  } finally {
    await page.keyboard.press("Escape");
  }
  await drawer.waitFor({ state: "detached" });
  assert.doesNotMatch(page.url(), /tag=/);
});

test("keyboard: arrows move between rows, space selects, shift-click selects a range", async () => {
  await setFilter("1.0.");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0'] button.tag-name").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".vt-row").dataset.tag), "1.0.2");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-tag='1.0.2'] input[type=checkbox]").focus();
  await page.keyboard.press("Space");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-tag='1.0.6'] input[type=checkbox]").click({ modifiers: ["Shift"] });
  assert.equal((await counts(page)).selected, 5, "1.0.2 to 1.0.6");
  // One row at a time is in the Tab order: Tab leaves the table after the focused row's controls.
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-tag='1.0.6'] button[data-action='delete']").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest(".vt-canvas"))), false, "Tab leaves the table");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".vt-row")?.dataset.tag), "1.0.6", "and Shift+Tab comes back to the same row");
  await page.getByRole("button", { name: /Select all \d+ shown/ }).click();
  assert.equal((await counts(page)).selected, 20);
  await page.getByRole("button", { name: "Clear selection" }).click();
  assert.equal((await counts(page)).selected, 0);
});

test("reload keeps the place: repository, filter and sort come back after reconnecting", async () => {
  await setFilter("^1\\.1\\.", { regex: true });
  await page.getByRole("button", { name: "Size" }).click();
  const url = page.url();
  assert.match(url, /re=1/);
  await page.reload();
  await submitConnect(page, emulator);
  await waitForTags(page);
  assert.equal(page.url(), url);
  assert.equal(await page.getByLabel("Filter tags").inputValue(), "^1\\.1\\.");
  assert.ok(await page.getByRole("checkbox", { name: /Regex/ }).isChecked());
  assert.equal((await counts(page)).shown, 20);
});

test("usable at 390 px wide", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await setFilter("", { regex: false });
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  assert.ok(await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0'] button.tag-name").isVisible());
  await screenshot(page, "10-narrow-repository");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='0'] button.tag-name").click();
  await page.locator('dialog[data-dialog="tag"] .layer-list').first().waitFor();
  await screenshot(page, "11-narrow-details");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("dark colour scheme follows the system", async () => {
  await page.emulateMedia({ colorScheme: "dark" });
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(15, 17, 21)");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='2'] input[type=checkbox]").check();
  await screenshot(page, "19-dark");
  await page.locator(".vt-canvas .vt-row:not([hidden])[data-index='2'] button.tag-name").click();
  await page.locator('dialog[data-dialog="tag"] .layer-list').first().waitFor();
  await screenshot(page, "20-dark-details");
  await page.keyboard.press("Escape");
  await page.emulateMedia({ colorScheme: "light" });
});

test("10,000 tags (a synthetic listing): every page fetched, still only the rows in view in the DOM, sort and filter work", async () => {
  const big = await openDashboard(emulator);
  try {
    await syntheticTagListing(big.page, 10_000);
    await connect(big.page, emulator);
    await openRepository(big.page, "demo", "api");
    assert.equal(await waitForTags(big.page), 10_000);
    assert.ok((await big.page.locator(".vt-canvas .vt-row").count()) < 120);
    await big.page.getByRole("checkbox", { name: /Regex/ }).check();
    await big.page.getByLabel("Filter tags").fill("^1\\.0\\.");
    assert.deepEqual(await visibleTagNames(big.page), versions("1.0.", 20));
    await big.page.getByLabel("Filter tags").fill("");
    await big.page.locator(".vt").evaluate((viewport) => (viewport.scrollTop = viewport.scrollHeight / 2));
    await big.page.waitForTimeout(100);
    const middle = await big.page.locator(".vt-canvas .vt-row:not([hidden])").count();
    assert.ok(middle > 10 && middle < 120, `rows rendered mid-way: ${middle}`);
    await screenshot(big.page, "21-ten-thousand");
  } finally {
    await big.close();
  }
});

test("a page that cannot be loaded is reported with its reason, never silently dropped; loading again completes the list", async () => {
  const other = await openDashboard(emulator);
  try {
    let refused = 0;
    await routeActions(
      other.page,
      (action, query) => action === "ListRepoTag" && query.get("PageNo") === "3",
      async (route) => {
        refused += 1;
        await route.fulfill({
          status: 403,
          contentType: "application/json",
          body: JSON.stringify({ RequestId: "REFUSED-PAGE-3", Code: "Forbidden.RAM", Message: "The RAM user is not allowed to list this page." }),
        });
      },
    );
    await connect(other.page, emulator);
    await openRepository(other.page, "demo", "big-app");
    const warning = other.page.locator(".load-status .warning-box");
    await warning.waitFor();
    assert.match(await warning.innerText(), /The list is incomplete: 1 page of tags could not be loaded \(about 100 tags missing\)/);
    assert.match(await warning.innerText(), /REFUSED-PAGE-3/);
    assert.equal(refused, 1, "a refusal (not retryable) is not retried");
    const { total } = await counts(other.page);
    assert.match(await other.page.locator(".counts").innerText(), new RegExp(`^${total.toLocaleString("en")} of ${(total + 100).toLocaleString("en")} tags \\(incomplete\\)`));
    await screenshot(other.page, "22-incomplete-listing");

    await other.page.unrouteAll();
    await other.page.getByRole("button", { name: "Load again" }).click();
    assert.equal(await waitForTags(other.page), total + 100);
    assert.equal(await warning.count(), 0);
  } finally {
    await other.close();
  }
});
