/**
 * A repository's tags: fetched page by page with a progress bar, sorted
 * (newest first unless asked otherwise; version-aware by name, by time or
 * size), filtered by substring or
 * regex, selected (click, shift-click ranges, all shown), and managed:
 * create from an existing tag, delete one or many with a confirmation and a
 * report, retention dry run, and per-tag details.
 *
 * The same view serves every registry: it talks to a tag source
 * (api/tag-source.js) and shows the columns the registry's entry names.
 *
 * The URL keeps filter, sort and the open tag (`?q=&re=1&sort=&dir=&tag=`).
 */
import { h, replace } from "../lib/dom.js";
import { QUERY_DEFAULTS } from "../lib/route.js";
import { plural, formatCount, digestHex } from "../lib/format.js";
import { compareVersions } from "../lib/version-sort.js";
import { compileFilter } from "../lib/tag-filter.js";
import { sharedDigests } from "../lib/digests.js";
import { openTagSource } from "../api/tag-source.js";
import { describeError } from "../lib/errors.js";
import { pageHead, progressBar, errorBox, icon, copyText, copyButton, announce, emptyState } from "../ui/components.js";
import { showCrumbs } from "./crumbs.js";
import { createTagsTable } from "./tags-table.js";
import { openDeleteFlow, showReport } from "./delete-flow.js";
import { openCreateTag } from "./create-tag.js";
import { openRetention } from "./retention.js";
import { openLifecycleRules } from "./lifecycle.js";
import { openSwrRetention } from "./swr-retention.js";
import { immutabilityFact, immutabilitySwitch } from "./immutability.js";
import { createScanCounts, sortValue } from "../lib/scan-counts.js";
import { openTagPanel } from "./tag-panel.js";

/** While pages arrive, the table is redrawn at most this often (the progress bar on every page). */
const PROGRESSIVE_REDRAW_MS = 300;

