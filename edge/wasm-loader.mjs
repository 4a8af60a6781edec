// Node module hook: `import module from "./x.wasm"` yields a compiled
// WebAssembly.Module, as workerd's CompiledWasm rule does. This lets Node run
// edge/worker.js, which imports both of the package's modules (the core and
// the retention engine), unchanged (registered by serve.mjs and bench.mjs).

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".wasm")) return nextLoad(url, context);
  return {
    format: "module",
    shortCircuit: true,
    source: [
      'import { readFile } from "node:fs/promises";',
      `export default await WebAssembly.compile(await readFile(new URL(${JSON.stringify(url)})));`,
    ].join("\n"),
  };
}
