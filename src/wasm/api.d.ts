/**
 * wasm-bindgen declares `[Symbol.dispose]()` on every class (for `using`).
 * `Symbol.dispose` is in TypeScript's `esnext.disposable` lib and in
 * @types/node, but not in `ES2022`/`DOM`: declared here so that the package
 * type-checks in browser and Workers projects too. The same declaration as
 * those, so it merges with them.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** The response format asked for (`Format` parameter). */
export type Format = "JSON" | "XML";

/** How the request is sent: query string (GET) or form body (POST). */
export type HttpMethod = "GET" | "POST";

/**
 * Every failure is a `TagdeckError`: a real `Error` (with a stack) carrying
 * the API's code or a client-side one. Messages name the parameter or field
 * at fault and never contain the AccessKey secret.
 */
export interface TagdeckError extends Error {
  name: "TagdeckError";
  /**
   * The API's code (`SignatureDoesNotMatch`, `Throttling.User`,
   * `InvalidParameter`, ...) or a client-side one: `MissingParameter`,
   * `InvalidParameter` (also for bad options), `NetworkError`, `Timeout`,
   * `DecodeError`, `InvalidApi.NotFound` (unknown Action), and for first-use
   * mistakes `NotInitialized` (before `init`/`initSync`), `InitFailed`
   * (`init()` could not load the .wasm, e.g. in Node), `ClientFreed` (after
   * `free()`), `InvalidEndpoint`, `InvalidRegion` (refused when the client is
   * made).
   */
  code: string;
  /** The service's request id, when it answered. */
  requestId: string | undefined;
  /** The HTTP status of the answer; `undefined` when there was none. */
  httpStatus: number | undefined;
  /** The service's advice or diagnosis link, when it gave one. */
  recommend: string | undefined;
  /** Whether the same request, signed again, may succeed later. */
  retryable: boolean;
  /** The wait the service asked for (`x-acs-retry-after`), in ms. */
  retryAfterMs?: number;
}

/** What the `fetch` option is called with. */
export interface FetchInit {
  method: HttpMethod;
  headers: Record<string, string>;
  /** The form body of a POST. */
  body?: string;
  /** Aborted when `timeoutMs` runs out. */
  signal?: AbortSignal;
}

/** The part of a `Response` the client reads. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A `fetch`-compatible function; the global `fetch` fits. */
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * The options of every client over `fetch`: `new Client(...)` and the REST
 * registries (`TRANSPORT_OPTION_NAMES` in src/wasm/client.rs).
 */
export interface TransportOptions {
  /** Time allowed for each attempt (request and whole answer); default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt, 0 to 10; default 2. */
  maxRetries?: number;
  /**
   * Retry calls that change state after any retryable failure. By default a
   * write is retried only when throttled (refused before anything was
   * applied); reads (`Get*`, `List*`, GET requests) after any: a write that
   * timed out or met a 5xx may have been applied.
   */
  retryWrites?: boolean;
  /** Backoff base in ms (full jitter: wait random(0, base * 2^n)); default 200. */
  retryBaseDelayMs?: number;
  /** Longest wait between attempts; a longer `x-acs-retry-after` ends the retries. Default 20000. */
  retryMaxDelayMs?: number;
  /** The `fetch` to use; default: the global `fetch`. */
  fetch?: FetchFunction;
}

/** Options of `new Client(...)`. */
export interface ClientOptions extends TransportOptions {
  accessKeyId: string;
  /** Kept inside the WebAssembly instance only: never a property of the client. */
  accessKeySecret: string;
  /** An STS token, sent as the signed `SecurityToken` parameter. */
  securityToken?: string;
  /** Filled into every operation's `RegionId` when a call leaves it out. */
  regionId: string;
  /**
   * A host (`cr.cn-hangzhou.aliyuncs.com`, HTTPS) or an origin
   * (`http://127.0.0.1:8080`). Default: `cr.{regionId}.aliyuncs.com`.
   */
  endpoint?: string;
  /** Answer format; default `"JSON"`. */
  format?: Format;
  /**
   * Default `"GET"`; with `signatureVersion: "1.0"`, `"POST"` sends the
   * parameters as a form body (V3 always sends them in the URL).
   */
  method?: HttpMethod;
  /**
   * `"3"` (the default, as the vendor's SDKs: ACS3-HMAC-SHA256 headers) or
   * `"1.0"` (HMAC-SHA1 parameters).
   */
  signatureVersion?: SignatureVersion;
}

/** Options of `signRequest`. */
export interface SignRequestOptions {
  /** Default `"GET"`. */
  method?: HttpMethod;
  /** A host (HTTPS assumed) or a full origin. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /**
   * The operation's own parameters with their wire names, including
   * `Action`. Nested arrays and objects are flattened to `Key.1`, `Key.Sub`.
   */
  params: { Action: string } & Record<string, string | number | bigint | boolean | unknown[] | object | null | undefined>;
  /** `YYYY-MM-DDThh:mm:ssZ`; default: now. */
  timestamp?: string;
  /** Default: a random UUID from `crypto.getRandomValues`. */
  nonce?: string;
  /** Default `"2018-12-01"`. */
  version?: string;
  /** Default `"JSON"`; V3 sends `Format=XML` in the query for `"XML"`. */
  format?: Format;
  /**
   * `"1.0"` (the default): the signature among the parameters. `"3"`
   * (ACS3-HMAC-SHA256): every parameter but `Action` in the URL's query, an
   * empty body, the signature in the headers.
   */
  signatureVersion?: SignatureVersion;
}

