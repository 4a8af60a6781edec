/**
 * Shared pieces of the page tests: the emulator (the one scripts/test-pages.sh
 * started, or a private one), the browser page with console capture, and
 * the steps most tests share (connect, open a repository, secret checks).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, screenshot } from "./browser.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EMULATOR_BIN =
  process.env.TAGDECK_EMULATOR ?? path.join(path.resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target"), "debug/tagdeck-emulator");

/**
 * Starts `tagdeck-emulator --listen 127.0.0.1:0 --seed demo` (plus `args`)
 * and reads the address and credentials it prints.
 */
export async function startEmulator(args = []) {
  if (!existsSync(EMULATOR_BIN)) {
    throw new Error(`No emulator at ${EMULATOR_BIN}: run cargo build -p tagdeck-emulator (or set TAGDECK_EMULATOR)`);
  }
  // --task-ms: scans take 5 s, so tests see both "scanning" and "complete".
  const child = spawn(EMULATOR_BIN, ["--listen", "127.0.0.1:0", "--seed", "demo", "--task-ms", "5000", "--www", path.join(ROOT, "www"), "--pkg", path.join(ROOT, "pkg"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const printed = {};
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 15 s: ${stderr}`)), 15000);
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)));
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      for (const line of buffer.split("\n")) {
        const listening = line.match(/listening on (http:\/\/\S+)/);
        if (listening) printed.url = listening[1];
        const field = line.match(/^(access-key-id|access-key-secret|auth-token|region-id): (\S+)/);
        if (field) printed[field[1]] = field[2];
      }
      if (printed.url && printed["access-key-id"] && printed["access-key-secret"] && printed["auth-token"]) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.stdout.resume();
  return {
    url: printed.url,
    accessKeyId: printed["access-key-id"],
    accessKeySecret: printed["access-key-secret"],
    authToken: printed["auth-token"],
    regionId: printed["region-id"] ?? "cn-hangzhou",
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Starts the edge proxy in Node (`node edge/serve.mjs --listen 127.0.0.1:0`)
 * with these bindings and reads the address it prints first.
 */
export async function startProxy(bindings) {
  const child = spawn(process.execPath, [path.join(ROOT, "edge/serve.mjs"), "--listen", "127.0.0.1:0"], {
    env: { ...process.env, ...bindings },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`edge proxy did not start within 30 s: ${stderr}`)), 30000);
    child.on("exit", (code) => reject(new Error(`edge proxy exited with ${code}: ${stderr}`)));
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const match = buffer.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  child.stdout.resume();
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The edge proxy (edge/serve.mjs) in front of `emulator`, with a fresh proxy
 * token, allowing the dashboard's origin; `bindings` adds or overrides
 * (ALLOWED_ACTIONS unset: read-only operations only). `proxy.token` is the token.
 */
export async function startEdgeProxy(emulator, bindings = {}) {
  const token = randomBytes(24).toString("hex");
  const proxy = await startProxy({
    ACCESS_KEY_ID: emulator.accessKeyId,
    ACCESS_KEY_SECRET: emulator.accessKeySecret,
    UPSTREAM: emulator.url,
    REGION_ID: emulator.regionId,
    PROXY_TOKEN: token,
    ALLOWED_ORIGINS: new URL(emulator.url).origin,
    ...bindings,
  });
  return { ...proxy, token };
}

/** The run's emulator behind an edge proxy (`startEdgeProxy`) for a whole test file: `{ emulator, proxy }`. */
export function emulatorBehindProxy(bindings) {
  const shared = {};
  before(async () => {
    shared.emulator = await useEmulator();
    shared.proxy = await startEdgeProxy(shared.emulator, bindings);
  });
  after(async () => {
    await shared.proxy?.stop();
    await shared.emulator?.stop();
  });
  return shared;
}

/** The emulator of this test run: the one scripts/test-pages.sh exported, else a private one. */
export async function useEmulator() {
  if (process.env.TAGDECK_URL) {
    return {
      url: process.env.TAGDECK_URL,
      accessKeyId: process.env.TAGDECK_ACCESS_KEY_ID,
      accessKeySecret: process.env.TAGDECK_ACCESS_KEY_SECRET,
      authToken: process.env.TAGDECK_AUTH_TOKEN,
      regionId: process.env.TAGDECK_REGION_ID ?? "cn-hangzhou",
      stop: async () => {},
    };
  }
  return startEmulator();
}

/**
 * A browser page on the dashboard. Console messages and page errors are
 * collected; `close()` fails the test on an uncaught page error.
 */
export async function openDashboard(emulator, { viewport } = {}) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const consoleLines = [];
  const pageErrors = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(emulator.url + "/");
  return {
    page,
    browser,
    consoleLines,
    pageErrors,
    async close() {
      await browser.close();
      assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
    },
  };
}

/**
 * One dashboard for a whole test file, connected (direct mode) before the
 * first test and closed after the last: `{ emulator, dashboard, page }`,
 * filled in by the `before` hook. `emulator`: a private one instead of the
 * run's (for files that change its data); `then(page)`: more set-up steps in
 * the same hook (a second top-level `before` would start before this one ends).
 */
export function connectedDashboard({ emulator: start = useEmulator, then = async () => {} } = {}) {
  const shared = {};
  before(async () => {
    Object.assign(shared, await startDashboard({ emulator: start, connected: true }));
    await then(shared.page);
  });
  after(() => stopDashboard(shared));
  return shared;
}

/**
 * The emulator (`emulator`: how to get it; the run's by default) and a
 * dashboard on it, connected in direct mode when `connected`:
 * `{ emulator, dashboard, page }`. What it started is stopped again if a
 * later step fails. For files that keep the three in variables of their own
 * (`before(async () => ({ emulator, dashboard, page } = await startDashboard()))`).
 */
export async function startDashboard({ emulator: start = useEmulator, connected = false } = {}) {
  const emulator = await start();
  let dashboard;
  try {
    dashboard = await openDashboard(emulator);
    if (connected) await connect(dashboard.page, emulator);
  } catch (error) {
    await stopDashboard({ emulator, dashboard }).catch(() => {});
    throw error;
  }
  return { emulator, dashboard, page: dashboard.page };
}

/** Closes what `startDashboard` opened (failing on page errors), then stops its emulator. */
export async function stopDashboard({ emulator, dashboard }) {
  await dashboard?.close();
  await emulator?.stop();
}

/** Runs `steps(page, dashboard)` on a dashboard of its own, closed afterwards (failing on page errors). */
export async function withDashboard(emulator, steps, options) {
  const dashboard = await openDashboard(emulator, options);
  try {
    await steps(dashboard.page, dashboard);
  } finally {
    await dashboard.close();
  }
}

/**
 * Creates tag `name` from tag `from` with the open repository's "New tag"
 * dialog. First each `[newName, message]` of `refused` is submitted and must
 * be refused with `message`, the dialog staying open (checked before
 * sending); then `name` is submitted (screenshot `shot` of the filled form),
 * the dialog closes and the toast names the new tag and its source.
 */
export async function createTagInDialog(page, { from, name, refused = [], shot }) {
  await page.getByRole("button", { name: "New tag" }).click();
  const dialog = page.locator('dialog[data-dialog="create-tag"]');
  const newTag = dialog.getByLabel("New tag", { exact: true });
  const submit = dialog.getByRole("button", { name: "Create tag" });
  await dialog.getByLabel("From existing tag").fill(from);
  for (const [refusedName, message] of refused) {
    await newTag.fill(refusedName);
    await submit.click();
    await dialog.getByText(message).waitFor();
  }
  await newTag.fill(name);
  await screenshot(page, shot);
  await submit.click();
  await dialog.waitFor({ state: "detached" });
  await page.locator(".toast", { hasText: `Created ${name} from ${from}` }).waitFor();
}

/** Fills the connect form (direct mode) and submits it. */
export async function submitConnect(page, emulator, { accessKeyId = emulator.accessKeyId, accessKeySecret = emulator.accessKeySecret, remember = false } = {}) {
  await page.getByLabel("Direct").check();
  await page.getByLabel("Region").fill(emulator.regionId);
  await page.getByLabel("Endpoint").fill(emulator.url);
  await page.getByLabel("AccessKey ID").fill(accessKeyId);
  await page.getByLabel("AccessKey secret").fill(accessKeySecret);
  if (remember) await page.getByLabel("Remember on this device").check();
  await page.getByRole("button", { name: "Connect" }).click();
}

/** Fills the connect form for the edge proxy (`startEdgeProxy`) and submits it. */
export async function submitProxyConnect(page, emulator, proxy, proxyToken = proxy.token) {
  await page.getByLabel("Via edge proxy").check();
  await page.getByLabel("Region").fill(emulator.regionId);
  await page.getByLabel("Proxy URL").fill(proxy.url);
  await page.getByLabel("Proxy token").fill(proxyToken);
  await page.getByRole("button", { name: "Connect" }).click();
}

/**
 * Fills the connect form for Scaleway or SWR (direct, X-Auth-Token) and
 * submits it; SWR also names the repository to open.
 */
export async function submitTokenConnect(page, emulator, { registry, region, authToken = emulator.authToken, namespace, repository, remember = false }) {
  await page.getByLabel("Registry", { exact: true }).selectOption(registry);
  await page.getByLabel("Region").fill(region);
  await page.getByLabel("Endpoint").fill(emulator.url);
  await page.getByLabel(registry === "swr" ? "IAM token" : "Secret key").fill(authToken);
  if (namespace !== undefined) await page.getByLabel("Namespace").fill(namespace);
  if (repository !== undefined) await page.getByLabel("Repository").fill(repository);
  if (remember) await page.getByLabel("Remember on this device").check();
  await page.getByRole("button", { name: "Connect" }).click();
}

/** Connects and waits for the instance list. */
export async function connect(page, emulator, options) {
  await submitConnect(page, emulator, options);
  await page.getByRole("heading", { name: "Instances" }).waitFor();
  await page.locator(".card").first().waitFor();
}

/** Opens a repository through the UI (instance → namespace → repository). */
export async function openRepository(page, namespace, repository) {
  await page.locator(".card").first().click();
  await page.getByRole("link", { name: namespace, exact: true }).click();
  await page.getByRole("heading", { name: namespace, exact: true }).waitFor();
  await page.getByRole("link", { name: repository, exact: true }).click();
  await waitForTags(page);
}

/** Waits until the tags table holds the whole listing. */
export async function waitForTags(page, timeout = 60000) {
  // Attached, not visible: a filter that matches nothing hides the table behind its empty state.
  await page.locator('.vt[data-state="loaded"]').waitFor({ state: "attached", timeout });
  return Number(await page.locator(".vt").getAttribute("data-count"));
}

/** The tag names of the rows currently rendered, top to bottom. */
export async function visibleTagNames(page) {
  return page.$$eval(".vt-canvas .vt-row:not([hidden])", (rows) =>
    rows
      .map((row) => ({ index: Number(row.dataset.index), tag: row.dataset.tag }))
      .sort((a, b) => a.index - b.index)
      .map((row) => row.tag),
  );
}

/**
 * The tags table at 390 px wide shows exactly `columns` (by data-column),
 * with no sideways scrolling; saves screenshot `name` and restores 1280 px.
 */
export async function assertNarrowTagsTable(page, columns, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.locator(".vt-canvas .vt-row:not([hidden])").first().waitFor();
    const visible = await page.locator(".vt-head [role=columnheader]").evaluateAll((cells) => cells.filter((cell) => cell.offsetWidth > 0).map((cell) => cell.dataset.column));
    assert.deepEqual(visible, columns);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await screenshot(page, name);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
}

/** The counts line's numbers: total, shown, selected. */
export async function counts(page) {
  const element = page.locator(".counts");
  return {
    total: Number(await element.getAttribute("data-total")),
    shown: Number(await element.getAttribute("data-shown")),
    selected: Number(await element.getAttribute("data-selected")),
  };
}

/** The secret must not be in the DOM, any input, the URL, storage or the console. */
export async function assertNoSecret(dashboard, secret, { allowStorage = false } = {}) {
  const { page, consoleLines } = dashboard;
  const found = await page.evaluate((needle) => {
    const places = [];
    if (document.documentElement.outerHTML.includes(needle)) places.push("DOM");
    for (const input of document.querySelectorAll("input, textarea")) if (input.value.includes(needle)) places.push(`input ${input.name || input.id}`);
    if (location.href.includes(needle)) places.push("URL");
    if (JSON.stringify(sessionStorage).includes(needle)) places.push("sessionStorage");
    if (JSON.stringify(localStorage).includes(needle)) places.push("localStorage");
    return places;
  }, secret);
  const leaks = found.filter((place) => !(allowStorage && place === "localStorage"));
  assert.deepEqual(leaks, [], `the secret leaked into: ${leaks.join(", ")}`);
  assert.ok(!consoleLines.some((line) => line.includes(secret)), "the secret is not in the console");
}

/**
 * The Action of a request the package sends: signature V3 (the dashboard's)
 * names it in the x-acs-action header, V1 in the query string.
 */
export function actionOf(request) {
  return request.headers()["x-acs-action"] ?? new URL(request.url()).searchParams.get("Action");
}

/**
 * Routes the registry calls of `page` for which `wanted(action, query)` holds
 * to `handler(route, action, query)`; every other request goes on as before.
 */
export async function routeActions(page, wanted, handler) {
  await page.route("**/*", (route) => {
    const request = route.request();
    const action = actionOf(request);
    const query = new URL(request.url()).searchParams;
    if (!action || !wanted(action, query)) return route.fallback();
    return handler(route, action, query);
  });
}

/**
 * Answers every ListRepoTag request of `page` with a synthetic listing of
 * `count` tags (in the registry's own JSON shape, paged as it pages), so a
 * repository far larger than the demo data can be shown. Everything else
 * still goes to the emulator.
 */
export async function syntheticTagListing(page, count) {
  const now = Date.UTC(2025, 0, 1);
  await routeActions(
    page,
    (action) => action === "ListRepoTag",
    async (route, action, query) => {
      const pageNo = Number(query.get("PageNo") ?? 1);
      const pageSize = Number(query.get("PageSize") ?? 30);
      const images = [];
      for (let i = (pageNo - 1) * pageSize; i < Math.min(count, pageNo * pageSize); i++) {
        const build = Math.floor(i / 2);
        images.push({
          Tag: i % 2 ? `sha-${(build * 2654435761 >>> 0).toString(16).padStart(8, "0").slice(0, 7)}` : `${1 + Math.floor(build / 400)}.${Math.floor(build / 20) % 20}.${build % 20}`,
          Digest: (build * 40503 + 7).toString(16).padStart(8, "0").repeat(8),
          ImageId: (build * 40503 + 11).toString(16).padStart(8, "0").repeat(8),
          Status: "NORMAL",
          ImageSize: 10_000_000 + ((build * 7919) % 90_000_000),
          ImageCreate: now - build * 3_600_000,
          ImageUpdate: now - build * 3_600_000,
        });
      }
      await route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ RequestId: `SYNTHETIC-${pageNo}`, PageNo: pageNo, PageSize: pageSize, TotalCount: count, Images: images }),
      });
    },
  );
}

export { screenshot };

/**
 * Runs `steps(client)` with the package's own `Client` in Node, signed for
 * `emulator` (what the emulator holds, read beside what the page shows),
 * and frees it afterwards.
 */
export async function withPackageClient(emulator, steps) {
  const pkg = await import(path.join(ROOT, "pkg/index.js"));
  pkg.initSync({ module: readFileSync(path.join(ROOT, "pkg/tagdeck_bg.wasm")) });
  const client = new pkg.Client({ accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, regionId: emulator.regionId, endpoint: emulator.url, format: "JSON" });
  try {
    return await steps(client);
  } finally {
    client.free();
  }
}
