// Timing and the printed table.
//
// The cases of one group are measured interleaved: each round times one
// batch of every case in turn (a batch takes about 10 ms), so a burst of
// load from other processes on a shared machine hits all of them alike.
// Reported per case: the median time per call over the rounds and the
// fastest round; the ratio to tagdeck (the first case) is the median of
// the per-round ratios, which is what the goals are checked against.

const now = () => process.hrtime.bigint();
const BATCH_NS = 10e6;

async function timeBatch(fn, isAsync, n) {
  const start = now();
  if (isAsync) for (let i = 0; i < n; i++) await fn();
  else for (let i = 0; i < n; i++) fn();
  return Number(now() - start);
}

/** Calls per batch so that one batch takes about BATCH_NS. */
async function batchSize(fn, isAsync) {
  for (let n = 1; ; n *= 2) {
    const ns = await timeBatch(fn, isAsync, n);
    if (ns > BATCH_NS / 4 || n >= 1 << 22) return Math.max(1, Math.round((n * BATCH_NS) / ns));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Measures `cases` ({ name, fn, async? }) interleaved over `rounds` rounds.
 * Returns each case with { ns (median per call), best, ratio (median of
 * per-round time / the first case's time) }.
 */
export async function measureGroup(cases, { rounds = 30 } = {}) {
  const sized = [];
  for (const c of cases) {
    const n = await batchSize(c.fn, c.async);
    await timeBatch(c.fn, c.async, n * 3); // warm-up: let the JIT settle
    sized.push({ ...c, n, perCall: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of sized) c.perCall.push((await timeBatch(c.fn, c.async, c.n)) / c.n);
  }
  const base = sized[0].perCall;
  return sized.map((c) => ({
    name: c.name,
    ns: median(c.perCall),
    best: Math.min(...c.perCall),
    ratio: median(c.perCall.map((t, r) => t / base[r])),
  }));
}

export function formatTime(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function formatBytes(n) {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

/** Prints one measured group with the ratios to its first case. */
export function printGroup(title, rows) {
  const line = (cells) =>
    console.log(
      `  ${cells[0].padEnd(42)}${cells[1].padStart(11)}${cells[2].padStart(11)}${cells[3].padStart(10)}${cells[4].padStart(12)}`,
    );
  console.log(`\n${title}`);
  line(["implementation", "median", "best", "ops/s", "÷ tagdeck"]);
  for (const row of rows) {
    line([
      row.name,
      formatTime(row.ns),
      formatTime(row.best),
      Math.round(1e9 / row.ns).toLocaleString("en-US"),
      `${row.ratio.toFixed(2)}×`,
    ]);
  }
}
