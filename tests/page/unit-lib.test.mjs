// Unit tests of the dashboard's pure modules (no browser needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareVersions } from "../../www/lib/version-sort.js";
import { compileFilter } from "../../www/lib/tag-filter.js";
import { planRetention, protectedMatcher, countReasons } from "../../bench/retention-baseline.mjs";
import { sharedDigests, sharedWithKept } from "../../www/lib/digests.js";
import { fetchAllPages } from "../../www/lib/paging.js";
import { runPool } from "../../www/lib/pool.js";
import { parseRoute, formatRoute } from "../../www/lib/route.js";
import { formatBytes, exactBytes, relativeTime, absoluteTime, shortDigest } from "../../www/lib/format.js";
import { describeError } from "../../www/lib/errors.js";
import { toTagRecord } from "../../www/api/cr.js";
import { recordFromTag } from "../../www/api/common-source.js";

test("version sort: numbers compare as numbers, pre-releases before releases", () => {
  const sorted = ["v1.10", "v1.9", "v2", "v1.9.1", "latest", "1.0.0", "1.0.0-rc.1", "v1.2", "V1.3", "app", "app-debug"].sort(compareVersions);
  assert.deepEqual(sorted, ["1.0.0-rc.1", "1.0.0", "app", "app-debug", "latest", "v1.2", "V1.3", "v1.9", "v1.9.1", "v1.10", "v2"]);
  assert.ok(compareVersions("build-99", "build-100") < 0);
  assert.ok(compareVersions("v01", "v1") !== 0, "distinct names never compare equal");
  assert.equal(compareVersions("same", "same"), 0);
  // Digit runs longer than a double can hold still compare exactly.
  assert.ok(compareVersions("x99999999999999999998", "x99999999999999999999") < 0);
});

test("filter: substring, regex, digest prefix, and a clear error for a bad regex", () => {
  const tags = [
    { tag: "v1.2.0", digest: "sha256:abc123" },
    { tag: "V1.3.0-rc", digest: "sha256:def456" },
    { tag: "latest", digest: "abc123" },
  ];
  const names = (filter) => tags.filter(filter.test).map((tag) => tag.tag);
  assert.deepEqual(names(compileFilter("v1.")), ["v1.2.0", "V1.3.0-rc"]);
  assert.deepEqual(names(compileFilter("")), ["v1.2.0", "V1.3.0-rc", "latest"]);
  assert.deepEqual(names(compileFilter("-rc$", { regex: true })), ["V1.3.0-rc"]);
  assert.deepEqual(names(compileFilter("v1.", { regex: false })), ["v1.2.0", "V1.3.0-rc"]);
  assert.deepEqual(names(compileFilter("sha256:abc")), ["v1.2.0", "latest"], "with or without the algorithm");
  assert.deepEqual(names(compileFilter("abc123")), [], "bare hex is a name filter (tags named by commit)");
  const bad = compileFilter("v1.(", { regex: true });
  assert.match(bad.error, /regular expression/);
  assert.deepEqual(names(bad), [], "a broken regex matches nothing rather than everything");
});

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 31);
const tag = (name, ageDays) => ({ tag: name, updated: NOW - ageDays * DAY, created: NOW - (ageDays + 1) * DAY });

test("retention: newest N kept, older than D, regex scope, protected tags", () => {
  const tags = [tag("latest", 100), tag("v1", 90), tag("v2", 60), tag("v3", 20), tag("v4", 10), tag("v5", 1), tag("pr-1", 70), tag("pr-2", 5)];
  const plan = planRetention(tags, { keepNewest: 2, olderThanDays: 30, protectedTags: "latest" }, NOW);
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.remove.map((entry) => entry.tag.tag).sort(), ["pr-1", "v1", "v2"]);
  const reasons = new Map(plan.keep.map((entry) => [entry.tag.tag, entry.reason]));
  assert.equal(reasons.get("latest"), "protected");
  assert.equal(reasons.get("v5"), "among the newest");
  assert.equal(reasons.get("pr-2"), "among the newest");
  assert.equal(reasons.get("v3"), "younger than the age limit");

  const scoped = planRetention(tags, { keepNewest: 1, pattern: "^pr-", protectedTags: "" }, NOW);
  assert.deepEqual(scoped.remove.map((entry) => entry.tag.tag), ["pr-1"]);
  assert.equal(scoped.keep.length, tags.length - 1);
  assert.deepEqual(countReasons(scoped.keep), [["does not match the pattern", 6], ["among the newest", 1]]);

  const byCreated = planRetention([tag("a", 29.5)], { olderThanDays: 30, timeField: "created" }, NOW);
  assert.deepEqual(byCreated.remove.map((entry) => entry.tag.tag), ["a"], "created is a day older than updated here");
});

