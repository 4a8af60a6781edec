// Loads the package exactly as a Node 20 user does: `import ... from
// "tagdeck"` (installed into tests/node/node_modules by scripts/test-wasm.sh
// from the packed tarball, so only the files the package publishes are
// there), then `initSync` with the bytes of the .wasm the package exports.
import { readFile } from "node:fs/promises";
import * as tagdeck from "tagdeck";

tagdeck.initSync({ module: await readFile(new URL(import.meta.resolve("tagdeck/tagdeck_bg.wasm"))) });

export * from "tagdeck";
