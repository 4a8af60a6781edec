// The TagdeckErrors made in JavaScript. Rust makes its errors through
// tagdeckFailure (src/wasm/errors.rs), bulk.js through tagdeckError; the
// package's entry (pkg-template/index.js, which imports this file as
// ./guards.js, copied there by scripts/build-pkg.sh) answers the first-use
// mistakes with the rest, mistakes that wasm-bindgen's generated glue
// (pkg/tagdeck.js) would answer with its own internals: a class used before
// `init`/`initSync` ("reading '__wbindgen_add_to_stack_pointer'"), an object
// used after `free()` ("null pointer passed to rust"), `await init()` in Node
// ("fetch failed"). Plain JavaScript: the guards cost the WebAssembly nothing.

/** A TagdeckError made in JavaScript, shaped as src/wasm/errors.rs makes them. */
export function tagdeckError(code, message, extra = {}) {
  const error = new Error(message, extra.cause === undefined ? undefined : { cause: extra.cause });
  error.name = "TagdeckError";
  error.code = code;
  error.requestId = undefined;
  error.httpStatus = undefined;
  error.recommend = undefined;
  error.retryable = false;
  for (const key of Object.keys(extra)) if (key !== "cause") error[key] = extra[key];
  return error;
}

/** How to initialize, for the NotInitialized error of the entry. */
export const HOW_TO_INIT =
  "call `await init()` once in a browser, or `initSync({ module })` in Node and Workers (module: the bytes of " +
  "tagdeck_bg.wasm or a compiled WebAssembly.Module), before making a Client or a registry";

/**
 * The WebAssembly handle of a live object, checked before each method call; a
 * freed object (`free()`, or the end of a `using` block) throws ClientFreed.
 */
export function liveHandle(object) {
  const handle = object?.__wbg_ptr;
  if (handle) return handle;
  if (handle === undefined) {
    throw tagdeckError(
      "InvalidParameter",
      "a tagdeck method was called without its object (`this`): call it as object.method(...), or bind it",
    );
  }
  const kind = object.constructor?.name ?? "object";
  throw tagdeckError(
    "ClientFreed",
    `this ${kind} was freed (free() was called, or its \`using\` block ended) and can make no more calls: create a new one`,
  );
}

/**
 * `fetch` for `init()`'s default or given location of the .wasm. Node's
 * fetch cannot read `file:` URLs, which is where the package's own .wasm is
 * when `init()` is called there without a module.
 */
export async function fetchWasm(location) {
  const href = typeof Request === "function" && location instanceof Request ? location.url : String(location);
  if (href.startsWith("file:")) {
    throw tagdeckError(
      "InitFailed",
      `init() cannot load ${href}: fetch reads no files here. In Node use ` +
        '`initSync({ module: await readFile(new URL(import.meta.resolve("tagdeck/tagdeck_bg.wasm"))) })`, ' +
        "or pass the bytes: `await init({ module_or_path: bytes })`",
    );
  }
  try {
    return await fetch(location);
  } catch (error) {
    throw tagdeckError(
      "InitFailed",
      `init() could not fetch ${href} (${error?.message ?? error}): serve tagdeck_bg.wasm beside tagdeck.js, ` +
        "or pass its URL or bytes: `await init({ module_or_path })`",
      { cause: error },
    );
  }
}

/** A failure from Rust (src/wasm/errors.rs `Failure::into_js`) as a TagdeckError. */
export function tagdeckFailure(code, message, requestId, httpStatus, recommend, retryable, retryAfterMs) {
  const extra = { requestId, httpStatus, recommend, retryable };
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
  return tagdeckError(code, message, extra);
}
