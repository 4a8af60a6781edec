/**
 * Fetches every page of a paged listing: page 1 first (it tells the total),
 * then the remaining pages with bounded concurrency. Pages are merged in
 * page order and de-duplicated by key, because entries can shift between
 * pages when the listing changes while it is being read.
 *
 * A listing that does not say its total (a page answers `totalCount: null`
 * and `hasMore`) is read one page after another instead, until a page says
 * there is no more; `total` is then null until the end.
 *
 * A page that fails with a retryable error (throttling, a 5xx, a network
 * hiccup) is tried again a few times with backoff: listing is read-only, so
 * repeating it is safe. A page that still fails is reported in
 * `failedPages`; the caller must show that the listing is incomplete.
 */
import { runPool, sleep } from "./pool.js";

export async function fetchAllPages({
  fetchPage, // async (pageNo, pageSize) => { items, totalCount, hasMore? }
  keyOf, // item => unique key
  pageSize = 100,
  concurrency = 4,
  attempts = 4,
  backoffMs = 250,
  signal,
  onProgress = () => {}, // ({ loaded (distinct items so far), total (null: unknown), pagesDone, pageCount, items() }) after each page
}) {
  const pages = new Map();
  const failedPages = [];

  const load = async (pageNo) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchPage(pageNo, pageSize);
      } catch (error) {
        if (error?.name === "AbortError" || signal?.aborted) throw error;
        if (!error?.retryable || attempt >= attempts) throw error;
        await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), signal);
      }
    }
  };

  const first = await load(1);
  if (first.totalCount == null && first.hasMore) return followPages({ first, load, keyOf, signal, onProgress });
  const total = Number(first.totalCount ?? first.items.length);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  // Distinct keys so far: the progress figure counts each tag once, as the finished list will.
  const keys = new Set();
  const keep = (pageNo, items) => {
    pages.set(pageNo, items);
    for (const item of items) keys.add(keyOf(item));
  };
  keep(1, first.items);

  const merged = () => {
    const seen = new Set();
    const items = [];
    for (let pageNo = 1; pageNo <= pageCount; pageNo++) {
      for (const item of pages.get(pageNo) ?? []) {
        const key = keyOf(item);
        if (!seen.has(key)) {
          seen.add(key);
          items.push(item);
        }
      }
    }
    return items;
  };
  const report = () => {
    // `loaded` is what the finished list will hold of these pages; `items` is a
    // function: merging is O(n), so callers do it only when they draw.
    onProgress({ loaded: keys.size, total: Math.max(total, keys.size), pagesDone: pages.size, pageCount, items: merged });
  };
  report();

  const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 2);
  const results = await runPool(
    rest,
    concurrency,
    async (pageNo) => {
      const page = await load(pageNo);
      keep(pageNo, page.items);
      report();
    },
    { signal },
  );
  if (signal?.aborted) throw Object.assign(new Error("Cancelled"), { name: "AbortError" });
  results.forEach((result, i) => {
    if (result.status === "rejected") failedPages.push({ pageNo: rest[i], error: result.reason });
  });
  return { items: merged(), total, failedPages };
}

/** Pages one after another while each says there is more (the total is unknown). */
async function followPages({ first, load, keyOf, signal, onProgress }) {
  const seen = new Set();
  const items = [];
  const take = (page) => {
    for (const item of page.items) {
      const key = keyOf(item);
      if (!seen.has(key)) {
        seen.add(key);
        items.push(item);
      }
    }
  };
  let page = first;
  let pageNo = 1;
  take(page);
  onProgress({ loaded: items.length, total: null, pagesDone: 1, pageCount: null, items: () => items.slice() });
  const failedPages = [];
  while (page.hasMore) {
    if (signal?.aborted) throw Object.assign(new Error("Cancelled"), { name: "AbortError" });
    pageNo += 1;
    try {
      page = await load(pageNo);
    } catch (error) {
      if (error?.name === "AbortError" || signal?.aborted) throw error;
      // Without a total, nothing after a failed page can be located: stop here and say so.
      failedPages.push({ pageNo, error });
      break;
    }
    take(page);
    onProgress({ loaded: items.length, total: null, pagesDone: pageNo, pageCount: null, items: () => items.slice() });
  }
  return { items, total: failedPages.length ? null : items.length, failedPages };
}