export function mountRepository(container, app, route) {
  const { namespace, repository } = route.params;
  const columns = app.session.registry.tagColumns;
  const sortKeys = new Set(["name", ...columns.filter((column) => ["created", "updated", "size", "vulns"].includes(column))]);
  const state = {
    query: route.query,
    source: null,
    imageRef: `${namespace}/${repository}`,
    tags: [],
    sorted: [],
    view: [],
    shared: new Map(),
    selected: new Set(),
    anchor: null,
    loaded: false,
    total: 0,
    failedPages: [],
    progress: null, // { loaded, total } while pages arrive
    loadedAt: 0, // when the listing shown was loaded (ms)
    stale: false, // the rows shown are an older listing's (a reload is running or failed)
    lastReport: null,
    panel: null,
    switchingImmutability: false,
  };
  // Vulnerability counts, where the registry has them: asked for as rows are drawn (lib/scan-counts.js).
  const scanCounts = columns.includes("vulns")
    ? createScanCounts({ fetchCounts: (name) => state.source.scanCounts(name), onChange: countsArrived })
    : null;
  let countsFrame = 0;
  let controller = null;
  let recomputeFrame = 0;
  let pendingItems = null; // while loading: the merge of the pages so far, taken once per redraw
  let progressiveTimer = 0;
  let lastProgressive = -Infinity;

  // ---- layout ----
  const head = h("div");
  const status = h("div", { class: "load-status" });
  const banner = h("div", { class: "report-banner-slot" });
  const filterInput = h("input", {
    type: "search",
    id: "tag-filter",
    placeholder: "Filter by name, or paste a digest",
    autocomplete: "off",
    spellcheck: false,
    value: route.query.q ?? "",
    "aria-describedby": "tag-filter-error",
  });
  const regexToggle = h("input", { type: "checkbox", id: "tag-filter-regex", checked: route.query.re === "1" });
  const filterError = h("p", { class: "field-error", id: "tag-filter-error", hidden: true });
  const counts = h("p", { class: "counts", "aria-live": "polite" });
  const deleteSelected = h("button", { type: "button", class: "button danger", disabled: true, onclick: () => deleteTags(selectedTags()) }, icon("trash"), h("span", {}, "Delete selected"));
  const clearSelection = h("button", { type: "button", class: "button subtle", hidden: true, onclick: () => setSelection(new Set()) }, "Clear selection");
  // Shown instead of the table when the filter hides every tag (a blank table reads as "no tags").
  const noMatch = h("div", { class: "no-match", hidden: true });
  const selectShown = h("button", { type: "button", class: "button subtle", onclick: () => toggleAllShown(true) }, "Select all shown");

  const table = createTagsTable({
    columns,
    scanCounts,
    onSort: (key, firstDir) => {
      const dir = currentSort().key === key ? (currentSort().dir === "asc" ? "desc" : "asc") : firstDir;
      setQuery({ sort: key, dir });
      recompute(true);
    },
    onToggle: toggleTag,
    onToggleAll: toggleAllShown,
    onOpen: (tag) => setQuery({ tag: tag.tag }, true),
    onCopyPull: async (tag, button) => {
      const ok = await copyText(pullCommand(tag));
      button.classList.add("copied");
      setTimeout(() => button.classList.remove("copied"), 1200);
      announce(ok ? `Copied: ${pullCommand(tag)}` : "Could not copy the pull command");
    },
    onDelete: (tag) => deleteTags([tag]),
    onShowDigest: (tag) => {
      filterInput.value = `sha256:${digestHex(tag.digest)}`;
      regexToggle.checked = false;
      applyFilterInput();
    },
  });

  const toolbar = h(
    "div",
    { class: "toolbar", role: "search" },
    h(
      "div",
      { class: "filter" },
      h("label", { for: "tag-filter", class: "visually-hidden" }, "Filter tags"),
      h("span", { class: "filter-icon", "aria-hidden": "true" }, icon("filter")),
      filterInput,
      h("label", { class: "regex-toggle", for: "tag-filter-regex", title: "Treat the filter as a regular expression" }, regexToggle, h("span", {}, ".* Regex")),
    ),
    h("div", { class: "toolbar-actions" }, selectShown, clearSelection, deleteSelected),
  );

  replace(
    container,
    h(
      "section",
      { class: "view repo-view" },
      head,
      status,
      banner,
      toolbar,
      filterError,
      counts,
      h("div", { class: "table-card" }, table.element, noMatch),
    ),
  );

  renderHead();
  app.setTitle(`${namespace}/${repository}`);
  showCrumbs(app, route.params);

  filterInput.addEventListener("input", applyFilterInput);
  regexToggle.addEventListener("change", applyFilterInput);
  const onGlobalKey = (event) => {
    if (event.key === "/" && !event.target.closest("input, textarea, select, dialog")) {
      event.preventDefault();
      filterInput.focus();
    }
  };
  document.addEventListener("keydown", onGlobalKey);

  table.setSort(currentSort().key, currentSort().dir);
  load();

  // ---- header ----
  function renderHead() {
    const source = state.source;
    const [kind, ...otherFacts] = source?.facts ?? [];
    const createNote = source && !source.can.create ? source.can.createNote : "";
    const immutability = source?.can.immutability ? immutabilityFact(source) : null;
    replace(
      head,
      pageHead({
        eyebrow: "Repository",
        title: `${namespace}/${repository}`,
        facts: [kind, state.loaded ? tagCountText() : null, ...otherFacts, immutability],
        subline: [
          h(
            "p",
            { class: "image-ref" },
            h("code", { title: "Image reference for docker pull" }, state.imageRef),
            copyButton(() => state.imageRef, "Copy image reference"),
          ),
          createNote ? h("p", { class: "hint", id: "create-unavailable" }, createNote) : null,
        ],
        actions: [
          h(
            "button",
            { type: "button", class: "button", onclick: () => createTag(), disabled: !state.loaded || Boolean(createNote), title: createNote || null, "aria-describedby": createNote ? "create-unavailable" : null },
            icon("plus"),
            h("span", {}, "New tag"),
          ),
          h("button", { type: "button", class: "button", onclick: () => retention(), disabled: !state.loaded }, icon("broom"), h("span", {}, "Retention")),
          source?.can.lifecycle
            ? h("button", { type: "button", class: "button", onclick: () => lifecycleRules(), disabled: !state.loaded }, icon("clock"), h("span", {}, "Lifecycle rules"))
            : null,
          source?.can.swrRetention
            ? h("button", { type: "button", class: "button", onclick: () => swrRetention(), disabled: !state.loaded }, icon("clock"), h("span", {}, "Retention policy"))
            : null,
          source?.can.immutability ? immutabilitySwitch({ app, source, busy: state.switchingImmutability, onBusy: (busy) => ((state.switchingImmutability = busy), renderHead()) }) : null,
          h("button", { type: "button", class: "button subtle", onclick: () => load(), "aria-label": "Reload tags", title: "Reload tags" }, icon("refresh")),
        ],
      }),
    );
  }

  // ---- loading ----
  /**
   * (Re)loads the listing. Rows already shown stay, marked stale, until the
   * new listing's first page replaces them. The first attempt that gets no
   * answer is shown at once (api/health.js), while the retries go on; "Stop"
   * gives up on them. A failure keeps the stale rows, still marked.
   */
  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    state.loaded = false;
    state.failedPages = [];
    if (state.tags.length && state.loadedAt) setStale(true);
    renderHead();
    renderCounts();
    const progress = progressBar("Looking up the repository\u2026");
    progress.update(0, null); // indeterminate until the first page says how many
    const trouble = h("div", { class: "load-trouble" });
    replace(status, trouble, progress.element);
    table.element.dataset.state = "loading";
    let stoppedBy = null; // the registry's failure the user stopped waiting for
    const stop = () => {
      stoppedBy = app.session.health.current.error;
      controller.abort();
    };
    const showTrouble = ({ state: health, error }) => {
      if (signal.aborted) return;
      if (health === "ok") return replace(trouble);
      replace(trouble, stillTrying(error, stop));
    };
    const unwatch = app.session.health.subscribe(showTrouble);
    if (app.session.health.current.state !== "ok") showTrouble(app.session.health.current);
    // "Stop" must not wait for the retries in flight: the listing is raced against it.
    const stopped = new Promise((_, reject) => signal.addEventListener("abort", () => reject(Object.assign(new Error("Stopped"), { name: "AbortError" })), { once: true }));
    stopped.catch(() => {});
    try {
      if (!state.source) {
        state.source = await Promise.race([openTagSource(app, route.params), stopped]);
        state.source.imageRef().then((ref) => {
          state.imageRef = ref;
          renderHead();
        });
      }
      renderHead();
      progress.label("Loading tags\u2026");
      const listing = state.source.list({
        signal,
        onProgress: ({ loaded, total, items }) => {
          if (signal.aborted) return;
          // One figure for the bar, its label and the counts line, set together.
          state.progress = { loaded, total };
          progress.update(loaded, total, `Loading tags\u2026 ${progressFigure()}`);
          // The new listing's rows replace the stale ones from the next redraw on.
          setStale(false);
          renderCounts();
          pendingItems = items;
          scheduleRecompute();
        },
      });
      listing.catch(() => {});
      const result = await Promise.race([listing, stopped]);
      if (signal.aborted) return;
      pendingItems = null;
      state.progress = null;
      state.tags = result.items;
      state.total = result.total;
      state.failedPages = result.failedPages;
      state.loaded = true;
      state.loadedAt = Date.now();
    } catch (error) {
      if ((error?.name === "AbortError" || signal.aborted) && !stoppedBy) return;
      pendingItems = null;
      state.progress = null;
      table.element.dataset.state = "error";
      renderCounts();
      replace(status, loadFailure(stoppedBy ?? error));
      return;
    } finally {
      unwatch();
    }
    renderStatus();
    renderHead();
    recompute(true);
    table.element.dataset.state = "loaded";
    table.element.dataset.count = String(state.tags.length);
    announce(`${plural(state.tags.length, "tag")} loaded`);
    if (state.query.tag) openPanel(state.query.tag);
  }

  /** Shown the moment an attempt gets no answer, while the retries behind it wait. */
  function stillTrying(error, stop) {
    const info = describeError(error, app.session.errorContext);
    return h(
      "div",
      { class: "warning-box", role: "alert", dataset: { trouble: error?.code ?? "unknown" } },
      h("p", { class: "error-title" }, `${info.title}. Still trying\u2026`),
      h("p", { class: "error-text" }, info.message || info.text),
      state.stale ? h("p", {}, staleNote()) : null,
      h("button", { type: "button", class: "button", onclick: stop }, "Stop trying"),
    );
  }

  /** The failed (re)load: the error, and what the rows still shown are. */
  function loadFailure(error) {
    return h(
      "div",
      { class: "load-failure" },
      errorBox(error, { context: app.session.errorContext, onRetry: load }),
      state.stale ? h("p", { class: "stale-note", role: "note" }, staleNote()) : null,
    );
  }

  function staleNote() {
    return `The ${plural(state.tags.length, "tag")} below are the list loaded at ${new Date(state.loadedAt).toLocaleTimeString()}; they may be out of date.`;
  }

  /** Marks (or unmarks) the rows shown as an older listing's. */
  function setStale(stale) {
    state.stale = stale;
    if (stale) table.element.dataset.stale = "true";
    else delete table.element.dataset.stale;
  }

  /** While loading: "1,200 of 2,400" (some listings say their total only at the end: "1,200 so far"). */
  function progressFigure() {
    const { loaded, total } = state.progress;
    return total === null ? `${formatCount(loaded)} so far` : `${formatCount(loaded)} of ${formatCount(total)}`;
  }

  /** "2,400 tags", or "2,300 of 2,400 tags" while pages are missing. */
  function tagCountText() {
    if (!state.failedPages.length) return plural(state.tags.length, "tag");
    return state.total === null ? `${plural(state.tags.length, "tag")} (incomplete)` : `${formatCount(state.tags.length)} of ${plural(state.total, "tag")} (incomplete)`;
  }

  function renderStatus() {
    if (state.failedPages.length === 0) {
      replace(status);
      return;
    }
    const missing = state.total === null ? "an unknown number of tags" : `about ${plural(Math.max(0, state.total - state.tags.length), "tag")}`;
    replace(
      status,
      h(
        "div",
        { class: "warning-box", role: "alert" },
        h("p", { class: "error-title" }, `The list is incomplete: ${plural(state.failedPages.length, "page")} of tags could not be loaded (${missing} missing).`),
        errorBox(state.failedPages[0].error, { context: app.session.errorContext, compact: true }),
        h("button", { type: "button", class: "button", onclick: load }, "Load again"),
      ),
    );
  }

  // ---- sorting, filtering, selection ----
  /** The URL's sort; each part left out is its default (newest first: what was pushed last is looked for first). */
  function currentSort() {
    const key = state.query.sort ?? QUERY_DEFAULTS.sort;
    const dir = state.query.dir ?? QUERY_DEFAULTS.dir;
    return { key: sortKeys.has(key) ? key : "name", dir: dir === "asc" ? "asc" : "desc" };
  }

  function comparator({ key, dir }) {
    const sign = dir === "desc" ? -1 : 1;
    if (key === "name") return (a, b) => sign * compareVersions(a.tag, b.tag);
    const value = key === "vulns" ? (tag) => sortValue(scanCounts.get(tag.tag)) : (tag) => (Number.isFinite(tag[key]) ? tag[key] : -Infinity);
    return (a, b) => sign * (value(a) - value(b) || compareVersions(a.tag, b.tag));
  }

  /** A progressive redraw while loading: the first page at once, then at most every PROGRESSIVE_REDRAW_MS. */
  function scheduleRecompute() {
    if (recomputeFrame || progressiveTimer) return;
    const wait = Math.max(0, lastProgressive + PROGRESSIVE_REDRAW_MS - performance.now());
    progressiveTimer = setTimeout(() => {
      progressiveTimer = 0;
      recomputeFrame = requestAnimationFrame(() => {
        recomputeFrame = 0;
        lastProgressive = performance.now();
        recompute(true);
      });
    }, wait);
  }

  function recompute(resort) {
    if (recomputeFrame) cancelAnimationFrame(recomputeFrame);
    clearTimeout(progressiveTimer);
    recomputeFrame = 0;
    progressiveTimer = 0;
    if (pendingItems) {
      state.tags = pendingItems();
      pendingItems = null;
      resort = true;
    }
    if (resort) {
      state.sorted = state.tags.slice().sort(comparator(currentSort()));
      state.shared = sharedDigests(state.tags);
    }
    const filter = compileFilter(state.query.q, { regex: state.query.re === "1" });
    filterError.hidden = !filter.error;
    filterError.textContent = filter.error ?? "";
    filterInput.toggleAttribute("aria-invalid", Boolean(filter.error));
    state.view = filter.error ? [] : state.sorted.filter(filter.test);
    // Sorting by vulnerabilities needs every shown tag's counts: asked for all, a few at a time.
    if (currentSort().key === "vulns" && state.loaded) scanCounts?.want(state.view.map((tag) => tag.tag));
    table.setSort(currentSort().key, currentSort().dir);
    table.setRows(state.view, { selection: state.selected, sharedDigests: state.shared });
    renderNoMatch(filter);
    renderCounts();
  }

  /** The empty state of a filter that matches nothing: what was asked, and the way back. */
  function renderNoMatch(filter) {
    const hidesAll = state.view.length === 0 && state.tags.length > 0 && Boolean(state.query.q);
    noMatch.hidden = !hidesAll;
    table.element.hidden = hidesAll;
    if (!hidesAll) return;
    const clear = h("button", { type: "button", class: "button", onclick: () => clearFilter() }, icon("close"), h("span", {}, "Clear filter"));
    const asked = state.query.re === "1" ? `the regular expression \u201c${state.query.q}\u201d` : `\u201c${state.query.q}\u201d`;
    replace(
      noMatch,
      emptyState(
        filter.error ? "No tags shown: the regular expression has an error" : "No tag matches the filter",
        filter.error
          ? "Correct it above, or clear the filter to see every tag."
          : `None of the ${plural(state.tags.length, "tag")}${state.loaded ? "" : " loaded so far"} matches ${asked}.`,
        h("div", { class: "empty-actions" }, clear),
      ),
    );
  }

  function clearFilter() {
    filterInput.value = "";
    regexToggle.checked = false;
    applyFilterInput();
    filterInput.focus();
  }

  function applyFilterInput() {
    setQuery({ q: filterInput.value, re: regexToggle.checked ? "1" : "" });
    recompute(false);
  }

  function renderCounts() {
    const selectedShown = state.view.reduce((count, tag) => count + (state.selected.has(tag.tag) ? 1 : 0), 0);
    const hiddenSelected = state.selected.size - selectedShown;
    const parts = [];
    if (state.loaded) parts.push(tagCountText());
    else if (state.progress) parts.push(`${progressFigure()} tags loaded`);
    else if (state.stale) parts.push(`${plural(state.tags.length, "tag")} as of ${new Date(state.loadedAt).toLocaleTimeString()} (stale)`);
    if (state.view.length !== state.tags.length) parts.push(`${formatCount(state.view.length)} shown`);
    if (currentSort().key === "vulns" && scanCounts && state.loaded) {
      const answered = scanCounts.answered(state.view.map((tag) => tag.tag));
      if (answered < state.view.length) parts.push(`vulnerability counts read for ${formatCount(answered)} of ${formatCount(state.view.length)} (sorted again when all are in)`);
    }
    if (state.selected.size) parts.push(`${formatCount(state.selected.size)} selected${hiddenSelected ? ` (${formatCount(hiddenSelected)} hidden by the filter)` : ""}`);
    counts.textContent = parts.join(" \u00b7 ");
    counts.dataset.total = String(state.tags.length);
    counts.dataset.loading = state.progress ? String(state.progress.loaded) : "";
    counts.dataset.shown = String(state.view.length);
    counts.dataset.selected = String(state.selected.size);
    deleteSelected.disabled = state.selected.size === 0;
    deleteSelected.lastChild.textContent = state.selected.size ? `Delete ${formatCount(state.selected.size)} selected` : "Delete selected";
    clearSelection.hidden = state.selected.size === 0;
    selectShown.textContent = `Select all ${formatCount(state.view.length)} shown`;
    selectShown.disabled = state.view.length === 0;
    if (state.loaded && state.tags.length === 0) replace(status, emptyState("No tags in this repository", "Push an image to create one."));
  }

  function toggleTag(tag, checked, extendRange) {
    const anchorIndex = extendRange && state.anchor ? state.view.findIndex((entry) => entry.tag === state.anchor) : -1;
    const index = state.view.findIndex((entry) => entry.tag === tag.tag);
    if (anchorIndex >= 0 && index >= 0) {
      const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
      for (let i = from; i <= to; i++) {
        if (checked) state.selected.add(state.view[i].tag);
        else state.selected.delete(state.view[i].tag);
      }
    } else if (checked) state.selected.add(tag.tag);
    else state.selected.delete(tag.tag);
    state.anchor = tag.tag;
    table.refreshSelection();
    renderCounts();
  }

  function toggleAllShown(checked) {
    for (const tag of state.view) {
      if (checked) state.selected.add(tag.tag);
      else state.selected.delete(tag.tag);
    }
    table.refreshSelection();
    renderCounts();
    announce(checked ? `${plural(state.view.length, "tag")} selected` : "Selection cleared for the shown tags");
  }

  function setSelection(selection) {
    state.selected = selection;
    state.anchor = null;
    table.setRows(state.view, { selection: state.selected, sharedDigests: state.shared });
    renderCounts();
  }

  function selectedTags() {
    return state.sorted.filter((tag) => state.selected.has(tag.tag));
  }

  // ---- URL ----
  function setQuery(changes, open = false) {
    state.query = { ...state.query, ...changes };
    app.replaceRoute({ name: route.name, params: route.params, query: state.query });
    if (open && changes.tag) openPanel(changes.tag);
  }

  /** The tag's own pull address where the registry gives one (SWR), else the image reference and the tag. */
  function pullCommand(tag) {
    return `docker pull ${tag.path || `${state.imageRef}:${tag.tag}`}`;
  }

  // ---- actions ----
  function deleteTags(tags) {
    if (tags.length === 0) return;
    openDeleteFlow({
      app,
      source: state.source,
      allTags: state.tags,
      tags,
      onFinished: (report) => {
        const gone = new Set(report.results.filter((result) => result.status === "deleted").map((result) => result.tag));
        state.tags = state.tags.filter((tag) => !gone.has(tag.tag));
        for (const name of gone) state.selected.delete(name);
        state.lastReport = report;
        renderBanner();
        renderHead();
        recompute(true);
        table.element.dataset.count = String(state.tags.length);
      },
    });
  }

  function renderBanner() {
    const report = state.lastReport;
    if (!report) return replace(banner);
    const { deleted, failed, skipped } = report.counts;
    replace(
      banner,
      h(
        "div",
        { class: ["report-banner", failed || skipped ? "has-failures" : "ok"], role: "status" },
        h("span", {}, `Last deletion: ${formatCount(deleted)} deleted`, failed ? `, ${formatCount(failed)} failed` : "", skipped ? `, ${formatCount(skipped)} not attempted` : "", "."),
        h("button", { type: "button", class: "button subtle small", onclick: () => showReport(app, report) }, "Show report"),
        h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss", title: "Dismiss", onclick: () => ((state.lastReport = null), renderBanner()) }, icon("close")),
      ),
    );
  }

  function createTag(fromTag = "") {
    if (!state.source?.can.create) return;
    openCreateTag({
      app,
      source: state.source,
      tags: state.tags,
      fromTag,
      onCreated: (record) => {
        state.tags = [...state.tags.filter((tag) => tag.tag !== record.tag), record];
        renderHead();
        recompute(true);
        table.element.dataset.count = String(state.tags.length);
        table.flash(record.tag);
      },
    });
  }

  /** A tag's counts came in: the rows redrawn (once a frame); sorted by them, sorted again once all shown are in. */
  function countsArrived() {
    if (countsFrame) return;
    countsFrame = requestAnimationFrame(() => {
      countsFrame = 0;
      const sortedByCounts = currentSort().key === "vulns";
      if (sortedByCounts && scanCounts.answered(state.view.map((tag) => tag.tag)) === state.view.length) recompute(true);
      else table.redraw();
      if (sortedByCounts) renderCounts();
    });
  }

  function lifecycleRules() {
    openLifecycleRules({ app, source: state.source, namespace, repository, tags: state.tags });
  }

  function swrRetention() {
    openSwrRetention({ app, namespace, repository, tags: state.tags, reload: async () => (await load(), state.tags) });
  }

  function retention() {
    openRetention({ app, tags: state.tags, onApply: (tags) => deleteTags(tags) });
  }

  function openPanel(name) {
    if (!state.loaded) return; // opened once the tags are in
    const tag = state.tags.find((entry) => entry.tag === name);
    state.panel?.close();
    state.panel = openTagPanel({
      app,
      source: state.source,
      tag,
      name,
      allTags: state.tags,
      pullCommand,
      onClose: () => {
        state.panel = null;
        if (state.query.tag === name) setQuery({ tag: "" });
      },
      onOpenTag: (other) => setQuery({ tag: other }, true),
      onCreateFrom: (from) => createTag(from),
      onDelete: (record) => deleteTags([record]),
      onScanned: (scanned) => {
        scanCounts?.forget(scanned);
        table.redraw();
      },
    });
  }

  return {
    update(next) {
      // Same repository, new query (back/forward or an edited URL).
      const before = state.query;
      state.query = next.query;
      if (filterInput.value !== (next.query.q ?? "")) filterInput.value = next.query.q ?? "";
      regexToggle.checked = next.query.re === "1";
      const resort = before.sort !== next.query.sort || before.dir !== next.query.dir;
      recompute(resort);
      if (next.query.tag && next.query.tag !== before.tag) openPanel(next.query.tag);
      if (!next.query.tag) state.panel?.close();
    },
    destroy() {
      controller?.abort();
      table.destroy();
      state.panel?.close();
      document.removeEventListener("keydown", onGlobalKey);
      if (recomputeFrame) cancelAnimationFrame(recomputeFrame);
      if (countsFrame) cancelAnimationFrame(countsFrame);
      clearTimeout(progressiveTimer);
    },
  };
}
