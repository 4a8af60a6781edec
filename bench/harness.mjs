// Timing and the printed table. Each case runs in batches sized to take
// about 20 ms; after a warm-up, `samples` batches are timed and the median
// time per operation is kept (the median resists the noise of a shared
// machine better than the mean).

const now = () => process.hrtime.bigint();

function batchSize(fn) {
  let n = 1;
  for (;;) {
    const start = now();
    for (let i = 0; i < n; i++) fn();
    const ns = Number(now() - start);
    if (ns > 20e6 || n >= 1 << 24) return Math.max(1, Math.round((n * 20e6) / ns));
    n *= 2;
  }
}

async function batchSizeAsync(fn) {
  let n = 1;
  for (;;) {
    const start = now();
    for (let i = 0; i < n; i++) await fn();
    const ns = Number(now() - start);
    if (ns > 20e6 || n >= 1 << 20) return Math.max(1, Math.round((n * 20e6) / ns));
    n *= 2;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

/** Median nanoseconds per call of a synchronous `fn`. */
export function measure(fn, { samples = 25 } = {}) {
  const n = batchSize(fn);
  for (let i = 0; i < n * 5; i++) fn(); // warm-up: let the JIT settle
  const perOp = [];
  for (let s = 0; s < samples; s++) {
    const start = now();
    for (let i = 0; i < n; i++) fn();
    perOp.push(Number(now() - start) / n);
  }
  return { ns: median(perOp), min: Math.min(...perOp), max: Math.max(...perOp), batch: n };
}

/** Median nanoseconds per call of an async `fn` (awaited one at a time). */
export async function measureAsync(fn, { samples = 25 } = {}) {
  const n = await batchSizeAsync(fn);
  for (let i = 0; i < n * 5; i++) await fn();
  const perOp = [];
  for (let s = 0; s < samples; s++) {
    const start = now();
    for (let i = 0; i < n; i++) await fn();
    perOp.push(Number(now() - start) / n);
  }
  return { ns: median(perOp), min: Math.min(...perOp), max: Math.max(...perOp), batch: n };
}

export function formatTime(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function formatBytes(n) {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);

/** Prints one group: each case's median, spread and ops/s, and how many
 *  times slower than tagdeck's case (the first row) it is. */
export function printGroup(title, rows) {
  console.log(`\n${title}`);
  console.log(
    `  ${pad("implementation", 44)}${padLeft("median", 11)}${padLeft("spread (min-max)", 22)}${padLeft("ops/s", 10)}${padLeft("÷ tagdeck", 11)}`,
  );
  const base = rows[0].result.ns;
  for (const { name, result } of rows) {
    const spread = `${formatTime(result.min)}-${formatTime(result.max)}`;
    const opsPerSecond = Math.round(1e9 / result.ns).toLocaleString("en-US");
    const ratio = (result.ns / base).toFixed(2) + "×";
    console.log(
      `  ${pad(name, 44)}${padLeft(formatTime(result.ns), 11)}${padLeft(spread, 22)}${padLeft(opsPerSecond, 10)}${padLeft(ratio, 11)}`,
    );
  }
}
