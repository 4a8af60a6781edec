// The retention dialog over the package's retention engine: the quick form,
// a pasted ECR lifecycle policy (and its validation failure), a GitLab
// policy with its tagdeck equivalent, Harbor rules and acr purge arguments, the verdict filter, and a
// 10,000-tag repository; screenshots of each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, openDashboard, connect, openRepository, counts, screenshot, syntheticTagListing, waitForTags } from "./harness.mjs";

let emulator;
let dashboard;
let page;
before(async () => {
  // Its own emulator: the plans below assume the demo data as seeded, and
  // earlier files on the shared emulator delete and retag platform/postgres.
  emulator = await startEmulator();
  dashboard = await openDashboard(emulator);
  page = dashboard.page;
  await connect(page, emulator);
});
after(async () => {
  await dashboard?.close();
  await emulator?.stop();
});

const dialog = () => page.locator('dialog[data-dialog="retention"]');

/** A screenshot with the totals at the top of the dialog's view, the verdicts below. */
async function shoot(name) {
  await dialog().locator(".retention-preview").evaluate((element) => element.scrollIntoView({ block: "start" }));
  await screenshot(page, name);
}

/** Opens the explanation (it stays open from one policy to the next). */
async function openExplanation() {
  if (!(await dialog().locator(".retention-explain").evaluate((details) => details.open))) await dialog().locator(".retention-explain summary").click();
}

async function usePolicy(format, text) {
  await dialog().getByLabel("Policy language").selectOption(format);
  await dialog().getByLabel("Policy", { exact: true }).fill(text);
}

test("the quick form is planned by the engine, with a reason for every tag", async () => {
  await openRepository(page, "platform", "postgres");
  const total = (await counts(page)).total;
  await page.getByRole("button", { name: "Retention" }).click();
  await dialog().getByLabel("Delete only if older than (days)").fill("");
  await dialog().getByLabel("Protected tags").fill("latest, stable");
  await dialog().getByLabel("Keep the newest").fill("3");
  // The preview follows the form after a short pause: wait for the words of
  // the last field filled (every earlier one is in that plan too).
  await dialog().getByText(/not among the newest 3 of all tags/).first().waitFor();
  const summary = dialog().locator(".preview-summary");
  const removed = Number(await summary.getAttribute("data-remove"));
  const kept = Number(await summary.getAttribute("data-keep"));
  assert.equal(removed + kept, total, "one verdict per tag");
  assert.match(await summary.innerText(), new RegExp(`Would delete ${removed} tags of ${total} and keep ${kept}`));
  assert.match(await dialog().locator(".retention-scope").innerText(), new RegExp(`all ${total} tags of this repository; the table.s filter does not apply`));
  const deleteReasons = await dialog().locator('.retention-section.delete li[data-action="delete"] .item-detail').allInnerTexts();
  assert.equal(deleteReasons.length, removed);
  assert.ok(deleteReasons.every((reason) => /^rules\[0\]: not among the newest 3 of all tags: this is #\d+$/.test(reason)), deleteReasons[0]);
  const keptNames = await dialog().locator('.retention-section.keep li[data-action="keep"]').evaluateAll((items) => items.map((item) => item.dataset.tag));
  assert.ok(keptNames.includes("latest") && keptNames.includes("stable"));
  assert.equal(await dialog().locator('.retention-group.keep[data-rule="protected"] li').count(), 2);
  await shoot("retention-01-quick-form");
});

test("a pasted ECR lifecycle policy: the vendor's verdicts, and its validation failures", async () => {
  await usePolicy(
    "ecr",
    JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 4 }, action: { type: "expire" } }] }),
  );
  await dialog().locator(".retention-group.delete[data-rule='rule 1']").first().waitFor();
  const reason = await dialog().locator('.retention-section.delete li .item-detail').first().innerText();
  assert.match(reason, /^rulePriority 1 \(any image\) is the first rule to select the image and expires it/);
  await openExplanation();
  assert.match(await dialog().locator(".retention-explain").innerText(), /No tagdeck equivalent/);
  await shoot("retention-02-ecr");

  await usePolicy("ecr", JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } }] }));
  await dialog().getByText("Lifecycle policy validation failure: tagPrefixList or tagPatternList is required").waitFor();
  assert.ok(await dialog().locator('[data-action="review"]').isDisabled());
  await shoot("retention-03-ecr-invalid");
});

test("a GitLab policy shows its tagdeck equivalent; the verdicts can be filtered", async () => {
  await usePolicy("gitlab", JSON.stringify({ nameRegexDelete: ".*", nameRegexKeep: "stable", keepN: 2 }));
  await dialog().locator(".retention-group.keep[data-rule='latest']").waitFor();
  await openExplanation();
  assert.match(await dialog().locator(".retention-explain pre").innerText(), /"protected": \[\s*"latest"\s*\]/);
  await dialog().getByLabel("Filter verdicts").fill("within keepN");
  await dialog().getByText(/verdicts match “within keepN”/).waitFor();
  assert.equal(await dialog().locator(".retention-section li").count(), 2, "the two kept candidates");
  await shoot("retention-04-gitlab-filtered");
  await dialog().getByRole("button", { name: "Cancel" }).click();
});

