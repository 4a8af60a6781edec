/**
 * A virtualized list of fixed-height rows: only the rows in view (plus a
 * margin) exist in the DOM, and row elements are recycled while scrolling,
 * so 10,000 rows cost what 40 do.
 *
 * The caller supplies `createRow()` (one empty row element) and
 * `bindRow(element, index)` (fill it for row `index`). A row holding the
 * keyboard focus is never recycled, so focus never jumps to another tag.
 * Arrow keys, Page Up/Down and Ctrl+Home/End move focus between rows,
 * keeping the same column (`data-col`) focused.
 */
export function createVirtualList({ viewport, canvas, rowHeight, createRow, bindRow, overscan = 10, headerRows = 1 }) {
  let count = 0;
  const visible = new Map(); // index -> row element
  const free = [];
  let frame = 0;
  // Geometry is cached and refreshed only on resize and scroll: reading it
  // while rows are being rebuilt would force a layout on every update.
  let headerOffset = 0;
  let viewportHeight = 0;
  let scrollTop = 0;

  function measure() {
    headerOffset = canvas.offsetTop;
    viewportHeight = viewport.clientHeight;
    scrollTop = viewport.scrollTop;
  }

  function range() {
    const top = Math.max(0, scrollTop - headerOffset);
    const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const last = Math.min(count, Math.ceil((top + viewportHeight) / rowHeight) + overscan);
    return [first, last];
  }

  function render(rebind = false) {
    frame = 0;
    const [first, last] = range();
    const focused = document.activeElement;
    for (const [index, row] of visible) {
      const keep = index < count && (index >= first && index < last || row.contains(focused));
      if (!keep) {
        visible.delete(index);
        row.hidden = true;
        delete row.dataset.index;
        free.push(row);
      }
    }
    for (let index = first; index < last; index++) {
      let row = visible.get(index);
      if (!row) {
        row = free.pop() ?? canvas.appendChild(createRow());
        row.hidden = false;
        visible.set(index, row);
        place(row, index);
      } else if (rebind) {
        place(row, index);
      }
    }
    if (rebind) for (const [index, row] of visible) if (index < first || index >= last) place(row, index);
  }

  function place(row, index) {
    row.style.transform = `translateY(${index * rowHeight}px)`;
    row.setAttribute("aria-rowindex", String(index + 1 + headerRows));
    row.dataset.index = String(index);
    bindRow(row, index);
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(() => render(false));
  }

  function scrollToIndex(index) {
    measure();
    const top = headerOffset + index * rowHeight;
    // The sticky header row covers the first `headerOffset` pixels of the view.
    if (top - headerOffset < scrollTop) viewport.scrollTop = top - headerOffset;
    else if (top + rowHeight > scrollTop + viewportHeight) viewport.scrollTop = top + rowHeight - viewportHeight;
    scrollTop = viewport.scrollTop;
    render(false);
  }

  function focusRow(index, column) {
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, index));
    scrollToIndex(target);
    const row = visible.get(target);
    const control = row?.querySelector(`[data-col="${column}"]`) ?? row?.querySelector("[data-col]");
    control?.focus();
  }

  function onKeydown(event) {
    const control = event.target.closest?.("[data-col]");
    const row = event.target.closest?.("[data-index]");
    if (!control || !row || event.altKey || event.metaKey) return;
    const index = Number(row.dataset.index);
    const page = Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
    const moves = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: event.ctrlKey ? 0 : null,
      End: event.ctrlKey ? count - 1 : null,
    };
    const target = moves[event.key];
    if (target === null || target === undefined) return;
    event.preventDefault();
    focusRow(target, control.dataset.col);
  }

  const onScroll = () => {
    scrollTop = viewport.scrollTop;
    schedule();
  };
  viewport.addEventListener("scroll", onScroll, { passive: true });
  viewport.addEventListener("keydown", onKeydown);
  const resizeObserver = new ResizeObserver(() => {
    measure();
    schedule();
  });
  resizeObserver.observe(viewport);

  return {
    setCount(next) {
      count = next;
      canvas.style.height = `${count * rowHeight}px`;
      render(true);
    },
    /** Rebinds the rows in view (after selection or data changes). */
    refresh() {
      render(true);
    },
    scrollToIndex,
    focusRow,
    rowElement: (index) => visible.get(index) ?? null,
    destroy() {
      resizeObserver.disconnect();
      viewport.removeEventListener("scroll", onScroll);
      viewport.removeEventListener("keydown", onKeydown);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
