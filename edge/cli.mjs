// What the two local runners (serve.mjs in Node, workerd.mjs in workerd)
// share: the `--listen HOST:PORT` argument, the bindings taken from
// environment variables, and a start-up check that reports every problem at
// once, one per line, and exits with status 2.

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BINDINGS } from "./config.js";
import { prepare } from "./handler.js";
import { RETENTION_OPTIONS } from "./retention/node-cli.mjs";

/** The package the worker imports; it must be built first. */
export const PACKAGE = new URL("../pkg/index.js", import.meta.url);
export const PACKAGE_WASM = new URL("../pkg/tagdeck_bg.wasm", import.meta.url);
/** The retention engine's own module, which the worker imports too. */
export const RETENTION_WASM = new URL("../pkg/retention/tagdeck_retention_bg.wasm", import.meta.url);

/** Stops at once when pkg/ is missing: nothing else can be checked without it. */
export function requirePackage() {
  const missing = [PACKAGE, PACKAGE_WASM, RETENTION_WASM].find((file) => !existsSync(file));
  if (missing) {
    const name = path.relative(fileURLToPath(new URL("..", import.meta.url)), fileURLToPath(missing));
    exitWith([`the package is not built (${name} is missing): build it with \`bash scripts/build-pkg.sh\`, or run ./scripts/demo.sh once`]);
  }
}

/**
 * The listen address and the bindings, checked with the initialized
 * package exactly as the worker checks them on its first request.
 * @returns {{ host: string, port: number, env: Record<string, string>, args: object }}
 */
export function startupSettings(tagdeck) {
  const { values } = parseArgs({ options: { listen: { type: "string", default: "127.0.0.1:8787" }, ...RETENTION_OPTIONS } });
  const listen = /^(.*):(\d+)$/.exec(values.listen);
  const env = Object.fromEntries(BINDINGS.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  const checked = prepare(tagdeck, env);
  checked.client?.free(); // built only to check the settings; the worker builds its own
  const problems = [
    ...(listen ? [] : [`--listen must be HOST:PORT, got ${JSON.stringify(values.listen)}`]),
    ...(checked.configError?.problems ?? []),
  ];
  if (problems.length > 0) exitWith(problems);
  return { host: listen[1], port: Number(listen[2]), env, args: values };
}

/** Each problem on its own line on stderr, then exit status 2. */
export function exitWith(problems) {
  for (const problem of problems) console.error(`tagdeck-edge: ${problem}`);
  process.exit(2);
}