test("pasted Harbor rules and az acr purge arguments: the vendors' verdicts, in their words", async () => {
  await page.getByRole("button", { name: "Retention" }).click();
  const summary = dialog().locator(".preview-summary");
  const deleteReasons = () => dialog().locator('.retention-section.delete li[data-action="delete"] .item-detail').allInnerTexts();

  const everything = [{ kind: "doublestar", decoration: "matches", pattern: "**" }];
  await usePolicy("harbor", JSON.stringify({ algorithm: "or", rules: [{ template: "latestPushedK", params: { latestPushedK: 5 }, tag_selectors: everything, scope_selectors: { repository: [{ kind: "doublestar", decoration: "repoMatches", pattern: "**" }] } }] }));
  await dialog().getByText(/retains the 5 most recently pushed/).first().waitFor();
  const harbor = await deleteReasons();
  assert.ok(harbor.length > 0, "Harbor deletes the rest of the repository");
  assert.equal(Number(await summary.getAttribute("data-remove")), harbor.length);
  assert.ok(harbor.every((reason) => reason.startsWith("no rule retains the artifact in a repository the rules select; the whole artifact goes")), harbor[0]);

  await usePolicy("acr-purge", "--filter 'platform/postgres:.*' --ago 1d --keep 3");
  await dialog().getByText(/beyond --keep 3/).first().waitFor();
  const acr = await deleteReasons();
  assert.equal(Number(await summary.getAttribute("data-remove")), acr.length);
  assert.ok(acr.length > 0 && acr.every((reason) => /^matches the filter and was last updated .+, before --ago 1d, beyond --keep 3 \(#\d+ of \d+ eligible\)$/.test(reason)), acr[0]);
  await shoot("retention-04b-acr-purge");

  await usePolicy("acr-purge", "--filter 'platform/postgres' --ago 1d");
  await dialog().getByText(/--filter: must be "<repository regex>:<tag regex>"/).waitFor();
  assert.ok(await dialog().locator('[data-action="review"]').isDisabled(), "an invalid argument is refused, nothing to review");
  await dialog().getByRole("button", { name: "Cancel" }).click();
});

test("an Alibaba lifecycle rule of the instance, beside tagdeck's preview of it", async () => {
  // The rule, created as a colleague would (a second tab with the package).
  const other = await dashboard.browser.context.newPage();
  try {
    await other.goto(emulator.url + "/pkg/tagdeck.js");
    await other.evaluate(
      async ({ accessKeyId, accessKeySecret, regionId, endpoint }) => {
        const pkg = await import("/pkg/tagdeck.js");
        await pkg.default();
        const client = new pkg.Client({ accessKeyId, accessKeySecret, regionId, endpoint });
        const { instances } = await client.listInstance({ pageNo: 1, pageSize: 10 });
        await client.createArtifactLifecycleRule({
          instanceId: instances[0].instanceId, scope: "REPO", namespaceName: "platform", repoName: "postgres",
          tagRegexp: "1\\.0\\..*", retentionTagCount: 2n, scheduleTime: "WEEK", auto: false, enableDeleteTag: true,
        });
      },
      { accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, regionId: emulator.regionId, endpoint: emulator.url },
    );
  } finally {
    await other.close();
  }
  const total = (await counts(page)).total;
  await page.getByRole("button", { name: "Retention" }).click();
  await dialog().getByRole("button", { name: "Preview this instance\u2019s lifecycle rules" }).click();
  // The demo instance has a rule of its own (demo/big-app); ours is the one on platform/postgres.
  await dialog().locator(".retention-server li", { hasText: "platform/postgres" }).getByRole("button", { name: "Preview with tagdeck" }).click();
  const side = dialog().locator(".retention-side-by-side");
  await side.waitFor();
  assert.match(await side.innerText(), /platform\/postgres: keeps the 2 newest, retains “1\\.0\\..\*”; deletes the rest; runs when asked/);
  const summary = dialog().locator(".preview-summary");
  const matching = await dialog().locator('.retention-group.keep[data-rule="TagRegexp"] li').count();
  assert.ok(matching > 0);
  assert.equal(Number(await summary.getAttribute("data-remove")), total - matching - 2);
  assert.match(await dialog().locator(".retention-section.delete li .item-detail").first().innerText(), /^tagdeck's reading of the lifecycle rule: #\d+ of the \d+ tags TagRegexp does not retain/);
  await shoot("retention-05-alibaba-side-by-side");
  await dialog().getByRole("button", { name: "Cancel" }).click();
});

test("a 10,000-tag repository is planned and shown", async () => {
  await syntheticTagListing(page, 10_000);
  // Back to the instance (the breadcrumb), then into another repository.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").nth(1).click();
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("heading", { name: "demo", exact: true }).waitFor();
  await page.getByRole("link", { name: "web", exact: true }).click();
  await waitForTags(page);
  assert.equal((await counts(page)).total, 10_000);
  await page.getByRole("button", { name: "Retention" }).click();
  await usePolicy("tagdeck", JSON.stringify({ rules: [{ tags: { include: { regex: "\\d+\\.\\d+\\.\\d+" } }, keep: { newest: 2, by: "version", per: "^(\\d+\\.\\d+)\\." } }], protected: ["latest"] }));
  const summary = dialog().locator('.preview-summary[data-remove]:not([data-remove="0"])');
  await summary.waitFor();
  assert.equal(Number(await summary.getAttribute("data-remove")) + Number(await summary.getAttribute("data-keep")), 10_000);
  await dialog().getByText(/and [\d,]+ more, all listed in the confirmation/).waitFor();
  await shoot("retention-06-10000-tags");
  await dialog().getByRole("button", { name: "Cancel" }).click();
  await page.unroute(() => true);
});
