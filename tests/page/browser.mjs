/**
 * Headless Chromium for the page tests, through playwright-core and the
 * system browser (/usr/bin/chromium); `npx playwright install` cannot
 * download a browser on these machines.
 */
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "screenshots");

const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium with a temporary profile of Playwright's own (for a page or two). */
export function launchHeadless() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh browser profile (Playwright passes it as --user-data-dir); `close()` removes it. */
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), "tagdeck-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a PNG of the page under tests/page/screenshots/. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Finished, not mid-animation (the drawer slides and fades in for 0.18 s).
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: "disabled" });
}
