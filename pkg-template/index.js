// The package's entry ("tagdeck"): everything of wasm-bindgen's tagdeck.js
// as it is generated, with the first-use mistakes turned into TagdeckErrors
// whose code names the mistake and whose message says what to do
// (./guards.js, a copy of src/wasm/guards.js, says which and why); and the
// retention engine, its own WebAssembly module (retention/Cargo.toml says
// why), from ./retention/. Nothing generated is edited: the guards wrap what
// tagdeck.js exports, at run time, once.
import glueInit, * as glue from "./tagdeck.js";
import * as retention from "./retention/tagdeck_retention.js";
import { HOW_TO_INIT, fetchWasm, liveHandle, tagdeckError } from "./guards.js";

export * from "./tagdeck.js";

/** Whether `init` or `initSync` (of this entry) has instantiated the module. */
let initialized = false;

function requireInit() {
  if (!initialized) throw tagdeckError("NotInitialized", `tagdeck is not initialized: ${HOW_TO_INIT}`);
}

/** Where `init()` finds the .wasm when given nothing: beside this file, as tagdeck.js would. */
const defaultWasm = () => new URL("tagdeck_bg.wasm", import.meta.url);

/**
 * `init` of tagdeck.js, with the location of the .wasm fetched here
 * (fetchWasm), so that Node's `fetch failed` for its own `file:` URL, or an
 * unreachable URL, becomes InitFailed with advice.
 */
export default async function init(moduleOrPath) {
  const options = moduleOrPath !== null && typeof moduleOrPath === "object" && Object.getPrototypeOf(moduleOrPath) === Object.prototype;
  let source = options ? moduleOrPath.module_or_path : moduleOrPath;
  if (source === undefined) source = defaultWasm();
  const isLocation =
    typeof source === "string" || source instanceof URL || (typeof Request === "function" && source instanceof Request);
  // A thenable, so that nothing is fetched when the module is instantiated already.
  const fetched = { then: (resolve, reject) => fetchWasm(source).then(resolve, reject) };
  const output = await glueInit({ module_or_path: isLocation ? fetched : source });
  initialized = true;
  return output;
}

/** `initSync` of tagdeck.js, recording that the module is instantiated. */
export function initSync(module) {
  const output = glue.initSync(module);
  initialized = true;
  return output;
}

/** A function of tagdeck.js that refuses to run before init. */
function guardFunction(fn) {
  const guarded = {
    [fn.name](...args) {
      requireInit();
      return fn.apply(this, args);
    },
  }[fn.name];
  return guarded;
}

const GUARDED = Symbol.for("tagdeck.guarded");

/**
 * A class of tagdeck.js that refuses construction before init, and whose
 * methods and getters refuse a freed object (liveHandle). The prototype is
 * the class's own (wrapped in place, once), so `instanceof` holds for the
 * objects tagdeck.js makes itself (`client.repository(...)`); the methods
 * the crate installs when the module is instantiated (`listRepoTag`, ...)
 * go through `call`, which is guarded.
 */
function guardClass(cls) {
  const prototype = cls.prototype;
  if (!Object.hasOwn(prototype, GUARDED)) {
    Object.defineProperty(prototype, GUARDED, { value: true });
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(prototype))) {
      if (name === "constructor" || name === "free" || name.startsWith("__")) continue;
      if (typeof descriptor.value === "function") {
        const method = descriptor.value;
        descriptor.value = {
          [name](...args) {
            liveHandle(this);
            return method.apply(this, args);
          },
        }[name];
      } else if (descriptor.get) {
        const getter = descriptor.get;
        descriptor.get = function () {
          liveHandle(this);
          return getter.call(this);
        };
      } else {
        continue;
      }
      Object.defineProperty(prototype, name, descriptor);
    }
  }
  return new Proxy(cls, {
    construct(target, args, newTarget) {
      requireInit();
      return Reflect.construct(target, args, newTarget);
    },
  });
}

export const Client = guardClass(glue.Client);
export const ScalewayRegistry = guardClass(glue.ScalewayRegistry);
export const SwrRegistry = guardClass(glue.SwrRegistry);
export const TagRepository = guardClass(glue.TagRepository);
export const decodeResponse = guardFunction(glue.decodeResponse);
export const deleteTagsWith = guardFunction(glue.deleteTagsWith);
export const operations = guardFunction(glue.operations);
export const signRequest = guardFunction(glue.signRequest);

// The retention engine: its own module, instantiated on its own.
let retentionReady = false;

/** Instantiates the retention module (browsers and workers: fetched beside the package). */
export async function initRetention(moduleOrPath) {
  await retention.default(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
  retentionReady = true;
}

/** Instantiates the retention module from its bytes or a compiled module (Node: tagdeck/retention/tagdeck_retention_bg.wasm). */
export function initRetentionSync(module) {
  retention.initSync({ module });
  retentionReady = true;
}

function retentionModule() {
  if (!retentionReady) {
    throw tagdeckError(
      "NotInitialized",
      "the retention engine is not instantiated: call `await initRetention()` (or initRetentionSync(bytes)) first; " +
        "it is its own WebAssembly module, tagdeck/retention/tagdeck_retention_bg.wasm",
    );
  }
  return retention;
}

export function planRetention(policy, tags, options) {
  return retentionModule().planRetention(policy, tags, options);
}
export function explainRetention(policy) {
  return retentionModule().explainRetention(policy);
}
export function retentionTags(repository, name, options) {
  return retentionModule().retentionTags(repository, name, options);
}