test("retention: refuses policies that would delete everything or cannot be read", () => {
  assert.equal(planRetention([tag("a", 1)], {}, NOW).errors[0].field, "keepNewest");
  assert.equal(planRetention([tag("a", 1)], { keepNewest: "-1" }, NOW).errors[0].field, "keepNewest");
  assert.equal(planRetention([tag("a", 1)], { keepNewest: 1, olderThanDays: "2.5" }, NOW).errors[0].field, "olderThanDays");
  const badPattern = planRetention([tag("a", 1)], { keepNewest: 1, pattern: "(" }, NOW);
  assert.equal(badPattern.errors[0].field, "pattern");
  assert.deepEqual(badPattern.remove, []);
  const keepZero = planRetention([tag("a", 1), tag("b", 2)], { keepNewest: 0, protectedTags: "" }, NOW);
  assert.equal(keepZero.remove.length, 2, "0 is a valid count");
});

test("protected tags accept exact names and * globs", () => {
  const isProtected = protectedMatcher("latest, release-*  stable");
  assert.ok(isProtected("latest"));
  assert.ok(isProtected("release-1.2"));
  assert.ok(isProtected("stable"));
  assert.ok(!isProtected("release"));
  assert.ok(!isProtected("latest2"));
  assert.ok(!protectedMatcher("a.b")("axb"), "a dot is literal");
});

test("digests: shared groups and warnings for tags that stay", () => {
  const tags = [
    { tag: "v1", digest: "sha256:1" },
    { tag: "latest", digest: "sha256:1" },
    { tag: "v2", digest: "sha256:2" },
    { tag: "v2-alias", digest: "sha256:2" },
    { tag: "v3", digest: "sha256:3" },
  ];
  const shared = sharedDigests(tags);
  assert.deepEqual([...shared.keys()], ["sha256:1", "sha256:2"]);
  const warnings = sharedWithKept(tags, [tags[0], tags[2], tags[3], tags[4]]);
  assert.deepEqual(warnings, [{ tag: "v1", digest: "sha256:1", keptTags: ["latest"] }]);
});

test("paging: all pages with bounded concurrency, de-duplicated, retries only retryable errors", async () => {
  const total = 1050;
  let inFlight = 0;
  let maxInFlight = 0;
  const failures = new Map([[3, 2]]); // page 3 is throttled twice
  const calls = [];
  const progress = [];
  const result = await fetchAllPages({
    pageSize: 100,
    concurrency: 4,
    backoffMs: 1,
    keyOf: (item) => item,
    onProgress: ({ loaded, total: expected, items }) => progress.push({ loaded, expected, distinct: items().length }),
    fetchPage: async (pageNo, pageSize) => {
      calls.push(pageNo);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      if (failures.get(pageNo)) {
        failures.set(pageNo, failures.get(pageNo) - 1);
        throw Object.assign(new Error("throttled"), { code: "Throttling.User", retryable: true });
      }
      const start = (pageNo - 1) * pageSize;
      // Page 5 overlaps page 4 by one item, as when a tag is deleted meanwhile.
      const items = Array.from({ length: Math.min(pageSize, total - start) }, (_, i) => `t${start + i - (pageNo === 5 ? 1 : 0)}`);
      return { items, totalCount: total };
    },
  });
  assert.equal(result.total, total);
  assert.equal(result.failedPages.length, 0);
  assert.equal(new Set(result.items).size, result.items.length, "no duplicates");
  assert.equal(result.items.length, total - 1);
  // The progress figure is the number of distinct tags so far: the one the finished table shows.
  assert.ok(progress.every((entry) => entry.loaded === entry.distinct && entry.loaded <= entry.expected), JSON.stringify(progress.find((entry) => entry.loaded !== entry.distinct)));
  assert.equal(progress.at(-1).loaded, result.items.length, "the last figure is the table's count");
  assert.ok(maxInFlight <= 4, `at most 4 pages in flight, saw ${maxInFlight}`);
  assert.equal(calls.filter((page) => page === 3).length, 3, "page 3 tried three times");

  const broken = await fetchAllPages({
    pageSize: 10,
    backoffMs: 1,
    keyOf: (item) => item,
    fetchPage: async (pageNo) => {
      if (pageNo === 2) throw Object.assign(new Error("no"), { code: "Forbidden", retryable: false });
      return { items: [`p${pageNo}`], totalCount: 30 };
    },
  });
  assert.deepEqual(broken.failedPages.map((page) => page.pageNo), [2], "a failed page is reported, never hidden");
  assert.deepEqual(broken.items, ["p1", "p3"]);
});

