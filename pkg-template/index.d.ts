// The package's entry ("tagdeck", pkg-template/index.js): everything of
// wasm-bindgen's tagdeck.d.ts, and the retention engine of ./retention/.
export * from "./tagdeck.js";
export { default } from "./tagdeck.js";

export type {
    RetentionTime, RetentionTag, RetentionPattern, RetentionRule, TagdeckRetentionPolicy, EcrLifecyclePolicy,
    GitlabCleanupPolicy, HarborSelector, HarborRetentionPolicy, SwrRetentionPolicy, AlibabaLifecycleRule,
    RetentionPolicy, RetentionDecision, RetentionPlan, RetentionOptions,
} from "./retention/tagdeck_retention.js";
export { planRetention, explainRetention, retentionTags } from "./retention/tagdeck_retention.js";
/** Instantiates the retention module (browsers and workers: fetched beside the package). */
export function initRetention(moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Instantiates the retention module from its bytes or a compiled module. */
export function initRetentionSync(module: BufferSource | WebAssembly.Module): void;
