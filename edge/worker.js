// The signing proxy as a Workers-style ES module (workerd, Cloudflare Workers).
//
// The package's two wasm modules (the core, and the retention engine that
// plans the scheduled runs) are imported as compiled WebAssembly.Modules:
// workerd loads `*.wasm` with a `CompiledWasm` module rule. Workers may not
// compile wasm from bytes at run time, which is why they come in compiled.
// - wrangler: `rules = [{ type = "CompiledWasm", globs = ["**/*.wasm"] }]`;
// - miniflare: `modules: true`, `modulesRoot` the repository (this file
//   imports ../pkg/), and `modulesRules: [{ type: "ESModule", include:
//   ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }]`. The
//   ESModule rule is needed: miniflare reads `.js` as CommonJS by default,
//   and this file, handler.js and the package are ES modules.
// edge/workerd.mjs runs it so on this machine. In Node, serve.mjs registers
// a loader (wasm-loader.mjs) that compiles both, so this same file runs there too.
//
// Needs the package built into pkg/ (bash scripts/build-pkg.sh). Settings
// come from env bindings; see edge/README.md.
// The scheduled retention runs (`scheduled`, `queue`, /retention/runs) are
// in retention/.

import * as tagdeck from "../pkg/index.js";
import wasmModule from "../pkg/tagdeck_bg.wasm";
import retentionModule from "../pkg/retention/tagdeck_retention_bg.wasm";
import { createProxy } from "./handler.js";
import { withRetention } from "./retention/workers.js";

tagdeck.initSync({ module: wasmModule });
tagdeck.initRetentionSync(retentionModule);

export default withRetention(createProxy({ Client: tagdeck.Client, operations: tagdeck.operations }), tagdeck);