test("pool: every item settles, order kept, stop skips the rest", async () => {
  const controller = new AbortController();
  const results = await runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
    if (n === 2) throw new Error("two");
    if (n === 3) controller.abort();
    return n * 10;
  }, { signal: controller.signal });
  // Item 3 stops the run: nothing starts after it, the failure of item 2 stays reported.
  assert.deepEqual(results.map((result) => result.status), ["fulfilled", "rejected", "fulfilled", "skipped", "skipped", "skipped"]);
  assert.equal(results[1].reason.message, "two");
  assert.equal(results[0].value, 10);
});

test("routes round-trip and never lose names with special characters", () => {
  const route = { name: "repository", params: { instanceId: "cri-1", namespace: "team a", repository: "app/x" }, query: { q: "v1.*", re: "1", sort: "size", dir: "asc", tag: "v1.0" } };
  const hash = formatRoute(route);
  assert.equal(hash, "#/i/cri-1/n/team%20a/r/app%2Fx?q=v1.*&re=1&sort=size&dir=asc&tag=v1.0");
  assert.deepEqual(parseRoute(hash), route);
  assert.equal(formatRoute({ name: "repository", params: route.params, query: { sort: "updated", dir: "desc", q: "" } }), "#/i/cri-1/n/team%20a/r/app%2Fx", "the defaults (newest first, no filter) are left out");
  assert.equal(formatRoute({ name: "repository", params: route.params, query: { sort: "name", dir: "asc" } }), "#/i/cri-1/n/team%20a/r/app%2Fx?sort=name&dir=asc");
  assert.equal(parseRoute("#/nonsense/x").name, "instances");
  assert.equal(parseRoute("").name, "instances");
});

test("formatting: sizes, exact bytes from BigInt, relative times, digests", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(123_456_789n), "123 MB");
  assert.equal(formatBytes(1_500_000), "1.5 MB");
  assert.equal(exactBytes(9_223_372_036_854_775_807n), "9,223,372,036,854,775,807 bytes");
  const now = Date.UTC(2025, 0, 10);
  assert.equal(relativeTime(now - 3 * DAY, now), "3 days ago");
  assert.equal(relativeTime(now - 30_000, now), "30 seconds ago");
  assert.equal(relativeTime(now - 400 * DAY, now), "last year");
  // Absolute dates in this device's time zone, year first; minutes, no seconds.
  const local = new Date(2023, 2, 7, 9, 5, 59).getTime();
  assert.equal(absoluteTime(local), "2023-03-07 09:05");
  assert.equal(absoluteTime(0), "\u2014", "no time is a dash, not 1970");
  assert.equal(absoluteTime(NaN), "\u2014");
  assert.equal(shortDigest("sha256:0123456789abcdef0123"), "0123456789ab");
  assert.equal(shortDigest("0123456789ABCDEF0123"), "0123456789ab", "bare hex, as ListRepoTag sends it");
});

