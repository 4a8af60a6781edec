// How long the dashboard takes to show the retention plan of a 10,000-tag
// repository (issue 14: "under a second"), measured the way a user waits for
// it: in headless Chromium, from the moment the preview starts (the engine
// loaded, the 120 ms typing pause over) until the plan is summed up and drawn
// — the page's own User Timing measure `tagdeck:retention-preview`
// (www/views/retention.js).
//
//   node bench/retention-page.mjs [--tags 10000] [--runs 7]
//
// Needs pkg/ (bash scripts/build-pkg.sh), the debug emulator
// (cargo build -p tagdeck-emulator) and /usr/bin/chromium. The repository is
// the page tests' synthetic listing (tests/page/harness.mjs): the emulator's
// demo/web answered with `--tags` generated tags. Each run plans a different
// policy (keep the newest 2 … per minor version), so no run reuses another's
// plan. Prints every run and the median, and the time to first show the plan
// after the dialog opens (engine loading included).
import { parseArgs } from "node:util";
import os from "node:os";
import { startEmulator, openDashboard, connect, openRepository, counts, syntheticTagListing } from "../tests/page/harness.mjs";

const { values: args } = parseArgs({ options: { tags: { type: "string", default: "10000" }, runs: { type: "string", default: "7" } } });
const tagCount = Number(args.tags);
const runs = Number(args.runs);

const emulator = await startEmulator();
const dashboard = await openDashboard(emulator);
const { page } = dashboard;
try {
  await connect(page, emulator);
  await syntheticTagListing(page, tagCount);
  await openRepository(page, "demo", "web");
  const shown = (await counts(page)).total;
  if (shown !== tagCount) throw new Error(`the table shows ${shown} tags, not ${tagCount}`);

  const dialog = page.locator('dialog[data-dialog="retention"]');
  const measures = () => page.evaluate(() => performance.getEntriesByName("tagdeck:retention-preview").map((entry) => entry.duration));
  const opened = Date.now();
  await page.getByRole("button", { name: "Retention" }).click();
  await dialog.locator(".preview-summary[data-remove]").waitFor();
  const firstShown = Date.now() - opened;
  await dialog.getByLabel("Policy language").selectOption("tagdeck");

  const times = [];
  for (let run = 0; run < runs; run++) {
    const before = (await measures()).length;
    const policy = {
      rules: [{ tags: { include: { regex: "\\d+\\.\\d+\\.\\d+" } }, keep: { newest: 2 + run, by: "version", per: "^(\\d+\\.\\d+)\\." } }],
      protected: ["latest"],
    };
    await dialog.getByLabel("Policy", { exact: true }).fill(JSON.stringify(policy));
    await page.waitForFunction((count) => performance.getEntriesByName("tagdeck:retention-preview").length > count, before);
    const summary = dialog.locator(".preview-summary[data-remove]");
    const total = Number(await summary.getAttribute("data-remove")) + Number(await summary.getAttribute("data-keep"));
    if (total !== tagCount) throw new Error(`run ${run + 1}: the plan covers ${total} tags, not ${tagCount} (${await summary.getAttribute("data-remove")} + ${await summary.getAttribute("data-keep")}, measures ${JSON.stringify(await measures())})`);
    const duration = (await measures()).at(-1);
    times.push(duration);
    console.log(`run ${run + 1}: keep newest ${2 + run} per minor version: ${duration.toFixed(0)} ms (plan + summary + drawing)`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`\n${tagCount.toLocaleString("en")} tags, ${runs} runs: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, worst ${sorted.at(-1).toFixed(0)} ms`);
  console.log(`first plan after opening the dialog (engine fetched and instantiated): ${firstShown} ms`);
  console.log(`nproc ${os.availableParallelism()}, load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}`);
} finally {
  await dashboard.close();
  await emulator.stop();
}
