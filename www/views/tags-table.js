/**
 * The tags table: a virtualized grid (see ui/virtual-list.js) with a
 * selection column, sortable headers, digest-sharing markers, human sizes
 * and dates (absolute, the relative age and exact time on hover), and
 * per-row actions. Which data
 * columns it shows is the registry's choice (`columns`, from
 * api/registries.js); the grid's widths follow from the column table below.
 *
 * It renders what it is given (`setRows`) and reports what the user does
 * through callbacks; the repository view owns the data and the state.
 *
 * Keyboard: one row at a time is in the Tab order (a "roving" tab stop), so
 * Tab enters the table once and leaves it again; the arrow keys move
 * between rows (ui/virtual-list.js).
 */
import { h } from "../lib/dom.js";
import { formatBytes, exactBytes, absoluteTime, relativeTime, exactTime, isoTime, shortDigest, formatCount } from "../lib/format.js";
import { digestHue } from "../lib/digests.js";
import { createVirtualList } from "../ui/virtual-list.js";
import { icon, statusTone } from "../ui/components.js";

export const ROW_HEIGHT = 44;

/**
 * Every column the table can show, in display order. `widths`: the grid
 * track above 820 px, above 600 px and below (null: hidden at that width).
 */
const COLUMNS = [
  { key: "select", label: "Select", className: "c-select", widths: ["44px", "40px", "34px"] },
  { key: "name", label: "Tag", className: "c-tag", sortable: true, firstDir: "asc", widths: ["minmax(180px, 1fr)", "minmax(0, 1fr)", "minmax(0, 1fr)"] },
  { key: "status", label: "Status", className: "c-status", widths: ["96px", "84px", "76px"] },
  { key: "digest", label: "Digest", className: "c-digest", widths: ["132px", null, null] },
  { key: "size", label: "Size", className: "c-size num", sortable: true, firstDir: "desc", widths: ["92px", "78px", "72px"] },
  { key: "created", label: "Created", className: "c-created", sortable: true, firstDir: "desc", widths: ["150px", null, null] },
  { key: "updated", label: "Updated", className: "c-updated", sortable: true, firstDir: "desc", widths: ["150px", "104px", "104px"] },
  { key: "vulns", label: "Vulns", className: "c-vulns num", sortable: true, firstDir: "desc", widths: ["84px", "68px", null] },
  { key: "actions", label: "Actions", className: "c-actions", widths: ["76px", "70px", null] },
];
const ALWAYS = new Set(["select", "name", "actions"]);
/** Statuses that need no badge beside the name (the registry's "all is well"). */
const QUIET_STATUS = new Set(["NORMAL", "READY"]);

/** [text, hover text, most severe level] of a tag's counts entry. */
function vulnsText(entry) {
  switch (entry?.state) {
    case "counts": {
      const parts = ["high", "medium", "low", "unknown"].filter((level) => Number(entry[level]) > 0);
      return [formatCount(entry.total), `${formatCount(entry.total)} vulnerabilities: ${parts.map((level) => `${formatCount(entry[level])} ${level}`).join(", ")}`, parts[0] ?? "unknown"];
    }
    case "clean":
      return ["0", "Scanned: no vulnerabilities found", "none"];
    case "none":
      return ["\u2014", "Not scanned", ""];
    case "scanning":
      return ["\u2026", "A scan is running", ""];
    case "error":
      return ["?", `The counts could not be read: ${entry.error?.message ?? entry.error?.code ?? "error"}`, ""];
    case "unsupported":
      return ["\u2014", "Not available from this connection (no GetRepoTagScanSummary)", ""];
    default:
      return ["", "Loading the vulnerability counts\u2026", ""];
  }
}

/** The column's cell class, with the classes that hide it on narrow screens (styles.css). */
function cellClass(column) {
  return [column.className, column.widths[1] === null && "vt-hide-mid", column.widths[2] === null && "vt-hide-narrow"].filter(Boolean).join(" ");
}

/** The grid templates at the three widths, as the custom properties styles.css reads. */
function gridTemplates(columns) {
  const template = (index) => columns.map((column) => column.widths[index]).filter(Boolean).join(" ");
  return { "--cols-wide": template(0), "--cols-mid": template(1), "--cols-narrow": template(2) };
}