test("errors: each connection failure gets its own explanation", () => {
  const kind = (error, context) => describeError(error, context).kind;
  assert.equal(kind({ code: "SignatureDoesNotMatch", message: "Specified signature is not matched with our calculation." }), "wrong-secret");
  assert.equal(
    kind({ code: "SignatureDoesNotMatch", message: "… the server signed exactly the string we signed, so the AccessKey secret is wrong (or belongs to another AccessKey id)" }),
    "wrong-secret",
  );
  assert.equal(
    kind({ code: "SignatureDoesNotMatch", message: "… the server's string-to-sign differs from ours at position 12, after \"GET&\": … That is a canonicalization difference (an encoding, a parameter or the method changed on the way), not a wrong secret" }),
    "signing",
  );
  assert.equal(kind({ code: "InvalidAccessKeyId.NotFound", message: "" }), "unknown-key");
  assert.equal(kind({ code: "InvalidTimeStamp.Expired", message: "" }), "clock-skew");
  assert.equal(kind({ code: "NetworkError", message: "" }, { mode: "direct", endpoint: "cr.cn-hangzhou.aliyuncs.com" }), "network");
  assert.match(describeError({ code: "NetworkError" }, { mode: "direct", endpoint: "cr.cn-hangzhou.aliyuncs.com" }).text, /CORS/);
  assert.equal(kind(new TypeError("Failed to fetch")), "network");
  assert.equal(kind({ code: "Throttling.User", httpStatus: 400 }), "throttled");
  assert.equal(kind({ code: "HTTP401", httpStatus: 401 }), "proxy-token");
  assert.equal(kind({ code: "Proxy.Unauthorized", httpStatus: 401 }), "proxy-token");
  assert.equal(kind({ code: "Proxy.ActionNotAllowed", httpStatus: 403 }), "proxy-action");
  assert.equal(kind({ code: "Proxy.OriginNotAllowed", httpStatus: 403 }), "proxy-origin");
  assert.equal(kind({ code: "Throttling.Proxy", httpStatus: 429 }), "throttled");
  assert.equal(kind({ code: "Whatever", message: "x" }), "other");
  const info = describeError({ code: "InvalidTimeStamp.Expired", message: "m", requestId: "R-1", httpStatus: 400 });
  assert.deepEqual([info.code, info.requestId, info.httpStatus, info.message], ["InvalidTimeStamp.Expired", "R-1", 400, "m"]);
});

test("paging without a total: pages one after another until one says there is no more; a failed page stops and is reported", async () => {
  const pages = [["a", "b"], ["c", "d"], ["d", "e"]];
  const calls = [];
  const progress = [];
  const listing = (failAt = 0) =>
    fetchAllPages({
      pageSize: 2,
      backoffMs: 1,
      attempts: 1,
      keyOf: (item) => item,
      onProgress: ({ loaded, total }) => progress.push([loaded, total]),
      fetchPage: async (pageNo) => {
        calls.push(pageNo);
        if (pageNo === failAt) throw Object.assign(new Error("down"), { code: "ServiceUnavailable" });
        return { items: pages[pageNo - 1], totalCount: null, hasMore: pageNo < pages.length };
      },
    });
  const whole = await listing();
  assert.deepEqual(whole.items, ["a", "b", "c", "d", "e"], "merged in order, the repeated d once");
  assert.equal(whole.total, 5);
  assert.deepEqual(whole.failedPages, []);
  assert.deepEqual(calls, [1, 2, 3], "sequential: each page only after the one before");
  assert.deepEqual(progress, [[2, null], [4, null], [5, null]]);

  calls.length = 0;
  const broken = await listing(2);
  assert.deepEqual(broken.items, ["a", "b"]);
  assert.equal(broken.total, null, "the total stays unknown");
  assert.deepEqual(broken.failedPages.map((page) => page.pageNo), [2]);
  assert.deepEqual(calls, [1, 2], "nothing after a failed page can be located");
});

test("routes of registries without instances (Scaleway, SWR) round-trip, and each name picks its shape from the params", () => {
  const repository = { name: "repository", params: { namespace: "demo", repository: "team/app" }, query: { sort: "size", dir: "asc" } };
  assert.equal(formatRoute(repository), "#/n/demo/r/team%2Fapp?sort=size&dir=asc");
  assert.deepEqual(parseRoute(formatRoute(repository)), repository);
  assert.equal(formatRoute({ name: "namespace", params: { namespace: "demo" } }), "#/n/demo");
  assert.equal(formatRoute({ name: "namespace", params: { instanceId: "cri-1", namespace: "demo" } }), "#/i/cri-1/n/demo");
  assert.deepEqual(parseRoute("#/n/demo"), { name: "namespace", params: { namespace: "demo" }, query: {} });
  assert.deepEqual(parseRoute("#/namespaces"), { name: "namespaces", params: {}, query: {} });
  assert.equal(formatRoute({ name: "namespaces" }), "#/namespaces");
  assert.equal(parseRoute("#/n/demo/x/web").name, "instances", "an unknown shape is nobody's place");
});