/** `"1.0"`: HMAC-SHA1 parameters; `"3"`: ACS3-HMAC-SHA256 headers. */
export type SignatureVersion = "1.0" | "3";

/** A request signed with V3 (`signatureVersion: "3"`), ready for any transport. */
export interface SignedRequestV3 {
  /** The URL; its query carries every parameter but `Action`, in canonical order. */
  url: string;
  method: HttpMethod;
  /**
   * Lower-case names: `host`, `x-acs-action`, `x-acs-version`, `x-acs-date`,
   * `x-acs-signature-nonce`, `x-acs-content-sha256`, `authorization`, and
   * `x-acs-accesskey-id` + `x-acs-security-token` with STS. Send the body
   * empty.
   */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/**
 * Signs a request (no I/O): with `signatureVersion: "3"` a V3 request,
 * otherwise V1. Throws a `TagdeckError` naming the option at fault.
 */
export function signRequest(opts: SignRequestOptions & { signatureVersion: "3" }): SignedRequestV3;
export function signRequest(opts: SignRequestOptions): SignedRequest;

/** A signed request, ready for any transport. */
export interface SignedRequest {
  /** The URL; for a GET it carries every parameter. */
  url: string;
  method: HttpMethod;
  /**
   * Every parameter sent, `Signature` included. For a POST, send them as the
   * form body: `new URLSearchParams(params)`.
   */
  params: Record<string, string>;
  stringToSign: string;
  signature: string;
}

/**
 * Decodes an answer of `action` (camelCase keys; `Long` fields as `bigint`).
 * An error answer (a status of 300 or more, an `<Error>` document, or
 * `IsSuccess: false`) throws a `TagdeckError`.
 * @param httpStatus the answer's HTTP status; default 200.
 */
export function decodeResponse<A extends Action>(
  action: A,
  body: string,
  format: Format,
  httpStatus?: number,
): OperationResults[A];

export interface Client {
  /**
   * Calls any operation by its Action name, with its parameters in camelCase.
   * Rejects with a `TagdeckError`.
   */
  call<A extends Action>(
    action: A,
    ...params: {} extends OperationParams[A]
      ? [params?: OperationParams[A]]
      : [params: OperationParams[A]]
  ): Promise<OperationResults[A]>;
}

/** Options of `repository.deleteTags(...)` and `deleteTagsWith(...)`. */
export interface DeleteTagsOptions {
  /** Deletions at once, 1 to 64; default 4. Halved on throttling, grown back as deletions succeed. */
  concurrency?: number;
  /** Requests per tag before a failure that retrying might fix is reported; 1 to 100, default 20. */
  maxAttempts?: number;
  /** Stops starting deletions (running ones finish); the rest are reported as not attempted. */
  signal?: AbortSignal;
  /** Called as each tag's deletion starts (`"deleting"`), waits to retry (`"waiting"`) and ends (`"done"`). */
  onProgress?: (event: DeleteTagsProgress) => void;
}

/** One step of a bulk delete. */
export interface DeleteTagsProgress {
  /** The tag's index in the list given. */
  index: number;
  tag: string;
  state: "deleting" | "waiting" | "done";
  /** Requests sent for this tag so far. */
  attempts: number;
  /** Tags finished so far, and in all. */
  done: number;
  total: number;
  /** `"waiting"`: the failure to retry, and the wait before the retry. */
  error?: TagdeckError;
  retryInMs?: number;
  /** `"done"`: the tag's result. */
  result?: DeleteTagResult;
}

/** What became of one tag of a bulk delete. */
export interface DeleteTagResult {
  tag: string;
  /** Deleted (or found already gone by a retry). */
  ok: boolean;
  /** A retry was answered "no such tag": an earlier attempt was applied. */
  alreadyGone?: boolean;
  /** Requests sent for this tag; 0 when the run was stopped before it. */
  attempts: number;
  /** Why it was not deleted: the last failure, or `NotAttempted`. */
  error?: TagdeckError;
}

/** The report of a bulk delete: every tag given, in order, and the totals. */
export interface DeleteTagsReport {
  results: DeleteTagResult[];
  summary: {
    requested: number;
    deleted: number;
    alreadyGone: number;
    /** Tried, and not deleted: see each result's `error`. */
    failed: number;
    notAttempted: number;
    /** Requests sent in all. */
    attempts: number;
    /** Whether `signal` stopped the run. */
    stopped: boolean;
  };
}

export interface TagRepository {
  /**
   * Deletes `tags`, paced to the registry's limits: throttled answers pause
   * every deletion for the wait they ask (`Retry-After`,
   * `x-acs-retry-after`); throttling, 5xx, timeouts and network errors are
   * retried per tag; a retry answered "no such tag" counts as done
   * (`alreadyGone`). Resolves (never rejects for a tag's failure) to a report
   * of every tag. `force`: as for `deleteTag` (Scaleway).
   */
  deleteTags(tags: Iterable<TagRef>, options?: DeleteTagsOptions & { force?: boolean }): Promise<DeleteTagsReport>;
}

/**
 * `deleteTags`' pacing and report over any function that deletes one tag
 * with ONE request and rejects with an error carrying `code`, `httpStatus`,
 * `retryable` and `retryAfterMs` as a `TagdeckError` does (a proxy's client,
 * say).
 */
export function deleteTagsWith<T>(
  deleteOne: (tag: T, options: { force: boolean }) => Promise<unknown>,
  tags: Iterable<T>,
  options?: DeleteTagsOptions,
): Promise<DeleteTagsReport>;