export function createTagsTable({ columns: dataColumns, scanCounts = null, onSort, onToggle, onToggleAll, onOpen, onCopyPull, onDelete, onShowDigest }) {
  const columns = COLUMNS.filter((column) => ALWAYS.has(column.key) || dataColumns.includes(column.key));
  const shown = new Set(columns.map((column) => column.key));
  const statusColumn = shown.has("status");
  let rows = [];
  let selected = new Set();
  let shared = new Map();
  let now = Date.now();
  let activeIndex = 0; // the row whose controls are in the Tab order

  // The rows drawn in one pass are asked for together (scanCounts.want takes the last asked first).
  const askLater = new Set();
  let askScheduled = false;
  const askDrawn = () => {
    askScheduled = false;
    const names = [...askLater].reverse();
    askLater.clear();
    scanCounts.want(names);
  };
  const scheduleAsk = () => {
    if (!askScheduled && askLater.size) {
      askScheduled = true;
      queueMicrotask(askDrawn);
    }
  };

  const selectAll = h("input", { type: "checkbox", "aria-label": "Select all shown tags", onclick: () => onToggleAll(selectAll.checked) });
  const sortButtons = new Map();
  const header = h(
    "div",
    { class: "vt-row vt-head", role: "row", "aria-rowindex": "1" },
    columns.map((column) => {
      let content = column.label;
      if (column.key === "select") content = selectAll;
      else if (column.key === "actions") content = h("span", { class: "visually-hidden" }, column.label);
      else if (column.sortable) {
        const button = h("button", { type: "button", class: "sort", onclick: () => onSort(column.key, column.firstDir) }, column.label, h("span", { class: "sort-arrow", "aria-hidden": "true" }));
        sortButtons.set(column.key, button);
        content = button;
      }
      return h("div", { role: "columnheader", class: cellClass(column), dataset: { column: column.key } }, content);
    }),
  );
  const canvas = h("div", { class: "vt-canvas", role: "rowgroup" });
  const viewport = h(
    "div",
    { class: "vt", role: "table", "aria-label": "Tags", "aria-rowcount": "1", tabindex: "-1", dataset: { columns: [...shown].join(" ") } },
    h("div", { role: "rowgroup", class: "vt-head-group" }, header),
    canvas,
  );

  for (const [property, value] of Object.entries(gridTemplates(columns))) viewport.style.setProperty(property, value);

  const list = createVirtualList({
    viewport,
    canvas,
    rowHeight: ROW_HEIGHT,
    createRow,
    bindRow,
  });

  function createRow() {
    const checkbox = h("input", { type: "checkbox", dataset: { col: "select", action: "toggle" } });
    const name = h("button", { type: "button", class: "tag-name", dataset: { col: "tag", action: "open" } });
    const sharedCount = h("span", {});
    const sharedButton = h("button", { type: "button", class: "shared", dataset: { col: "shared", action: "digest" } }, icon("layers"), sharedCount);
    const status = h("span", { class: "badge neutral row-status" });
    const statusCell = h("span", { class: "badge" });
    const digest = h("code", {});
    const size = h("span", {});
    const created = h("time", {}, h("span", {}), h("span", { class: "clock" }));
    const updated = h("time", {}, h("span", {}), h("span", { class: "clock" }));
    const vulns = h("span", { class: "vulns" });
    const copy = h("button", { type: "button", class: "icon-button", dataset: { col: "copy", action: "copy" } }, icon("copy"));
    const remove = h("button", { type: "button", class: "icon-button danger", dataset: { col: "delete", action: "delete" } }, icon("trash"));
    const content = {
      select: [checkbox],
      name: [name, sharedButton, status],
      status: [statusCell],
      digest: [digest],
      size: [size],
      created: [created],
      updated: [updated],
      vulns: [vulns],
      actions: [copy, remove],
    };
    const row = h(
      "div",
      { class: "vt-row", role: "row" },
      columns.map((column) => h("div", { role: "cell", class: cellClass(column) }, content[column.key])),
    );
    row.refs = { checkbox, name, sharedButton, sharedCount, status, statusCell, digest, size, created, updated, vulns, copy, remove };
    row.controls = [checkbox, name, sharedButton, copy, remove];
    return row;
  }

  function bindRow(row, index) {
    const tag = rows[index];
    const refs = row.refs;
    if (!tag) return;
    row.dataset.tag = tag.tag;
    const tabIndex = index === activeIndex ? 0 : -1;
    for (const control of row.controls) control.tabIndex = tabIndex;
    const isSelected = selected.has(tag.tag);
    row.classList.toggle("selected", isSelected);
    refs.checkbox.checked = isSelected;
    refs.checkbox.setAttribute("aria-label", `Select ${tag.tag}`);
    refs.name.textContent = tag.tag;
    refs.name.title = `Details of ${tag.tag}`;
    const group = shared.get(tag.digest);
    if (group) {
      const others = group.filter((name) => name !== tag.tag);
      refs.sharedButton.hidden = false;
      refs.sharedCount.textContent = String(group.length);
      refs.sharedButton.style.setProperty("--hue", String(digestHue(tag.digest)));
      const text = `Same image as ${others.slice(0, 8).join(", ")}${others.length > 8 ? ` and ${others.length - 8} more` : ""}`;
      refs.sharedButton.title = `${text}. Show them all.`;
      refs.sharedButton.setAttribute("aria-label", `${tag.tag} shares its image with ${others.length} other tag${others.length === 1 ? "" : "s"}: show them`);
    } else {
      refs.sharedButton.hidden = true;
    }
    const status = (tag.status || "").toUpperCase();
    if (statusColumn) {
      refs.statusCell.textContent = status ? status.toLowerCase() : "\u2014";
      refs.statusCell.className = `badge ${status ? statusTone(status) : "neutral"}`;
    }
    refs.status.hidden = statusColumn || !status || QUIET_STATUS.has(status);
    refs.status.textContent = status.toLowerCase();
    refs.digest.textContent = shortDigest(tag.digest);
    refs.digest.title = tag.digest || "No digest";
    refs.size.textContent = formatBytes(tag.sizeExact ?? tag.size);
    refs.size.title = exactBytes(tag.sizeExact ?? tag.size);
    setTime(refs.created, tag.created);
    setTime(refs.updated, tag.updated);
    if (scanCounts) setVulns(refs.vulns, tag.tag);
    refs.copy.setAttribute("aria-label", `Copy pull command for ${tag.tag}`);
    refs.copy.title = "Copy pull command";
    refs.remove.setAttribute("aria-label", `Delete ${tag.tag}`);
    refs.remove.title = `Delete ${tag.tag}`;
  }

  /** The tag's vulnerability count, asked for the moment its row is drawn (lib/scan-counts.js). */
  function setVulns(element, name) {
    const entry = scanCounts.get(name);
    if (!entry) {
      askLater.add(name);
      scheduleAsk();
    }
    const [text, title, severity] = vulnsText(entry);
    element.textContent = text;
    element.title = title;
    element.dataset.state = entry?.state ?? "queued";
    element.dataset.severity = severity;
  }

  function setTime(element, ms) {
    // Date and time apart: narrow screens keep only the date (styles.css).
    const [day, clock = ""] = absoluteTime(ms).split(" ");
    element.firstChild.textContent = day;
    element.lastChild.textContent = clock ? ` ${clock}` : "";
    element.title = Number.isFinite(ms) && ms > 0 ? `${relativeTime(ms, now)} \u00b7 ${exactTime(ms)}` : exactTime(ms);
    element.dateTime = isoTime(ms);
  }

  // One listener for every row: find the row and the action.
  canvas.addEventListener("click", (event) => {
    const row = event.target.closest(".vt-row");
    if (!row) return;
    const tag = rows[Number(row.dataset.index)];
    if (!tag) return;
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "toggle") onToggle(tag, event.target.checked, event.shiftKey);
    else if (action === "open") onOpen(tag);
    else if (action === "copy") onCopyPull(tag, event.target.closest("button"));
    else if (action === "delete") onDelete(tag);
    else if (action === "digest") onShowDigest(tag);
    else if (!event.target.closest("button, input, a") && !window.getSelection()?.toString()) {
      // A click on the row's free space toggles it, shift-click selects a range.
      onToggle(tag, !selected.has(tag.tag), event.shiftKey);
    }
  });
  // The focused row becomes the one Tab returns to.
  canvas.addEventListener("focusin", (event) => {
    const index = Number(event.target.closest(".vt-row")?.dataset.index);
    if (Number.isInteger(index) && index !== activeIndex) {
      activeIndex = index;
      list.refresh();
    }
  });
  // Shift-click should select a range, not text.
  canvas.addEventListener("mousedown", (event) => {
    if (event.shiftKey) event.preventDefault();
  });
  // Shift+Space on a row checkbox extends the range from the keyboard.
  canvas.addEventListener("keydown", (event) => {
    if (event.key === " " && event.shiftKey && event.target.dataset?.action === "toggle") {
      event.preventDefault();
      const tag = rows[Number(event.target.closest(".vt-row").dataset.index)];
      if (tag) onToggle(tag, !selected.has(tag.tag), true);
    }
  });

  return {
    element: viewport,
    setRows(next, { selection, sharedDigests }) {
      rows = next;
      selected = selection;
      shared = sharedDigests;
      now = Date.now();
      activeIndex = Math.max(0, Math.min(activeIndex, rows.length - 1));
      viewport.setAttribute("aria-rowcount", String(rows.length + 1));
      list.setCount(rows.length);
      this.refreshSelection();
    },
    refreshSelection() {
      list.refresh();
      const chosen = rows.reduce((count, tag) => count + (selected.has(tag.tag) ? 1 : 0), 0);
      selectAll.checked = rows.length > 0 && chosen === rows.length;
      selectAll.indeterminate = chosen > 0 && chosen < rows.length;
      selectAll.setAttribute("aria-label", `Select all ${formatCount(rows.length)} shown tags`);
    },
    setSort(key, dir) {
      for (const [column, button] of sortButtons) {
        const cell = button.parentElement;
        const active = column === key;
        cell.setAttribute("aria-sort", active ? (dir === "asc" ? "ascending" : "descending") : "none");
        button.classList.toggle("active", active);
        button.dataset.dir = active ? dir : "";
      }
    },
    /** Redraws the rows on screen (new vulnerability counts). */
    redraw() {
      list.refresh();
    },
    scrollToTag(name) {
      const index = rows.findIndex((tag) => tag.tag === name);
      if (index >= 0) list.scrollToIndex(index);
      return index;
    },
    flash(name) {
      const index = this.scrollToTag(name);
      const row = index >= 0 ? list.rowElement(index) : null;
      if (row) {
        row.classList.remove("flash");
        void row.offsetWidth;
        row.classList.add("flash");
      }
    },
    destroy() {
      list.destroy();
    },
  };
}