test("errors of Scaleway and SWR: a refused token, a shared digest, not found, taken, invalid", () => {
  const kind = (error, context) => describeError(error, context).kind;
  const scwToken = describeError({ code: "denied_authentication", httpStatus: 401, message: "authentication is denied" }, { registry: "scaleway" });
  assert.equal(scwToken.kind, "token");
  assert.equal(scwToken.title, "The registry refused the token");
  assert.match(scwToken.text, /secret key/);
  const swrToken = describeError({ code: "SVCSTG.SWR.4010001", httpStatus: 401 });
  assert.equal(swrToken.kind, "token", "SWR's code alone decides, without context");
  assert.match(swrToken.text, /IAM token/);
  assert.equal(kind({ code: "HTTP401", httpStatus: 401 }, { registry: "swr" }), "token", "any 401 of SWR or Scaleway is the token");
  assert.equal(kind({ code: "HTTP401", httpStatus: 401 }, { registry: "alibaba-cr", mode: "proxy" }), "proxy-token");
  assert.equal(
    kind({ code: "precondition_failed", httpStatus: 412, message: "precondition is not respected (help_message: …; precondition: tag_digest_shared)" }),
    "shared-digest",
  );
  assert.equal(kind({ code: "precondition_failed", httpStatus: 412, message: "precondition is not respected (precondition: other)" }), "other");
  assert.equal(kind({ code: "not_found", httpStatus: 404 }), "not-found");
  assert.equal(kind({ code: "SVCSTG.SWR.4040003", httpStatus: 404 }), "not-found");
  assert.equal(kind({ code: "SVCSTG.SWR.4090001", httpStatus: 409 }), "exists");
  assert.equal(kind({ code: "invalid_arguments", httpStatus: 400 }), "invalid");
  assert.equal(kind({ code: "SVCSTG.SWR.4001008", httpStatus: 400 }), "invalid");
  assert.equal(kind({ code: "too_many_requests", httpStatus: 429 }), "throttled");
  assert.equal(kind({ code: "InvalidApi.NotFound" }), "unsupported");
  assert.doesNotMatch(describeError({ code: "NetworkError" }, { mode: "direct", registry: "scaleway", endpoint: "api.scaleway.com" }).text, /proxy/);
});

test("tag records: Alibaba's images and the package's common tags become the same record", () => {
  const common = { tag: "v1", digest: "sha256:ab", imageId: "img-1", status: "NORMAL", sizeExact: 1234567890123n, size: 1234567890123, created: 1000, updated: 2000 };
  const alibaba = { tag: "v1", digest: "sha256:ab", imageId: "img-1", status: "NORMAL", imageSize: 1234567890123n, imageCreate: 1000n, imageUpdate: 2000n };
  assert.deepEqual(toTagRecord(alibaba), common);
  const scaleway = { name: "v1", digest: "sha256:ab", imageId: "img-1", status: "NORMAL", size: 1234567890123n, createdMs: 1000, updatedMs: 2000, createdAt: "1970-01-01T00:00:01Z", updatedAt: "1970-01-01T00:00:02Z", id: "t-1", path: "ns/app:v1" };
  assert.deepEqual(recordFromTag(scaleway), { ...common, createdAt: "1970-01-01T00:00:01Z", updatedAt: "1970-01-01T00:00:02Z", id: "t-1", path: "ns/app:v1" });
  // What an answer leaves out becomes "" (text), null (exact size) or NaN (numbers to sort by).
  const bare = { tag: "v2", digest: "", imageId: "", status: "", sizeExact: null, size: NaN, created: NaN, updated: NaN };
  assert.deepEqual(toTagRecord({ tag: "v2" }), bare);
  assert.deepEqual(recordFromTag({ name: "v2" }), { ...bare, createdAt: "", updatedAt: "", id: "", path: "" });
});
