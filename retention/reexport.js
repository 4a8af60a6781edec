
// The retention engine (tagdeck/retention: its own WebAssembly module, see
// retention/Cargo.toml), re-exported here; appended by scripts/build-pkg.sh.
import * as __retention from "./retention/tagdeck_retention.js";
let __retentionReady = false;
/** Instantiates the retention module (browsers and workers: fetched beside this file). */
export async function initRetention(moduleOrPath) {
    await __retention.default(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
    __retentionReady = true;
}
/** Instantiates the retention module from its bytes or a compiled module (Node: tagdeck/retention/tagdeck_retention_bg.wasm). */
export function initRetentionSync(module) {
    __retention.initSync({ module });
    __retentionReady = true;
}
function __retentionModule() {
    if (!__retentionReady) {
        const error = new Error("the retention engine is not instantiated: call `await initRetention()` (or initRetentionSync(bytes)) first; it is its own WebAssembly module, tagdeck/retention/tagdeck_retention_bg.wasm");
        error.name = "TagdeckError";
        error.code = "NotInitialized";
        error.retryable = false;
        throw error;
    }
    return __retention;
}
export function planRetention(policy, tags, options) {
    return __retentionModule().planRetention(policy, tags, options);
}
export function explainRetention(policy) {
    return __retentionModule().explainRetention(policy);
}
export function retentionTags(repository, name, options) {
    return __retentionModule().retentionTags(repository, name, options);
}
