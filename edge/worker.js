// The signing proxy as a Workers-style ES module (workerd, Cloudflare Workers).
//
// The package's wasm is imported as a compiled WebAssembly.Module: workerd
// loads `*.wasm` with a `CompiledWasm` module rule (wrangler does this by
// default; miniflare takes `modulesRules: [{ type: "CompiledWasm",
// include: ["**/*.wasm"] }]`). Workers may not compile wasm from bytes at
// run time, which is why the module comes in compiled. In Node, serve.mjs
// registers a loader that compiles it, so this same file runs there too.
//
// Settings come from env bindings; see edge/README.md.

import { initSync, Client, operations } from "../pkg/tagdeck.js";
import wasmModule from "../pkg/tagdeck_bg.wasm";
import { createProxy } from "./handler.js";

initSync({ module: wasmModule });

export default createProxy({ Client, operations });
